// Managed policies attached to users, groups and roles, permissions boundaries of users and roles, and the reverse
// view (ListEntitiesForPolicy). Attachments are kept on the holder; a policy's counts are derived from them.
import { policyNotFound, quotaExceeded } from '../iam-errors';
import type { AttachedPolicy, PolicyHolder } from '../iam-entities';
import type { StoredUser } from '../iam-records';
import { allHolders, hasPathPrefix, requireHolder, saveHolder, type DirectoryParts } from './holders';
import type { ManagedPolicyRules } from './managed-policies';

// IAM quotas: "Managed policies attached to an IAM role / user / group: 10" (the default, adjustable to 20).
const ATTACHED_POLICIES_PER_HOLDER = 10;
const QUOTA_NAMES: Record<PolicyHolder['kind'], string> = { user: 'PoliciesPerUser', group: 'PoliciesPerGroup', role: 'PoliciesPerRole' };

export interface EntityListing {
  entityFilter?: 'User' | 'Role' | 'Group' | 'LocalManagedPolicy' | 'AWSManagedPolicy';
  pathPrefix?: string;
  usageFilter?: 'PermissionsPolicy' | 'PermissionsBoundary';
}

/** One entity using a policy: its kind, name and unique id. */
export interface PolicyEntity {
  kind: PolicyHolder['kind'];
  name: string;
  id: string;
}

/** `arn:aws:iam::aws:policy/service-role/X` → path `/service-role/`, name `X`. */
function policyPathAndName(arn: string): { path: string; name: string } {
  const resource = arn.slice(arn.indexOf(':policy') + ':policy'.length);
  const cut = resource.lastIndexOf('/');
  return { path: resource.slice(0, cut + 1), name: resource.slice(cut + 1) };
}

const ENTITY_FILTERS: Record<NonNullable<EntityListing['entityFilter']>, PolicyHolder['kind'] | undefined> = {
  User: 'user',
  Role: 'role',
  Group: 'group',
  // Policies are never attached to policies: these filters select nothing.
  LocalManagedPolicy: undefined,
  AWSManagedPolicy: undefined,
};

export function createPolicyAttachmentRules(parts: DirectoryParts, policies: ManagedPolicyRules) {
  const { records } = parts;

  return {
    /** Attaching an attached policy again changes nothing; NoSuchEntity for a policy the account cannot attach. */
    attachPolicy(accountId: string, holder: PolicyHolder, policyArn: string): void {
      const record = requireHolder(records, accountId, holder);
      policies.requireAttachable(accountId, policyArn);
      if (record.attachedPolicyArns.includes(policyArn)) return;
      if (record.attachedPolicyArns.length >= ATTACHED_POLICIES_PER_HOLDER) throw quotaExceeded(QUOTA_NAMES[holder.kind], ATTACHED_POLICIES_PER_HOLDER);
      saveHolder(records, accountId, holder, { ...record, attachedPolicyArns: [...record.attachedPolicyArns, policyArn] });
    },

    /** NoSuchEntity (`Policy … was not found.`) when the policy is not attached there. */
    detachPolicy(accountId: string, holder: PolicyHolder, policyArn: string): void {
      const record = requireHolder(records, accountId, holder);
      policies.requireAttachable(accountId, policyArn);
      if (!record.attachedPolicyArns.includes(policyArn)) throw policyNotFound(policyArn);
      saveHolder(records, accountId, holder, { ...record, attachedPolicyArns: record.attachedPolicyArns.filter((arn) => arn !== policyArn) });
    },

    /** In the order they were attached; `pathPrefix` selects by the policies' paths. */
    attachedPolicies(accountId: string, holder: PolicyHolder, pathPrefix?: string): AttachedPolicy[] {
      return requireHolder(records, accountId, holder)
        .attachedPolicyArns.filter((arn) => hasPathPrefix(policyPathAndName(arn).path, pathPrefix))
        .map((arn) => ({ policyName: policyPathAndName(arn).name, policyArn: arn }));
    },

    putPermissionsBoundary(accountId: string, holder: PolicyHolder, policyArn: string): void {
      const record = requireHolder(records, accountId, holder);
      policies.requireAttachable(accountId, policyArn);
      saveHolder(records, accountId, holder, { ...record, permissionsBoundaryArn: policyArn });
    },

    deletePermissionsBoundary(accountId: string, holder: PolicyHolder): void {
      const { permissionsBoundaryArn: _removed, ...record } = requireHolder(records, accountId, holder);
      saveHolder(records, accountId, holder, record);
    },

    /** The groups, users and roles (in that order, each by name) that use a policy; NoSuchEntity for no policy. */
    entitiesForPolicy(accountId: string, policyArn: string, listing: EntityListing = {}): PolicyEntity[] {
      policies.getPolicy(accountId, policyArn);
      const kind = listing.entityFilter === undefined ? undefined : ENTITY_FILTERS[listing.entityFilter];
      if (listing.entityFilter !== undefined && kind === undefined) return [];
      return allHolders(records, accountId)
        .filter(({ holder }) => kind === undefined || holder.kind === kind)
        .filter(({ record }) => hasPathPrefix(record.path, listing.pathPrefix))
        .filter(({ record }) => {
          const isAttached = record.attachedPolicyArns.includes(policyArn);
          const isBoundary = record.permissionsBoundaryArn === policyArn;
          if (listing.usageFilter === 'PermissionsPolicy') return isAttached;
          if (listing.usageFilter === 'PermissionsBoundary') return isBoundary;
          return isAttached || isBoundary;
        })
        .map(({ holder, record }) => ({ kind: holder.kind, name: record.name, id: record.id }));
    },

    /**
     * The managed policy ARNs that apply to a holder: its own attachments and, for a user, its groups'. With the
     * holder's boundary. NoSuchEntity for no holder.
     */
    effectiveAttachments(accountId: string, holder: PolicyHolder): { policyArns: string[]; groups: string[]; permissionsBoundaryArn?: string } {
      const record = requireHolder(records, accountId, holder);
      const groups = holder.kind === 'user' ? (record as StoredUser).groups : [];
      const groupArns = groups.flatMap((name) => records.groups.get(accountId, name)?.attachedPolicyArns ?? []);
      return {
        policyArns: [...new Set([...record.attachedPolicyArns, ...groupArns])],
        groups,
        ...(record.permissionsBoundaryArn !== undefined ? { permissionsBoundaryArn: record.permissionsBoundaryArn } : {}),
      };
    },
  };
}

export type PolicyAttachmentRules = ReturnType<typeof createPolicyAttachmentRules>;
