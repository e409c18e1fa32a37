// boto3 across accounts, the way its users write it: a user and key in one account, a role in another that trusts
// the user, sts.assume_role, and an ECR client built from the session credentials (fixtures/clients/boto3-iam-journey.py).
import path from 'node:path';
import { awsClientEnvironment } from '../helpers/ecr-client-drivers';
import { startEmulatorProcess, type EmulatorProcess } from '../helpers/emulator-process';
import { allowPolicy, trustPolicy } from '../helpers/iam-policy-documents';
import { runOrThrow } from '../helpers/run-process';

const JOURNEY_SCRIPT = path.resolve(__dirname, '../../fixtures/clients/boto3-iam-journey.py');
const USER_ACCOUNT = '111111111111';
const ROLE_ACCOUNT = '222222222222';
const USER = 'ci-user';
const ROLE = 'ci-deployer';
const SESSION = 'ci';
const REPOSITORY = 'deployed/app';
const USER_ARN = `arn:aws:iam::${USER_ACCOUNT}:user/${USER}`;
const ROLE_ARN = `arn:aws:iam::${ROLE_ACCOUNT}:role/${ROLE}`;
const ASSUMED_ROLE_ARN = `arn:aws:sts::${ROLE_ACCOUNT}:assumed-role/${ROLE}/${SESSION}`;

interface JourneyAnswer {
  versions: { boto3: string; botocore: string };
  steps: Record<string, Record<string, unknown>>;
  failure?: { step: string; code: string | null; message: string };
}

let emulator: EmulatorProcess;
let journey: JourneyAnswer;

/** What one step answered; a failure that names the step that stopped the journey when it never got there. */
function step(name: string): Record<string, unknown> {
  const answer = journey.steps[name];
  if (answer === undefined) throw new Error(`the journey stopped before ${name}: ${JSON.stringify(journey.failure ?? 'no failure reported')}`);
  return answer;
}

beforeAll(async () => {
  emulator = await startEmulatorProcess({ memory: true });
  const request = {
    endpoint: emulator.endpoint,
    userAccount: USER_ACCOUNT,
    roleAccount: ROLE_ACCOUNT,
    user: USER,
    role: ROLE,
    session: SESSION,
    repository: REPOSITORY,
    trustPolicy: trustPolicy(USER_ARN),
    // Cross-account, AWS asks both sides: the trust policy names the user, and the user's own policy allows it.
    userPolicy: allowPolicy(['sts:AssumeRole'], ROLE_ARN),
    rolePolicy: allowPolicy(['ecr:CreateRepository', 'ecr:DescribeRepositories'], `arn:aws:ecr:*:${ROLE_ACCOUNT}:repository/*`),
  };
  const finished = await runOrThrow('python3', [JOURNEY_SCRIPT], { env: awsClientEnvironment(), input: JSON.stringify(request), timeoutMs: 90_000 });
  journey = JSON.parse(finished.stdout) as JourneyAnswer;
}, 120_000);

afterAll(async () => {
  await emulator?.stop();
});

describe('IAM and STS with boto3', () => {
  test('runs boto3 1.x', () => {
    expect(journey.versions.boto3).toMatch(/^1\.\d+\.\d+$/);
  });

  test('create_user creates the user in the account of the calling root', () => {
    expect(step('createUser').User).toMatchObject({ UserName: USER, Arn: USER_ARN });
  });

  test('create_access_key issues an active AKIA key to the user', () => {
    const key = step('createAccessKey').AccessKey as Record<string, unknown>;
    expect(key).toMatchObject({ UserName: USER, Status: 'Active' });
    expect(key.AccessKeyId).toMatch(/^AKIA[A-Z0-9]{16}$/);
  });

  test("create_role by another account's root creates the role in that account", () => {
    expect(step('createRole').Role).toMatchObject({ RoleName: ROLE, Arn: ROLE_ARN });
  });

  test("get_caller_identity with the user's key answers the user's ARN and account", () => {
    expect(step('userIdentity')).toMatchObject({ Arn: USER_ARN, Account: USER_ACCOUNT });
  });

  test('assume_role by the user the trust policy names returns ASIA session credentials of the role', () => {
    const assumed = step('assumeRole');
    expect((assumed.Credentials as { AccessKeyId: string }).AccessKeyId).toMatch(/^ASIA[A-Z0-9]{16}$/);
    expect(assumed.AssumedRoleUser).toMatchObject({ Arn: ASSUMED_ROLE_ARN });
  });

  test('create_repository with an ECR client of the session creates the repository in the role account', () => {
    expect(step('createRepository').repository).toMatchObject({
      registryId: ROLE_ACCOUNT,
      repositoryName: REPOSITORY,
      repositoryArn: `arn:aws:ecr:us-east-1:${ROLE_ACCOUNT}:repository/${REPOSITORY}`,
    });
  });

  test('describe_repositories with the session lists the repository with the registryId of the role account', () => {
    const { repositories } = step('describeRepositories') as { repositories: Record<string, unknown>[] };
    expect(repositories.map(({ repositoryName, registryId }) => ({ repositoryName, registryId }))).toEqual([{ repositoryName: REPOSITORY, registryId: ROLE_ACCOUNT }]);
  });

  test('get_caller_identity with the session answers the assumed-role ARN in the role account', () => {
    expect(step('sessionIdentity')).toMatchObject({ Arn: ASSUMED_ROLE_ARN, Account: ROLE_ACCOUNT });
  });
});
