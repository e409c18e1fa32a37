// Managed policies: the account's own (created, versioned up to five times, deleted once nothing uses them) and
// AWS's (read-only, attachable everywhere). Attachment counts are counted from the holders, per account, so they
// can never drift from the attachments themselves.
import { awsManagedPolicies, awsManagedPolicy, isAwsManagedPolicyArn, type AwsManagedPolicy } from '../aws-managed-policies';
import { checkPolicyDocument, policySizeInCharacters } from '../identity-policy';
import {
  defaultVersionUndeletable,
  invalidArn,
  notAuthorized,
  policyAlreadyExists,
  policyHasVersions,
  policyNotAttachable,
  policyNotFound,
  policyStillAttached,
  policyVersionNotFound,
  quotaExceeded,
  tooManyPolicyVersions,
} from '../iam-errors';
import { customerPolicyView, iamArn, versionView, type IamManagedPolicy, type IamPolicyVersion, type IamTag } from '../iam-entities';
import { newIamId } from '../iam-ids';
import type { StoredPolicy } from '../iam-records';
import { allHolders, hasPathPrefix, mergeTags, type DirectoryParts } from './holders';

export interface NewPolicy {
  policyName: string;
  path?: string;
  document: string;
  description?: string;
  tags?: IamTag[];
}

export interface PolicyListing {
  scope?: 'All' | 'AWS' | 'Local';
  onlyAttached?: boolean;
  pathPrefix?: string;
  usageFilter?: 'PermissionsPolicy' | 'PermissionsBoundary';
}

// IAM quotas: "Managed policy length: 6,144 characters", "Versions of a managed policy that can be stored: 5".
const MANAGED_POLICY_MAX_CHARACTERS = 6144;
const VERSIONS_PER_POLICY = 5;
const POLICY_ARN = /^arn:aws:iam::(\d{12}|aws):policy(\/(?:[^/]+\/)*)([^/]+)$/;

/** The policy an ARN names: AWS's, the account's own, or none. */
type FoundPolicy = { kind: 'aws'; policy: AwsManagedPolicy } | { kind: 'customer'; policy: StoredPolicy };

/** Checks a managed policy's document: IAM's grammar, then its size quota. */
export function checkManagedPolicyDocument(document: string): void {
  checkPolicyDocument(document, 'identity');
  if (policySizeInCharacters(document) > MANAGED_POLICY_MAX_CHARACTERS) throw quotaExceeded('PolicySize', MANAGED_POLICY_MAX_CHARACTERS);
}

export function createManagedPolicyRules(parts: DirectoryParts) {
  const { records, clock } = parts;

  /** InvalidInput for a string that is no policy ARN; undefined for a policy that is not there for this account. */
  function findPolicy(accountId: string, arn: string): FoundPolicy | undefined {
    const match = POLICY_ARN.exec(arn);
    if (match === null) throw invalidArn(arn);
    if (isAwsManagedPolicyArn(arn)) {
      const policy = awsManagedPolicy(arn);
      return policy === undefined ? undefined : { kind: 'aws', policy };
    }
    // A customer managed policy is usable only in its own account.
    if (match[1] !== accountId) return undefined;
    const policy = records.policies.get(accountId, match[3]!);
    return policy === undefined || policy.path !== match[2] ? undefined : { kind: 'customer', policy };
  }

  function requireOwnPolicy(accountId: string, arn: string, action: string, callerArn: string): StoredPolicy {
    const found = findPolicy(accountId, arn);
    if (found === undefined) throw policyNotFound(arn);
    // AWS managed policies belong to AWS: no policy of the caller's account can allow changing them.
    if (found.kind === 'aws') throw notAuthorized(callerArn, action, `policy ${arn}`);
    return found.policy;
  }

  function usage(accountId: string, arn: string): { attachmentCount: number; permissionsBoundaryUsageCount: number } {
    const holders = allHolders(records, accountId);
    return {
      attachmentCount: holders.filter(({ record }) => record.attachedPolicyArns.includes(arn)).length,
      permissionsBoundaryUsageCount: holders.filter(({ record }) => record.permissionsBoundaryArn === arn).length,
    };
  }

  function view(accountId: string, found: FoundPolicy): IamManagedPolicy {
    if (found.kind === 'customer') {
      const { policy } = found;
      return customerPolicyView(accountId, policy, usage(accountId, iamArn(accountId, 'policy', policy.path, policy.name)));
    }
    const { policy } = found;
    return {
      arn: policy.arn,
      policyName: policy.name,
      policyId: policy.id,
      path: policy.path,
      description: policy.description,
      defaultVersionId: policy.versionId,
      createdAt: policy.createdAt,
      updatedAt: policy.versionCreatedAt,
      isAwsManaged: true,
      ...usage(accountId, policy.arn),
      tags: {},
    };
  }

  function saveVersions(accountId: string, policy: StoredPolicy): void {
    records.policies.put(accountId, policy.name, { ...policy, updatedAt: clock.now().getTime() });
  }

  return {
    createPolicy(accountId: string, policy: NewPolicy): IamManagedPolicy {
      checkManagedPolicyDocument(policy.document);
      const now = clock.now().getTime();
      const stored: StoredPolicy = {
        name: policy.policyName,
        path: policy.path ?? '/',
        id: newIamId('ANPA'),
        createdAt: now,
        updatedAt: now,
        ...(policy.description !== undefined ? { description: policy.description } : {}),
        tags: mergeTags([], policy.tags ?? [], 'TagsPerPolicy'),
        defaultVersionId: 'v1',
        versions: [{ id: 'v1', document: policy.document, createdAt: now }],
        nextVersion: 2,
      };
      if (!records.policies.insert(accountId, policy.policyName, stored)) throw policyAlreadyExists(policy.policyName);
      return customerPolicyView(accountId, stored, { attachmentCount: 0, permissionsBoundaryUsageCount: 0 });
    },

    getPolicy(accountId: string, arn: string): IamManagedPolicy {
      const found = findPolicy(accountId, arn);
      if (found === undefined) throw policyNotFound(arn);
      return view(accountId, found);
    },

    /** The name of a policy the account may attach (or set as a boundary); NoSuchEntity otherwise. */
    requireAttachable(accountId: string, arn: string): string {
      const found = findPolicy(accountId, arn);
      if (found === undefined) throw policyNotAttachable(arn);
      return found.policy.name;
    },

    /** The default version's document of a policy the account can use, or undefined. */
    defaultDocument(accountId: string, arn: string): string | undefined {
      const found = POLICY_ARN.test(arn) ? findPolicy(accountId, arn) : undefined;
      if (found === undefined) return undefined;
      if (found.kind === 'aws') return found.policy.document;
      return found.policy.versions.find((version) => version.id === found.policy.defaultVersionId)?.document;
    },

    listPolicies(accountId: string, listing: PolicyListing): IamManagedPolicy[] {
      const scope = listing.scope ?? 'All';
      const aws: FoundPolicy[] = scope === 'Local' ? [] : awsManagedPolicies().map((policy) => ({ kind: 'aws', policy }));
      const local: FoundPolicy[] = scope === 'AWS' ? [] : records.policies.list(accountId).map((policy) => ({ kind: 'customer', policy }));
      return [...aws, ...local]
        .map((found) => view(accountId, found))
        .filter((policy) => hasPathPrefix(policy.path, listing.pathPrefix))
        .filter((policy) => {
          if (listing.onlyAttached !== true) return true;
          if (listing.usageFilter === 'PermissionsPolicy') return policy.attachmentCount > 0;
          if (listing.usageFilter === 'PermissionsBoundary') return policy.permissionsBoundaryUsageCount > 0;
          return policy.attachmentCount > 0 || policy.permissionsBoundaryUsageCount > 0;
        });
    },

    /** Throws DeleteConflict while the policy is attached, used as a boundary, or has versions besides the default. */
    deletePolicy(accountId: string, arn: string, callerArn: string): void {
      const policy = requireOwnPolicy(accountId, arn, 'iam:DeletePolicy', callerArn);
      const counts = usage(accountId, arn);
      if (counts.attachmentCount > 0 || counts.permissionsBoundaryUsageCount > 0) throw policyStillAttached();
      if (policy.versions.length > 1) throw policyHasVersions();
      records.policies.delete(accountId, policy.name);
    },

    /** Throws LimitExceeded past five versions. */
    createPolicyVersion(accountId: string, arn: string, document: string, setAsDefault: boolean, callerArn: string): IamPolicyVersion {
      const policy = requireOwnPolicy(accountId, arn, 'iam:CreatePolicyVersion', callerArn);
      checkManagedPolicyDocument(document);
      if (policy.versions.length >= VERSIONS_PER_POLICY) throw tooManyPolicyVersions(VERSIONS_PER_POLICY);
      const version = { id: `v${policy.nextVersion}`, document, createdAt: clock.now().getTime() };
      const updated: StoredPolicy = { ...policy, versions: [...policy.versions, version], nextVersion: policy.nextVersion + 1, ...(setAsDefault ? { defaultVersionId: version.id } : {}) };
      saveVersions(accountId, updated);
      return versionView(updated, version);
    },

    getPolicyVersion(accountId: string, arn: string, versionId: string): IamPolicyVersion {
      const found = findPolicy(accountId, arn);
      if (found === undefined) throw policyNotFound(arn);
      if (found.kind === 'aws') {
        if (versionId !== found.policy.versionId) throw policyVersionNotFound(arn, versionId);
        return { versionId, document: found.policy.document, isDefaultVersion: true, createdAt: found.policy.versionCreatedAt };
      }
      const version = found.policy.versions.find((candidate) => candidate.id === versionId);
      if (version === undefined) throw policyVersionNotFound(arn, versionId);
      return versionView(found.policy, version);
    },

    /** Oldest first. */
    listPolicyVersions(accountId: string, arn: string): IamPolicyVersion[] {
      const found = findPolicy(accountId, arn);
      if (found === undefined) throw policyNotFound(arn);
      if (found.kind === 'aws') return [{ versionId: found.policy.versionId, document: found.policy.document, isDefaultVersion: true, createdAt: found.policy.versionCreatedAt }];
      return found.policy.versions.map((version) => versionView(found.policy, version));
    },

    deletePolicyVersion(accountId: string, arn: string, versionId: string, callerArn: string): void {
      const policy = requireOwnPolicy(accountId, arn, 'iam:DeletePolicyVersion', callerArn);
      if (!policy.versions.some((version) => version.id === versionId)) throw policyVersionNotFound(arn, versionId);
      if (policy.defaultVersionId === versionId) throw defaultVersionUndeletable();
      saveVersions(accountId, { ...policy, versions: policy.versions.filter((version) => version.id !== versionId) });
    },

    setDefaultPolicyVersion(accountId: string, arn: string, versionId: string, callerArn: string): void {
      const policy = requireOwnPolicy(accountId, arn, 'iam:SetDefaultPolicyVersion', callerArn);
      if (!policy.versions.some((version) => version.id === versionId)) throw policyVersionNotFound(arn, versionId);
      saveVersions(accountId, { ...policy, defaultVersionId: versionId });
    },
  };
}

export type ManagedPolicyRules = ReturnType<typeof createManagedPolicyRules>;
