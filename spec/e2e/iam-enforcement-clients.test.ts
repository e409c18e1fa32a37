// Policies decide what real clients may do, against the built CLI started with `--iam enforce`: IAM users created
// with the aws CLI log in with `aws ecr get-login-password` (docker, podman, skopeo) and pull or push as their
// managed policies say; a role of another account pulls from A's account host because A's repository policy
// grants it, and nothing else; an explicit Deny locks one user out; `aws iam simulate-principal-policy` agrees.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { credentialEnvironment, rootCredentials, sessionCredentials, type AwsCredentials } from '../helpers/aws-credentials';
import { containerTools, expectExitZero, type ContainerTools } from '../helpers/container-tools';
import { AWS_CLI_V2, credentialedAwsCli, type CredentialedAwsCli } from '../helpers/credentialed-aws-cli';
import { startDockerDaemon, type DockerDaemon } from '../helpers/docker-daemon';
import { expectFailure, expectSuccess } from '../helpers/ecr-client-drivers';
import { startEmulatorProcess, type EmulatorProcess } from '../helpers/emulator-process';
import { trustPolicy } from '../helpers/iam-policy-documents';
import { runProcess, type ProcessResult } from '../helpers/run-process';
import { makeTestImages, sha256Of, type TestImages } from '../helpers/test-images';

const ACCOUNT = '111111111111';
const OTHER_ACCOUNT = '222222222222';
const REGION = 'us-east-1';
/** Pulled by everyone; its repository policy grants account B pulls and denies the locked-out user everything. */
const SHARED = 'shared/app';
/** Empty at the start: where pushes go. */
const PUSHED = 'team/pushed';
/** Holds an image and has no repository policy. */
const PRIVATE = 'private/app';
const READ_ONLY = 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly';
const POWER_USER = 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPowerUser';
const ROLE = 'cross-puller';
const SESSION = 'pull-from-a';
const SESSION_ARN = `arn:aws:sts::${OTHER_ACCOUNT}:assumed-role/${ROLE}/${SESSION}`;
const PULL_ACTIONS = ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability'];
const CLIENT_TIMEOUT_MS = 120_000;
const SETUP_TIMEOUT_MS = 240_000;
const TEST_TIMEOUT_MS = 180_000;
const PULLED_DIGEST = /^Digest: (sha256:[0-9a-f]{64})$/m;

const userArn = (name: string): string => `arn:aws:iam::${ACCOUNT}:user/${name}`;
const repositoryArn = (name: string): string => `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/${name}`;

type DenialReason =
  | 'no identity-based policy allows'
  | 'no resource-based policy allows'
  | 'an explicit deny in an identity-based policy'
  | 'an explicit deny in a resource-based policy';

function denialMessage(principalArn: string, action: string, resource: string, reason: DenialReason): string {
  const why = reason.startsWith('an explicit deny') ? `with ${reason}` : `because ${reason} the ${action} action`;
  return `User: ${principalArn} is not authorized to perform: ${action} on resource: ${resource} ${why}`;
}

/** A principal as the clients see it: keys for the aws CLI and the password get-login-password printed with them. */
interface Principal {
  arn: string;
  credentials: AwsCredentials;
  password: string;
}

let emulator: EmulatorProcess;
let daemon: DockerDaemon;
let work: string;
let tools: ContainerTools;
let images: TestImages;
let cli: CredentialedAwsCli;
/** A's registry at the host ECR names it by: 111111111111.dkr.ecr.us-east-1.localhost:<port>. */
let accountHost: string;
/** A hosts file naming accountHost 127.0.0.1, bound over /etc/hosts for skopeo in its own mount namespace. */
let hostsFile: string;
const root = rootCredentials(ACCOUNT);
const otherRoot = rootCredentials(OTHER_ACCOUNT);
let reader: Principal;
let pusher: Principal;
let lockedOut: Principal;
let session: Principal;

/** `aws ecr get-login-password` signed with `credentials`, trailing newline included, as it is piped to a login. */
async function loginPassword(credentials: AwsCredentials): Promise<string> {
  return expectExitZero(
    await runProcess(AWS_CLI_V2.binary, ['--endpoint-url', emulator.endpoint, '--region', REGION, 'ecr', 'get-login-password'], {
      env: credentialEnvironment(credentials),
      timeoutMs: CLIENT_TIMEOUT_MS,
    }),
  ).stdout;
}

/** A user of A with an access key and `policyArn` attached, made with the aws CLI as the root. */
async function createUser(name: string, policyArn: string): Promise<Principal> {
  expectSuccess(await cli.call(root, 'iam', 'create-user', { userName: name }));
  const { AccessKey: key } = expectSuccess(await cli.call(root, 'iam', 'create-access-key', { userName: name })) as { AccessKey: { AccessKeyId: string; SecretAccessKey: string } };
  expectSuccess(await cli.call(root, 'iam', 'attach-user-policy', { userName: name, policyArn }));
  const credentials = { accessKeyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey };
  return { arn: userArn(name), credentials, password: (await loginPassword(credentials)).trim() };
}

/** A role of B with AmazonEC2ContainerRegistryPowerUser (its own side would allow pushes too), assumed by B's root. */
async function assumeOtherAccountRole(): Promise<Principal> {
  expectSuccess(await cli.call(otherRoot, 'iam', 'create-role', { roleName: ROLE, assumeRolePolicyDocument: JSON.stringify(trustPolicy(`arn:aws:iam::${OTHER_ACCOUNT}:root`)) }));
  expectSuccess(await cli.call(otherRoot, 'iam', 'attach-role-policy', { roleName: ROLE, policyArn: POWER_USER }));
  const credentials = sessionCredentials(expectSuccess(await cli.call(otherRoot, 'sts', 'assume-role', { roleArn: `arn:aws:iam::${OTHER_ACCOUNT}:role/${ROLE}`, roleSessionName: SESSION })));
  return { arn: SESSION_ARN, credentials, password: (await loginPassword(credentials)).trim() };
}

const image = (repository: string, tag: string, host = emulator.registryHost): string => `docker://${host}/${repository}:${tag}`;
const creds = (principal: Pick<Principal, 'password'>): string => `AWS:${principal.password}`;

/** skopeo reading `repository:tag` as `principal`: the exact manifest bytes, or the refusal. */
function skopeoInspect(principal: Pick<Principal, 'password'>, repository: string, tag: string): Promise<ProcessResult> {
  return tools.skopeo(['inspect', '--raw', '--tls-verify=false', '--creds', creds(principal), image(repository, tag)]);
}

/** skopeo pushing one of the test images to `repository:tag` as `principal`. */
function skopeoPush(principal: Pick<Principal, 'password'>, source: string, repository: string, tag: string, host?: string): Promise<ProcessResult> {
  return tools.skopeo(['copy', '--dest-tls-verify=false', '--dest-creds', creds(principal), source, image(repository, tag, host)]);
}

/** skopeo in a mount namespace of its own where accountHost resolves, as docker-daemon.ts does for dockerd. */
function skopeoAtAccountHost(args: readonly string[]): Promise<ProcessResult> {
  return runProcess('unshare', ['--mount', 'sh', '-c', 'mount --bind "$0" /etc/hosts && exec "$@"', hostsFile, 'skopeo', ...args], {
    env: tools.environment,
    timeoutMs: CLIENT_TIMEOUT_MS,
  });
}

async function imageDigestOf(repository: string, tag: string): Promise<string | undefined> {
  const described = await cli.call(root, 'ecr', 'describe-images', { repositoryName: repository, imageIds: [{ imageTag: tag }] });
  if (!described.isOk) return undefined;
  return (described.output.imageDetails as { imageDigest: string }[])[0]?.imageDigest;
}

const docker = (args: readonly string[], input?: string): Promise<ProcessResult> => daemon.docker(args, input);

/** The reader's docker login and pull of SHARED:v1, once, for the docker tests that need the image locally. */
let readerPull: Promise<ProcessResult> | undefined;
function pulledByReader(): Promise<ProcessResult> {
  readerPull ??= (async () => {
    expectExitZero(await docker(['login', '--username', 'AWS', '--password-stdin', emulator.registryHost], `${reader.password}\n`));
    return docker(['pull', `${emulator.registryHost}/${SHARED}:v1`]);
  })();
  return readerPull;
}

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'ecr-iam-enforcement-'));
  tools = containerTools(work);
  images = await makeTestImages(path.join(work, 'images'));
  const accountHostName = `${ACCOUNT}.dkr.ecr.${REGION}.localhost`;
  const [startedEmulator, startedDaemon] = await Promise.allSettled([
    startEmulatorProcess({ memory: true, args: ['--iam', 'enforce'] }),
    startDockerDaemon({ hostNames: [accountHostName] }),
  ]);
  if (startedEmulator.status === 'fulfilled') emulator = startedEmulator.value;
  if (startedDaemon.status === 'fulfilled') daemon = startedDaemon.value;
  for (const started of [startedEmulator, startedDaemon]) if (started.status === 'rejected') throw started.reason;
  accountHost = `${accountHostName}:${emulator.port}`;
  hostsFile = path.join(work, 'hosts');
  writeFileSync(hostsFile, ['127.0.0.1 localhost', `127.0.0.1 ${accountHostName}`, '::1 localhost ip6-localhost', ''].join('\n'));
  cli = credentialedAwsCli(AWS_CLI_V2, emulator.endpoint);

  for (const repository of [SHARED, PUSHED, PRIVATE]) expectSuccess(await cli.call(root, 'ecr', 'create-repository', { repositoryName: repository }));
  const rootPrincipal = { password: (await loginPassword(root)).trim() };
  for (const repository of [SHARED, PRIVATE]) expectExitZero(await skopeoPush(rootPrincipal, images.v2s2.reference, repository, 'v1'));

  reader = await createUser('reader', READ_ONLY);
  pusher = await createUser('pusher', POWER_USER);
  lockedOut = await createUser('locked-out', POWER_USER);
  session = await assumeOtherAccountRole();
  const sharedPolicy = {
    Version: '2012-10-17',
    Statement: [
      { Sid: 'PullFromB', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OTHER_ACCOUNT}:root` }, Action: PULL_ACTIONS },
      { Sid: 'LockOut', Effect: 'Deny', Principal: { AWS: lockedOut.arn }, Action: 'ecr:*' },
    ],
  };
  expectSuccess(await cli.call(root, 'ecr', 'set-repository-policy', { repositoryName: SHARED, policyText: JSON.stringify(sharedPolicy) }));
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  await Promise.all([daemon?.stop(), emulator?.stop()]);
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
}, 60_000);

describe('a user with AmazonEC2ContainerRegistryReadOnly', () => {
  it('skopeo pulls the image the root pushed with the password of get-login-password', async () => {
    const directory = path.join(work, 'pulled-by-reader');
    expectExitZero(await tools.skopeo(['copy', '--src-tls-verify=false', '--src-creds', creds(reader), image(SHARED, 'v1'), `dir:${directory}`]));
    expect(sha256Of(readFileSync(path.join(directory, 'manifest.json')))).toBe(images.v2s2.digest);
  }, TEST_TIMEOUT_MS);

  it('skopeo push is refused: denied, not authorized to perform ecr:InitiateLayerUpload', async () => {
    const push = await skopeoPush(reader, images.single.reference, PUSHED, 'by-reader');
    expect(push.exitCode).not.toBe(0);
    expect(push.stderr).toContain(`denied: ${denialMessage(reader.arn, 'ecr:InitiateLayerUpload', repositoryArn(PUSHED), 'no identity-based policy allows')}`);
    expect(await imageDigestOf(PUSHED, 'by-reader')).toBeUndefined();
  }, TEST_TIMEOUT_MS);

  it('podman logs in with the password on stdin and pulls the image the root pushed', async () => {
    const authFile = path.join(work, 'podman-reader-auth.json');
    expectExitZero(await tools.podman(['login', '--tls-verify=false', '--authfile', authFile, '--username', 'AWS', '--password-stdin', emulator.registryHost], `${reader.password}\n`));
    const reference = `${emulator.registryHost}/${SHARED}:v1`;
    expectExitZero(await tools.podman(['pull', '--quiet', '--tls-verify=false', '--authfile', authFile, reference]));
    const [inspected] = JSON.parse(expectExitZero(await tools.podman(['image', 'inspect', reference])).stdout) as { Digest: string }[];
    expect(inspected?.Digest).toBe(images.v2s2.digest);
  }, TEST_TIMEOUT_MS);

  it('docker logs in with get-login-password and pulls the image the root pushed', async () => {
    const pull = expectExitZero(await pulledByReader());
    expect(PULLED_DIGEST.exec(pull.stdout)?.[1]).toBe(images.v2s2.digest);
  }, TEST_TIMEOUT_MS);

  it('docker push is refused: denied, not authorized to perform ecr:InitiateLayerUpload', async () => {
    expectExitZero(await pulledByReader());
    const target = `${emulator.registryHost}/${PUSHED}:by-reader-docker`;
    expectExitZero(await docker(['tag', `${emulator.registryHost}/${SHARED}:v1`, target]));
    const push = await docker(['push', target]);
    expect(push.exitCode).not.toBe(0);
    expect(push.stderr).toContain(`denied: ${denialMessage(reader.arn, 'ecr:InitiateLayerUpload', repositoryArn(PUSHED), 'no identity-based policy allows')}`);
  }, TEST_TIMEOUT_MS);
});

describe('a user with AmazonEC2ContainerRegistryPowerUser', () => {
  it('skopeo pushes an image, which the root then describes with the same digest', async () => {
    expectExitZero(await skopeoPush(pusher, images.single.reference, PUSHED, 'by-pusher'));
    expect(await imageDigestOf(PUSHED, 'by-pusher')).toBe(images.single.digest);
  }, TEST_TIMEOUT_MS);

  it('aws ecr delete-repository is refused with AccessDeniedException, and the repository stays', async () => {
    const refused = expectFailure(await cli.call(pusher.credentials, 'ecr', 'delete-repository', { repositoryName: PUSHED, force: true }));
    expect(refused).toMatchObject({
      errorCode: 'AccessDeniedException',
      message: denialMessage(pusher.arn, 'ecr:DeleteRepository', repositoryArn(PUSHED), 'no identity-based policy allows'),
    });
    expectSuccess(await cli.call(root, 'ecr', 'describe-repositories', { repositoryNames: [PUSHED] }));
  }, TEST_TIMEOUT_MS);
});

describe("a role session of account B, granted pulls by A's repository policy", () => {
  it("skopeo pulls from A's account host with the session's password", async () => {
    const directory = path.join(work, 'pulled-by-b');
    expectExitZero(await skopeoAtAccountHost(['copy', '--src-tls-verify=false', '--src-creds', creds(session), image(SHARED, 'v1', accountHost), `dir:${directory}`]));
    expect(sha256Of(readFileSync(path.join(directory, 'manifest.json')))).toBe(images.v2s2.digest);
  }, TEST_TIMEOUT_MS);

  it("docker logs in at A's account host and pulls", async () => {
    expectExitZero(await docker(['login', '--username', 'AWS', '--password-stdin', accountHost], `${session.password}\n`));
    const pull = expectExitZero(await docker(['pull', `${accountHost}/${SHARED}:v1`]));
    expect(PULLED_DIGEST.exec(pull.stdout)?.[1]).toBe(images.v2s2.digest);
  }, TEST_TIMEOUT_MS);

  it("skopeo push to the granted repository is refused: A's policy allows no ecr:PutImage", async () => {
    const push = await skopeoAtAccountHost(['copy', '--dest-tls-verify=false', '--dest-creds', creds(session), images.v2s2.reference, image(SHARED, 'from-b', accountHost)]);
    expect(push.exitCode).not.toBe(0);
    expect(push.stderr).toContain(`denied: ${denialMessage(SESSION_ARN, 'ecr:PutImage', repositoryArn(SHARED), 'no resource-based policy allows')}`);
    expect(await imageDigestOf(SHARED, 'from-b')).toBeUndefined();
  }, TEST_TIMEOUT_MS);

  it('skopeo pull from a repository of A without a policy is refused: no resource-based policy allows ecr:BatchGetImage', async () => {
    const pull = await skopeoAtAccountHost(['inspect', '--raw', '--tls-verify=false', '--creds', creds(session), image(PRIVATE, 'v1', accountHost)]);
    expect(pull.exitCode).not.toBe(0);
    expect(pull.stderr).toContain(`denied: ${denialMessage(SESSION_ARN, 'ecr:BatchGetImage', repositoryArn(PRIVATE), 'no resource-based policy allows')}`);
  }, TEST_TIMEOUT_MS);
});

describe('a user a repository policy denies explicitly', () => {
  it('skopeo pull of that repository is refused: explicit deny in a resource-based policy, despite AmazonEC2ContainerRegistryPowerUser', async () => {
    const pull = await skopeoInspect(lockedOut, SHARED, 'v1');
    expect(pull.exitCode).not.toBe(0);
    expect(pull.stderr).toContain(`denied: ${denialMessage(lockedOut.arn, 'ecr:BatchGetImage', repositoryArn(SHARED), 'an explicit deny in a resource-based policy')}`);
  }, TEST_TIMEOUT_MS);

  it('aws ecr describe-images of that repository is refused with AccessDeniedException', async () => {
    const refused = expectFailure(await cli.call(lockedOut.credentials, 'ecr', 'describe-images', { repositoryName: SHARED }));
    expect(refused).toMatchObject({
      errorCode: 'AccessDeniedException',
      message: denialMessage(lockedOut.arn, 'ecr:DescribeImages', repositoryArn(SHARED), 'an explicit deny in a resource-based policy'),
    });
  }, TEST_TIMEOUT_MS);

  it('a user the policy does not name pulls the same image', async () => {
    const pull = expectExitZero(await skopeoInspect(pusher, SHARED, 'v1'));
    expect(sha256Of(pull.stdout)).toBe(images.v2s2.digest);
  }, TEST_TIMEOUT_MS);
});

describe('aws iam simulate-principal-policy', () => {
  // Each case does the request with a real client, then asks the simulator the same question.
  const CASES: [string, string, string, 'allowed' | 'implicitDeny', () => Principal, () => Promise<ProcessResult>][] = [
    ['the reader', 'ecr:BatchGetImage', SHARED, 'allowed', () => reader, () => skopeoInspect(reader, SHARED, 'v1')],
    ['the reader', 'ecr:InitiateLayerUpload', PUSHED, 'implicitDeny', () => reader, () => skopeoPush(reader, images.single.reference, PUSHED, 'simulated-reader')],
    // The multi image's platform layer is in no repository yet, so the push has to upload it.
    ['the pusher', 'ecr:InitiateLayerUpload', PUSHED, 'allowed', () => pusher, () => skopeoPush(pusher, images.multi.reference, PUSHED, 'simulated-pusher')],
  ];

  it.each(CASES)('answers for %s, %s on %s, %s, as the data plane did', async (_name, action, repository, expected, principalOf, dataPlane) => {
    const observed = (await dataPlane()).exitCode === 0 ? 'allowed' : 'implicitDeny';
    const simulated = expectSuccess(
      await cli.call(root, 'iam', 'simulate-principal-policy', { policySourceArn: principalOf().arn, actionNames: [action], resourceArns: [repositoryArn(repository)] }),
    );
    const results = simulated.EvaluationResults as { EvalActionName: string; EvalResourceName: string; EvalDecision: string }[];
    expect(results).toEqual([expect.objectContaining({ EvalActionName: action, EvalResourceName: repositoryArn(repository), EvalDecision: observed })]);
    expect(observed).toBe(expected);
  }, TEST_TIMEOUT_MS);
});
