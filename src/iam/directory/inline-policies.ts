// Inline policies embedded in users, groups and roles: put (create or replace), get, delete, list, with IAM's check
// of each document and its quota on the aggregate size of a holder's inline policies.
import { checkPolicyDocument, policySizeInCharacters } from '../identity-policy';
import { inlinePolicyNotFound, inlinePolicySizeExceeded } from '../iam-errors';
import type { PolicyHolder } from '../iam-entities';
import { requireHolder, saveHolder, type DirectoryParts } from './holders';

// IAM quotas: "the total aggregate policy size (the sum size of all inline policies) per entity cannot exceed":
// user 2,048, role 10,240, group 5,120 characters, whitespace not counted.
const AGGREGATE_LIMITS: Record<PolicyHolder['kind'], number> = { user: 2048, role: 10240, group: 5120 };

export function createInlinePolicyRules({ records }: DirectoryParts) {
  return {
    /** Creates or replaces; MalformedPolicyDocument or LimitExceeded as IAM answers them. */
    putInlinePolicy(accountId: string, holder: PolicyHolder, policyName: string, document: string): void {
      const record = requireHolder(records, accountId, holder);
      checkPolicyDocument(document, 'identity');
      const inlinePolicies = { ...record.inlinePolicies, [policyName]: document };
      const total = Object.values(inlinePolicies).reduce((sum, text) => sum + policySizeInCharacters(text), 0);
      if (total > AGGREGATE_LIMITS[holder.kind]) throw inlinePolicySizeExceeded(holder.kind, record.name, AGGREGATE_LIMITS[holder.kind]);
      saveHolder(records, accountId, holder, { ...record, inlinePolicies });
    },

    /** The document exactly as put. */
    getInlinePolicy(accountId: string, holder: PolicyHolder, policyName: string): string {
      const record = requireHolder(records, accountId, holder);
      if (!Object.hasOwn(record.inlinePolicies, policyName)) throw inlinePolicyNotFound(holder.kind, policyName);
      return record.inlinePolicies[policyName]!;
    },

    deleteInlinePolicy(accountId: string, holder: PolicyHolder, policyName: string): void {
      const record = requireHolder(records, accountId, holder);
      if (!Object.hasOwn(record.inlinePolicies, policyName)) throw inlinePolicyNotFound(holder.kind, policyName);
      const { [policyName]: _removed, ...inlinePolicies } = record.inlinePolicies;
      saveHolder(records, accountId, holder, { ...record, inlinePolicies });
    },

    /** By name. */
    inlinePolicyNames(accountId: string, holder: PolicyHolder): string[] {
      return Object.keys(requireHolder(records, accountId, holder).inlinePolicies).sort();
    },

    /** Every inline document of the holder, by name. */
    /** The holder's inline policies by name, in name order. */
    inlineDocuments(accountId: string, holder: PolicyHolder): { name: string; document: string }[] {
      const { inlinePolicies } = requireHolder(records, accountId, holder);
      return Object.keys(inlinePolicies).sort().map((name) => ({ name, document: inlinePolicies[name]! }));
    },
  };
}

export type InlinePolicyRules = ReturnType<typeof createInlinePolicyRules>;
