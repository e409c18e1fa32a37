// IAM groups and their members. Membership is kept on the user (its `groups`), so renaming or deleting either side
// never leaves a stale copy; a group's members are the users that name it.
import { deleteConflict, entityAlreadyExists, entityNotFound } from '../iam-errors';
import { groupView, userView, type IamGroup, type IamUser } from '../iam-entities';
import { newIamId } from '../iam-ids';
import { foldName, type StoredGroup } from '../iam-records';
import { hasPathPrefix, type DirectoryParts } from './holders';
import { requireUserRecord } from './users';

export function createGroupRules(parts: DirectoryParts) {
  const { records, clock } = parts;

  function requireGroupRecord(accountId: string, groupName: string): StoredGroup {
    const group = records.groups.get(accountId, groupName);
    if (group === undefined) throw entityNotFound('group', groupName);
    return group;
  }

  function isMember(groups: readonly string[], groupName: string): boolean {
    return groups.some((name) => foldName(name) === foldName(groupName));
  }

  function members(accountId: string, groupName: string): IamUser[] {
    return records.users.list(accountId).filter((user) => isMember(user.groups, groupName)).map((user) => userView(accountId, user));
  }

  return {
    createGroup(accountId: string, group: { groupName: string; path?: string }): IamGroup {
      const stored: StoredGroup = { name: group.groupName, path: group.path ?? '/', id: newIamId('AGPA'), createdAt: clock.now().getTime(), attachedPolicyArns: [], inlinePolicies: {} };
      if (!records.groups.insert(accountId, group.groupName, stored)) throw entityAlreadyExists('group', group.groupName);
      return groupView(accountId, stored);
    },

    requireGroup(accountId: string, groupName: string): IamGroup {
      return groupView(accountId, requireGroupRecord(accountId, groupName));
    },

    listGroups(accountId: string, pathPrefix?: string): IamGroup[] {
      return records.groups.list(accountId).filter((group) => hasPathPrefix(group.path, pathPrefix)).map((group) => groupView(accountId, group));
    },

    /** The group's users, by name. */
    usersInGroup(accountId: string, groupName: string): IamUser[] {
      requireGroupRecord(accountId, groupName);
      return members(accountId, groupName);
    },

    /** Throws DeleteConflict while the group has members or policies. */
    deleteGroup(accountId: string, groupName: string): void {
      const group = requireGroupRecord(accountId, groupName);
      if (members(accountId, group.name).length > 0) throw deleteConflict('group-members');
      if (group.attachedPolicyArns.length > 0) throw deleteConflict('attached-policies');
      if (Object.keys(group.inlinePolicies).length > 0) throw deleteConflict('inline-policies');
      records.groups.delete(accountId, group.name);
    },

    /** Adding a member twice is not an error, as in IAM. */
    addUserToGroup(accountId: string, groupName: string, userName: string): void {
      const group = requireGroupRecord(accountId, groupName);
      const user = requireUserRecord(parts, accountId, userName);
      if (isMember(user.groups, group.name)) return;
      records.users.put(accountId, user.name, { ...user, groups: [...user.groups, group.name] });
    },

    /** NoSuchEntity when the user is not in the group. */
    removeUserFromGroup(accountId: string, groupName: string, userName: string): void {
      const group = requireGroupRecord(accountId, groupName);
      const user = requireUserRecord(parts, accountId, userName);
      if (!isMember(user.groups, group.name)) throw entityNotFound('user', userName);
      records.users.put(accountId, user.name, { ...user, groups: user.groups.filter((name) => foldName(name) !== foldName(group.name)) });
    },

    /** The user's groups, by name. */
    groupsForUser(accountId: string, userName: string): IamGroup[] {
      const user = requireUserRecord(parts, accountId, userName);
      return records.groups.list(accountId).filter((group) => isMember(user.groups, group.name)).map((group) => groupView(accountId, group));
    },
  };
}

export type GroupRules = ReturnType<typeof createGroupRules>;
