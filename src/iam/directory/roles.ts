// IAM roles: their trust policies (validated as IAM validates them), session duration, description, tags, last use,
// and what must go before a role can be deleted. Roles are also found by ARN, which is how AssumeRole names them.
import { QueryError } from '../../aws/query-error';
import { checkPolicyDocument, policySizeInCharacters } from '../identity-policy';
import { deleteConflict, entityAlreadyExists, entityNotFound, quotaExceeded } from '../iam-errors';
import { roleView, type IamRole, type IamTag } from '../iam-entities';
import { newIamId } from '../iam-ids';
import type { StoredRole } from '../iam-records';
import { hasPathPrefix, mergeTags, removeTags, type DirectoryParts } from './holders';

export interface NewRole {
  roleName: string;
  path?: string;
  assumeRolePolicyDocument: string;
  description?: string;
  maxSessionDurationSeconds?: number;
  tags?: IamTag[];
  permissionsBoundaryArn?: string;
}

// CreateRole: "MaxSessionDuration ... from 1 hour to 12 hours. If you do not specify a value, the default of 1 hour".
const DEFAULT_SESSION_SECONDS = 3600;
const MAX_SESSION_SECONDS = 43200;
// IAM quotas: "Role trust policy length: 2,048 characters" (the ACLSizePerRole quota).
const TRUST_POLICY_MAX_CHARACTERS = 2048;
const ROLE_ARN = /^arn:aws:iam::(\d{12}):role(\/(?:[^/]+\/)*)([^/]+)$/;

function checkTrustPolicy(document: string): void {
  checkPolicyDocument(document, 'trust');
  if (policySizeInCharacters(document) > TRUST_POLICY_MAX_CHARACTERS) throw quotaExceeded('ACLSizePerRole', TRUST_POLICY_MAX_CHARACTERS);
}

/** The protocol layer checks the model's range for requests; the IAM file reaches here unchecked. */
function checkSessionDuration(seconds: number): void {
  if (!Number.isInteger(seconds) || seconds < DEFAULT_SESSION_SECONDS || seconds > MAX_SESSION_SECONDS) {
    throw new QueryError('ValidationError', `The requested MaxSessionDuration ${seconds} must be between ${DEFAULT_SESSION_SECONDS} and ${MAX_SESSION_SECONDS} seconds.`);
  }
}

export function createRoleRules(parts: DirectoryParts) {
  const { records, clock } = parts;

  function requireRoleRecord(accountId: string, roleName: string): StoredRole {
    const role = records.roles.get(accountId, roleName);
    if (role === undefined) throw entityNotFound('role', roleName);
    return role;
  }

  return {
    /** Throws MalformedPolicyDocument for a trust policy IAM refuses, EntityAlreadyExists for a taken name. */
    createRole(accountId: string, role: NewRole): IamRole {
      checkTrustPolicy(role.assumeRolePolicyDocument);
      const maxSessionDurationSeconds = role.maxSessionDurationSeconds ?? DEFAULT_SESSION_SECONDS;
      checkSessionDuration(maxSessionDurationSeconds);
      const stored: StoredRole = {
        name: role.roleName,
        path: role.path ?? '/',
        id: newIamId('AROA'),
        createdAt: clock.now().getTime(),
        assumeRolePolicyDocument: role.assumeRolePolicyDocument,
        ...(role.description !== undefined ? { description: role.description } : {}),
        maxSessionDurationSeconds,
        tags: mergeTags([], role.tags ?? [], 'TagsPerRole'),
        ...(role.permissionsBoundaryArn !== undefined ? { permissionsBoundaryArn: role.permissionsBoundaryArn } : {}),
        attachedPolicyArns: [],
        inlinePolicies: {},
      };
      if (!records.roles.insert(accountId, role.roleName, stored)) throw entityAlreadyExists('role', role.roleName);
      return roleView(accountId, stored);
    },

    getRole(accountId: string, roleName: string): IamRole | undefined {
      const role = records.roles.get(accountId, roleName);
      return role === undefined ? undefined : roleView(accountId, role);
    },

    requireRole(accountId: string, roleName: string): IamRole {
      return roleView(accountId, requireRoleRecord(accountId, roleName));
    },

    findRoleByArn(arn: string): IamRole | undefined {
      const match = ROLE_ARN.exec(arn);
      if (match === null) return undefined;
      const [, accountId, path, name] = match as unknown as [string, string, string, string];
      const role = records.roles.get(accountId, name);
      return role === undefined || role.path !== path ? undefined : roleView(accountId, role);
    },

    listRoles(accountId: string, pathPrefix?: string): IamRole[] {
      return records.roles.list(accountId).filter((role) => hasPathPrefix(role.path, pathPrefix)).map((role) => roleView(accountId, role));
    },

    updateRole(accountId: string, roleName: string, changes: { description?: string; maxSessionDurationSeconds?: number }): void {
      const role = requireRoleRecord(accountId, roleName);
      if (changes.maxSessionDurationSeconds !== undefined) checkSessionDuration(changes.maxSessionDurationSeconds);
      records.roles.put(accountId, role.name, {
        ...role,
        ...(changes.description !== undefined ? { description: changes.description } : {}),
        ...(changes.maxSessionDurationSeconds !== undefined ? { maxSessionDurationSeconds: changes.maxSessionDurationSeconds } : {}),
      });
    },

    updateAssumeRolePolicy(accountId: string, roleName: string, document: string): void {
      const role = requireRoleRecord(accountId, roleName);
      checkTrustPolicy(document);
      records.roles.put(accountId, role.name, { ...role, assumeRolePolicyDocument: document });
    },

    /** Throws DeleteConflict while the role has attached or inline policies. */
    deleteRole(accountId: string, roleName: string): void {
      const role = requireRoleRecord(accountId, roleName);
      if (role.attachedPolicyArns.length > 0) throw deleteConflict('attached-policies');
      if (Object.keys(role.inlinePolicies).length > 0) throw deleteConflict('inline-policies');
      records.roles.delete(accountId, role.name);
    },

    tagRole(accountId: string, roleName: string, tags: IamTag[]): void {
      const role = requireRoleRecord(accountId, roleName);
      records.roles.put(accountId, role.name, { ...role, tags: mergeTags(role.tags, tags, 'TagsPerRole') });
    },

    untagRole(accountId: string, roleName: string, tagKeys: string[]): void {
      const role = requireRoleRecord(accountId, roleName);
      records.roles.put(accountId, role.name, { ...role, tags: removeTags(role.tags, tagKeys) });
    },

    /** GetRole's RoleLastUsed: when and where a session of the role was last created. */
    noteRoleUse(arn: string, use: { region: string; at: Date }): void {
      const match = ROLE_ARN.exec(arn);
      if (match === null) return;
      const role = records.roles.get(match[1]!, match[3]!);
      if (role !== undefined) records.roles.put(match[1]!, role.name, { ...role, lastUsed: { at: use.at.getTime(), region: use.region } });
    },
  };
}

export type RoleRules = ReturnType<typeof createRoleRules>;
