// IAM's policy simulator and authorization snapshot over HTTP with @aws-sdk/client-iam: SimulatePrincipalPolicy for
// users (with their groups), roles and boundaries, SimulateCustomPolicy with context entries and resource policies,
// their paging and errors, and GetAccountAuthorizationDetails listing entities with their policies.
import {
  AddUserToGroupCommand,
  AttachGroupPolicyCommand,
  AttachUserPolicyCommand,
  CreateGroupCommand,
  CreatePolicyCommand,
  CreateUserCommand,
  GetAccountAuthorizationDetailsCommand,
  PutRolePolicyCommand,
  PutUserPermissionsBoundaryCommand,
  PutUserPolicyCommand,
  SimulateCustomPolicyCommand,
  SimulatePrincipalPolicyCommand,
  type IAMClient,
} from '@aws-sdk/client-iam';
import { createRole, iamClient, rootKeys, trustPolicy } from '../helpers/identity-clients';
import { rejection } from '../helpers/rejection';
import { useTestEmulator } from '../helpers/test-emulator';

const ACCOUNT = '111111111111';
const OTHER = '222222222222';
const READ_ONLY = 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly';
const ALICE = `arn:aws:iam::${ACCOUNT}:user/alice`;
const REPO = `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/app`;

function policy(statements: Record<string, unknown>[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

describe('IAM policy simulation', () => {
  const env = useTestEmulator();
  let iam: IAMClient;

  beforeEach(async () => {
    iam = iamClient(env.emulator.endpoint, rootKeys(ACCOUNT));
    await iam.send(new CreateUserCommand({ UserName: 'alice' }));
    await iam.send(new AttachUserPolicyCommand({ UserName: 'alice', PolicyArn: READ_ONLY }));
  });

  async function simulateAlice(actions: string[], extra: Partial<ConstructorParameters<typeof SimulatePrincipalPolicyCommand>[0]> = {}) {
    return iam.send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: ALICE, ActionNames: actions, ...extra }));
  }

  describe('SimulatePrincipalPolicy', () => {
    it('allows what AmazonEC2ContainerRegistryReadOnly grants and implicitly denies the rest', async () => {
      const { EvaluationResults, IsTruncated } = await simulateAlice(['ecr:BatchGetImage', 'ecr:PutImage']);
      expect(IsTruncated).toBe(false);
      expect(EvaluationResults).toEqual([
        {
          EvalActionName: 'ecr:BatchGetImage',
          EvalResourceName: '*',
          EvalDecision: 'allowed',
          MatchedStatements: [{ SourcePolicyId: 'AmazonEC2ContainerRegistryReadOnly', SourcePolicyType: 'aws-managed', StartPosition: expect.any(Object), EndPosition: expect.any(Object) }],
          MissingContextValues: [],
        },
        { EvalActionName: 'ecr:PutImage', EvalResourceName: '*', EvalDecision: 'implicitDeny', MatchedStatements: [], MissingContextValues: [] },
      ]);
    });

    it('answers explicitDeny with the deny statement of an inline policy, and only that statement', async () => {
      await iam.send(new PutUserPolicyCommand({ UserName: 'alice', PolicyName: 'no-pulls', PolicyDocument: policy([{ Sid: 'NoPulls', Effect: 'Deny', Action: 'ecr:BatchGetImage', Resource: '*' }]) }));
      const [result] = (await simulateAlice(['ecr:BatchGetImage'])).EvaluationResults!;
      expect(result).toMatchObject({ EvalDecision: 'explicitDeny', MatchedStatements: [{ SourcePolicyId: 'no-pulls', SourcePolicyType: 'user' }] });
    });

    it("includes the user's groups' inline and attached policies", async () => {
      await iam.send(new CreateGroupCommand({ GroupName: 'pushers' }));
      await iam.send(new AddUserToGroupCommand({ GroupName: 'pushers', UserName: 'alice' }));
      await iam.send(new PutUserPolicyCommand({ UserName: 'alice', PolicyName: 'unused', PolicyDocument: policy([{ Effect: 'Allow', Action: 's3:*', Resource: '*' }]) }));
      const { Policy } = await iam.send(new CreatePolicyCommand({ PolicyName: 'push', PolicyDocument: policy([{ Effect: 'Allow', Action: 'ecr:PutImage', Resource: '*' }]) }));
      await iam.send(new AttachGroupPolicyCommand({ GroupName: 'pushers', PolicyArn: Policy!.Arn! }));
      const [result] = (await simulateAlice(['ecr:PutImage'])).EvaluationResults!;
      expect(result).toMatchObject({ EvalDecision: 'allowed', MatchedStatements: [{ SourcePolicyId: 'push', SourcePolicyType: 'user-managed' }] });
    });

    it("simulates a role's inline policies", async () => {
      const roleArn = await createRole(iam, 'deployer', trustPolicy([ACCOUNT]));
      await iam.send(new PutRolePolicyCommand({ RoleName: 'deployer', PolicyName: 'deploy', PolicyDocument: policy([{ Effect: 'Allow', Action: 'ecr:*', Resource: REPO }]) }));
      const { EvaluationResults } = await iam.send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: roleArn, ActionNames: ['ecr:PutImage'], ResourceArns: [REPO, `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/other`] }));
      expect(EvaluationResults!.map((result) => [result.EvalResourceName, result.EvalDecision, result.MatchedStatements![0]?.SourcePolicyType])).toEqual([
        [REPO, 'allowed', 'role'],
        [`arn:aws:ecr:us-east-1:${ACCOUNT}:repository/other`, 'implicitDeny', undefined],
      ]);
    });

    it('answers one result per action and resource, each with its resource-specific result', async () => {
      const { EvaluationResults } = await simulateAlice(['ecr:BatchGetImage'], { ResourceArns: [REPO] });
      expect(EvaluationResults).toEqual([
        expect.objectContaining({
          EvalResourceName: REPO,
          EvalDecision: 'allowed',
          EvalDecisionDetails: {},
          ResourceSpecificResults: [expect.objectContaining({ EvalResourceName: REPO, EvalResourceDecision: 'allowed', MissingContextValues: [] })],
        }),
      ]);
    });

    it("applies the user's permissions boundary, and reports whether it allowed", async () => {
      await iam.send(new PutUserPolicyCommand({ UserName: 'alice', PolicyName: 'all', PolicyDocument: policy([{ Effect: 'Allow', Action: 'ecr:*', Resource: '*' }]) }));
      await iam.send(new PutUserPermissionsBoundaryCommand({ UserName: 'alice', PermissionsBoundary: READ_ONLY }));
      const { EvaluationResults } = await simulateAlice(['ecr:BatchGetImage', 'ecr:PutImage']);
      expect(EvaluationResults!.map((result) => [result.EvalDecision, result.PermissionsBoundaryDecisionDetail])).toEqual([
        ['allowed', { AllowedByPermissionsBoundary: true }],
        ['implicitDeny', { AllowedByPermissionsBoundary: false }],
      ]);
    });

    it('uses a boundary given in PermissionsBoundaryPolicyInputList instead of none, and PolicyInputList besides the user’s', async () => {
      const { EvaluationResults } = await simulateAlice(['ecr:PutImage', 'ecr:BatchGetImage'], {
        PolicyInputList: [policy([{ Effect: 'Allow', Action: 'ecr:PutImage', Resource: '*' }])],
        PermissionsBoundaryPolicyInputList: [policy([{ Effect: 'Allow', Action: 'ecr:PutImage', Resource: '*' }])],
      });
      expect(EvaluationResults!.map((result) => [result.EvalDecision, result.MatchedStatements!.map((statement) => statement.SourcePolicyId)])).toEqual([
        ['allowed', ['PolicyInputList.1', 'PermissionsBoundaryPolicyInputList.1']],
        ['implicitDeny', []],
      ]);
    });

    it('lists the context keys a covering statement needs and was not given, and decides with them once given', async () => {
      await iam.send(new PutUserPolicyCommand({ UserName: 'alice', PolicyName: 'regional', PolicyDocument: policy([{ Effect: 'Allow', Action: 'ecr:PutImage', Resource: '*', Condition: { StringEquals: { 'aws:RequestedRegion': 'us-east-1' } } }]) }));
      const [missing] = (await simulateAlice(['ecr:PutImage'])).EvaluationResults!;
      expect(missing).toMatchObject({ EvalDecision: 'implicitDeny', MissingContextValues: ['aws:RequestedRegion'] });
      const [given] = (await simulateAlice(['ecr:PutImage'], { ContextEntries: [{ ContextKeyName: 'aws:RequestedRegion', ContextKeyValues: ['us-east-1'], ContextKeyType: 'string' }] })).EvaluationResults!;
      expect(given).toMatchObject({ EvalDecision: 'allowed', MissingContextValues: [] });
    });

    it('evaluates a resource policy of another account, with both sides in EvalDecisionDetails', async () => {
      const otherRepo = `arn:aws:ecr:us-east-1:${OTHER}:repository/shared`;
      const resourcePolicy = policy([{ Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: 'ecr:BatchGetImage' }]);
      const { EvaluationResults } = await simulateAlice(['ecr:BatchGetImage', 'ecr:ListImages'], { ResourceArns: [otherRepo], ResourcePolicy: resourcePolicy, ResourceOwner: `arn:aws:iam::${OTHER}:root` });
      expect(EvaluationResults!.map((result) => [result.EvalDecision, result.EvalDecisionDetails])).toEqual([
        ['allowed', { 'IAM Policy': 'allowed', 'Resource Policy': 'allowed' }],
        ['implicitDeny', { 'IAM Policy': 'allowed', 'Resource Policy': 'implicitDeny' }],
      ]);
    });

    it('pages results by MaxItems and Marker', async () => {
      const first = await simulateAlice(['ecr:BatchGetImage', 'ecr:ListImages', 'ecr:PutImage'], { MaxItems: 2 });
      expect([first.EvaluationResults!.length, first.IsTruncated, typeof first.Marker]).toEqual([2, true, 'string']);
      const rest = await simulateAlice(['ecr:BatchGetImage', 'ecr:ListImages', 'ecr:PutImage'], { MaxItems: 2, Marker: first.Marker! });
      expect([rest.EvaluationResults!.map((result) => result.EvalActionName), rest.IsTruncated]).toEqual([['ecr:PutImage'], false]);
    });

    it.each([
      ['a user that does not exist', `arn:aws:iam::${ACCOUNT}:user/nobody`, { name: 'NoSuchEntityException', message: 'The user with name nobody cannot be found.' }],
      ["a user of another account", `arn:aws:iam::${OTHER}:user/alice`, { name: 'NoSuchEntityException', message: 'The user with name alice cannot be found.' }],
      ['a group that does not exist', `arn:aws:iam::${ACCOUNT}:group/nobody`, { name: 'NoSuchEntityException', message: 'The group with name nobody cannot be found.' }],
      ['no IAM entity ARN', 'arn:aws:s3:::artifact-bucket', { name: 'InvalidInputException', message: 'ARN arn:aws:s3:::artifact-bucket is not valid.' }],
    ])('refuses %s as PolicySourceArn', async (_case, arn, error) => {
      expect(await rejection(iam.send(new SimulatePrincipalPolicyCommand({ PolicySourceArn: arn, ActionNames: ['ecr:BatchGetImage'] })))).toEqual(error);
    });
  });

  describe('SimulateCustomPolicy', () => {
    // AWS's own example (aws iam simulate-custom-policy, "Example 1"), with the positions AWS answers for it.
    const DATED = '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"dynamodb:*","Resource":"*","Condition":{"DateGreaterThan":{"aws:CurrentTime":"2018-08-16T12:00:00Z"}}}}';

    it.each([
      ['after', '2019-04-25T11:00:00Z', 'allowed', [{ SourcePolicyId: 'PolicyInputList.1', SourcePolicyType: 'none', StartPosition: { Line: 1, Column: 38 }, EndPosition: { Line: 1, Column: 167 } }]],
      ['before', '2014-04-25T11:00:00Z', 'implicitDeny', []],
    ])('decides a policy text with a context entry %s the date', async (_case, time, decision, matched) => {
      const { EvaluationResults } = await iam.send(new SimulateCustomPolicyCommand({
        PolicyInputList: [DATED],
        ActionNames: ['dynamodb:CreateBackup'],
        ContextEntries: [{ ContextKeyName: 'aws:CurrentTime', ContextKeyValues: [time], ContextKeyType: 'date' }],
      }));
      expect(EvaluationResults).toEqual([{ EvalActionName: 'dynamodb:CreateBackup', EvalResourceName: '*', EvalDecision: decision, MatchedStatements: matched, MissingContextValues: [] }]);
    });

    it('decides an IP condition on aws:SourceIp', async () => {
      const officeOnly = policy([{ Effect: 'Allow', Action: 'ecr:*', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } }]);
      const simulate = (ip: string) => iam.send(new SimulateCustomPolicyCommand({ PolicyInputList: [officeOnly], ActionNames: ['ecr:PutImage'], ContextEntries: [{ ContextKeyName: 'aws:SourceIp', ContextKeyValues: [ip], ContextKeyType: 'ip' }] }));
      expect([(await simulate('203.0.113.5')).EvaluationResults![0]!.EvalDecision, (await simulate('198.51.100.5')).EvaluationResults![0]!.EvalDecision]).toEqual(['allowed', 'implicitDeny']);
    });

    it('lets a resource policy naming the CallerArn allow without any identity allow', async () => {
      const { EvaluationResults } = await iam.send(new SimulateCustomPolicyCommand({
        PolicyInputList: [policy([{ Effect: 'Allow', Action: 's3:*', Resource: '*' }])],
        ActionNames: ['ecr:BatchGetImage'],
        ResourceArns: [REPO],
        ResourcePolicy: policy([{ Sid: 'Alice', Effect: 'Allow', Principal: { AWS: ALICE }, Action: 'ecr:BatchGetImage' }]),
        CallerArn: ALICE,
      }));
      expect(EvaluationResults![0]).toMatchObject({ EvalDecision: 'allowed', MatchedStatements: [{ SourcePolicyId: 'ResourcePolicy', SourcePolicyType: 'resource' }] });
    });

    it.each([
      ['a policy text that is no JSON', { PolicyInputList: ['{'], ActionNames: ['ecr:PutImage'] }, 'PolicyInputList.1 is not a valid policy: policy: is not valid JSON'],
      ['a resource policy without a CallerArn', { PolicyInputList: [policy([{ Effect: 'Allow', Action: '*', Resource: '*' }])], ActionNames: ['ecr:PutImage'], ResourcePolicy: policy([{ Effect: 'Allow', Principal: '*', Action: '*' }]) }, 'CallerArn is required when ResourcePolicy is given and PolicySourceArn is not an IAM user.'],
      ['a CallerArn that is no user', { PolicyInputList: [policy([{ Effect: 'Allow', Action: '*', Resource: '*' }])], ActionNames: ['ecr:PutImage'], CallerArn: `arn:aws:iam::${ACCOUNT}:role/deployer` }, `Invalid CallerArn arn:aws:iam::${ACCOUNT}:role/deployer: only the ARN of an IAM user can be the simulated caller.`],
    ])('refuses %s with InvalidInput', async (_case, input, message) => {
      expect(await rejection(iam.send(new SimulateCustomPolicyCommand(input)))).toEqual({ name: 'InvalidInputException', message });
    });
  });
});

describe('GetAccountAuthorizationDetails', () => {
  const env = useTestEmulator();
  let iam: IAMClient;
  let pushArn: string;

  beforeEach(async () => {
    iam = iamClient(env.emulator.endpoint, rootKeys(ACCOUNT));
    await iam.send(new CreateUserCommand({ UserName: 'alice', Tags: [{ Key: 'team', Value: 'build' }] }));
    await iam.send(new AttachUserPolicyCommand({ UserName: 'alice', PolicyArn: READ_ONLY }));
    await iam.send(new PutUserPolicyCommand({ UserName: 'alice', PolicyName: 'own', PolicyDocument: policy([{ Effect: 'Allow', Action: 'ecr:ListImages', Resource: '*' }]) }));
    await iam.send(new CreateGroupCommand({ GroupName: 'pushers' }));
    await iam.send(new AddUserToGroupCommand({ GroupName: 'pushers', UserName: 'alice' }));
    pushArn = (await iam.send(new CreatePolicyCommand({ PolicyName: 'push', Description: 'Push', PolicyDocument: policy([{ Effect: 'Allow', Action: 'ecr:PutImage', Resource: '*' }]) }))).Policy!.Arn!;
    await iam.send(new AttachGroupPolicyCommand({ GroupName: 'pushers', PolicyArn: pushArn }));
    await createRole(iam, 'deployer', trustPolicy([ACCOUNT]));
    await iam.send(new PutRolePolicyCommand({ RoleName: 'deployer', PolicyName: 'deploy', PolicyDocument: policy([{ Effect: 'Allow', Action: 'ecr:*', Resource: REPO }]) }));
  });

  it('lists users, groups, roles and the managed policies in use with their attachments and documents', async () => {
    const details = await iam.send(new GetAccountAuthorizationDetailsCommand({}));
    expect(details.UserDetailList).toEqual([
      expect.objectContaining({
        UserName: 'alice',
        Arn: ALICE,
        Tags: [{ Key: 'team', Value: 'build' }],
        GroupList: ['pushers'],
        AttachedManagedPolicies: [{ PolicyName: 'AmazonEC2ContainerRegistryReadOnly', PolicyArn: READ_ONLY }],
        UserPolicyList: [{ PolicyName: 'own', PolicyDocument: expect.any(String) }],
      }),
    ]);
    expect(decodeURIComponent(details.UserDetailList![0]!.UserPolicyList![0]!.PolicyDocument!)).toBe(policy([{ Effect: 'Allow', Action: 'ecr:ListImages', Resource: '*' }]));
    expect(details.GroupDetailList).toEqual([expect.objectContaining({ GroupName: 'pushers', AttachedManagedPolicies: [{ PolicyName: 'push', PolicyArn: pushArn }] })]);
    expect(details.RoleDetailList).toEqual([expect.objectContaining({ RoleName: 'deployer', InstanceProfileList: [], RolePolicyList: [expect.objectContaining({ PolicyName: 'deploy' })] })]);
    expect(details.Policies!.map((entry) => [entry.PolicyName, entry.AttachmentCount, entry.PolicyVersionList!.map((version) => [version.VersionId, version.IsDefaultVersion])])).toEqual([
      ['push', 1, [['v1', true]]],
      ['AmazonEC2ContainerRegistryReadOnly', 1, [[expect.any(String), true]]],
    ]);
    expect(decodeURIComponent(details.Policies![0]!.PolicyVersionList![0]!.Document!)).toBe(policy([{ Effect: 'Allow', Action: 'ecr:PutImage', Resource: '*' }]));
  });

  it('keeps only the entity types Filter names', async () => {
    const details = await iam.send(new GetAccountAuthorizationDetailsCommand({ Filter: ['Role', 'LocalManagedPolicy'] }));
    expect([details.UserDetailList ?? [], details.GroupDetailList ?? [], details.RoleDetailList!.map((role) => role.RoleName), details.Policies!.map((entry) => entry.PolicyName)]).toEqual([[], [], ['deployer'], ['push']]);
  });

  it('pages across the four lists with MaxItems and Marker', async () => {
    const first = await iam.send(new GetAccountAuthorizationDetailsCommand({ MaxItems: 2 }));
    expect([first.UserDetailList!.length, first.GroupDetailList!.length, first.RoleDetailList ?? [], first.IsTruncated]).toEqual([1, 1, [], true]);
    const rest = await iam.send(new GetAccountAuthorizationDetailsCommand({ MaxItems: 2, Marker: first.Marker! }));
    expect([rest.RoleDetailList!.map((role) => role.RoleName), rest.Policies!.map((entry) => entry.PolicyName), rest.IsTruncated]).toEqual([['deployer'], ['push'], true]);
  });
});
