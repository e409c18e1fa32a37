// IAM users, keys and managed policies, SigV4 for the keys IAM issued, and a cross-account AssumeRole, with the aws
// CLI v1 and v2 against the built CLI: one journey written once, run with each, each on its own emulator.
import { AWS_CLI_V1, AWS_CLI_V2, credentialedAwsCli, type CredentialedAwsCli } from '../helpers/credentialed-aws-cli';
import { rootCredentials, sessionCredentials, type AwsCredentials } from '../helpers/aws-credentials';
import { expectFailure, expectSuccess } from '../helpers/ecr-client-drivers';
import { startEmulatorProcess, type EmulatorProcess } from '../helpers/emulator-process';
import { allowPolicy, trustPolicy } from '../helpers/iam-policy-documents';

const USER_ACCOUNT = '111111111111';
const ROLE_ACCOUNT = '222222222222';
const USER = 'ci-user';
const OUTSIDER = 'outsider';
const ROLE = 'ci-deployer';
const SESSION = 'ci';
const USER_ARN = `arn:aws:iam::${USER_ACCOUNT}:user/${USER}`;
const OUTSIDER_ARN = `arn:aws:iam::${USER_ACCOUNT}:user/${OUTSIDER}`;
const ROLE_ARN = `arn:aws:iam::${ROLE_ACCOUNT}:role/${ROLE}`;
const POWER_USER_ARN = 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPowerUser';
const REPOSITORY = 'deployed/app';
const JOURNEY_TIMEOUT_MS = 90_000;

const userRoot = rootCredentials(USER_ACCOUNT);
const roleRoot = rootCredentials(ROLE_ACCOUNT);
// Cross-account, AWS asks both sides: the role's trust policy names the caller, and the caller's own policy allows it.
const ASSUME_ROLE_POLICY = JSON.stringify(allowPolicy(['sts:AssumeRole'], ROLE_ARN));

/** A value an earlier step of the journey stored; a clear failure when that step did not get there. */
function earlier<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`${what} is missing: an earlier step of the journey failed`);
  return value;
}

describe.each([AWS_CLI_V1, AWS_CLI_V2])('IAM and STS with the $name', (binary) => {
  let emulator: EmulatorProcess;
  let cli: CredentialedAwsCli;
  let userKeys: AwsCredentials | undefined;
  let session: AwsCredentials | undefined;

  /** Creates a user with an access key and a policy allowing it to assume the role; returns the key. */
  async function userWithKey(name: string): Promise<AwsCredentials> {
    expectSuccess(await cli.call(userRoot, 'iam', 'create-user', { userName: name }));
    const { AccessKey: key } = expectSuccess(await cli.call(userRoot, 'iam', 'create-access-key', { userName: name })) as { AccessKey: { AccessKeyId: string; SecretAccessKey: string } };
    expectSuccess(await cli.call(userRoot, 'iam', 'put-user-policy', { userName: name, policyName: 'assume-ci-deployer', policyDocument: ASSUME_ROLE_POLICY }));
    return { accessKeyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey };
  }

  beforeAll(async () => {
    emulator = await startEmulatorProcess({ memory: true });
    cli = credentialedAwsCli(binary, emulator.endpoint);
  }, 60_000);

  afterAll(async () => {
    await emulator?.stop();
  });

  test(`is the ${binary.name}`, async () => {
    expect(await cli.version()).toMatch(binary.expectedVersion);
  });

  test('create-user creates the user in the account of the calling root', async () => {
    const { User: user } = expectSuccess(await cli.call(userRoot, 'iam', 'create-user', { userName: USER })) as { User: Record<string, unknown> };
    expect(user).toMatchObject({ UserName: USER, Arn: USER_ARN, Path: '/' });
    expect(user.UserId).toMatch(/^AIDA[A-Z0-9]{17}$/);
  }, JOURNEY_TIMEOUT_MS);

  test('create-access-key issues an active AKIA key with its secret to the user', async () => {
    const { AccessKey: key } = expectSuccess(await cli.call(userRoot, 'iam', 'create-access-key', { userName: USER })) as { AccessKey: Record<string, unknown> };
    expect(key).toMatchObject({ UserName: USER, Status: 'Active' });
    expect(key.AccessKeyId).toMatch(/^AKIA[A-Z0-9]{16}$/);
    expect(key.SecretAccessKey).toMatch(/^[A-Za-z0-9/+]{40}$/);
    userKeys = { accessKeyId: key.AccessKeyId as string, secretAccessKey: key.SecretAccessKey as string };
  }, JOURNEY_TIMEOUT_MS);

  test('list-attached-user-policies shows the AWS managed policy attach-user-policy attached', async () => {
    expectSuccess(await cli.call(userRoot, 'iam', 'attach-user-policy', { userName: USER, policyArn: POWER_USER_ARN }));
    const listed = expectSuccess(await cli.call(userRoot, 'iam', 'list-attached-user-policies', { userName: USER }));
    expect(listed.AttachedPolicies).toEqual([{ PolicyName: 'AmazonEC2ContainerRegistryPowerUser', PolicyArn: POWER_USER_ARN }]);
  }, JOURNEY_TIMEOUT_MS);

  test("get-caller-identity with the user's own keys answers the user's ARN and account", async () => {
    const identity = expectSuccess(await cli.call(earlier(userKeys, "the user's key"), 'sts', 'get-caller-identity'));
    expect(identity).toMatchObject({ Arn: USER_ARN, Account: USER_ACCOUNT });
    expect(identity.UserId).toMatch(/^AIDA[A-Z0-9]{17}$/);
  }, JOURNEY_TIMEOUT_MS);

  test("get-caller-identity with the user's key and a wrong secret fails with SignatureDoesNotMatch", async () => {
    const keys = earlier(userKeys, "the user's key");
    const wrongSecret = `${keys.secretAccessKey.slice(0, -1)}${keys.secretAccessKey.endsWith('A') ? 'B' : 'A'}`;
    const result = await cli.call({ ...keys, secretAccessKey: wrongSecret }, 'sts', 'get-caller-identity');
    expect(expectFailure(result).exitCode).not.toBe(0);
    expect(result.finished.stderr).toContain('An error occurred (SignatureDoesNotMatch) when calling the GetCallerIdentity operation');
  }, JOURNEY_TIMEOUT_MS);

  test("get-session-token with the user's keys returns ASIA credentials that get-caller-identity answers as the user", async () => {
    const issued = sessionCredentials(expectSuccess(await cli.call(earlier(userKeys, "the user's key"), 'sts', 'get-session-token')));
    expect(issued.accessKeyId).toMatch(/^ASIA[A-Z0-9]{16}$/);
    expect(expectSuccess(await cli.call(issued, 'sts', 'get-caller-identity'))).toMatchObject({ Arn: USER_ARN, Account: USER_ACCOUNT });
  }, JOURNEY_TIMEOUT_MS);

  test("create-role by another account's root creates the role there with the trust policy naming the user", async () => {
    const created = expectSuccess(await cli.call(roleRoot, 'iam', 'create-role', { roleName: ROLE, assumeRolePolicyDocument: JSON.stringify(trustPolicy(USER_ARN)) }));
    const role = created.Role as Record<string, unknown>;
    expect(role).toMatchObject({ RoleName: ROLE, Arn: ROLE_ARN });
    expect(role.RoleId).toMatch(/^AROA[A-Z0-9]{17}$/);
    // botocore decodes the URL-encoded policy document IAM answers into an object.
    expect(role.AssumeRolePolicyDocument).toEqual(trustPolicy(USER_ARN));
  }, JOURNEY_TIMEOUT_MS);

  test('assume-role by the user the trust policy names returns ASIA session credentials of the role', async () => {
    expectSuccess(await cli.call(userRoot, 'iam', 'put-user-policy', { userName: USER, policyName: 'assume-ci-deployer', policyDocument: ASSUME_ROLE_POLICY }));
    const assumed = expectSuccess(await cli.call(earlier(userKeys, "the user's key"), 'sts', 'assume-role', { roleArn: ROLE_ARN, roleSessionName: SESSION }));
    session = sessionCredentials(assumed);
    expect(session.accessKeyId).toMatch(/^ASIA[A-Z0-9]{16}$/);
    expect(assumed.AssumedRoleUser).toMatchObject({ Arn: `arn:aws:sts::${ROLE_ACCOUNT}:assumed-role/${ROLE}/${SESSION}` });
    expect((assumed.AssumedRoleUser as { AssumedRoleId: string }).AssumedRoleId).toMatch(new RegExp(`^AROA[A-Z0-9]{17}:${SESSION}$`));
  }, JOURNEY_TIMEOUT_MS);

  test('get-caller-identity with the session answers the assumed-role ARN in the role account', async () => {
    const identity = expectSuccess(await cli.call(earlier(session, 'the session'), 'sts', 'get-caller-identity'));
    expect(identity).toMatchObject({ Arn: `arn:aws:sts::${ROLE_ACCOUNT}:assumed-role/${ROLE}/${SESSION}`, Account: ROLE_ACCOUNT });
    expect(identity.UserId).toMatch(new RegExp(`^AROA[A-Z0-9]{17}:${SESSION}$`));
  }, JOURNEY_TIMEOUT_MS);

  test('create-repository with the session creates the repository in the role account', async () => {
    const rolePolicy = allowPolicy(['ecr:CreateRepository', 'ecr:DescribeRepositories'], `arn:aws:ecr:*:${ROLE_ACCOUNT}:repository/*`);
    expectSuccess(await cli.call(roleRoot, 'iam', 'put-role-policy', { roleName: ROLE, policyName: 'ecr-repositories', policyDocument: JSON.stringify(rolePolicy) }));
    const { repository } = expectSuccess(await cli.call(earlier(session, 'the session'), 'ecr', 'create-repository', { repositoryName: REPOSITORY })) as { repository: Record<string, unknown> };
    expect(repository).toMatchObject({ registryId: ROLE_ACCOUNT, repositoryArn: `arn:aws:ecr:us-east-1:${ROLE_ACCOUNT}:repository/${REPOSITORY}` });
  }, JOURNEY_TIMEOUT_MS);

  test("describe-repositories with the session lists the repository in the role account, and the user's account has none", async () => {
    const described = expectSuccess(await cli.call(earlier(session, 'the session'), 'ecr', 'describe-repositories'));
    expect((described.repositories as Record<string, unknown>[]).map(({ repositoryName, registryId }) => ({ repositoryName, registryId }))).toEqual([{ repositoryName: REPOSITORY, registryId: ROLE_ACCOUNT }]);
    expect(expectSuccess(await cli.call(userRoot, 'ecr', 'describe-repositories')).repositories).toEqual([]);
  }, JOURNEY_TIMEOUT_MS);

  test('assume-role by a user the trust policy does not name is refused with AccessDenied', async () => {
    const outsider = await userWithKey(OUTSIDER);
    const refused = expectFailure(await cli.call(outsider, 'sts', 'assume-role', { roleArn: ROLE_ARN, roleSessionName: SESSION }));
    expect(refused.errorCode).toBe('AccessDenied');
    expect(refused.message).toBe(`User: ${OUTSIDER_ARN} is not authorized to perform: sts:AssumeRole on resource: ${ROLE_ARN}`);
  }, JOURNEY_TIMEOUT_MS);
});
