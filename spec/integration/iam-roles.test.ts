// IAM roles over HTTP with @aws-sdk/client-iam: every role operation and its modelled errors, trust policies
// validated as IAM does and answered URL-encoded, session durations, tags and instance profiles (none).
import {
  AttachRolePolicyCommand,
  CreateRoleCommand,
  DeleteRoleCommand,
  GetRoleCommand,
  ListInstanceProfilesForRoleCommand,
  ListRolesCommand,
  ListRoleTagsCommand,
  TagRoleCommand,
  UntagRoleCommand,
  UpdateAssumeRolePolicyCommand,
  UpdateRoleCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { iamClient, rootKeys } from '../helpers/identity-clients';
import { rejection } from '../helpers/rejection';
import { testClock } from '../helpers/test-clock';
import { useTestEmulator } from '../helpers/test-emulator';

const ACCOUNT = '111111111111';
const START = new Date(Math.floor(Date.now() / 1000) * 1000);
const TRUST = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ecs-tasks.amazonaws.com' }, Action: 'sts:AssumeRole' }] });

function trustWith(statement: Record<string, unknown>): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: 'sts:AssumeRole', ...statement }] });
}

describe('IAM roles', () => {
  const env = useTestEmulator({ clock: testClock(START) });
  let iam: IAMClient;

  beforeEach(() => {
    iam = iamClient(env.emulator.endpoint, rootKeys(ACCOUNT));
  });

  it('CreateRole answers the role with its AROA id, path, default session duration and URL-encoded trust policy', async () => {
    const { Role } = await iam.send(new CreateRoleCommand({ RoleName: 'task', Path: '/ecs/', AssumeRolePolicyDocument: TRUST, Description: 'Runs tasks', Tags: [{ Key: 'app', Value: 'web' }] }));
    expect(Role).toEqual({
      RoleName: 'task',
      Path: '/ecs/',
      Arn: `arn:aws:iam::${ACCOUNT}:role/ecs/task`,
      RoleId: expect.stringMatching(/^AROA[A-Z2-7]{17}$/),
      CreateDate: START,
      AssumeRolePolicyDocument: expect.stringMatching(/^%7B%22Version%22/),
      Description: 'Runs tasks',
      MaxSessionDuration: 3600,
      Tags: [{ Key: 'app', Value: 'web' }],
    });
    expect(decodeURIComponent(Role!.AssumeRolePolicyDocument!)).toBe(TRUST);
  });

  it('CreateRole refuses a taken name with EntityAlreadyExists', async () => {
    await iam.send(new CreateRoleCommand({ RoleName: 'task', AssumeRolePolicyDocument: TRUST }));
    expect(await rejection(iam.send(new CreateRoleCommand({ RoleName: 'TASK', AssumeRolePolicyDocument: TRUST })))).toEqual({ name: 'EntityAlreadyExistsException', message: 'Role with name TASK already exists.' });
  });

  it.each([
    ['a Resource', trustWith({ Resource: '*' }), 'Has prohibited field Resource'],
    ['no principal', JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole' }] }), 'Invalid principal in policy: com.amazon.balsa.error.InvalidPolicyException: The passed in policy has a statement with no principals!'],
    ['a malformed principal', trustWith({ Principal: { AWS: 'bob' } }), 'Invalid principal in policy: "AWS":"bob"'],
    ['text that is not JSON', '{"Version":', 'Syntax errors in policy.'],
  ])('CreateRole refuses a trust policy with %s with MalformedPolicyDocument', async (_label, document, message) => {
    expect(await rejection(iam.send(new CreateRoleCommand({ RoleName: 'task', AssumeRolePolicyDocument: document })))).toEqual({ name: 'MalformedPolicyDocumentException', message });
  });

  it('CreateRole refuses a trust policy past 2048 characters with LimitExceeded', async () => {
    const principals = Array.from({ length: 80 }, (_, index) => `arn:aws:iam::${ACCOUNT}:role/r${index}`);
    expect(await rejection(iam.send(new CreateRoleCommand({ RoleName: 'task', AssumeRolePolicyDocument: trustWith({ Principal: { AWS: principals } }) })))).toEqual({ name: 'LimitExceededException', message: 'Cannot exceed quota for ACLSizePerRole: 2048' });
  });

  it('CreateRole refuses a session duration out of 3600–43200 before anything else', async () => {
    expect((await rejection(iam.send(new CreateRoleCommand({ RoleName: 'task', AssumeRolePolicyDocument: TRUST, MaxSessionDuration: 60 })))).name).toBe('ValidationError');
  });

  it('CreateRole refuses repeated tag keys with InvalidInput', async () => {
    expect((await rejection(iam.send(new CreateRoleCommand({ RoleName: 'task', AssumeRolePolicyDocument: TRUST, Tags: [{ Key: 'a', Value: '1' }, { Key: 'a', Value: '2' }] })))).name).toBe('InvalidInputException');
  });

  it('GetRole answers the role with an empty RoleLastUsed, and NoSuchEntity for none', async () => {
    await iam.send(new CreateRoleCommand({ RoleName: 'task', AssumeRolePolicyDocument: TRUST }));
    expect((await iam.send(new GetRoleCommand({ RoleName: 'Task' }))).Role).toMatchObject({ RoleName: 'task', RoleLastUsed: {} });
    expect(await rejection(iam.send(new GetRoleCommand({ RoleName: 'nope' })))).toEqual({ name: 'NoSuchEntityException', message: 'The role with name nope cannot be found.' });
  });

  it('UpdateRole changes the description and the session duration', async () => {
    await iam.send(new CreateRoleCommand({ RoleName: 'task', AssumeRolePolicyDocument: TRUST }));
    await iam.send(new UpdateRoleCommand({ RoleName: 'task', Description: 'Deploys', MaxSessionDuration: 43200 }));
    expect((await iam.send(new GetRoleCommand({ RoleName: 'task' }))).Role).toMatchObject({ Description: 'Deploys', MaxSessionDuration: 43200 });
    expect((await rejection(iam.send(new UpdateRoleCommand({ RoleName: 'nope', Description: 'x' })))).name).toBe('NoSuchEntityException');
  });

  it('UpdateAssumeRolePolicy replaces the trust policy, validated as CreateRole validates it', async () => {
    await iam.send(new CreateRoleCommand({ RoleName: 'task', AssumeRolePolicyDocument: TRUST }));
    const updated = trustWith({});
    await iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'task', PolicyDocument: updated }));
    expect(decodeURIComponent((await iam.send(new GetRoleCommand({ RoleName: 'task' }))).Role!.AssumeRolePolicyDocument!)).toBe(updated);
    expect((await rejection(iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'task', PolicyDocument: trustWith({ Resource: '*' }) })))).name).toBe('MalformedPolicyDocumentException');
    expect((await rejection(iam.send(new UpdateAssumeRolePolicyCommand({ RoleName: 'nope', PolicyDocument: updated })))).name).toBe('NoSuchEntityException');
  });

  it('DeleteRole refuses a role with an attached policy with DeleteConflict, and answers NoSuchEntity after deletion', async () => {
    await iam.send(new CreateRoleCommand({ RoleName: 'task', AssumeRolePolicyDocument: TRUST }));
    await iam.send(new AttachRolePolicyCommand({ RoleName: 'task', PolicyArn: 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly' }));
    expect(await rejection(iam.send(new DeleteRoleCommand({ RoleName: 'task' })))).toEqual({ name: 'DeleteConflictException', message: 'Cannot delete entity, must detach all policies first.' });
    await iam.send(new CreateRoleCommand({ RoleName: 'other', AssumeRolePolicyDocument: TRUST }));
    await iam.send(new DeleteRoleCommand({ RoleName: 'other' }));
    expect((await rejection(iam.send(new DeleteRoleCommand({ RoleName: 'other' })))).name).toBe('NoSuchEntityException');
  });

  it('ListRoles lists by name with their trust policies, filtered by PathPrefix and paged', async () => {
    await iam.send(new CreateRoleCommand({ RoleName: 'b', Path: '/ci/', AssumeRolePolicyDocument: TRUST }));
    await iam.send(new CreateRoleCommand({ RoleName: 'a', AssumeRolePolicyDocument: TRUST }));
    const first = await iam.send(new ListRolesCommand({ MaxItems: 1 }));
    expect([first.Roles?.map((role) => role.RoleName), first.IsTruncated]).toEqual([['a'], true]);
    expect((await iam.send(new ListRolesCommand({ Marker: first.Marker! }))).Roles?.map((role) => role.RoleName)).toEqual(['b']);
    const ci = await iam.send(new ListRolesCommand({ PathPrefix: '/ci/' }));
    expect(ci.Roles?.map((role) => [role.RoleName, decodeURIComponent(role.AssumeRolePolicyDocument!)])).toEqual([['b', TRUST]]);
  });

  it('TagRole, UntagRole and ListRoleTags keep the tags; each answers NoSuchEntity for no role', async () => {
    await iam.send(new CreateRoleCommand({ RoleName: 'task', AssumeRolePolicyDocument: TRUST }));
    await iam.send(new TagRoleCommand({ RoleName: 'task', Tags: [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }] }));
    await iam.send(new UntagRoleCommand({ RoleName: 'task', TagKeys: ['a'] }));
    expect((await iam.send(new ListRoleTagsCommand({ RoleName: 'task' }))).Tags).toEqual([{ Key: 'b', Value: '2' }]);
    expect((await rejection(iam.send(new TagRoleCommand({ RoleName: 'task', Tags: [{ Key: 'c', Value: '1' }, { Key: 'C', Value: '2' }] })))).name).toBe('InvalidInputException');
    expect((await rejection(iam.send(new TagRoleCommand({ RoleName: 'nope', Tags: [{ Key: 'a', Value: '1' }] })))).name).toBe('NoSuchEntityException');
    expect((await rejection(iam.send(new UntagRoleCommand({ RoleName: 'nope', TagKeys: ['a'] })))).name).toBe('NoSuchEntityException');
    expect((await rejection(iam.send(new ListRoleTagsCommand({ RoleName: 'nope' })))).name).toBe('NoSuchEntityException');
  });

  it('ListInstanceProfilesForRole answers none, and NoSuchEntity for no role', async () => {
    await iam.send(new CreateRoleCommand({ RoleName: 'task', AssumeRolePolicyDocument: TRUST }));
    expect(await iam.send(new ListInstanceProfilesForRoleCommand({ RoleName: 'task' }))).toMatchObject({ InstanceProfiles: [], IsTruncated: false });
    expect((await rejection(iam.send(new ListInstanceProfilesForRoleCommand({ RoleName: 'nope' })))).name).toBe('NoSuchEntityException');
  });
});
