// docker against the emulator as its users drive it: log in with `aws ecr get-login` (CLI v1, run verbatim) and
// `aws ecr get-login-password | docker login --password-stdin`, push a three-layer image built offline (FROM
// scratch), tag it again, pull it by tag and by digest, inspect its manifest, hit an immutable tag, log out, and
// be refused with a wrong, a foreign or an expired token. dockerd is private to this file (spec/helpers/docker-daemon.ts).
import { copyFileSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { accountRoot } from '../../src/auth/principal';
import { createRegistryTokens } from '../../src/auth/registry-token';
import { dataDirLayout } from '../../src/store/fs/layout';
import { expectExitZero } from '../helpers/container-tools';
import { startDockerDaemon, storeCredentials, storedCredentials, type DockerDaemon } from '../helpers/docker-daemon';
import { awsClientEnvironment } from '../helpers/ecr-client-drivers';
import { startEmulatorProcess, type EmulatorProcess } from '../helpers/emulator-process';
import { DOCKER_CONFIG, DOCKER_LAYER, DOCKER_MANIFEST, sha256 } from '../helpers/registry-client';
import { requireExecutable, runProcess, type ProcessResult } from '../helpers/run-process';

const ACCOUNT = '000000000000';
/** The access key id that selects this other account. */
const OTHER_ACCOUNT = '111111111111';
const REGION = 'us-east-1';
const OTHER_REGION = 'us-west-2';
const JOURNEY_REPOSITORY = 'docker/journey';
const SECOND_REPOSITORY = 'docker/second';
const IMMUTABLE_REPOSITORY = 'docker/immutable';
const AWS_CLI_V1 = 'aws';
const AWS_CLI_V2 = '/usr/bin/aws';
const CLIENT_TIMEOUT_MS = 90_000;
const SETUP_TIMEOUT_MS = 120_000;
const LAYER_COUNT = 3;
// What dockerd prints per layer on push; `Mounted from <repository>` when the registry accepted a cross-repository mount.
const LAYER_LINE = /^([0-9a-f]{12}): (Pushed|Layer already exists|Mounted from \S+)$/gm;
const PUSHED_DIGEST = /^\S+: digest: (sha256:[0-9a-f]{64}) size: \d+$/m;
const PULLED_DIGEST = /^Digest: (sha256:[0-9a-f]{64})$/m;
const EXPIRED = 'denied: Your authorization token has expired. Reauthenticate and try again.';

let emulator: EmulatorProcess;
let daemon: DockerDaemon;
/** The host of the repositoryUri CreateRepository returns, e.g. localhost:41234. */
let registryHost: string;
/** ECR's own form of the registry host, naming the account: 000000000000.dkr.ecr.us-east-1.localhost:41234. */
let accountHost: string;
/** The plain address, 127.0.0.1:41234. */
let addressHost: string;
let journeyUri: string;
/** The two local images: `one` is pushed everywhere; `two` shares its first two layers and differs in the third. */
const localImages = { one: 'local/layered:one', two: 'local/layered:two' };
/** RootFS diff ids of image one, to compare with what a pull brings back. */
let layersOfOne: string[];
/** The digest `docker push` reported for image one. */
let pushedDigest: string;

function aws(binary: string, args: readonly string[], accessKeyId = 'test', region = REGION): Promise<ProcessResult> {
  return runProcess(binary, ['ecr', ...args, '--endpoint-url', emulator.endpoint, '--region', region], {
    env: awsClientEnvironment(accessKeyId),
    timeoutMs: CLIENT_TIMEOUT_MS,
  });
}

async function awsJson(args: readonly string[]): Promise<Record<string, unknown>> {
  return JSON.parse(expectExitZero(await aws(AWS_CLI_V2, [...args, '--output', 'json'])).stdout) as Record<string, unknown>;
}

const docker = (args: readonly string[], input?: string): Promise<ProcessResult> => daemon.docker(args, input);

/** `docker login` with the password as `aws ecr get-login-password` prints it (trailing newline included). */
async function loginWithPassword(registry: string, accessKeyId = 'test'): Promise<{ password: string; login: ProcessResult }> {
  const password = expectExitZero(await aws(AWS_CLI_V2, ['get-login-password'], accessKeyId)).stdout;
  const login = await docker(['login', '--username', 'AWS', '--password-stdin', registry], password);
  return { password: password.trim(), login };
}

/** Per-layer status lines of a `docker push`, in the order printed. */
function layerStatuses(push: ProcessResult): string[] {
  return [...push.stdout.matchAll(LAYER_LINE)].map((match) => match[2]!);
}

function pushDigest(push: ProcessResult): string {
  const match = PUSHED_DIGEST.exec(push.stdout);
  if (match === null) throw new Error(`\`${push.command}\` printed no digest line\n${push.stdout}`);
  return match[1]!;
}

async function pushAs(localImage: string, target: string): Promise<ProcessResult> {
  expectExitZero(await docker(['tag', localImage, target]));
  return docker(['push', target]);
}

async function digestOfTag(repository: string, tag: string): Promise<string> {
  const { imageDetails } = await awsJson(['describe-images', '--repository-name', repository, '--image-ids', `imageTag=${tag}`]);
  return (imageDetails as { imageDigest: string }[])[0]!.imageDigest;
}

async function imageInspect(reference: string): Promise<{ Id: string; RepoDigests: string[]; RootFS: { Layers: string[] } }> {
  const [inspected] = JSON.parse(expectExitZero(await docker(['image', 'inspect', reference])).stdout) as { Id: string; RepoDigests: string[]; RootFS: { Layers: string[] } }[];
  return inspected!;
}

/** Removes every local image, so the next pull has to download every layer. */
async function removeAllLocalImages(): Promise<void> {
  // Top-level images only: removing one removes its untagged build parents, which `rm` would then not find.
  const ids = expectExitZero(await docker(['images', '--quiet', '--no-trunc'])).stdout.split('\n').filter(Boolean);
  if (ids.length > 0) expectExitZero(await docker(['image', 'rm', '--force', ...new Set(ids)]));
  expect(expectExitZero(await docker(['images', '--all', '--quiet'])).stdout.trim()).toBe('');
}

/**
 * A build context of small files with fixed bytes and mtimes, and two Dockerfiles FROM scratch with one COPY per
 * layer: busybox, a data file, and a third file that tells the two images apart. Nothing is downloaded.
 */
function writeBuildContext(directory: string): void {
  mkdirSync(directory, { recursive: true });
  copyFileSync(requireExecutable('/bin/busybox'), path.join(directory, 'busybox'));
  writeFileSync(path.join(directory, 'data.txt'), 'shared by both images\n');
  writeFileSync(path.join(directory, 'one.txt'), 'image one\n');
  writeFileSync(path.join(directory, 'two.txt'), 'image two\n');
  for (const name of ['busybox', 'data.txt', 'one.txt', 'two.txt']) utimesSync(path.join(directory, name), 1_700_000_000, 1_700_000_000);
  for (const variant of ['one', 'two']) {
    writeFileSync(
      path.join(directory, `Dockerfile.${variant}`),
      ['FROM scratch', 'COPY busybox /bin/busybox', 'COPY data.txt /data/shared.txt', `COPY ${variant}.txt /data/variant.txt`, 'CMD ["/bin/busybox", "cat", "/data/variant.txt"]', ''].join('\n'),
    );
  }
}

/** `docker build` (the legacy builder, offline) of one of the two images from the context writeBuildContext made. */
async function buildImage(variant: keyof typeof localImages): Promise<void> {
  const context = path.join(daemon.work, 'context');
  expectExitZero(await docker(['build', '--quiet', '--file', path.join(context, `Dockerfile.${variant}`), '--tag', localImages[variant], context]));
}

beforeAll(async () => {
  // Both take a second or two; started together. A failure of either fails the file with its message.
  const [startedEmulator, startedDaemon] = await Promise.allSettled([
    startEmulatorProcess(),
    startDockerDaemon({ hostNames: [`${ACCOUNT}.dkr.ecr.${REGION}.localhost`, `${OTHER_ACCOUNT}.dkr.ecr.${REGION}.localhost`] }),
  ]);
  if (startedEmulator.status === 'fulfilled') emulator = startedEmulator.value;
  if (startedDaemon.status === 'fulfilled') daemon = startedDaemon.value;
  for (const started of [startedEmulator, startedDaemon]) if (started.status === 'rejected') throw started.reason;

  const { repository } = await awsJson(['create-repository', '--repository-name', JOURNEY_REPOSITORY]);
  journeyUri = (repository as { repositoryUri: string }).repositoryUri;
  registryHost = journeyUri.slice(0, journeyUri.indexOf('/'));
  accountHost = `${ACCOUNT}.dkr.ecr.${REGION}.localhost:${emulator.port}`;
  addressHost = `127.0.0.1:${emulator.port}`;
  await awsJson(['create-repository', '--repository-name', SECOND_REPOSITORY]);
  await awsJson(['create-repository', '--repository-name', IMMUTABLE_REPOSITORY, '--image-tag-mutability', 'IMMUTABLE']);

  writeBuildContext(path.join(daemon.work, 'context'));
  await buildImage('one');
  layersOfOne = (await imageInspect(localImages.one)).RootFS.Layers;
  expect(layersOfOne).toHaveLength(LAYER_COUNT);
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  await Promise.all([daemon?.stop(), emulator?.stop()]);
});

describe('docker login', () => {
  it('runs the command `aws ecr get-login --no-include-email` (CLI v1) prints, verbatim: Login Succeeded', async () => {
    const version = await runProcess(AWS_CLI_V1, ['--version'], { env: awsClientEnvironment(), timeoutMs: CLIENT_TIMEOUT_MS });
    expect(`${version.stdout}${version.stderr}`).toMatch(/^aws-cli\/1\./);
    const command = expectExitZero(await aws(AWS_CLI_V1, ['get-login', '--no-include-email'])).stdout.trim();
    const parsed = /^docker login -u AWS -p (\S+) http:\/\/(\S+)$/.exec(command);
    expect(parsed?.[2]).toBe(registryHost);

    const login = expectExitZero(await daemon.shell(command));
    expect(login.stdout).toContain('Login Succeeded');
    expect(storedCredentials(daemon, registryHost)).toBe(`AWS:${parsed![1]!}`);
  });

  it.each([
    ['the plain address 127.0.0.1:<port>', () => addressHost],
    ['the account host <account>.dkr.ecr.<region>.localhost:<port>', () => accountHost],
  ])('accepts the password of aws ecr get-login-password on --password-stdin at %s', async (_name, host) => {
    const { password, login } = await loginWithPassword(host());
    expectExitZero(login);
    expect(login.stdout).toContain('Login Succeeded');
    expect(storedCredentials(daemon, host())).toBe(`AWS:${password}`);
  });
});

describe('docker push', () => {
  it('uploads every layer of a three-layer image to the repositoryUri ("Pushed"); ECR records the digest docker reports', async () => {
    const push = expectExitZero(await pushAs(localImages.one, `${journeyUri}:v1`));
    expect(layerStatuses(push)).toEqual(Array(LAYER_COUNT).fill('Pushed'));
    pushedDigest = pushDigest(push);

    const { imageDetails } = await awsJson(['describe-images', '--repository-name', JOURNEY_REPOSITORY]);
    expect(imageDetails).toEqual([expect.objectContaining({ imageDigest: pushedDigest, imageTags: ['v1'], imageManifestMediaType: DOCKER_MANIFEST })]);
    const { images, failures } = await awsJson(['batch-get-image', '--repository-name', JOURNEY_REPOSITORY, '--image-ids', 'imageTag=v1']);
    expect(failures).toEqual([]);
    const manifest = (images as { imageManifest: string }[])[0]!.imageManifest;
    expect(sha256(manifest)).toBe(pushedDigest);
    expect((JSON.parse(manifest) as { layers: unknown[] }).layers).toHaveLength(LAYER_COUNT);
  });

  it('pushes a second tag of the same image without uploading ("Layer already exists"); both tags are on one digest', async () => {
    const push = expectExitZero(await pushAs(localImages.one, `${journeyUri}:v2`));
    expect(layerStatuses(push)).toEqual(Array(LAYER_COUNT).fill('Layer already exists'));
    expect(pushDigest(push)).toBe(pushedDigest);

    const { imageDetails } = await awsJson(['describe-images', '--repository-name', JOURNEY_REPOSITORY]);
    expect(imageDetails).toHaveLength(1);
    expect(imageDetails).toEqual([expect.objectContaining({ imageDigest: pushedDigest })]);
    expect([...(imageDetails as { imageTags: string[] }[])[0]!.imageTags].sort()).toEqual(['v1', 'v2']);
  });

  it.each([
    ['the plain address 127.0.0.1:<port>', 'via-address', () => addressHost],
    ['the account host', 'via-account-host', () => accountHost],
  ])('pushes through %s into the same repository, with the same digest', async (_name, tag, host) => {
    const push = expectExitZero(await pushAs(localImages.one, `${host()}/${JOURNEY_REPOSITORY}:${tag}`));
    expect(layerStatuses(push)).toEqual(Array(LAYER_COUNT).fill('Layer already exists'));
    expect(pushDigest(push)).toBe(pushedDigest);
    expect(await digestOfTag(JOURNEY_REPOSITORY, tag)).toBe(pushedDigest);
  });

  it('uploads every layer again into a second repository ("Pushed", not "Mounted from"): ECR does not mount blobs across repositories by default', async () => {
    const push = expectExitZero(await pushAs(localImages.one, `${registryHost}/${SECOND_REPOSITORY}:v1`));
    expect(layerStatuses(push)).toEqual(Array(LAYER_COUNT).fill('Pushed'));
    expect(pushDigest(push)).toBe(pushedDigest);
    expect(await digestOfTag(SECOND_REPOSITORY, 'v1')).toBe(pushedDigest);
  });
});

describe('docker pull', () => {
  it('pulls by tag after every local image is removed: every layer downloaded, the digest the one pushed', async () => {
    await removeAllLocalImages();
    const pull = expectExitZero(await docker(['pull', `${journeyUri}:v1`]));
    expect(PULLED_DIGEST.exec(pull.stdout)?.[1]).toBe(pushedDigest);
    expect(pull.stdout.match(/: Pull complete$/gm)).toHaveLength(LAYER_COUNT);
    const pulled = await imageInspect(`${journeyUri}:v1`);
    expect(pulled.RepoDigests).toContain(`${journeyUri}@${pushedDigest}`);
    expect(pulled.RootFS.Layers).toEqual(layersOfOne);
  });

  it('pulls by digest (repository@sha256:...) the same image', async () => {
    await removeAllLocalImages();
    const reference = `${journeyUri}@${pushedDigest}`;
    const pull = expectExitZero(await docker(['pull', reference]));
    expect(PULLED_DIGEST.exec(pull.stdout)?.[1]).toBe(pushedDigest);
    const pulled = await imageInspect(reference);
    expect(pulled.RepoDigests).toEqual([reference]);
    expect(pulled.RootFS.Layers).toEqual(layersOfOne);
  });

  it('docker manifest inspect --insecure shows the manifest BatchGetImage returns', async () => {
    const inspected = JSON.parse(expectExitZero(await docker(['manifest', 'inspect', '--insecure', `${journeyUri}:v1`])).stdout) as unknown;
    const { images } = await awsJson(['batch-get-image', '--repository-name', JOURNEY_REPOSITORY, '--image-ids', `imageDigest=${pushedDigest}`]);
    const stored = JSON.parse((images as { imageManifest: string }[])[0]!.imageManifest) as { config: { digest: string } };
    expect(inspected).toEqual(stored);
    expect(inspected).toMatchObject({ schemaVersion: 2, mediaType: DOCKER_MANIFEST, config: { mediaType: DOCKER_CONFIG } });
    expect((inspected as { layers: { mediaType: string }[] }).layers.map((layer) => layer.mediaType)).toEqual(Array(LAYER_COUNT).fill(DOCKER_LAYER));
    expect(stored.config.digest).toBe((await imageInspect(`${journeyUri}@${pushedDigest}`)).Id);
  });
});

describe('an immutable repository', () => {
  it('refuses a push of a different image to an existing tag with tag invalid, and keeps the first image', async () => {
    const target = `${registryHost}/${IMMUTABLE_REPOSITORY}:v1`;
    // The pulls above removed the local builds; the image pulled by digest is still here.
    const first = pushDigest(expectExitZero(await pushAs(`${journeyUri}@${pushedDigest}`, target)));
    expect(first).toBe(pushedDigest);

    await buildImage('two');
    const refused = await pushAs(localImages.two, target);
    expect(refused.exitCode).not.toBe(0);
    expect(refused.stderr).toContain(`tag invalid: The image tag 'v1' already exists in the '${IMMUTABLE_REPOSITORY}' repository and cannot be overwritten because the repository is immutable.`);
    expect(await digestOfTag(IMMUTABLE_REPOSITORY, 'v1')).toBe(first);
  });
});

describe('refused credentials', () => {
  it('docker logout forgets the credentials, and the next pull is refused with no basic auth credentials', async () => {
    const logout = expectExitZero(await docker(['logout', registryHost]));
    expect(logout.stdout).toContain(`Removing login credentials for ${registryHost}`);
    expect(storedCredentials(daemon, registryHost)).toBeUndefined();
    const pull = await docker(['pull', `${journeyUri}:v1`]);
    expect(pull.exitCode).not.toBe(0);
    expect(pull.stderr).toContain('no basic auth credentials');
  });

  it.each([
    ['a password that is no token', (): string => 'not-a-token'],
    ['a token with a forged signature', (): string => `${issuedToken().split('.')[0]!}.${'A'.repeat(43)}`],
  ])('docker login with %s is refused as 401 Unauthorized and stores nothing', async (_name, password) => {
    const login = await docker(['login', '--username', 'AWS', '--password-stdin', registryHost], `${password()}\n`);
    expect(login.exitCode).not.toBe(0);
    expect(login.stderr).toMatch(/login attempt to http:\/\/\S+\/v2\/ failed with status: 401 Unauthorized/);
    expect(storedCredentials(daemon, registryHost)).toBeUndefined();
  });

  it.each([
    ['pull', (): Promise<ProcessResult> => docker(['pull', `${journeyUri}:v1`])],
    ['push', async (): Promise<ProcessResult> => {
      await buildImage('two');
      return pushAs(localImages.two, `${journeyUri}:expired`);
    }],
  ])('docker %s with a token that has expired is denied: Your authorization token has expired', async (_name, run) => {
    storeCredentials(daemon, registryHost, issuedToken(new Date(Date.now() - 60 * 60 * 1000)));
    const refused = await run();
    expect(refused.exitCode).not.toBe(0);
    expect(refused.stderr).toContain(EXPIRED);
  });

  it("a token of another account logs in at this account's registry host, but its pull is denied: no repository policy allows it", async () => {
    const foreign = await loginWithPassword(accountHost, OTHER_ACCOUNT);
    // ECR: a token opens every registry of its region; what the principal may do there is the policy question.
    expect(expectExitZero(foreign.login).stdout).toContain('Login Succeeded');
    const pull = await docker(['pull', `${accountHost}/${JOURNEY_REPOSITORY}:v1`]);
    expect(pull.exitCode).not.toBe(0);
    expect(pull.stderr).toContain(
      `denied: User: arn:aws:iam::${OTHER_ACCOUNT}:root is not authorized to perform: ecr:BatchGetImage on resource: arn:aws:ecr:${REGION}:${ACCOUNT}:repository/${JOURNEY_REPOSITORY}`,
    );
  });

  it('a token of another region is refused at this region\'s registry host as 400 Bad Request', async () => {
    const password = expectExitZero(await aws(AWS_CLI_V2, ['get-login-password'], 'test', OTHER_REGION)).stdout;
    const login = await docker(['login', '--username', 'AWS', '--password-stdin', accountHost], password);
    expect(login.exitCode).not.toBe(0);
    expect(login.stderr).toMatch(/login attempt to http:\/\/\S+\/v2\/ failed with status: 400 Bad Request/);
  });
});

/**
 * A registry token the emulator itself would issue, signed with the secret in its data dir: the only way to hold
 * one that has already expired without waiting for --token-ttl to pass.
 */
function issuedToken(expiresAt = new Date(Date.now() + 60 * 60 * 1000)): string {
  const secret = readFileSync(dataDirLayout(emulator.dataDir!).tokenSecret);
  return createRegistryTokens(secret).issue(accountRoot(ACCOUNT), REGION, expiresAt);
}
