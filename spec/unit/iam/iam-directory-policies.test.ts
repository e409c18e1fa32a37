// The directory's rules for policies: customer managed policies and their versions, AWS managed policies (read-only,
// counted per account), attachments, inline policies and their size quotas, permissions boundaries, and the
// documents policy evaluation reads for an identity.
import { QueryError } from '../../../src/aws/query-error';
import { awsManagedPolicy } from '../../../src/iam/aws-managed-policies';
import { createIamDirectory, type IamDirectory } from '../../../src/iam/iam-directory';
import { openDatabase } from '../../../src/store/sqlite/database';
import { createSqliteRegistryDocumentStore } from '../../../src/store/sqlite/sqlite-registry-document-store';
import { testClock } from '../../helpers/test-clock';
import { thrownBy } from '../../helpers/rejection';

const ACCOUNT = '111111111111';
const OTHER_ACCOUNT = '222222222222';
const ROOT = `arn:aws:iam::${ACCOUNT}:root`;
const POWER_USER = 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPowerUser';
const START = new Date('2025-03-01T10:00:00Z');
const TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }] });

function allow(action: string, resource = '*'): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: resource }] });
}

let directory: IamDirectory;
const clock = testClock(START);
const alice = { kind: 'user', name: 'alice' } as const;

beforeEach(() => {
  clock.reset();
  directory = createIamDirectory({ documents: createSqliteRegistryDocumentStore(openDatabase(':memory:')), clock });
  directory.createUser(ACCOUNT, { userName: 'alice' });
});

function failure(work: () => unknown): { code: string; message: string } {
  const { code, message } = thrownBy(QueryError, work);
  return { code, message };
}

describe('customer managed policies', () => {
  it('creates a policy with version v1 as its default, under its path', () => {
    const policy = directory.createPolicy(ACCOUNT, { policyName: 'push', path: '/ci/', document: allow('ecr:PutImage'), description: 'Push' });
    expect(policy).toMatchObject({ arn: `arn:aws:iam::${ACCOUNT}:policy/ci/push`, defaultVersionId: 'v1', attachmentCount: 0, isAwsManaged: false, description: 'Push' });
    expect(policy.policyId).toMatch(/^ANPA[A-Z2-7]{17}$/);
  });

  it('refuses a second policy of the same name in any case and path', () => {
    directory.createPolicy(ACCOUNT, { policyName: 'push', document: allow('ecr:PutImage') });
    expect(failure(() => directory.createPolicy(ACCOUNT, { policyName: 'PUSH', path: '/other/', document: allow('ecr:PutImage') }))).toEqual({
      code: 'EntityAlreadyExists',
      message: 'A policy called PUSH already exists. Duplicate names are not allowed.',
    });
  });

  it('refuses a document past 6144 characters with LimitExceeded', () => {
    const large = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: Array.from({ length: 400 }, (_, index) => `ecr:Action${index}`), Resource: '*' }] });
    expect(failure(() => directory.createPolicy(ACCOUNT, { policyName: 'large', document: large }))).toEqual({ code: 'LimitExceeded', message: 'Cannot exceed quota for PolicySize: 6144' });
  });

  it('keeps at most five versions, numbering on after a deletion', () => {
    const { arn } = directory.createPolicy(ACCOUNT, { policyName: 'push', document: allow('ecr:PutImage') });
    for (let version = 2; version <= 5; version += 1) directory.createPolicyVersion(ACCOUNT, arn, allow(`ecr:Action${version}`), false, ROOT);
    expect(failure(() => directory.createPolicyVersion(ACCOUNT, arn, allow('ecr:Six'), false, ROOT))).toEqual({
      code: 'LimitExceeded',
      message: 'A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.',
    });
    directory.deletePolicyVersion(ACCOUNT, arn, 'v2', ROOT);
    expect(directory.createPolicyVersion(ACCOUNT, arn, allow('ecr:Six'), true, ROOT)).toMatchObject({ versionId: 'v6', isDefaultVersion: true });
    expect(directory.getPolicy(ACCOUNT, arn).defaultVersionId).toBe('v6');
    expect(directory.listPolicyVersions(ACCOUNT, arn).map((version) => version.versionId)).toEqual(['v1', 'v3', 'v4', 'v5', 'v6']);
  });

  it('refuses to delete the default version, and a policy with other versions', () => {
    const { arn } = directory.createPolicy(ACCOUNT, { policyName: 'push', document: allow('ecr:PutImage') });
    directory.createPolicyVersion(ACCOUNT, arn, allow('ecr:Other'), false, ROOT);
    expect(failure(() => directory.deletePolicyVersion(ACCOUNT, arn, 'v1', ROOT))).toEqual({ code: 'DeleteConflict', message: 'Cannot delete the default version of a policy.' });
    expect(failure(() => directory.deletePolicy(ACCOUNT, arn, ROOT)).message).toBe(
      "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.",
    );
  });

  it('refuses to delete an attached policy, then deletes it once detached', () => {
    const { arn } = directory.createPolicy(ACCOUNT, { policyName: 'push', document: allow('ecr:PutImage') });
    directory.attachPolicy(ACCOUNT, alice, arn);
    expect(failure(() => directory.deletePolicy(ACCOUNT, arn, ROOT))).toEqual({ code: 'DeleteConflict', message: 'Cannot delete a policy attached to entities.' });
    directory.detachPolicy(ACCOUNT, alice, arn);
    directory.deletePolicy(ACCOUNT, arn, ROOT);
    expect(failure(() => directory.getPolicy(ACCOUNT, arn))).toEqual({ code: 'NoSuchEntity', message: `Policy ${arn} was not found.` });
  });

  it("does not let another account see or attach the account's policy", () => {
    const { arn } = directory.createPolicy(ACCOUNT, { policyName: 'push', document: allow('ecr:PutImage') });
    directory.createUser(OTHER_ACCOUNT, { userName: 'bob' });
    expect(failure(() => directory.getPolicy(OTHER_ACCOUNT, arn)).code).toBe('NoSuchEntity');
    expect(failure(() => directory.attachPolicy(OTHER_ACCOUNT, { kind: 'user', name: 'bob' }, arn))).toEqual({ code: 'NoSuchEntity', message: `Policy ${arn} does not exist or is not attachable.` });
  });

  it('refuses a string that is no policy ARN with InvalidInput', () => {
    expect(failure(() => directory.getPolicy(ACCOUNT, 'push'))).toEqual({ code: 'InvalidInput', message: 'ARN push is not valid.' });
  });
});

describe('AWS managed policies', () => {
  it('serves their real id, default version and document', () => {
    expect(directory.getPolicy(ACCOUNT, POWER_USER)).toMatchObject({ policyName: 'AmazonEC2ContainerRegistryPowerUser', policyId: 'ANPAJDNE5PIHROIBGGDDW', defaultVersionId: 'v3', isAwsManaged: true });
    expect(JSON.parse(directory.getPolicyVersion(ACCOUNT, POWER_USER, 'v3').document)).toEqual(JSON.parse(awsManagedPolicy(POWER_USER)!.document));
  });

  it('counts attachments per account', () => {
    directory.attachPolicy(ACCOUNT, alice, POWER_USER);
    expect(directory.getPolicy(ACCOUNT, POWER_USER).attachmentCount).toBe(1);
    expect(directory.getPolicy(OTHER_ACCOUNT, POWER_USER).attachmentCount).toBe(0);
  });

  it.each([
    ['DeletePolicy', () => directory.deletePolicy(ACCOUNT, POWER_USER, ROOT)],
    ['CreatePolicyVersion', () => directory.createPolicyVersion(ACCOUNT, POWER_USER, allow('ecr:*'), true, ROOT)],
    ['SetDefaultPolicyVersion', () => directory.setDefaultPolicyVersion(ACCOUNT, POWER_USER, 'v3', ROOT)],
  ])('refuses %s with AccessDenied: AWS owns them', (operation, work) => {
    expect(failure(work)).toEqual({ code: 'AccessDenied', message: `User: ${ROOT} is not authorized to perform: iam:${operation} on resource: policy ${POWER_USER}` });
  });

  it('lists by scope, and only attached ones when asked', () => {
    directory.createPolicy(ACCOUNT, { policyName: 'push', document: allow('ecr:PutImage') });
    expect(directory.listPolicies(ACCOUNT, { scope: 'Local' }).map((policy) => policy.policyName)).toEqual(['push']);
    expect(directory.listPolicies(ACCOUNT, { scope: 'AWS' })).toHaveLength(7);
    directory.attachPolicy(ACCOUNT, alice, POWER_USER);
    expect(directory.listPolicies(ACCOUNT, { onlyAttached: true }).map((policy) => policy.arn)).toEqual([POWER_USER]);
  });
});

describe('attachments', () => {
  it('attaches once, lists in order and detaches', () => {
    directory.attachPolicy(ACCOUNT, alice, POWER_USER);
    directory.attachPolicy(ACCOUNT, alice, POWER_USER);
    directory.attachPolicy(ACCOUNT, alice, 'arn:aws:iam::aws:policy/ReadOnlyAccess');
    expect(directory.attachedPolicies(ACCOUNT, alice).map((policy) => policy.policyName)).toEqual(['AmazonEC2ContainerRegistryPowerUser', 'ReadOnlyAccess']);
    directory.detachPolicy(ACCOUNT, alice, POWER_USER);
    expect(failure(() => directory.detachPolicy(ACCOUNT, alice, POWER_USER))).toEqual({ code: 'NoSuchEntity', message: `Policy ${POWER_USER} was not found.` });
  });

  it('refuses an AWS managed policy the emulator does not know', () => {
    expect(failure(() => directory.attachPolicy(ACCOUNT, alice, 'arn:aws:iam::aws:policy/NoSuchPolicy')).code).toBe('NoSuchEntity');
  });

  it('lists the entities that use a policy, by kind and usage', () => {
    directory.createGroup(ACCOUNT, { groupName: 'devs' });
    directory.createRole(ACCOUNT, { roleName: 'task', assumeRolePolicyDocument: TRUST });
    directory.attachPolicy(ACCOUNT, { kind: 'group', name: 'devs' }, POWER_USER);
    directory.putPermissionsBoundary(ACCOUNT, { kind: 'role', name: 'task' }, POWER_USER);
    expect(directory.entitiesForPolicy(ACCOUNT, POWER_USER).map(({ kind, name }) => `${kind}:${name}`)).toEqual(['group:devs', 'role:task']);
    expect(directory.entitiesForPolicy(ACCOUNT, POWER_USER, { usageFilter: 'PermissionsPolicy' }).map(({ name }) => name)).toEqual(['devs']);
    expect(directory.entitiesForPolicy(ACCOUNT, POWER_USER, { entityFilter: 'Role' }).map(({ name }) => name)).toEqual(['task']);
    expect(directory.getPolicy(ACCOUNT, POWER_USER)).toMatchObject({ attachmentCount: 1, permissionsBoundaryUsageCount: 1 });
  });
});

describe('inline policies', () => {
  it('puts, replaces, reads back exactly and deletes', () => {
    const text = `{ "Version": "2012-10-17", "Statement": [{ "Effect": "Allow", "Action": "ecr:*", "Resource": "*" }] }`;
    directory.putInlinePolicy(ACCOUNT, alice, 'ecr', allow('ecr:GetAuthorizationToken'));
    directory.putInlinePolicy(ACCOUNT, alice, 'ecr', text);
    expect(directory.getInlinePolicy(ACCOUNT, alice, 'ecr')).toBe(text);
    expect(directory.inlinePolicyNames(ACCOUNT, alice)).toEqual(['ecr']);
    directory.deleteInlinePolicy(ACCOUNT, alice, 'ecr');
    expect(failure(() => directory.getInlinePolicy(ACCOUNT, alice, 'ecr'))).toEqual({ code: 'NoSuchEntity', message: 'The user policy with name ecr cannot be found.' });
  });

  it("refuses a document that makes the user's inline policies pass 2048 characters", () => {
    const actions = (count: number, from: number) => JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: Array.from({ length: count }, (_, index) => `ecr:Action${from + index}`), Resource: '*' }] });
    directory.putInlinePolicy(ACCOUNT, alice, 'one', actions(70, 0));
    expect(failure(() => directory.putInlinePolicy(ACCOUNT, alice, 'two', actions(70, 100)))).toEqual({ code: 'LimitExceeded', message: 'Maximum policy size of 2048 bytes exceeded for user alice' });
  });

  it('refuses a document IAM refuses', () => {
    expect(failure(() => directory.putInlinePolicy(ACCOUNT, alice, 'bad', '{'))).toEqual({ code: 'MalformedPolicyDocument', message: 'Syntax errors in policy.' });
  });
});

describe('permissions boundaries and the policies of an identity', () => {
  it('shows a boundary on the user until it is deleted', () => {
    directory.putPermissionsBoundary(ACCOUNT, alice, POWER_USER);
    expect(directory.getUser(ACCOUNT, 'alice')?.permissionsBoundaryArn).toBe(POWER_USER);
    directory.deletePermissionsBoundary(ACCOUNT, alice);
    expect(directory.getUser(ACCOUNT, 'alice')?.permissionsBoundaryArn).toBeUndefined();
  });

  it("refuses a user created with a boundary that is no policy", () => {
    expect(failure(() => directory.createUser(ACCOUNT, { userName: 'bob', permissionsBoundaryArn: `arn:aws:iam::${ACCOUNT}:policy/missing` })).code).toBe('NoSuchEntity');
    expect(directory.getUser(ACCOUNT, 'bob')).toBeUndefined();
  });

  it("gathers a user's own and its groups' documents, and its boundary", () => {
    const { arn } = directory.createPolicy(ACCOUNT, { policyName: 'pull', document: allow('ecr:BatchGetImage') });
    directory.createGroup(ACCOUNT, { groupName: 'devs' });
    directory.addUserToGroup(ACCOUNT, 'devs', 'alice');
    directory.putInlinePolicy(ACCOUNT, { kind: 'group', name: 'devs' }, 'group-inline', allow('ecr:ListImages'));
    directory.attachPolicy(ACCOUNT, { kind: 'group', name: 'devs' }, arn);
    directory.putInlinePolicy(ACCOUNT, alice, 'own', allow('ecr:DescribeImages'));
    directory.putPermissionsBoundary(ACCOUNT, alice, POWER_USER);
    expect(directory.policiesFor(`arn:aws:iam::${ACCOUNT}:user/alice`)).toEqual({
      documents: [
        { name: 'inline policy own of user/alice', document: allow('ecr:DescribeImages') },
        { name: 'inline policy group-inline of group/devs', document: allow('ecr:ListImages') },
        { name: arn, document: allow('ecr:BatchGetImage') },
      ],
      permissionsBoundary: { name: POWER_USER, document: awsManagedPolicy(POWER_USER)!.document },
    });
    expect(directory.policiesFor(`arn:aws:iam::${ACCOUNT}:user/nobody`)).toBeUndefined();
  });
});
