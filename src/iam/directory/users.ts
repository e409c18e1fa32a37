// IAM users: names unique case-insensitively per account, renames and moves, tags, and what must go before a user
// can be deleted (policies, group memberships, access keys), with IAM's errors for each.
import { deleteConflict, entityAlreadyExists, entityNotFound } from '../iam-errors';
import { userView, type IamTag, type IamUser } from '../iam-entities';
import { newIamId } from '../iam-ids';
import type { StoredUser } from '../iam-records';
import { hasPathPrefix, mergeTags, removeTags, type DirectoryParts } from './holders';

export interface NewUser {
  userName: string;
  path?: string;
  tags?: IamTag[];
  permissionsBoundaryArn?: string;
}

export function requireUserRecord({ records }: DirectoryParts, accountId: string, userName: string): StoredUser {
  const user = records.users.get(accountId, userName);
  if (user === undefined) throw entityNotFound('user', userName);
  return user;
}

export function createUserRules(parts: DirectoryParts) {
  const { records, clock } = parts;

  return {
    createUser(accountId: string, user: NewUser): IamUser {
      const stored: StoredUser = {
        name: user.userName,
        path: user.path ?? '/',
        id: newIamId('AIDA'),
        createdAt: clock.now().getTime(),
        tags: mergeTags([], user.tags ?? [], 'TagsPerUser'),
        ...(user.permissionsBoundaryArn !== undefined ? { permissionsBoundaryArn: user.permissionsBoundaryArn } : {}),
        groups: [],
        accessKeyIds: [],
        attachedPolicyArns: [],
        inlinePolicies: {},
      };
      if (!records.users.insert(accountId, user.userName, stored)) throw entityAlreadyExists('user', user.userName);
      return userView(accountId, stored);
    },

    getUser(accountId: string, userName: string): IamUser | undefined {
      const user = records.users.get(accountId, userName);
      return user === undefined ? undefined : userView(accountId, user);
    },

    requireUser(accountId: string, userName: string): IamUser {
      return userView(accountId, requireUserRecord(parts, accountId, userName));
    },

    listUsers(accountId: string, pathPrefix?: string): IamUser[] {
      return records.users.list(accountId).filter((user) => hasPathPrefix(user.path, pathPrefix)).map((user) => userView(accountId, user));
    },

    /** Renames and/or moves a user; its keys, memberships and policies follow it. */
    updateUser(accountId: string, userName: string, changes: { newUserName?: string; newPath?: string }): void {
      const user = requireUserRecord(parts, accountId, userName);
      const newName = changes.newUserName ?? user.name;
      const renamed: StoredUser = { ...user, name: newName, path: changes.newPath ?? user.path };
      if (newName.toLowerCase() === user.name.toLowerCase()) {
        records.users.put(accountId, newName, renamed);
        return;
      }
      if (!records.users.insert(accountId, newName, renamed)) throw entityAlreadyExists('user', newName);
      records.users.delete(accountId, user.name);
      for (const accessKeyId of user.accessKeyIds) {
        const key = records.accessKeys.get(accessKeyId);
        if (key !== undefined) records.accessKeys.put({ ...key, userName: newName });
      }
    },

    /** Throws DeleteConflict while the user has policies, group memberships or access keys, in that order. */
    deleteUser(accountId: string, userName: string): void {
      const user = requireUserRecord(parts, accountId, userName);
      if (user.attachedPolicyArns.length > 0) throw deleteConflict('attached-policies');
      if (Object.keys(user.inlinePolicies).length > 0) throw deleteConflict('inline-policies');
      if (user.groups.length > 0) throw deleteConflict('group-memberships');
      if (user.accessKeyIds.length > 0) throw deleteConflict('access-keys');
      records.users.delete(accountId, user.name);
    },

    tagUser(accountId: string, userName: string, tags: IamTag[]): void {
      const user = requireUserRecord(parts, accountId, userName);
      records.users.put(accountId, user.name, { ...user, tags: mergeTags(user.tags, tags, 'TagsPerUser') });
    },

    untagUser(accountId: string, userName: string, tagKeys: string[]): void {
      const user = requireUserRecord(parts, accountId, userName);
      records.users.put(accountId, user.name, { ...user, tags: removeTags(user.tags, tagKeys) });
    },
  };
}

export type UserRules = ReturnType<typeof createUserRules>;
