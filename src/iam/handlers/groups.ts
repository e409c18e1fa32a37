// IAM groups over the wire: CreateGroup, GetGroup (with its users), DeleteGroup, ListGroups, AddUserToGroup,
// RemoveUserFromGroup and ListGroupsForUser.
import type { IamHandlers } from '../iam-context';
import { pageOf } from '../iam-paging';
import { groupToWire, userToWire } from '../iam-wire';

export const groupHandlers: IamHandlers = {
  CreateGroup(input, { principal, directory }) {
    return { Group: groupToWire(directory.createGroup(principal.accountId, { groupName: input.GroupName, ...(input.Path !== undefined ? { path: input.Path } : {}) })) };
  },

  GetGroup(input, { principal, directory }) {
    const group = directory.requireGroup(principal.accountId, input.GroupName);
    const { items, ...page } = pageOf(directory.usersInGroup(principal.accountId, input.GroupName), input);
    return { Group: groupToWire(group), Users: items.map((user) => userToWire(user, false)), ...page };
  },

  DeleteGroup(input, { principal, directory }) {
    directory.deleteGroup(principal.accountId, input.GroupName);
    return {};
  },

  ListGroups(input, { principal, directory }) {
    const { items, ...page } = pageOf(directory.listGroups(principal.accountId, input.PathPrefix), input);
    return { Groups: items.map(groupToWire), ...page };
  },

  AddUserToGroup(input, { principal, directory }) {
    directory.addUserToGroup(principal.accountId, input.GroupName, input.UserName);
    return {};
  },

  RemoveUserFromGroup(input, { principal, directory }) {
    directory.removeUserFromGroup(principal.accountId, input.GroupName, input.UserName);
    return {};
  },

  ListGroupsForUser(input, { principal, directory }) {
    const { items, ...page } = pageOf(directory.groupsForUser(principal.accountId, input.UserName), input);
    return { Groups: items.map(groupToWire), ...page };
  },
};
