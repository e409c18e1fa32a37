// docker pulls through the emulator's pull-through cache: the upstream is Debian's docker-registry standing in for
// quay.io (--upstream), holding the deterministic Docker schema 2 test image; the pulled image has the upstream's
// digest and image id, ECR lists it, and once the upstream is gone a fresh pull is served from the cache.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { containerTools, expectExitZero } from '../helpers/container-tools';
import { startDockerDaemon, type DockerDaemon } from '../helpers/docker-daemon';
import { awsClientEnvironment } from '../helpers/ecr-client-drivers';
import { startEmulatorProcess, type EmulatorProcess } from '../helpers/emulator-process';
import { DOCKER_MANIFEST } from '../helpers/registry-client';
import { startReferenceRegistry, type ReferenceRegistry } from '../helpers/reference-registry';
import { runProcess, type ProcessResult } from '../helpers/run-process';
import { makeTestImages, sha256Of } from '../helpers/test-images';

const AWS_CLI_V2 = '/usr/bin/aws';
const UPSTREAM_REPOSITORY = 'team/app';
const CACHE_REPOSITORY = `quay/${UPSTREAM_REPOSITORY}`;
const TAG = '1.0';
const CLIENT_TIMEOUT_MS = 90_000;
const SETUP_TIMEOUT_MS = 180_000;
const PULLED_DIGEST = /^Digest: (sha256:[0-9a-f]{64})$/m;

let upstream: ReferenceRegistry | undefined;
let emulator: EmulatorProcess | undefined;
let daemon: DockerDaemon | undefined;
let work: string;
/** The manifest digest and config digest (docker's image id) of the image as the upstream holds it. */
let upstreamImage: { digest: string; configDigest: string };

function started<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`${what} did not start`);
  return value;
}

function aws(args: readonly string[]): Promise<ProcessResult> {
  return runProcess(AWS_CLI_V2, ['ecr', ...args, '--endpoint-url', started(emulator, 'the emulator').endpoint, '--region', 'us-east-1', '--output', 'json'], {
    env: awsClientEnvironment(),
    timeoutMs: CLIENT_TIMEOUT_MS,
  });
}

async function awsJson(args: readonly string[]): Promise<Record<string, unknown>> {
  return JSON.parse(expectExitZero(await aws(args)).stdout) as Record<string, unknown>;
}

const docker = (args: readonly string[], input?: string): Promise<ProcessResult> => started(daemon, 'dockerd').docker(args, input);

const cachedImage = (tag: string): string => `${started(emulator, 'the emulator').registryHost}/${CACHE_REPOSITORY}:${tag}`;

async function imageInspect(reference: string): Promise<{ Id: string; RepoDigests: string[] }> {
  const [inspected] = JSON.parse(expectExitZero(await docker(['image', 'inspect', reference])).stdout) as { Id: string; RepoDigests: string[] }[];
  return inspected!;
}

/** Removes every local image, so the next pull has to fetch every layer from the registry. */
async function removeAllLocalImages(): Promise<void> {
  const ids = expectExitZero(await docker(['images', '--quiet', '--no-trunc'])).stdout.split('\n').filter(Boolean);
  if (ids.length > 0) expectExitZero(await docker(['rmi', '--force', ...new Set(ids)]));
  expect(expectExitZero(await docker(['images', '--all', '--quiet'])).stdout.trim()).toBe('');
}

/** Pushes the Docker schema 2 test image into the upstream with skopeo; returns its manifest and config digests. */
async function pushToUpstream(registry: ReferenceRegistry): Promise<{ digest: string; configDigest: string }> {
  const images = await makeTestImages(path.join(work, 'images'));
  const target = `docker://${new URL(registry.url).host}/${UPSTREAM_REPOSITORY}:${TAG}`;
  expectExitZero(await containerTools(work).skopeo(['copy', '--dest-tls-verify=false', images.v2s2.reference, target]));
  const manifest = readFileSync(path.join(images.v2s2.reference.slice('dir:'.length), 'manifest.json'), 'utf8');
  expect(sha256Of(manifest)).toBe(images.v2s2.digest);
  const parsed = JSON.parse(manifest) as { mediaType: string; config: { digest: string } };
  expect(parsed.mediaType).toBe(DOCKER_MANIFEST);
  return { digest: images.v2s2.digest, configDigest: parsed.config.digest };
}

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'ecr-pull-through-docker-'));
  upstream = await startReferenceRegistry();
  upstreamImage = await pushToUpstream(upstream);
  const upstreamUrl = upstream.url;
  // Both take a second or two; started together. A failure of either fails the file with its message.
  const [startedEmulator, startedDaemon] = await Promise.allSettled([
    startEmulatorProcess({ memory: true, args: ['--upstream', `quay.io=${upstreamUrl}`] }),
    startDockerDaemon({ hostNames: [] }),
  ]);
  if (startedEmulator.status === 'fulfilled') emulator = startedEmulator.value;
  if (startedDaemon.status === 'fulfilled') daemon = startedDaemon.value;
  for (const outcome of [startedEmulator, startedDaemon]) if (outcome.status === 'rejected') throw outcome.reason;

  const rule = await awsJson(['create-pull-through-cache-rule', '--ecr-repository-prefix', 'quay', '--upstream-registry-url', 'quay.io']);
  expect(rule).toMatchObject({ ecrRepositoryPrefix: 'quay', upstreamRegistryUrl: 'quay.io' });
  // Exactly as `aws ecr get-login-password | docker login --password-stdin` passes it, trailing newline included.
  const password = expectExitZero(await aws(['get-login-password'])).stdout;
  const login = expectExitZero(await docker(['login', '--username', 'AWS', '--password-stdin', started(emulator, 'the emulator').registryHost], password));
  expect(login.stdout).toContain('Login Succeeded');
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  await Promise.all([daemon?.stop(), emulator?.stop(), upstream?.stop()]);
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

describe('docker pull from a pull-through cache repository', () => {
  it("pulls the upstream image: docker reports the upstream's manifest digest, and the image id is its config digest", async () => {
    const pull = expectExitZero(await docker(['pull', cachedImage(TAG)]));
    expect(PULLED_DIGEST.exec(pull.stdout)?.[1]).toBe(upstreamImage.digest);
    const pulled = await imageInspect(cachedImage(TAG));
    expect(pulled.Id).toBe(upstreamImage.configDigest);
    expect(pulled.RepoDigests).toEqual([`${started(emulator, 'the emulator').registryHost}/${CACHE_REPOSITORY}@${upstreamImage.digest}`]);
  }, CLIENT_TIMEOUT_MS);

  it('describe-images of quay/<repository> shows the cached image with the upstream digest and the tag pulled', async () => {
    const { imageDetails } = await awsJson(['describe-images', '--repository-name', CACHE_REPOSITORY]);
    expect(imageDetails).toEqual([
      expect.objectContaining({ repositoryName: CACHE_REPOSITORY, imageDigest: upstreamImage.digest, imageTags: [TAG], imageManifestMediaType: DOCKER_MANIFEST }),
    ]);
  }, CLIENT_TIMEOUT_MS);

  it('fails to pull a tag the upstream does not have, and ECR caches nothing for it', async () => {
    const pull = await docker(['pull', cachedImage('missing')]);
    expect(pull.exitCode).not.toBe(0);
    expect(pull.stderr).toMatch(/not found|manifest unknown/);
    const { imageDetails } = await awsJson(['describe-images', '--repository-name', CACHE_REPOSITORY]);
    expect((imageDetails as { imageTags?: string[] }[]).flatMap((detail) => detail.imageTags ?? [])).toEqual([TAG]);
  }, CLIENT_TIMEOUT_MS);

  it('pulls the image again from the cache after docker rmi, with the upstream stopped', async () => {
    await started(upstream, 'the upstream').stop();
    await removeAllLocalImages();
    const pull = expectExitZero(await docker(['pull', cachedImage(TAG)]));
    expect(PULLED_DIGEST.exec(pull.stdout)?.[1]).toBe(upstreamImage.digest);
    expect(pull.stdout).toMatch(/: Pull complete$/m);
    expect((await imageInspect(cachedImage(TAG))).Id).toBe(upstreamImage.configDigest);
  }, CLIENT_TIMEOUT_MS);
});
