// IAM roles over the wire: CreateRole, GetRole, UpdateRole, DeleteRole, ListRoles, UpdateAssumeRolePolicy, the role
// tag operations, and ListInstanceProfilesForRole, which answers none: the emulator has no instance profiles.
import type { IamHandlers } from '../iam-context';
import { pageOf } from '../iam-paging';
import { roleToWire, tagsFromWire, tagsToWire } from '../iam-wire';

export const roleHandlers: IamHandlers = {
  CreateRole(input, { principal, directory }) {
    const role = directory.createRole(principal.accountId, {
      roleName: input.RoleName,
      ...(input.Path !== undefined ? { path: input.Path } : {}),
      assumeRolePolicyDocument: input.AssumeRolePolicyDocument,
      ...(input.Description !== undefined ? { description: input.Description } : {}),
      ...(input.MaxSessionDuration !== undefined ? { maxSessionDurationSeconds: input.MaxSessionDuration } : {}),
      tags: tagsFromWire(input.Tags),
      ...(input.PermissionsBoundary !== undefined ? { permissionsBoundaryArn: input.PermissionsBoundary } : {}),
    });
    return { Role: roleToWire(role, 'created') };
  },

  GetRole(input, { principal, directory }) {
    return { Role: roleToWire(directory.requireRole(principal.accountId, input.RoleName), 'full') };
  },

  UpdateRole(input, { principal, directory }) {
    directory.updateRole(principal.accountId, input.RoleName, {
      ...(input.Description !== undefined ? { description: input.Description } : {}),
      ...(input.MaxSessionDuration !== undefined ? { maxSessionDurationSeconds: input.MaxSessionDuration } : {}),
    });
    return {};
  },

  DeleteRole(input, { principal, directory }) {
    directory.deleteRole(principal.accountId, input.RoleName);
    return {};
  },

  ListRoles(input, { principal, directory }) {
    const { items, ...page } = pageOf(directory.listRoles(principal.accountId, input.PathPrefix), input);
    return { Roles: items.map((role) => roleToWire(role, 'list')), ...page };
  },

  UpdateAssumeRolePolicy(input, { principal, directory }) {
    directory.updateAssumeRolePolicy(principal.accountId, input.RoleName, input.PolicyDocument);
    return {};
  },

  TagRole(input, { principal, directory }) {
    directory.tagRole(principal.accountId, input.RoleName, tagsFromWire(input.Tags));
    return {};
  },

  UntagRole(input, { principal, directory }) {
    directory.untagRole(principal.accountId, input.RoleName, input.TagKeys);
    return {};
  },

  ListRoleTags(input, { principal, directory }) {
    const { items, ...page } = pageOf(tagsToWire(directory.requireRole(principal.accountId, input.RoleName).tags), input);
    return { Tags: items, ...page };
  },

  ListInstanceProfilesForRole(input, { principal, directory }) {
    directory.requireRole(principal.accountId, input.RoleName);
    return { InstanceProfiles: [], IsTruncated: false };
  },
};
