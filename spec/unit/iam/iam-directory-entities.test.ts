// The directory's rules for users, access keys, groups and roles: names unique case-insensitively per account,
// renames, what blocks a deletion, the key quota and tombstones, trust policies, and the lookups credential
// resolution and STS make.
import { QueryError } from '../../../src/aws/query-error';
import { createIamDirectory, type IamDirectory } from '../../../src/iam/iam-directory';
import { openDatabase } from '../../../src/store/sqlite/database';
import { createSqliteRegistryDocumentStore } from '../../../src/store/sqlite/sqlite-registry-document-store';
import { testClock } from '../../helpers/test-clock';
import { thrownBy } from '../../helpers/rejection';

const ACCOUNT = '111111111111';
const OTHER_ACCOUNT = '222222222222';
const START = new Date('2025-03-01T10:00:00Z');
const TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: 'sts:AssumeRole' }] });
const ALLOW_ALL = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });

let directory: IamDirectory;
const clock = testClock(START);

beforeEach(() => {
  clock.reset();
  directory = createIamDirectory({ documents: createSqliteRegistryDocumentStore(openDatabase(':memory:')), clock });
});

function failure(work: () => unknown): { code: string; message: string } {
  const { code, message } = thrownBy(QueryError, work);
  return { code, message };
}

describe('users', () => {
  it('creates a user with IAM ids, the default path, its ARN and the clock time', () => {
    const user = directory.createUser(ACCOUNT, { userName: 'alice' });
    expect(user).toMatchObject({ userName: 'alice', path: '/', arn: `arn:aws:iam::${ACCOUNT}:user/alice`, createdAt: START, tags: {} });
    expect(user.userId).toMatch(/^AIDA[A-Z2-7]{17}$/);
  });

  it('builds the ARN from the path', () => {
    expect(directory.createUser(ACCOUNT, { userName: 'bob', path: '/ci/' }).arn).toBe(`arn:aws:iam::${ACCOUNT}:user/ci/bob`);
  });

  it('refuses a name taken in another case with EntityAlreadyExists', () => {
    directory.createUser(ACCOUNT, { userName: 'Alice' });
    expect(failure(() => directory.createUser(ACCOUNT, { userName: 'alice' }))).toEqual({ code: 'EntityAlreadyExists', message: 'User with name alice already exists.' });
  });

  it('keeps accounts apart: the same name in another account is another user', () => {
    directory.createUser(ACCOUNT, { userName: 'alice' });
    directory.createUser(OTHER_ACCOUNT, { userName: 'alice' });
    expect(directory.listUsers(OTHER_ACCOUNT).map((user) => user.arn)).toEqual([`arn:aws:iam::${OTHER_ACCOUNT}:user/alice`]);
  });

  it('finds a user by its name in any case', () => {
    directory.createUser(ACCOUNT, { userName: 'Alice' });
    expect(directory.getUser(ACCOUNT, 'ALICE')?.userName).toBe('Alice');
  });

  it('answers NoSuchEntity in IAM\'s words for a user that is not there', () => {
    expect(failure(() => directory.requireUser(ACCOUNT, 'bob'))).toEqual({ code: 'NoSuchEntity', message: 'The user with name bob cannot be found.' });
    expect(directory.getUser(ACCOUNT, 'bob')).toBeUndefined();
  });

  it('renames and moves a user, its access keys following it', () => {
    directory.createUser(ACCOUNT, { userName: 'alice' });
    const key = directory.createAccessKey(ACCOUNT, 'alice');
    directory.updateUser(ACCOUNT, 'alice', { newUserName: 'alicia', newPath: '/team/' });
    expect(directory.getUser(ACCOUNT, 'alice')).toBeUndefined();
    expect(directory.getUser(ACCOUNT, 'alicia')?.arn).toBe(`arn:aws:iam::${ACCOUNT}:user/team/alicia`);
    expect(directory.findAccessKey(key.accessKeyId)?.userName).toBe('alicia');
  });

  it('refuses a rename onto a taken name', () => {
    directory.createUser(ACCOUNT, { userName: 'alice' });
    directory.createUser(ACCOUNT, { userName: 'bob' });
    expect(failure(() => directory.updateUser(ACCOUNT, 'alice', { newUserName: 'BOB' })).code).toBe('EntityAlreadyExists');
  });

  it.each([
    ['an attached policy', 'Cannot delete entity, must detach all policies first.', () => directory.attachPolicy(ACCOUNT, { kind: 'user', name: 'alice' }, 'arn:aws:iam::aws:policy/ReadOnlyAccess')],
    ['an inline policy', 'Cannot delete entity, must delete policies first.', () => directory.putInlinePolicy(ACCOUNT, { kind: 'user', name: 'alice' }, 'all', ALLOW_ALL)],
    ['a group membership', 'Cannot delete entity, must remove users from group first.', () => {
      directory.createGroup(ACCOUNT, { groupName: 'devs' });
      directory.addUserToGroup(ACCOUNT, 'devs', 'alice');
    }],
    ['an access key', 'Cannot delete entity, must delete access keys first.', () => directory.createAccessKey(ACCOUNT, 'alice')],
  ])('refuses to delete a user with %s with DeleteConflict', (_label, message, arrange) => {
    directory.createUser(ACCOUNT, { userName: 'alice' });
    arrange();
    expect(failure(() => directory.deleteUser(ACCOUNT, 'alice'))).toEqual({ code: 'DeleteConflict', message });
  });

  it('merges tags by key case-insensitively and removes them by key', () => {
    directory.createUser(ACCOUNT, { userName: 'alice', tags: [{ key: 'team', value: 'a' }] });
    directory.tagUser(ACCOUNT, 'alice', [{ key: 'Team', value: 'b' }, { key: 'env', value: 'ci' }]);
    expect(directory.getUser(ACCOUNT, 'alice')?.tags).toEqual({ Team: 'b', env: 'ci' });
    directory.untagUser(ACCOUNT, 'alice', ['ENV', 'missing']);
    expect(directory.getUser(ACCOUNT, 'alice')?.tags).toEqual({ Team: 'b' });
  });

  it('refuses tag keys that repeat in one request with InvalidInput', () => {
    directory.createUser(ACCOUNT, { userName: 'alice' });
    expect(failure(() => directory.tagUser(ACCOUNT, 'alice', [{ key: 'a', value: '1' }, { key: 'A', value: '2' }])).code).toBe('InvalidInput');
  });

  it('answers the principal a user acts as, with its tags as principal tags', () => {
    const user = directory.createUser(ACCOUNT, { userName: 'alice', tags: [{ key: 'team', value: 'a' }] });
    expect(directory.userPrincipal(ACCOUNT, 'alice')).toEqual({ kind: 'user', arn: user.arn, accountId: ACCOUNT, userId: user.userId, tags: { team: 'a' }, identityArn: user.arn });
  });
});

describe('access keys', () => {
  beforeEach(() => {
    directory.createUser(ACCOUNT, { userName: 'alice' });
  });

  it('issues an active AKIA key with a 40-character secret, found by its id alone', () => {
    const key = directory.createAccessKey(ACCOUNT, 'alice');
    expect(key.accessKeyId).toMatch(/^AKIA[A-Z2-7]{16}$/);
    expect(key.secretAccessKey).toHaveLength(40);
    expect(directory.findAccessKey(key.accessKeyId)).toEqual({ ...key, status: 'Active', accountId: ACCOUNT, userName: 'alice', createdAt: START });
  });

  it('refuses a third key with LimitExceeded', () => {
    directory.createAccessKey(ACCOUNT, 'alice');
    directory.createAccessKey(ACCOUNT, 'alice');
    expect(failure(() => directory.createAccessKey(ACCOUNT, 'alice'))).toEqual({ code: 'LimitExceeded', message: 'Cannot exceed quota for AccessKeysPerUser: 2' });
  });

  it('keeps a tombstone of a deleted key: not found, but known as issued', () => {
    const key = directory.createAccessKey(ACCOUNT, 'alice');
    directory.deleteAccessKey(ACCOUNT, 'alice', key.accessKeyId);
    expect(directory.findAccessKey(key.accessKeyId)).toBeUndefined();
    expect(directory.wasAccessKeyIssued(key.accessKeyId)).toBe(true);
    expect(directory.wasAccessKeyIssued('AKIAIOSFODNN7EXAMPLE')).toBe(false);
    expect(directory.listAccessKeys(ACCOUNT, 'alice')).toEqual([]);
  });

  it('deactivates and reactivates a key', () => {
    const key = directory.createAccessKey(ACCOUNT, 'alice');
    directory.updateAccessKey(ACCOUNT, 'alice', key.accessKeyId, 'Inactive');
    expect(directory.findAccessKey(key.accessKeyId)?.status).toBe('Inactive');
  });

  it("answers NoSuchEntity for another user's key", () => {
    directory.createUser(ACCOUNT, { userName: 'bob' });
    const key = directory.createAccessKey(ACCOUNT, 'bob');
    expect(failure(() => directory.deleteAccessKey(ACCOUNT, 'alice', key.accessKeyId))).toEqual({ code: 'NoSuchEntity', message: `The Access Key with id ${key.accessKeyId} cannot be found.` });
  });

  it('remembers the last use of a key for GetAccessKeyLastUsed', () => {
    const key = directory.createAccessKey(ACCOUNT, 'alice');
    const at = new Date('2025-03-02T00:00:00Z');
    directory.noteAccessKeyUse(key.accessKeyId, { serviceName: 'ecr', region: 'eu-west-1', at });
    expect(directory.accessKeyLastUsed(ACCOUNT, key.accessKeyId)).toEqual({ userName: 'alice', lastUsed: { at, serviceName: 'ecr', region: 'eu-west-1' } });
  });

  it('takes a fixed id and secret, and refuses an id issued before', () => {
    const fixed = { accessKeyId: 'AKIAEXAMPLEFIXED0001', secretAccessKey: 'x'.repeat(40), status: 'Inactive' as const };
    expect(directory.createAccessKey(ACCOUNT, 'alice', fixed)).toMatchObject(fixed);
    directory.createUser(OTHER_ACCOUNT, { userName: 'alice' });
    expect(failure(() => directory.createAccessKey(OTHER_ACCOUNT, 'alice', fixed)).code).toBe('EntityAlreadyExists');
  });
});

describe('groups', () => {
  beforeEach(() => {
    directory.createGroup(ACCOUNT, { groupName: 'devs' });
    directory.createUser(ACCOUNT, { userName: 'alice' });
  });

  it('lists the members of a group and the groups of a user', () => {
    directory.addUserToGroup(ACCOUNT, 'DEVS', 'alice');
    directory.addUserToGroup(ACCOUNT, 'devs', 'alice');
    expect(directory.usersInGroup(ACCOUNT, 'devs').map((user) => user.userName)).toEqual(['alice']);
    expect(directory.groupsForUser(ACCOUNT, 'alice').map((group) => group.arn)).toEqual([`arn:aws:iam::${ACCOUNT}:group/devs`]);
  });

  it('refuses to delete a group with members', () => {
    directory.addUserToGroup(ACCOUNT, 'devs', 'alice');
    expect(failure(() => directory.deleteGroup(ACCOUNT, 'devs'))).toEqual({ code: 'DeleteConflict', message: 'Cannot delete entity, must remove users from group first.' });
    directory.removeUserFromGroup(ACCOUNT, 'devs', 'alice');
    directory.deleteGroup(ACCOUNT, 'devs');
    expect(directory.listGroups(ACCOUNT)).toEqual([]);
  });

  it('answers NoSuchEntity for a group that is not there', () => {
    expect(failure(() => directory.addUserToGroup(ACCOUNT, 'ops', 'alice'))).toEqual({ code: 'NoSuchEntity', message: 'The group with name ops cannot be found.' });
  });
});

describe('roles', () => {
  it('creates a role with its trust policy as given and the default session duration', () => {
    const role = directory.createRole(ACCOUNT, { roleName: 'ci', assumeRolePolicyDocument: TRUST });
    expect(role).toMatchObject({ roleName: 'ci', arn: `arn:aws:iam::${ACCOUNT}:role/ci`, assumeRolePolicyDocument: TRUST, maxSessionDuration: 3600 });
    expect(role.roleId).toMatch(/^AROA[A-Z2-7]{17}$/);
  });

  it('refuses a trust policy IAM refuses with MalformedPolicyDocument', () => {
    const withResource = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole', Resource: '*' }] });
    expect(failure(() => directory.createRole(ACCOUNT, { roleName: 'ci', assumeRolePolicyDocument: withResource }))).toEqual({ code: 'MalformedPolicyDocument', message: 'Has prohibited field Resource' });
    expect(directory.getRole(ACCOUNT, 'ci')).toBeUndefined();
  });

  it('refuses a session duration past twelve hours', () => {
    expect(failure(() => directory.createRole(ACCOUNT, { roleName: 'ci', assumeRolePolicyDocument: TRUST, maxSessionDurationSeconds: 43201 })).code).toBe('ValidationError');
  });

  it('finds a role by its ARN, path included', () => {
    const role = directory.createRole(ACCOUNT, { roleName: 'ci', path: '/deploy/', assumeRolePolicyDocument: TRUST });
    expect(directory.findRoleByArn(`arn:aws:iam::${ACCOUNT}:role/deploy/ci`)).toEqual(role);
    expect(directory.findRoleByArn(`arn:aws:iam::${ACCOUNT}:role/ci`)).toBeUndefined();
    expect(directory.findRoleByArn(`arn:aws:iam::${OTHER_ACCOUNT}:role/deploy/ci`)).toBeUndefined();
  });

  it('updates the description, the session duration and the trust policy', () => {
    directory.createRole(ACCOUNT, { roleName: 'ci', assumeRolePolicyDocument: TRUST });
    const trustEveryone = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole' }] });
    directory.updateRole(ACCOUNT, 'ci', { description: 'CI', maxSessionDurationSeconds: 7200 });
    directory.updateAssumeRolePolicy(ACCOUNT, 'ci', trustEveryone);
    expect(directory.getRole(ACCOUNT, 'ci')).toMatchObject({ description: 'CI', maxSessionDuration: 7200, assumeRolePolicyDocument: trustEveryone });
  });

  it('refuses to delete a role with policies, then deletes it', () => {
    directory.createRole(ACCOUNT, { roleName: 'ci', assumeRolePolicyDocument: TRUST });
    directory.putInlinePolicy(ACCOUNT, { kind: 'role', name: 'ci' }, 'all', ALLOW_ALL);
    expect(failure(() => directory.deleteRole(ACCOUNT, 'ci'))).toEqual({ code: 'DeleteConflict', message: 'Cannot delete entity, must delete policies first.' });
    directory.deleteInlinePolicy(ACCOUNT, { kind: 'role', name: 'ci' }, 'all');
    directory.deleteRole(ACCOUNT, 'ci');
    expect(failure(() => directory.requireRole(ACCOUNT, 'ci'))).toEqual({ code: 'NoSuchEntity', message: 'The role with name ci cannot be found.' });
  });

  it('remembers when and where the role was last assumed', () => {
    const role = directory.createRole(ACCOUNT, { roleName: 'ci', assumeRolePolicyDocument: TRUST });
    directory.noteRoleUse(role.arn, { region: 'us-west-2', at: START });
    expect(directory.getRole(ACCOUNT, 'ci')?.lastUsed).toEqual({ at: START, region: 'us-west-2' });
  });
});
