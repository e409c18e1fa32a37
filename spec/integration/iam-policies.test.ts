// Managed policies over HTTP with @aws-sdk/client-iam: customer policies and their versions, the AWS managed
// policies the emulator serves (read-only, counted per account), ListPolicies' filters and ListEntitiesForPolicy.
import {
  AttachGroupPolicyCommand,
  AttachUserPolicyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreatePolicyVersionCommand,
  CreateUserCommand,
  DeletePolicyCommand,
  DeletePolicyVersionCommand,
  DetachUserPolicyCommand,
  GetPolicyCommand,
  GetPolicyVersionCommand,
  ListEntitiesForPolicyCommand,
  ListPoliciesCommand,
  ListPolicyVersionsCommand,
  PutUserPermissionsBoundaryCommand,
  SetDefaultPolicyVersionCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { iamClient, rootKeys } from '../helpers/identity-clients';
import { rejection } from '../helpers/rejection';
import { testClock } from '../helpers/test-clock';
import { useTestEmulator } from '../helpers/test-emulator';

const ACCOUNT = '111111111111';
const OTHER_ACCOUNT = '222222222222';
const START = new Date(Math.floor(Date.now() / 1000) * 1000);
const READ_ONLY = 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly';
const ROOT_ARN = `arn:aws:iam::${ACCOUNT}:root`;

function allow(action: string): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: action, Resource: '*' }] });
}

describe('IAM managed policies', () => {
  const env = useTestEmulator({ clock: testClock(START) });
  let iam: IAMClient;

  beforeEach(() => {
    iam = iamClient(env.emulator.endpoint, rootKeys(ACCOUNT));
  });

  async function createPolicy(name = 'push', document = allow('ecr:PutImage')): Promise<string> {
    return (await iam.send(new CreatePolicyCommand({ PolicyName: name, PolicyDocument: document }))).Policy!.Arn!;
  }

  describe('customer managed policies', () => {
    it('CreatePolicy answers the policy with its ANPA id, v1 as default and no attachments', async () => {
      const { Policy } = await iam.send(new CreatePolicyCommand({ PolicyName: 'push', Path: '/ci/', PolicyDocument: allow('ecr:PutImage'), Description: 'Push', Tags: [{ Key: 'a', Value: 'b' }] }));
      expect(Policy).toEqual({
        PolicyName: 'push',
        PolicyId: expect.stringMatching(/^ANPA[A-Z2-7]{17}$/),
        Arn: `arn:aws:iam::${ACCOUNT}:policy/ci/push`,
        Path: '/ci/',
        DefaultVersionId: 'v1',
        AttachmentCount: 0,
        PermissionsBoundaryUsageCount: 0,
        IsAttachable: true,
        Description: 'Push',
        CreateDate: START,
        UpdateDate: START,
        Tags: [{ Key: 'a', Value: 'b' }],
      });
    });

    it.each([
      ['bad JSON', '{', 'Syntax errors in policy.'],
      ['a principal', JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: 'ecr:*', Resource: '*' }] }), 'Policy document should not specify a principal.'],
      ['no resources', JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ecr:*' }] }), 'Policy statement must contain resources.'],
      ['no Version', JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 'ecr:*', Resource: '*' }] }), 'Policy document must be version 2012-10-17 or greater.'],
    ])('CreatePolicy refuses a document with %s with MalformedPolicyDocument', async (_label, document, message) => {
      expect(await rejection(iam.send(new CreatePolicyCommand({ PolicyName: 'p', PolicyDocument: document })))).toEqual({ name: 'MalformedPolicyDocumentException', message });
    });

    it('CreatePolicy refuses a taken name with EntityAlreadyExists, a large document with LimitExceeded and repeated tags with InvalidInput', async () => {
      await createPolicy();
      expect(await rejection(iam.send(new CreatePolicyCommand({ PolicyName: 'push', PolicyDocument: allow('ecr:*') })))).toEqual({ name: 'EntityAlreadyExistsException', message: 'A policy called push already exists. Duplicate names are not allowed.' });
      const large = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: Array.from({ length: 400 }, (_, index) => `ecr:A${index}xxxxxxxx`), Resource: '*' }] });
      expect((await rejection(iam.send(new CreatePolicyCommand({ PolicyName: 'large', PolicyDocument: large })))).name).toBe('LimitExceededException');
      expect((await rejection(iam.send(new CreatePolicyCommand({ PolicyName: 't', PolicyDocument: allow('ecr:*'), Tags: [{ Key: 'a', Value: '1' }, { Key: 'A', Value: '1' }] })))).name).toBe('InvalidInputException');
    });

    it('GetPolicy answers NoSuchEntity for no policy, InvalidInput for no ARN, and does not reach another account', async () => {
      const arn = await createPolicy();
      expect(await rejection(iam.send(new GetPolicyCommand({ PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/nope` })))).toEqual({ name: 'NoSuchEntityException', message: `Policy arn:aws:iam::${ACCOUNT}:policy/nope was not found.` });
      expect(await rejection(iam.send(new GetPolicyCommand({ PolicyArn: 'arn:aws:s3:::not-a-policy' })))).toEqual({ name: 'InvalidInputException', message: 'ARN arn:aws:s3:::not-a-policy is not valid.' });
      expect((await rejection(iamClient(env.emulator.endpoint, rootKeys(OTHER_ACCOUNT)).send(new GetPolicyCommand({ PolicyArn: arn })))).name).toBe('NoSuchEntityException');
    });

    it('CreatePolicyVersion adds versions, SetAsDefault switching the default; GetPolicyVersion answers the document URL-encoded', async () => {
      const arn = await createPolicy();
      const { PolicyVersion } = await iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: allow('ecr:*'), SetAsDefault: true }));
      expect(PolicyVersion).toEqual({ VersionId: 'v2', IsDefaultVersion: true, CreateDate: START });
      expect((await iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy?.DefaultVersionId).toBe('v2');
      const version = (await iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v1' }))).PolicyVersion!;
      expect([version.IsDefaultVersion, decodeURIComponent(version.Document!)]).toEqual([false, allow('ecr:PutImage')]);
      expect(version.Document).toMatch(/^%7B%22Version%22%3A%222012-10-17%22/);
    });

    it('CreatePolicyVersion refuses a sixth version with LimitExceeded and a bad document with MalformedPolicyDocument', async () => {
      const arn = await createPolicy();
      for (let version = 2; version <= 5; version += 1) await iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: allow(`ecr:V${version}`) }));
      expect(await rejection(iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: allow('ecr:V6') })))).toEqual({
        name: 'LimitExceededException',
        message: 'A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.',
      });
      expect((await rejection(iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: '[]' })))).name).toBe('MalformedPolicyDocumentException');
      expect((await rejection(iam.send(new CreatePolicyVersionCommand({ PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/nope`, PolicyDocument: allow('ecr:*') })))).name).toBe('NoSuchEntityException');
    });

    it('ListPolicyVersions lists every version oldest first; DeletePolicyVersion removes one but never the default', async () => {
      const arn = await createPolicy();
      await iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: allow('ecr:*') }));
      expect((await iam.send(new ListPolicyVersionsCommand({ PolicyArn: arn }))).Versions?.map((version) => [version.VersionId, version.IsDefaultVersion])).toEqual([['v1', true], ['v2', false]]);
      expect(await rejection(iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: 'v1' })))).toEqual({ name: 'DeleteConflictException', message: 'Cannot delete the default version of a policy.' });
      await iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: 'v2' }));
      expect(await rejection(iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v2' })))).toEqual({ name: 'NoSuchEntityException', message: `Policy ${arn} version v2 does not exist or is not attachable.` });
      expect((await rejection(iam.send(new ListPolicyVersionsCommand({ PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/nope` })))).name).toBe('NoSuchEntityException');
    });

    it('SetDefaultPolicyVersion switches the default, and answers NoSuchEntity for no version', async () => {
      const arn = await createPolicy();
      await iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: allow('ecr:*') }));
      await iam.send(new SetDefaultPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v2' }));
      expect((await iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy?.DefaultVersionId).toBe('v2');
      expect((await rejection(iam.send(new SetDefaultPolicyVersionCommand({ PolicyArn: arn, VersionId: 'v9' })))).name).toBe('NoSuchEntityException');
    });

    it('DeletePolicy refuses an attached policy and one with other versions with DeleteConflict, then deletes it', async () => {
      const arn = await createPolicy();
      await iam.send(new CreateUserCommand({ UserName: 'alice' }));
      await iam.send(new AttachUserPolicyCommand({ UserName: 'alice', PolicyArn: arn }));
      expect(await rejection(iam.send(new DeletePolicyCommand({ PolicyArn: arn })))).toEqual({ name: 'DeleteConflictException', message: 'Cannot delete a policy attached to entities.' });
      await iam.send(new DetachUserPolicyCommand({ UserName: 'alice', PolicyArn: arn }));
      await iam.send(new CreatePolicyVersionCommand({ PolicyArn: arn, PolicyDocument: allow('ecr:*') }));
      expect((await rejection(iam.send(new DeletePolicyCommand({ PolicyArn: arn })))).message).toMatch(/^This policy has more than one version\./);
      await iam.send(new DeletePolicyVersionCommand({ PolicyArn: arn, VersionId: 'v2' }));
      await iam.send(new DeletePolicyCommand({ PolicyArn: arn }));
      expect((await rejection(iam.send(new DeletePolicyCommand({ PolicyArn: arn })))).name).toBe('NoSuchEntityException');
    });
  });

  describe('AWS managed policies', () => {
    it.each([
      ['AmazonEC2ContainerRegistryFullAccess', 'ANPAIESRL7KD7IIVF6V4W', 'v3'],
      ['AmazonEC2ContainerRegistryPowerUser', 'ANPAJDNE5PIHROIBGGDDW', 'v3'],
      ['AmazonEC2ContainerRegistryReadOnly', 'ANPAIFYZPA37OOHVIH7KQ', 'v3'],
      ['AmazonEC2ContainerRegistryPullOnly', 'ANPAZKAPJZG4ACPA6HO4Q', 'v1'],
      ['AdministratorAccess', 'ANPAIWMBCKSKIEE64ZLYK', 'v1'],
      ['ReadOnlyAccess', 'ANPAILL3HVNFSB6DCOWYQ', 'v133'],
      ['PowerUserAccess', 'ANPAJYRXTHIB4FOVS3ZXS', 'v12'],
    ])('GetPolicy and GetPolicyVersion serve %s with its id and default version', async (name, id, versionId) => {
      const arn = `arn:aws:iam::aws:policy/${name}`;
      expect((await iam.send(new GetPolicyCommand({ PolicyArn: arn }))).Policy).toMatchObject({ PolicyName: name, PolicyId: id, DefaultVersionId: versionId, Path: '/', IsAttachable: true });
      const { PolicyVersion } = await iam.send(new GetPolicyVersionCommand({ PolicyArn: arn, VersionId: versionId }));
      expect(JSON.parse(decodeURIComponent(PolicyVersion!.Document!))).toMatchObject({ Version: '2012-10-17' });
    });

    it('counts attachments in the attaching account only', async () => {
      await iam.send(new CreateUserCommand({ UserName: 'alice' }));
      await iam.send(new AttachUserPolicyCommand({ UserName: 'alice', PolicyArn: READ_ONLY }));
      expect((await iam.send(new GetPolicyCommand({ PolicyArn: READ_ONLY }))).Policy?.AttachmentCount).toBe(1);
      expect((await iamClient(env.emulator.endpoint, rootKeys(OTHER_ACCOUNT)).send(new GetPolicyCommand({ PolicyArn: READ_ONLY }))).Policy?.AttachmentCount).toBe(0);
    });

    it.each([
      ['DeletePolicy', (client: IAMClient) => client.send(new DeletePolicyCommand({ PolicyArn: READ_ONLY }))],
      ['CreatePolicyVersion', (client: IAMClient) => client.send(new CreatePolicyVersionCommand({ PolicyArn: READ_ONLY, PolicyDocument: allow('ecr:*') }))],
      ['DeletePolicyVersion', (client: IAMClient) => client.send(new DeletePolicyVersionCommand({ PolicyArn: READ_ONLY, VersionId: 'v1' }))],
      ['SetDefaultPolicyVersion', (client: IAMClient) => client.send(new SetDefaultPolicyVersionCommand({ PolicyArn: READ_ONLY, VersionId: 'v3' }))],
    ])('%s of an AWS managed policy is AccessDenied', async (operation, call) => {
      expect(await rejection(call(iam))).toEqual({ name: 'AccessDenied', message: `User: ${ROOT_ARN} is not authorized to perform: iam:${operation} on resource: policy ${READ_ONLY}` });
    });
  });

  describe('listing', () => {
    it('ListPolicies filters by Scope, PathPrefix and OnlyAttached, without descriptions, and pages', async () => {
      await iam.send(new CreatePolicyCommand({ PolicyName: 'push', Path: '/ci/', PolicyDocument: allow('ecr:*'), Description: 'not listed' }));
      expect((await iam.send(new ListPoliciesCommand({ Scope: 'Local' }))).Policies).toEqual([expect.not.objectContaining({ Description: expect.anything() })]);
      expect((await iam.send(new ListPoliciesCommand({ Scope: 'AWS' }))).Policies).toHaveLength(7);
      expect((await iam.send(new ListPoliciesCommand({ PathPrefix: '/ci/' }))).Policies?.map((policy) => policy.PolicyName)).toEqual(['push']);
      await iam.send(new CreateUserCommand({ UserName: 'alice' }));
      await iam.send(new AttachUserPolicyCommand({ UserName: 'alice', PolicyArn: READ_ONLY }));
      expect((await iam.send(new ListPoliciesCommand({ OnlyAttached: true }))).Policies?.map((policy) => policy.Arn)).toEqual([READ_ONLY]);
      const first = await iam.send(new ListPoliciesCommand({ MaxItems: 5 }));
      const rest = await iam.send(new ListPoliciesCommand({ Marker: first.Marker! }));
      expect([first.Policies?.length, first.IsTruncated, rest.Policies?.length, rest.IsTruncated]).toEqual([5, true, 3, false]);
    });

    it('ListEntitiesForPolicy lists the groups, users and roles using a policy, by usage', async () => {
      await iam.send(new CreateUserCommand({ UserName: 'alice' }));
      await iam.send(new CreateGroupCommand({ GroupName: 'devs' }));
      await iam.send(new AttachGroupPolicyCommand({ GroupName: 'devs', PolicyArn: READ_ONLY }));
      await iam.send(new PutUserPermissionsBoundaryCommand({ UserName: 'alice', PermissionsBoundary: READ_ONLY }));
      const all = await iam.send(new ListEntitiesForPolicyCommand({ PolicyArn: READ_ONLY }));
      expect([all.PolicyGroups?.map((group) => group.GroupName), all.PolicyUsers?.map((user) => user.UserName), all.PolicyRoles]).toEqual([['devs'], ['alice'], []]);
      const attached = await iam.send(new ListEntitiesForPolicyCommand({ PolicyArn: READ_ONLY, PolicyUsageFilter: 'PermissionsPolicy' }));
      expect(attached.PolicyUsers).toEqual([]);
      expect((await iam.send(new ListEntitiesForPolicyCommand({ PolicyArn: READ_ONLY, EntityFilter: 'User' }))).PolicyGroups).toEqual([]);
      expect((await rejection(iam.send(new ListEntitiesForPolicyCommand({ PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/nope` })))).name).toBe('NoSuchEntityException');
    });
  });
});
