// IAM users over the wire: CreateUser, GetUser, UpdateUser, DeleteUser, ListUsers and the user tag operations.
// Thin: each reads its input, asks the directory, and draws the answer with iam-wire.ts.
import type { IamHandlers } from '../iam-context';
import { targetUserName } from '../iam-context';
import { pageOf } from '../iam-paging';
import { tagsFromWire, tagsToWire, userToWire } from '../iam-wire';

export const userHandlers: IamHandlers = {
  CreateUser(input, { principal, directory }) {
    const user = directory.createUser(principal.accountId, {
      userName: input.UserName,
      ...(input.Path !== undefined ? { path: input.Path } : {}),
      tags: tagsFromWire(input.Tags),
      ...(input.PermissionsBoundary !== undefined ? { permissionsBoundaryArn: input.PermissionsBoundary } : {}),
    });
    return { User: userToWire(user, true) };
  },

  GetUser(input, context) {
    return { User: userToWire(context.directory.requireUser(context.principal.accountId, targetUserName(context, input.UserName)), true) };
  },

  UpdateUser(input, { principal, directory }) {
    directory.updateUser(principal.accountId, input.UserName, {
      ...(input.NewUserName !== undefined ? { newUserName: input.NewUserName } : {}),
      ...(input.NewPath !== undefined ? { newPath: input.NewPath } : {}),
    });
    return {};
  },

  DeleteUser(input, { principal, directory }) {
    directory.deleteUser(principal.accountId, input.UserName);
    return {};
  },

  ListUsers(input, { principal, directory }) {
    const { items, ...page } = pageOf(directory.listUsers(principal.accountId, input.PathPrefix), input);
    return { Users: items.map((user) => userToWire(user, false)), ...page };
  },

  TagUser(input, { principal, directory }) {
    directory.tagUser(principal.accountId, input.UserName, tagsFromWire(input.Tags));
    return {};
  },

  UntagUser(input, { principal, directory }) {
    directory.untagUser(principal.accountId, input.UserName, input.TagKeys);
    return {};
  },

  ListUserTags(input, { principal, directory }) {
    const { items, ...page } = pageOf(tagsToWire(directory.requireUser(principal.accountId, input.UserName).tags), input);
    return { Tags: items, ...page };
  },
};
