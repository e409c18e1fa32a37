// The IAM directory: every account's users, groups, roles, managed policies and access keys, and IAM's rules over
// them (directory/), behind one interface the handlers, the IAM file loader and credential resolution share.
// Every method is synchronous over an atomic-per-call store, so no two requests interleave inside one.
import type { Principal } from '../auth/principal';
import type { Clock } from '../kernel/clock';
import type { RegistryDocumentStore } from '../store/registry-document-store';
import { createAccessKeyRules, type AccessKeyRules } from './directory/access-keys';
import { createGroupRules, type GroupRules } from './directory/groups';
import type { DirectoryParts } from './directory/holders';
import { createInlinePolicyRules, type InlinePolicyRules } from './directory/inline-policies';
import { createManagedPolicyRules, type ManagedPolicyRules } from './directory/managed-policies';
import { createPolicyAttachmentRules, type PolicyAttachmentRules } from './directory/policy-attachments';
import { createRoleRules, type NewRole, type RoleRules } from './directory/roles';
import { createUserRules, type NewUser, type UserRules } from './directory/users';
import type { IamAccessKey, IamRole, IamUser, PolicyHolder } from './iam-entities';
import { createIamRecords } from './iam-records';

/** The policies that apply to an identity, as documents: what policy evaluation reads. */
/** A policy document and the name a denial gives it: a managed policy's ARN, or `inline policy <name> of <holder>`. */
export interface NamedPolicy {
  name: string;
  document: string;
}

export interface IdentityPolicies {
  /** Inline and attached managed policies (default versions): a user's own and its groups', or a role's. */
  documents: NamedPolicy[];
  /** The permissions boundary's default version, when one is set. */
  permissionsBoundary?: NamedPolicy;
}

/**
 * Everything the directory does. Unless said otherwise, methods take the acting account first and throw QueryError
 * with IAM's code and wording (NoSuchEntity, EntityAlreadyExists, DeleteConflict, LimitExceeded,
 * MalformedPolicyDocument, InvalidInput...); `get…`/`find…` methods answer undefined instead of throwing.
 */
export interface IamDirectory
  extends Omit<UserRules, 'createUser'>,
    Omit<AccessKeyRules, 'findAccessKey' | 'wasAccessKeyIssued' | 'noteAccessKeyUse'>,
    GroupRules,
    Omit<RoleRules, 'createRole' | 'getRole' | 'findRoleByArn' | 'noteRoleUse'>,
    ManagedPolicyRules,
    PolicyAttachmentRules,
    InlinePolicyRules {
  /** Throws EntityAlreadyExists for a taken name, NoSuchEntity for a boundary that is no attachable policy. */
  createUser(accountId: string, user: NewUser): IamUser;
  /** Validates the trust policy as IAM does (MalformedPolicyDocument), and the boundary as createUser. */
  createRole(accountId: string, role: NewRole): IamRole;

  /** For credential resolution: the live (not deleted) key with this id, in any account, or undefined. */
  findAccessKey(accessKeyId: string): IamAccessKey | undefined;
  /** Whether IAM ever issued this key id, deleted keys included: such a key is never an account root's. */
  wasAccessKeyIssued(accessKeyId: string): boolean;
  /** Records a verified request made with the key: GetAccessKeyLastUsed answers it. Unknown keys are ignored. */
  noteAccessKeyUse(accessKeyId: string, use: { serviceName: string; region: string; at: Date }): void;
  /** The user, or undefined. Names compare case-insensitively, as IAM's do. */
  getUser(accountId: string, userName: string): IamUser | undefined;
  /** The principal a user's access key acts as (tags as principal tags), or undefined for no such user. */
  userPrincipal(accountId: string, userName: string): Principal | undefined;
  /** The role, or undefined. */
  getRole(accountId: string, roleName: string): IamRole | undefined;
  /** The role an ARN names (`arn:aws:iam::<a>:role<path><name>`, the path must match), or undefined. */
  findRoleByArn(arn: string): IamRole | undefined;
  /** Records that a session of the role was created: GetRole's RoleLastUsed. Unknown roles are ignored. */
  noteRoleUse(roleArn: string, use: { region: string; at: Date }): void;
  /** The policies of a user or role ARN (the Principal's identityArn), or undefined when it names none. */
  policiesFor(identityArn: string): IdentityPolicies | undefined;
  /** Moves whenever a user, group, role or policy changes: what policiesFor answered stays true until it does. */
  generation(): number;
}

const IDENTITY_ARN = /^arn:aws:iam::(\d{12}):(user|role)(\/(?:[^/]+\/)*)([^/]+)$/;

export function createIamDirectory(options: { documents: RegistryDocumentStore; clock: Clock }): IamDirectory {
  const parts: DirectoryParts = { records: createIamRecords(options.documents), clock: options.clock };
  const users = createUserRules(parts);
  const accessKeys = createAccessKeyRules(parts);
  const groups = createGroupRules(parts);
  const roles = createRoleRules(parts);
  const policies = createManagedPolicyRules(parts);
  const attachments = createPolicyAttachmentRules(parts, policies);
  const inline = createInlinePolicyRules(parts);

  function policiesOf(accountId: string, holder: PolicyHolder): IdentityPolicies {
    const { policyArns, groups: groupNames, permissionsBoundaryArn } = attachments.effectiveAttachments(accountId, holder);
    const owners = [holder, ...groupNames.map((name): PolicyHolder => ({ kind: 'group', name }))];
    const inlineDocuments = owners.flatMap((owner) =>
      inline.inlineDocuments(accountId, owner).map(({ name, document }) => ({ name: `inline policy ${name} of ${owner.kind}/${owner.name}`, document })),
    );
    const managed = (arn: string): NamedPolicy[] => {
      const document = policies.defaultDocument(accountId, arn);
      return document === undefined ? [] : [{ name: arn, document }];
    };
    const [boundary] = permissionsBoundaryArn === undefined ? [] : managed(permissionsBoundaryArn);
    return { documents: [...inlineDocuments, ...policyArns.flatMap(managed)], ...(boundary !== undefined ? { permissionsBoundary: boundary } : {}) };
  }

  return {
    ...users,
    ...accessKeys,
    ...groups,
    ...roles,
    ...policies,
    ...attachments,
    ...inline,

    createUser(accountId, user) {
      if (user.permissionsBoundaryArn !== undefined) policies.requireAttachable(accountId, user.permissionsBoundaryArn);
      return users.createUser(accountId, user);
    },

    createRole(accountId, role) {
      if (role.permissionsBoundaryArn !== undefined) policies.requireAttachable(accountId, role.permissionsBoundaryArn);
      return roles.createRole(accountId, role);
    },

    userPrincipal(accountId, userName) {
      const user = users.getUser(accountId, userName);
      if (user === undefined) return undefined;
      return { kind: 'user', arn: user.arn, accountId, userId: user.userId, tags: { ...user.tags }, identityArn: user.arn };
    },

    generation: () => parts.records.generation(),
    policiesFor(identityArn) {
      const match = IDENTITY_ARN.exec(identityArn);
      if (match === null) return undefined;
      const [, accountId, kind, path, name] = match as unknown as [string, string, 'user' | 'role', string, string];
      const entity = kind === 'user' ? users.getUser(accountId, name) : roles.getRole(accountId, name);
      if (entity === undefined || entity.path !== path) return undefined;
      return policiesOf(accountId, { kind, name });
    },
  };
}
