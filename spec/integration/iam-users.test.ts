// IAM users, their access keys and groups over HTTP with @aws-sdk/client-iam: every operation, and each modelled
// error it can answer, in IAM's words. A 12-digit access key is that account's root.
import {
  AddUserToGroupCommand,
  CreateAccessKeyCommand,
  CreateGroupCommand,
  CreateUserCommand,
  DeleteAccessKeyCommand,
  DeleteGroupCommand,
  DeleteUserCommand,
  GetAccessKeyLastUsedCommand,
  GetGroupCommand,
  GetUserCommand,
  ListAccessKeysCommand,
  ListGroupsCommand,
  ListGroupsForUserCommand,
  ListUsersCommand,
  ListUserTagsCommand,
  RemoveUserFromGroupCommand,
  TagUserCommand,
  UntagUserCommand,
  UpdateAccessKeyCommand,
  UpdateUserCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { iamClient, rootKeys } from '../helpers/identity-clients';
import { rejection } from '../helpers/rejection';
import { testClock } from '../helpers/test-clock';
import { useTestEmulator } from '../helpers/test-emulator';

const ACCOUNT = '111111111111';
const OTHER_ACCOUNT = '222222222222';
// Near now, whole seconds: SigV4 refuses signatures 15 minutes off the emulator's clock, and IAM's dates have seconds.
const START = new Date(Math.floor(Date.now() / 1000) * 1000);

describe('IAM users, access keys and groups', () => {
  const clock = testClock(START);
  const env = useTestEmulator({ clock });
  let iam: IAMClient;

  beforeEach(() => {
    iam = iamClient(env.emulator.endpoint, rootKeys(ACCOUNT));
  });

  describe('users', () => {
    it('CreateUser answers the user with its ARN, AIDA id, path, time and tags', async () => {
      const { User } = await iam.send(new CreateUserCommand({ UserName: 'alice', Path: '/ci/', Tags: [{ Key: 'team', Value: 'platform' }] }));
      expect(User).toEqual({ UserName: 'alice', Path: '/ci/', Arn: `arn:aws:iam::${ACCOUNT}:user/ci/alice`, UserId: expect.stringMatching(/^AIDA[A-Z2-7]{17}$/), CreateDate: START, Tags: [{ Key: 'team', Value: 'platform' }] });
    });

    it('CreateUser refuses a name taken in another case with EntityAlreadyExists', async () => {
      await iam.send(new CreateUserCommand({ UserName: 'Alice' }));
      expect(await rejection(iam.send(new CreateUserCommand({ UserName: 'alice' })))).toEqual({ name: 'EntityAlreadyExistsException', message: 'User with name alice already exists.' });
    });

    it('CreateUser refuses a permissions boundary that is no policy with NoSuchEntity', async () => {
      const arn = `arn:aws:iam::${ACCOUNT}:policy/missing`;
      expect(await rejection(iam.send(new CreateUserCommand({ UserName: 'alice', PermissionsBoundary: arn })))).toEqual({ name: 'NoSuchEntityException', message: `Policy ${arn} does not exist or is not attachable.` });
    });

    it('CreateUser refuses tag keys repeated in another case with InvalidInput', async () => {
      const failure = await rejection(iam.send(new CreateUserCommand({ UserName: 'alice', Tags: [{ Key: 'a', Value: '1' }, { Key: 'A', Value: '2' }] })));
      expect(failure).toEqual({ name: 'InvalidInputException', message: 'Duplicate tag keys found. Please note that Tag keys are case insensitive.' });
    });

    it('GetUser finds the user in any case of its name, in its own account only', async () => {
      await iam.send(new CreateUserCommand({ UserName: 'alice' }));
      expect((await iam.send(new GetUserCommand({ UserName: 'ALICE' }))).User?.UserName).toBe('alice');
      const other = iamClient(env.emulator.endpoint, rootKeys(OTHER_ACCOUNT));
      expect(await rejection(other.send(new GetUserCommand({ UserName: 'alice' })))).toEqual({ name: 'NoSuchEntityException', message: 'The user with name alice cannot be found.' });
    });

    it('GetUser without UserName answers the calling user', async () => {
      await iam.send(new CreateUserCommand({ UserName: 'alice' }));
      const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'alice' }));
      const asAlice = iamClient(env.emulator.endpoint, { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! });
      expect((await asAlice.send(new GetUserCommand({}))).User?.Arn).toBe(`arn:aws:iam::${ACCOUNT}:user/alice`);
    });

    it('GetUser without UserName from a root is a ValidationError', async () => {
      expect(await rejection(iam.send(new GetUserCommand({})))).toEqual({ name: 'ValidationError', message: 'Must specify userName when calling with non-User credentials' });
    });

    it('UpdateUser renames and moves the user', async () => {
      await iam.send(new CreateUserCommand({ UserName: 'alice' }));
      await iam.send(new UpdateUserCommand({ UserName: 'alice', NewUserName: 'alicia', NewPath: '/team/' }));
      expect((await iam.send(new GetUserCommand({ UserName: 'alicia' }))).User?.Arn).toBe(`arn:aws:iam::${ACCOUNT}:user/team/alicia`);
      expect((await rejection(iam.send(new GetUserCommand({ UserName: 'alice' })))).name).toBe('NoSuchEntityException');
    });

    it('UpdateUser answers NoSuchEntity and EntityAlreadyExists', async () => {
      await iam.send(new CreateUserCommand({ UserName: 'alice' }));
      await iam.send(new CreateUserCommand({ UserName: 'bob' }));
      expect((await rejection(iam.send(new UpdateUserCommand({ UserName: 'carol', NewUserName: 'dave' })))).name).toBe('NoSuchEntityException');
      expect(await rejection(iam.send(new UpdateUserCommand({ UserName: 'alice', NewUserName: 'bob' })))).toEqual({ name: 'EntityAlreadyExistsException', message: 'User with name bob already exists.' });
    });

    it('DeleteUser refuses a user with an access key with DeleteConflict, then deletes it', async () => {
      await iam.send(new CreateUserCommand({ UserName: 'alice' }));
      const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'alice' }));
      expect(await rejection(iam.send(new DeleteUserCommand({ UserName: 'alice' })))).toEqual({ name: 'DeleteConflictException', message: 'Cannot delete entity, must delete access keys first.' });
      await iam.send(new DeleteAccessKeyCommand({ UserName: 'alice', AccessKeyId: AccessKey!.AccessKeyId! }));
      await iam.send(new DeleteUserCommand({ UserName: 'alice' }));
      expect(await rejection(iam.send(new DeleteUserCommand({ UserName: 'alice' })))).toEqual({ name: 'NoSuchEntityException', message: 'The user with name alice cannot be found.' });
    });

    it('ListUsers pages with MaxItems and Marker, and filters by PathPrefix', async () => {
      for (const [name, path] of [['a', '/'], ['b', '/ci/'], ['c', '/ci/'], ['d', '/']] as const) await iam.send(new CreateUserCommand({ UserName: name, Path: path }));
      const first = await iam.send(new ListUsersCommand({ MaxItems: 3 }));
      expect([first.Users?.map((user) => user.UserName), first.IsTruncated]).toEqual([['a', 'b', 'c'], true]);
      const rest = await iam.send(new ListUsersCommand({ MaxItems: 3, Marker: first.Marker! }));
      expect([rest.Users?.map((user) => user.UserName), rest.IsTruncated, rest.Marker]).toEqual([['d'], false, undefined]);
      expect((await iam.send(new ListUsersCommand({ PathPrefix: '/ci/' }))).Users?.map((user) => user.UserName)).toEqual(['b', 'c']);
    });

    it('TagUser, UntagUser and ListUserTags keep the tags by key', async () => {
      await iam.send(new CreateUserCommand({ UserName: 'alice', Tags: [{ Key: 'team', Value: 'a' }] }));
      await iam.send(new TagUserCommand({ UserName: 'alice', Tags: [{ Key: 'env', Value: 'ci' }, { Key: 'team', Value: 'b' }] }));
      await iam.send(new UntagUserCommand({ UserName: 'alice', TagKeys: ['env'] }));
      expect((await iam.send(new ListUserTagsCommand({ UserName: 'alice' }))).Tags).toEqual([{ Key: 'team', Value: 'b' }]);
    });

    it('TagUser refuses more than 50 tags with LimitExceeded', async () => {
      await iam.send(new CreateUserCommand({ UserName: 'alice', Tags: Array.from({ length: 49 }, (_, index) => ({ Key: `k${index}`, Value: 'v' })) }));
      expect(await rejection(iam.send(new TagUserCommand({ UserName: 'alice', Tags: [{ Key: 'x', Value: '1' }, { Key: 'y', Value: '2' }] })))).toEqual({ name: 'LimitExceededException', message: 'Cannot exceed quota for TagsPerUser: 50' });
    });

    it.each([
      ['TagUser', (client: IAMClient) => client.send(new TagUserCommand({ UserName: 'nobody', Tags: [{ Key: 'a', Value: 'b' }] }))],
      ['UntagUser', (client: IAMClient) => client.send(new UntagUserCommand({ UserName: 'nobody', TagKeys: ['a'] }))],
      ['ListUserTags', (client: IAMClient) => client.send(new ListUserTagsCommand({ UserName: 'nobody' }))],
    ])('%s of a user that is not there answers NoSuchEntity', async (_operation, call) => {
      expect(await rejection(call(iam))).toEqual({ name: 'NoSuchEntityException', message: 'The user with name nobody cannot be found.' });
    });
  });

  describe('access keys', () => {
    beforeEach(async () => {
      await iam.send(new CreateUserCommand({ UserName: 'alice' }));
    });

    it('CreateAccessKey issues an active AKIA key with a 40-character secret', async () => {
      const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'alice' }));
      expect(AccessKey).toEqual({ UserName: 'alice', AccessKeyId: expect.stringMatching(/^AKIA[A-Z2-7]{16}$/), SecretAccessKey: expect.stringMatching(/^[A-Za-z0-9+/]{40}$/), Status: 'Active', CreateDate: START });
    });

    it('CreateAccessKey refuses a third key with LimitExceeded, and a user that is not there with NoSuchEntity', async () => {
      await iam.send(new CreateAccessKeyCommand({ UserName: 'alice' }));
      await iam.send(new CreateAccessKeyCommand({ UserName: 'alice' }));
      expect(await rejection(iam.send(new CreateAccessKeyCommand({ UserName: 'alice' })))).toEqual({ name: 'LimitExceededException', message: 'Cannot exceed quota for AccessKeysPerUser: 2' });
      expect((await rejection(iam.send(new CreateAccessKeyCommand({ UserName: 'bob' })))).name).toBe('NoSuchEntityException');
    });

    it('CreateAccessKey without UserName issues a key to the calling user, and is a ValidationError for a root', async () => {
      const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'alice' }));
      const asAlice = iamClient(env.emulator.endpoint, { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! });
      expect((await asAlice.send(new CreateAccessKeyCommand({}))).AccessKey?.UserName).toBe('alice');
      expect((await rejection(iam.send(new CreateAccessKeyCommand({})))).name).toBe('ValidationError');
    });

    it('UpdateAccessKey deactivates a key, which then no longer signs requests', async () => {
      const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'alice' }));
      await iam.send(new UpdateAccessKeyCommand({ UserName: 'alice', AccessKeyId: AccessKey!.AccessKeyId!, Status: 'Inactive' }));
      expect((await iam.send(new ListAccessKeysCommand({ UserName: 'alice' }))).AccessKeyMetadata).toEqual([{ UserName: 'alice', AccessKeyId: AccessKey!.AccessKeyId!, Status: 'Inactive', CreateDate: START }]);
      const asAlice = iamClient(env.emulator.endpoint, { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! });
      expect((await rejection(asAlice.send(new GetUserCommand({})))).name).toBe('InvalidClientTokenId');
    });

    it('UpdateAccessKey answers NoSuchEntity for a key that is not the user\'s, and InvalidInput for Expired', async () => {
      const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'alice' }));
      expect(await rejection(iam.send(new UpdateAccessKeyCommand({ UserName: 'alice', AccessKeyId: 'AKIAIOSFODNN7EXAMPLE', Status: 'Inactive' })))).toEqual({ name: 'NoSuchEntityException', message: 'The Access Key with id AKIAIOSFODNN7EXAMPLE cannot be found.' });
      expect((await rejection(iam.send(new UpdateAccessKeyCommand({ UserName: 'alice', AccessKeyId: AccessKey!.AccessKeyId!, Status: 'Expired' })))).name).toBe('InvalidInputException');
    });

    it('DeleteAccessKey removes the key, which then no longer signs requests, and answers NoSuchEntity after', async () => {
      const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'alice' }));
      await iam.send(new DeleteAccessKeyCommand({ UserName: 'alice', AccessKeyId: AccessKey!.AccessKeyId! }));
      expect((await iam.send(new ListAccessKeysCommand({ UserName: 'alice' }))).AccessKeyMetadata).toEqual([]);
      expect((await rejection(iam.send(new DeleteAccessKeyCommand({ UserName: 'alice', AccessKeyId: AccessKey!.AccessKeyId! })))).name).toBe('NoSuchEntityException');
      const asAlice = iamClient(env.emulator.endpoint, { accessKeyId: AccessKey!.AccessKeyId!, secretAccessKey: AccessKey!.SecretAccessKey! });
      expect((await rejection(asAlice.send(new GetUserCommand({})))).name).toBe('InvalidClientTokenId');
    });

    it('ListAccessKeys answers NoSuchEntity for a user that is not there', async () => {
      expect((await rejection(iam.send(new ListAccessKeysCommand({ UserName: 'bob' })))).name).toBe('NoSuchEntityException');
    });

    it('GetAccessKeyLastUsed answers N/A for a key never used, then the service and region of its last request', async () => {
      const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: 'alice' }));
      const keyId = AccessKey!.AccessKeyId!;
      expect(await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: keyId }))).toMatchObject({ UserName: 'alice', AccessKeyLastUsed: { ServiceName: 'N/A', Region: 'N/A' } });
      clock.advance(60_000);
      await iamClient(env.emulator.endpoint, { accessKeyId: keyId, secretAccessKey: AccessKey!.SecretAccessKey! }).send(new GetUserCommand({}));
      expect((await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: keyId }))).AccessKeyLastUsed).toEqual({ ServiceName: 'iam', Region: 'us-east-1', LastUsedDate: new Date(START.getTime() + 60_000) });
    });
  });

  describe('groups', () => {
    beforeEach(async () => {
      await iam.send(new CreateUserCommand({ UserName: 'alice' }));
      await iam.send(new CreateGroupCommand({ GroupName: 'devs', Path: '/eng/' }));
    });

    it('CreateGroup answers the group, and refuses a taken name with EntityAlreadyExists', async () => {
      const { Group } = await iam.send(new CreateGroupCommand({ GroupName: 'ops' }));
      expect(Group).toEqual({ GroupName: 'ops', Path: '/', Arn: `arn:aws:iam::${ACCOUNT}:group/ops`, GroupId: expect.stringMatching(/^AGPA[A-Z2-7]{17}$/), CreateDate: START });
      expect(await rejection(iam.send(new CreateGroupCommand({ GroupName: 'DEVS' })))).toEqual({ name: 'EntityAlreadyExistsException', message: 'Group with name DEVS already exists.' });
    });

    it('AddUserToGroup, GetGroup and ListGroupsForUser show the membership; RemoveUserFromGroup ends it', async () => {
      await iam.send(new AddUserToGroupCommand({ GroupName: 'devs', UserName: 'alice' }));
      const group = await iam.send(new GetGroupCommand({ GroupName: 'devs' }));
      expect([group.Group?.Arn, group.Users?.map((user) => user.UserName), group.IsTruncated]).toEqual([`arn:aws:iam::${ACCOUNT}:group/eng/devs`, ['alice'], false]);
      expect((await iam.send(new ListGroupsForUserCommand({ UserName: 'alice' }))).Groups?.map((each) => each.GroupName)).toEqual(['devs']);
      await iam.send(new RemoveUserFromGroupCommand({ GroupName: 'devs', UserName: 'alice' }));
      expect((await iam.send(new GetGroupCommand({ GroupName: 'devs' }))).Users).toEqual([]);
    });

    it('ListGroups filters by PathPrefix', async () => {
      await iam.send(new CreateGroupCommand({ GroupName: 'ops' }));
      expect((await iam.send(new ListGroupsCommand({ PathPrefix: '/eng/' }))).Groups?.map((group) => group.GroupName)).toEqual(['devs']);
      expect((await iam.send(new ListGroupsCommand({}))).Groups?.map((group) => group.GroupName)).toEqual(['devs', 'ops']);
    });

    it('DeleteGroup refuses a group with members with DeleteConflict, and a user in a group cannot be deleted', async () => {
      await iam.send(new AddUserToGroupCommand({ GroupName: 'devs', UserName: 'alice' }));
      expect(await rejection(iam.send(new DeleteGroupCommand({ GroupName: 'devs' })))).toEqual({ name: 'DeleteConflictException', message: 'Cannot delete entity, must remove users from group first.' });
      expect((await rejection(iam.send(new DeleteUserCommand({ UserName: 'alice' })))).name).toBe('DeleteConflictException');
    });

    it.each([
      ['GetGroup', (client: IAMClient) => client.send(new GetGroupCommand({ GroupName: 'nope' }))],
      ['DeleteGroup', (client: IAMClient) => client.send(new DeleteGroupCommand({ GroupName: 'nope' }))],
      ['AddUserToGroup', (client: IAMClient) => client.send(new AddUserToGroupCommand({ GroupName: 'nope', UserName: 'alice' }))],
      ['RemoveUserFromGroup', (client: IAMClient) => client.send(new RemoveUserFromGroupCommand({ GroupName: 'nope', UserName: 'alice' }))],
    ])('%s of a group that is not there answers NoSuchEntity', async (_operation, call) => {
      expect(await rejection(call(iam))).toEqual({ name: 'NoSuchEntityException', message: 'The group with name nope cannot be found.' });
    });

    it('ListGroupsForUser and RemoveUserFromGroup answer NoSuchEntity for a user that is not there or not a member', async () => {
      expect((await rejection(iam.send(new ListGroupsForUserCommand({ UserName: 'bob' })))).name).toBe('NoSuchEntityException');
      expect((await rejection(iam.send(new RemoveUserFromGroupCommand({ GroupName: 'devs', UserName: 'alice' })))).name).toBe('NoSuchEntityException');
    });
  });
});
