// Inline policies over the wire: Put, Get, Delete and List…Policies for users, groups and roles. Get answers the
// document URL-encoded, as IAM does.
import type { IamHandlers } from '../iam-context';
import { pageOf } from '../iam-paging';
import { encodePolicyDocument } from '../iam-wire';

export const inlinePolicyHandlers: IamHandlers = {
  PutUserPolicy(input, { principal, directory }) {
    directory.putInlinePolicy(principal.accountId, { kind: 'user', name: input.UserName }, input.PolicyName, input.PolicyDocument);
    return {};
  },
  PutGroupPolicy(input, { principal, directory }) {
    directory.putInlinePolicy(principal.accountId, { kind: 'group', name: input.GroupName }, input.PolicyName, input.PolicyDocument);
    return {};
  },
  PutRolePolicy(input, { principal, directory }) {
    directory.putInlinePolicy(principal.accountId, { kind: 'role', name: input.RoleName }, input.PolicyName, input.PolicyDocument);
    return {};
  },

  GetUserPolicy(input, { principal, directory }) {
    const document = directory.getInlinePolicy(principal.accountId, { kind: 'user', name: input.UserName }, input.PolicyName);
    return { UserName: directory.requireUser(principal.accountId, input.UserName).userName, PolicyName: input.PolicyName, PolicyDocument: encodePolicyDocument(document) };
  },
  GetGroupPolicy(input, { principal, directory }) {
    const document = directory.getInlinePolicy(principal.accountId, { kind: 'group', name: input.GroupName }, input.PolicyName);
    return { GroupName: directory.requireGroup(principal.accountId, input.GroupName).groupName, PolicyName: input.PolicyName, PolicyDocument: encodePolicyDocument(document) };
  },
  GetRolePolicy(input, { principal, directory }) {
    const document = directory.getInlinePolicy(principal.accountId, { kind: 'role', name: input.RoleName }, input.PolicyName);
    return { RoleName: directory.requireRole(principal.accountId, input.RoleName).roleName, PolicyName: input.PolicyName, PolicyDocument: encodePolicyDocument(document) };
  },

  DeleteUserPolicy(input, { principal, directory }) {
    directory.deleteInlinePolicy(principal.accountId, { kind: 'user', name: input.UserName }, input.PolicyName);
    return {};
  },
  DeleteGroupPolicy(input, { principal, directory }) {
    directory.deleteInlinePolicy(principal.accountId, { kind: 'group', name: input.GroupName }, input.PolicyName);
    return {};
  },
  DeleteRolePolicy(input, { principal, directory }) {
    directory.deleteInlinePolicy(principal.accountId, { kind: 'role', name: input.RoleName }, input.PolicyName);
    return {};
  },

  ListUserPolicies(input, { principal, directory }) {
    const { items, ...page } = pageOf(directory.inlinePolicyNames(principal.accountId, { kind: 'user', name: input.UserName }), input);
    return { PolicyNames: items, ...page };
  },
  ListGroupPolicies(input, { principal, directory }) {
    const { items, ...page } = pageOf(directory.inlinePolicyNames(principal.accountId, { kind: 'group', name: input.GroupName }), input);
    return { PolicyNames: items, ...page };
  },
  ListRolePolicies(input, { principal, directory }) {
    const { items, ...page } = pageOf(directory.inlinePolicyNames(principal.accountId, { kind: 'role', name: input.RoleName }), input);
    return { PolicyNames: items, ...page };
  },
};
