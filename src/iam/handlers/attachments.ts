// Managed policy attachments over the wire: Attach, Detach and ListAttached…Policies for users, groups and roles,
// written once for the three holder kinds.
import type { IamHandlers } from '../iam-context';
import { pageOf } from '../iam-paging';

export const attachmentHandlers: IamHandlers = {
  AttachUserPolicy(input, { principal, directory }) {
    directory.attachPolicy(principal.accountId, { kind: 'user', name: input.UserName }, input.PolicyArn);
    return {};
  },
  AttachGroupPolicy(input, { principal, directory }) {
    directory.attachPolicy(principal.accountId, { kind: 'group', name: input.GroupName }, input.PolicyArn);
    return {};
  },
  AttachRolePolicy(input, { principal, directory }) {
    directory.attachPolicy(principal.accountId, { kind: 'role', name: input.RoleName }, input.PolicyArn);
    return {};
  },

  DetachUserPolicy(input, { principal, directory }) {
    directory.detachPolicy(principal.accountId, { kind: 'user', name: input.UserName }, input.PolicyArn);
    return {};
  },
  DetachGroupPolicy(input, { principal, directory }) {
    directory.detachPolicy(principal.accountId, { kind: 'group', name: input.GroupName }, input.PolicyArn);
    return {};
  },
  DetachRolePolicy(input, { principal, directory }) {
    directory.detachPolicy(principal.accountId, { kind: 'role', name: input.RoleName }, input.PolicyArn);
    return {};
  },

  ListAttachedUserPolicies(input, { principal, directory }) {
    const { items, ...page } = pageOf(directory.attachedPolicies(principal.accountId, { kind: 'user', name: input.UserName }, input.PathPrefix), input);
    return { AttachedPolicies: items.map(({ policyName, policyArn }) => ({ PolicyName: policyName, PolicyArn: policyArn })), ...page };
  },
  ListAttachedGroupPolicies(input, { principal, directory }) {
    const { items, ...page } = pageOf(directory.attachedPolicies(principal.accountId, { kind: 'group', name: input.GroupName }, input.PathPrefix), input);
    return { AttachedPolicies: items.map(({ policyName, policyArn }) => ({ PolicyName: policyName, PolicyArn: policyArn })), ...page };
  },
  ListAttachedRolePolicies(input, { principal, directory }) {
    const { items, ...page } = pageOf(directory.attachedPolicies(principal.accountId, { kind: 'role', name: input.RoleName }, input.PathPrefix), input);
    return { AttachedPolicies: items.map(({ policyName, policyArn }) => ({ PolicyName: policyName, PolicyArn: policyArn })), ...page };
  },
};
