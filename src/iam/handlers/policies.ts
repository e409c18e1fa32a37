// Managed policies over the wire: CreatePolicy, GetPolicy, DeletePolicy, ListPolicies, the policy version
// operations and ListEntitiesForPolicy. AWS managed policies are served read-only beside the account's own.
import type { IamHandlers } from '../iam-context';
import { pageOf } from '../iam-paging';
import { policyToWire, policyVersionToWire, tagsFromWire } from '../iam-wire';

export const policyHandlers: IamHandlers = {
  CreatePolicy(input, { principal, directory }) {
    const policy = directory.createPolicy(principal.accountId, {
      policyName: input.PolicyName,
      ...(input.Path !== undefined ? { path: input.Path } : {}),
      document: input.PolicyDocument,
      ...(input.Description !== undefined ? { description: input.Description } : {}),
      tags: tagsFromWire(input.Tags),
    });
    return { Policy: policyToWire(policy, true) };
  },

  GetPolicy(input, { principal, directory }) {
    return { Policy: policyToWire(directory.getPolicy(principal.accountId, input.PolicyArn), true) };
  },

  DeletePolicy(input, { principal, directory }) {
    directory.deletePolicy(principal.accountId, input.PolicyArn, principal.arn);
    return {};
  },

  ListPolicies(input, { principal, directory }) {
    const policies = directory.listPolicies(principal.accountId, {
      ...(input.Scope !== undefined ? { scope: input.Scope } : {}),
      ...(input.OnlyAttached !== undefined ? { onlyAttached: input.OnlyAttached } : {}),
      ...(input.PathPrefix !== undefined ? { pathPrefix: input.PathPrefix } : {}),
      ...(input.PolicyUsageFilter !== undefined ? { usageFilter: input.PolicyUsageFilter } : {}),
    });
    const { items, ...page } = pageOf(policies, input);
    return { Policies: items.map((policy) => policyToWire(policy, false)), ...page };
  },

  CreatePolicyVersion(input, { principal, directory }) {
    const version = directory.createPolicyVersion(principal.accountId, input.PolicyArn, input.PolicyDocument, input.SetAsDefault === true, principal.arn);
    return { PolicyVersion: policyVersionToWire(version, false) };
  },

  GetPolicyVersion(input, { principal, directory }) {
    return { PolicyVersion: policyVersionToWire(directory.getPolicyVersion(principal.accountId, input.PolicyArn, input.VersionId), true) };
  },

  DeletePolicyVersion(input, { principal, directory }) {
    directory.deletePolicyVersion(principal.accountId, input.PolicyArn, input.VersionId, principal.arn);
    return {};
  },

  ListPolicyVersions(input, { principal, directory }) {
    const { items, ...page } = pageOf(directory.listPolicyVersions(principal.accountId, input.PolicyArn), input);
    return { Versions: items.map((version) => policyVersionToWire(version, false)), ...page };
  },

  SetDefaultPolicyVersion(input, { principal, directory }) {
    directory.setDefaultPolicyVersion(principal.accountId, input.PolicyArn, input.VersionId, principal.arn);
    return {};
  },

  ListEntitiesForPolicy(input, { principal, directory }) {
    const entities = directory.entitiesForPolicy(principal.accountId, input.PolicyArn, {
      ...(input.EntityFilter !== undefined ? { entityFilter: input.EntityFilter } : {}),
      ...(input.PathPrefix !== undefined ? { pathPrefix: input.PathPrefix } : {}),
      ...(input.PolicyUsageFilter !== undefined ? { usageFilter: input.PolicyUsageFilter } : {}),
    });
    const { items, ...page } = pageOf(entities, input);
    return {
      PolicyGroups: items.filter((entity) => entity.kind === 'group').map((entity) => ({ GroupName: entity.name, GroupId: entity.id })),
      PolicyUsers: items.filter((entity) => entity.kind === 'user').map((entity) => ({ UserName: entity.name, UserId: entity.id })),
      PolicyRoles: items.filter((entity) => entity.kind === 'role').map((entity) => ({ RoleName: entity.name, RoleId: entity.id })),
      ...page,
    };
  },
};
