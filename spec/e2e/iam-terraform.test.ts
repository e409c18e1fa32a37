// Terraform with the AWS provider 5.100.0 (offline mirror) manages IAM users, keys, groups, roles and policies against
// the built CLI: apply creates them as configured, a second plan finds no drift, destroy removes them all.
import {
  GetGroupCommand,
  GetPolicyCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  GetUserCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
  ListAttachedUserPoliciesCommand,
  ListGroupsCommand,
  ListPoliciesCommand,
  ListRolesCommand,
  ListUsersCommand,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { startEmulatorProcess, type EmulatorProcess } from '../helpers/emulator-process';
import { createTerraformWorkspace, expectExitCode, terraformOutputs, type TerraformWorkspace } from '../helpers/terraform-workspace';

const ACCOUNT = '000000000000';
const USER_ARN = `arn:aws:iam::${ACCOUNT}:user/ci/tf-ci`;
const ROLE_ARN = `arn:aws:iam::${ACCOUNT}:role/tf-deployer`;
const POLICY_ARN = `arn:aws:iam::${ACCOUNT}:policy/tf-ecr-push`;
const READ_ONLY_ARN = 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly';
const RESOURCE_COUNT = 10;
const TERRAFORM_TIMEOUT_MS = 360_000;

let emulator: EmulatorProcess;
let workspace: TerraformWorkspace;
let iam: IAMClient;
let accessKey: { accessKeyId: string; secretAccessKey: string } | undefined;

const byArn = (left: { PolicyArn?: string }, right: { PolicyArn?: string }): number => (left.PolicyArn ?? '').localeCompare(right.PolicyArn ?? '');

/** An STS client signing with the key Terraform created. */
function stsWithTerraformKey(): STSClient {
  if (accessKey === undefined) throw new Error('the access key output is missing: the apply failed');
  return new STSClient({ endpoint: emulator.endpoint, region: 'us-east-1', credentials: accessKey, maxAttempts: 1 });
}

/** IAM answers policy documents URL-encoded (RFC 3986); the SDK v3 hands them over as they came. */
function policyDocument(encoded: string | undefined): unknown {
  if (encoded === undefined) throw new Error('no policy document in the answer');
  return JSON.parse(decodeURIComponent(encoded));
}

beforeAll(async () => {
  emulator = await startEmulatorProcess({ memory: true });
  iam = new IAMClient({ endpoint: emulator.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
  workspace = createTerraformWorkspace('iam-principals', { endpoint: emulator.endpoint });
}, 60_000);

afterAll(async () => {
  iam?.destroy();
  await emulator?.stop();
  workspace?.remove();
});

describe('terraform managing IAM with the AWS provider', () => {
  it('initialises offline from the provider mirror', async () => {
    const init = await workspace.run(['init', '-input=false', '-no-color']);
    expectExitCode(init, 0);
    expect(init.stdout).toContain('Installing hashicorp/aws v5.100.0');
  }, TERRAFORM_TIMEOUT_MS);

  it('applies every IAM resource', async () => {
    const apply = await workspace.run(['apply', '-input=false', '-auto-approve', '-no-color']);
    expectExitCode(apply, 0);
    expect(apply.stdout).toMatch(new RegExp(`Apply complete! Resources: ${RESOURCE_COUNT} added, 0 changed, 0 destroyed\\.`));
  }, TERRAFORM_TIMEOUT_MS);

  it("reads the root's caller identity and the ARNs of what it created into outputs", async () => {
    const { access_key_id: accessKeyId, access_key_secret: secretAccessKey, ...outputs } = await terraformOutputs(workspace);
    expect(outputs).toEqual({
      account_id: ACCOUNT,
      caller_arn: `arn:aws:iam::${ACCOUNT}:root`,
      user_arn: USER_ARN,
      group_arn: `arn:aws:iam::${ACCOUNT}:group/ci/tf-deployers`,
      role_arn: ROLE_ARN,
      policy_arn: POLICY_ARN,
    });
    expect(accessKeyId).toMatch(/^AKIA[A-Z0-9]{16}$/);
    expect(secretAccessKey).toMatch(/^[A-Za-z0-9/+]{40}$/);
    accessKey = { accessKeyId: accessKeyId as string, secretAccessKey: secretAccessKey as string };
  }, TERRAFORM_TIMEOUT_MS);

  it('creates the user on its path with its tags, in the group', async () => {
    const { User: user } = await iam.send(new GetUserCommand({ UserName: 'tf-ci' }));
    expect(user).toMatchObject({ UserName: 'tf-ci', Path: '/ci/', Arn: USER_ARN, Tags: [{ Key: 'team', Value: 'infra' }] });
    const { Users: members } = await iam.send(new GetGroupCommand({ GroupName: 'tf-deployers' }));
    expect(members?.map((member) => member.UserName)).toEqual(['tf-ci']);
  });

  it('attaches the AWS managed read-only policy and the custom policy to the user', async () => {
    const { AttachedPolicies: attached } = await iam.send(new ListAttachedUserPoliciesCommand({ UserName: 'tf-ci' }));
    expect([...(attached ?? [])].sort(byArn)).toEqual([
      { PolicyName: 'tf-ecr-push', PolicyArn: POLICY_ARN },
      { PolicyName: 'AmazonEC2ContainerRegistryReadOnly', PolicyArn: READ_ONLY_ARN },
    ]);
  });

  it('creates the custom policy from the policy document data source, attached to the user and the role', async () => {
    const { Policy: policy } = await iam.send(new GetPolicyCommand({ PolicyArn: POLICY_ARN }));
    expect(policy).toMatchObject({ PolicyName: 'tf-ecr-push', Description: 'push to the tf/ repositories', DefaultVersionId: 'v1', AttachmentCount: 2 });
  });

  it('creates the role with the trust policy naming the user, its custom policy attached and its inline policy', async () => {
    const { Role: role } = await iam.send(new GetRoleCommand({ RoleName: 'tf-deployer' }));
    expect(role).toMatchObject({ Arn: ROLE_ARN, MaxSessionDuration: 7200, Description: 'assumed by the CI user to push images' });
    expect(policyDocument(role?.AssumeRolePolicyDocument)).toEqual({
      Version: '2012-10-17',
      Statement: [{ Sid: 'AssumeFromCi', Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { AWS: USER_ARN } }],
    });
    const { AttachedPolicies: attached } = await iam.send(new ListAttachedRolePoliciesCommand({ RoleName: 'tf-deployer' }));
    expect(attached).toEqual([{ PolicyName: 'tf-ecr-push', PolicyArn: POLICY_ARN }]);
    const inline = await iam.send(new GetRolePolicyCommand({ RoleName: 'tf-deployer', PolicyName: 'describe-repositories' }));
    // The data source keeps actions in a set, so their order in the document is the provider's.
    expect(policyDocument(inline.PolicyDocument)).toEqual({
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: expect.arrayContaining(['ecr:DescribeImages', 'ecr:DescribeRepositories']), Resource: '*' }],
    });
    expect((policyDocument(inline.PolicyDocument) as { Statement: { Action: string[] }[] }).Statement[0]?.Action).toHaveLength(2);
  });

  it("signs with the access key Terraform created: get-caller-identity answers the user's ARN", async () => {
    const sts = stsWithTerraformKey();
    try {
      expect(await sts.send(new GetCallerIdentityCommand({}))).toMatchObject({ Arn: USER_ARN, Account: ACCOUNT });
    } finally {
      sts.destroy();
    }
  });

  it('plans no changes right after the apply', async () => {
    const plan = await workspace.run(['plan', '-input=false', '-detailed-exitcode', '-no-color']);
    expectExitCode(plan, 0);
    expect(plan.stdout).toContain('No changes.');
  }, TERRAFORM_TIMEOUT_MS);

  it('destroys every resource', async () => {
    const destroy = await workspace.run(['destroy', '-input=false', '-auto-approve', '-no-color']);
    expectExitCode(destroy, 0);
    expect(destroy.stdout).toMatch(new RegExp(`Destroy complete! Resources: ${RESOURCE_COUNT} destroyed\\.`));
  }, TERRAFORM_TIMEOUT_MS);

  it('leaves no user, group, role or customer managed policy after destroy', async () => {
    expect((await iam.send(new ListUsersCommand({}))).Users).toEqual([]);
    expect((await iam.send(new ListGroupsCommand({}))).Groups).toEqual([]);
    expect((await iam.send(new ListRolesCommand({}))).Roles).toEqual([]);
    expect((await iam.send(new ListPoliciesCommand({ Scope: 'Local' }))).Policies).toEqual([]);
  });

  it('refuses the deleted access key with InvalidClientTokenId', async () => {
    const sts = stsWithTerraformKey();
    try {
      await expect(sts.send(new GetCallerIdentityCommand({}))).rejects.toMatchObject({ name: 'InvalidClientTokenId' });
    } finally {
      sts.destroy();
    }
  });
});
