// GetAccountAuthorizationDetails over the wire: every user, group and role of the account with its inline policies,
// attachments, groups and boundary, and the managed policies with their versions, filtered by entity type and paged
// across the four lists together. Documents are URL-encoded, as IAM answers them.
import type { EntityType, GetAccountAuthorizationDetailsResponse, GroupDetail, ManagedPolicyDetail, RoleDetail, UserDetail } from '../../aws/iam-types.generated';
import type { IamHandlers } from '../iam-context';
import type { IamDirectory } from '../iam-directory';
import type { IamManagedPolicy, PolicyHolder } from '../iam-entities';
import { pageOf } from '../iam-paging';
import { encodePolicyDocument, groupToWire, policyToWire, policyVersionToWire, roleToWire, userToWire } from '../iam-wire';

type Detail = { list: 'UserDetailList'; item: UserDetail } | { list: 'GroupDetailList'; item: GroupDetail } | { list: 'RoleDetailList'; item: RoleDetail } | { list: 'Policies'; item: ManagedPolicyDetail };

function inlinePolicies(directory: IamDirectory, accountId: string, holder: PolicyHolder) {
  return directory.inlinePolicyNames(accountId, holder).map((name) => ({ PolicyName: name, PolicyDocument: encodePolicyDocument(directory.getInlinePolicy(accountId, holder, name)) }));
}

function attachedPolicies(directory: IamDirectory, accountId: string, holder: PolicyHolder) {
  return directory.attachedPolicies(accountId, holder).map(({ policyName, policyArn }) => ({ PolicyName: policyName, PolicyArn: policyArn }));
}

function userDetails(directory: IamDirectory, accountId: string): UserDetail[] {
  return directory.listUsers(accountId).map((user) => {
    const holder: PolicyHolder = { kind: 'user', name: user.userName };
    return {
      ...userToWire(user, true),
      UserPolicyList: inlinePolicies(directory, accountId, holder),
      GroupList: directory.groupsForUser(accountId, user.userName).map((group) => group.groupName),
      AttachedManagedPolicies: attachedPolicies(directory, accountId, holder),
    };
  });
}

function groupDetails(directory: IamDirectory, accountId: string): GroupDetail[] {
  return directory.listGroups(accountId).map((group) => {
    const holder: PolicyHolder = { kind: 'group', name: group.groupName };
    return { ...groupToWire(group), GroupPolicyList: inlinePolicies(directory, accountId, holder), AttachedManagedPolicies: attachedPolicies(directory, accountId, holder) };
  });
}

function roleDetails(directory: IamDirectory, accountId: string): RoleDetail[] {
  return directory.listRoles(accountId).map((role) => {
    const holder: PolicyHolder = { kind: 'role', name: role.roleName };
    const { MaxSessionDuration: _notInDetails, Description: _alsoNot, ...wire } = roleToWire(role, 'full');
    // The emulator has no instance profiles (ListInstanceProfilesForRole answers none).
    return { ...wire, InstanceProfileList: [], RolePolicyList: inlinePolicies(directory, accountId, holder), AttachedManagedPolicies: attachedPolicies(directory, accountId, holder) };
  });
}

function policyDetail(directory: IamDirectory, accountId: string, policy: IamManagedPolicy): ManagedPolicyDetail {
  const { Tags: _notInDetails, ...wire } = policyToWire(policy, true);
  return { ...wire, PolicyVersionList: directory.listPolicyVersions(accountId, policy.arn).map((version) => policyVersionToWire(version, true)) };
}

/**
 * The account's own managed policies, and the AWS managed policies it uses (attached, or set as a boundary): AWS's
 * whole catalogue is not part of an account's authorization details.
 */
function policyDetails(directory: IamDirectory, accountId: string, filter: ReadonlySet<EntityType>): ManagedPolicyDetail[] {
  const aws = filter.has('AWSManagedPolicy') ? directory.listPolicies(accountId, { scope: 'AWS', onlyAttached: true }) : [];
  const local = filter.has('LocalManagedPolicy') ? directory.listPolicies(accountId, { scope: 'Local' }) : [];
  return [...local, ...aws].map((policy) => policyDetail(directory, accountId, policy));
}

const ALL_ENTITY_TYPES: readonly EntityType[] = ['User', 'Role', 'Group', 'LocalManagedPolicy', 'AWSManagedPolicy'];

export const authorizationDetailsHandlers: IamHandlers = {
  GetAccountAuthorizationDetails(input, { principal, directory }) {
    const { accountId } = principal;
    const filter = new Set<EntityType>(input.Filter !== undefined && input.Filter.length > 0 ? input.Filter : ALL_ENTITY_TYPES);
    const details: Detail[] = [
      ...(filter.has('User') ? userDetails(directory, accountId).map((item): Detail => ({ list: 'UserDetailList', item })) : []),
      ...(filter.has('Group') ? groupDetails(directory, accountId).map((item): Detail => ({ list: 'GroupDetailList', item })) : []),
      ...(filter.has('Role') ? roleDetails(directory, accountId).map((item): Detail => ({ list: 'RoleDetailList', item })) : []),
      ...policyDetails(directory, accountId, filter).map((item): Detail => ({ list: 'Policies', item })),
    ];
    // One Marker runs across the four lists: a page holds up to MaxItems entities of any kind, in this order.
    const { items, ...page } = pageOf(details, input);
    const response: GetAccountAuthorizationDetailsResponse = { UserDetailList: [], GroupDetailList: [], RoleDetailList: [], Policies: [], ...page };
    for (const detail of items) {
      if (detail.list === 'UserDetailList') response.UserDetailList!.push(detail.item);
      else if (detail.list === 'GroupDetailList') response.GroupDetailList!.push(detail.item);
      else if (detail.list === 'RoleDetailList') response.RoleDetailList!.push(detail.item);
      else response.Policies!.push(detail.item);
    }
    return response;
  },
};
