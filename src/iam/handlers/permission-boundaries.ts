// Permissions boundaries over the wire: Put and Delete…PermissionsBoundary for users and roles. GetUser and GetRole
// show the boundary (iam-wire.ts).
import type { IamHandlers } from '../iam-context';

export const permissionsBoundaryHandlers: IamHandlers = {
  PutUserPermissionsBoundary(input, { principal, directory }) {
    directory.putPermissionsBoundary(principal.accountId, { kind: 'user', name: input.UserName }, input.PermissionsBoundary);
    return {};
  },
  PutRolePermissionsBoundary(input, { principal, directory }) {
    directory.putPermissionsBoundary(principal.accountId, { kind: 'role', name: input.RoleName }, input.PermissionsBoundary);
    return {};
  },
  DeleteUserPermissionsBoundary(input, { principal, directory }) {
    directory.deletePermissionsBoundary(principal.accountId, { kind: 'user', name: input.UserName });
    return {};
  },
  DeleteRolePermissionsBoundary(input, { principal, directory }) {
    directory.deletePermissionsBoundary(principal.accountId, { kind: 'role', name: input.RoleName });
    return {};
  },
};
