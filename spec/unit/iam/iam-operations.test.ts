// The IAM operation table: exactly the operations the emulator serves, each an operation of the IAM model, found
// by its own name only.
import { findOperationIn, iamModel } from '../../../src/aws/model';
import { iamDomainHandlers, iamHandlerFor, joinIamHandlers, servedIamOperations } from '../../../src/iam/iam-operations';

// The issues' lists: users, access keys, groups, roles, managed policies, attachments, inline policies, boundaries;
// and the simulation and authorization details on the evaluation engine.
const SERVED = [
  'SimulatePrincipalPolicy', 'SimulateCustomPolicy', 'GetAccountAuthorizationDetails',
  'CreateUser', 'GetUser', 'UpdateUser', 'DeleteUser', 'ListUsers', 'TagUser', 'UntagUser', 'ListUserTags',
  'CreateAccessKey', 'DeleteAccessKey', 'UpdateAccessKey', 'ListAccessKeys', 'GetAccessKeyLastUsed',
  'CreateGroup', 'GetGroup', 'DeleteGroup', 'ListGroups', 'AddUserToGroup', 'RemoveUserFromGroup', 'ListGroupsForUser',
  'CreateRole', 'GetRole', 'UpdateRole', 'DeleteRole', 'ListRoles', 'UpdateAssumeRolePolicy', 'TagRole', 'UntagRole', 'ListRoleTags', 'ListInstanceProfilesForRole',
  'CreatePolicy', 'GetPolicy', 'DeletePolicy', 'ListPolicies', 'CreatePolicyVersion', 'GetPolicyVersion', 'DeletePolicyVersion', 'ListPolicyVersions', 'SetDefaultPolicyVersion', 'ListEntitiesForPolicy',
  'AttachUserPolicy', 'DetachUserPolicy', 'ListAttachedUserPolicies', 'AttachGroupPolicy', 'DetachGroupPolicy', 'ListAttachedGroupPolicies', 'AttachRolePolicy', 'DetachRolePolicy', 'ListAttachedRolePolicies',
  'PutUserPolicy', 'GetUserPolicy', 'DeleteUserPolicy', 'ListUserPolicies', 'PutGroupPolicy', 'GetGroupPolicy', 'DeleteGroupPolicy', 'ListGroupPolicies', 'PutRolePolicy', 'GetRolePolicy', 'DeleteRolePolicy', 'ListRolePolicies',
  'PutUserPermissionsBoundary', 'DeleteUserPermissionsBoundary', 'PutRolePermissionsBoundary', 'DeleteRolePermissionsBoundary',
];

describe('the IAM operation table', () => {
  it('serves exactly the operations of the issue', () => {
    expect(servedIamOperations()).toEqual([...SERVED].sort());
  });

  it.each(SERVED)('serves %s, an operation of the IAM model', (operation) => {
    expect(findOperationIn(iamModel, operation)).toBeDefined();
    expect(iamHandlerFor(operation)).toBeInstanceOf(Function);
  });

  it.each(['toString', 'constructor', '__proto__', 'hasOwnProperty', 'CreateLoginProfile'])('has no handler for %s', (name) => {
    expect(iamHandlerFor(name)).toBeUndefined();
  });

  it('refuses two modules defining one operation', () => {
    const { userHandlers } = iamDomainHandlers;
    expect(() => joinIamHandlers({ userHandlers: userHandlers!, again: { CreateUser: userHandlers!.CreateUser! } })).toThrow('CreateUser is defined by both userHandlers and again');
  });
});
