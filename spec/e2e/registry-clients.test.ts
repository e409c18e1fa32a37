// Real registry clients against the data plane, driven as users drive them: repositories from the aws CLI, the
// password from `aws ecr get-login-password` piped into `skopeo login` / `podman login`, then push, pull, inspect
// and delete of the deterministic images of fixtures/images/make-images.sh. A digest must survive every round trip.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { awsClientEnvironment } from '../helpers/ecr-client-drivers';
import { startEmulatorProcess, type EmulatorProcess } from '../helpers/emulator-process';
import { DOCKER_MANIFEST, DOCKER_MANIFEST_LIST, OCI_INDEX, OCI_MANIFEST } from '../helpers/registry-client';
import { containerTools, expectExitZero, type ContainerTools } from '../helpers/container-tools';
import { runOrThrow, runProcess, type ProcessResult } from '../helpers/run-process';
import { layoutBlobDigests, makeTestImages, sha256Of, type TestImages } from '../helpers/test-images';

const REPOSITORY = 'e2e/app';
/** skopeo delete removes a manifest with every tag on it: kept apart so it cannot hide another test's image. */
const DELETIONS_REPOSITORY = 'e2e/deletions';
const MISSING_REPOSITORY = 'e2e/never-created';
const CLIENT_TIMEOUT_MS = 120_000;
const ALL_MANIFEST_TYPES = [OCI_MANIFEST, OCI_INDEX, DOCKER_MANIFEST, DOCKER_MANIFEST_LIST].join(', ');
// What containers/image prints for a 401 on login, ping or any request.
const UNAUTHORIZED = /unauthorized|authentication required|invalid username\/password/i;

type PushedTag = 'single' | 'multi' | 'v2s2' | 'v2list';

let emulator: EmulatorProcess;
let work: string;
let images: TestImages;
let password: string;
let authFile: string;
/** skopeo and podman read and write only under `work`: no auth file, cache or config in the home directory. */
let tools: ContainerTools;

const image = (repository: string, reference: string): string =>
  `${emulator.registryHost}/${repository}${reference.startsWith('sha256:') ? '@' : ':'}${reference}`;

function aws(args: readonly string[]): Promise<ProcessResult> {
  return runProcess('aws', ['ecr', ...args, '--endpoint-url', emulator.endpoint, '--region', 'us-east-1', '--output', 'json'], {
    env: awsClientEnvironment(),
    timeoutMs: CLIENT_TIMEOUT_MS,
  });
}

const skopeo = (args: readonly string[], input?: string): Promise<ProcessResult> => tools.skopeo(args, input);
const podman = (args: readonly string[], input?: string): Promise<ProcessResult> => tools.podman(args, input);
const expectSuccess = expectExitZero;

/** The exact manifest bytes the registry serves, read by skopeo. */
async function servedManifest(repository: string, reference: string): Promise<string> {
  return expectSuccess(await skopeo(['inspect', '--raw', '--tls-verify=false', '--authfile', authFile, `docker://${image(repository, reference)}`])).stdout;
}

/** The data plane's own headers for a manifest, with the token users get. */
async function manifestHeaders(repository: string, reference: string): Promise<{ status: number; contentType: string | null; digest: string | null }> {
  const response = await fetch(`${emulator.endpoint}/v2/${repository}/manifests/${reference}`, {
    method: 'HEAD',
    headers: { authorization: `Basic ${Buffer.from(`AWS:${password}`).toString('base64')}`, accept: ALL_MANIFEST_TYPES },
  });
  return { status: response.status, contentType: response.headers.get('content-type'), digest: response.headers.get('docker-content-digest') };
}

/** Each image is pushed once, by whichever test needs it first; a failed push fails every test that needs it. */
const pushes = new Map<string, Promise<string>>();
function pushed(tag: PushedTag): Promise<string> {
  let push = pushes.get(tag);
  if (push === undefined) {
    push = (async () => {
      const digestFile = path.join(work, `${tag}.digest`);
      const isList = tag === 'multi' || tag === 'v2list';
      await runOrThrow(
        'skopeo',
        ['copy', ...(isList ? ['--all'] : []), '--dest-tls-verify=false', '--dest-authfile', authFile, '--digestfile', digestFile, images[tag].reference, `docker://${image(REPOSITORY, tag)}`],
        { env: tools.environment, timeoutMs: CLIENT_TIMEOUT_MS },
      );
      return readFileSync(digestFile, 'utf8').trim();
    })();
    pushes.set(tag, push);
  }
  return push;
}

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'ecr-registry-clients-'));
  tools = containerTools(work);
  authFile = tools.authFile;
  images = await makeTestImages(path.join(work, 'images'));
  emulator = await startEmulatorProcess({ memory: true });
  for (const repository of [REPOSITORY, DELETIONS_REPOSITORY]) expectSuccess(await aws(['create-repository', '--repository-name', repository]));
  // Kept exactly as `aws ecr get-login-password | skopeo login --password-stdin` passes it, trailing newline included.
  password = expectSuccess(await aws(['get-login-password'])).stdout;
  expectSuccess(await skopeo(['login', '--tls-verify=false', '--authfile', authFile, '--username', 'AWS', '--password-stdin', emulator.registryHost], password));
  password = password.trim();
}, 180_000);

afterAll(async () => {
  await emulator?.stop();
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

describe('logging in with the password from aws ecr get-login-password', () => {
  it('skopeo login stores AWS and the password for the registry host in the auth file', () => {
    const { auths } = JSON.parse(readFileSync(authFile, 'utf8')) as { auths: Record<string, { auth: string }> };
    expect(Buffer.from(auths[emulator.registryHost]!.auth, 'base64').toString()).toBe(`AWS:${password}`);
  });

  it('podman login accepts the same password', async () => {
    const podmanAuthFile = path.join(work, 'podman-auth.json');
    expectSuccess(await podman(['login', '--tls-verify=false', '--authfile', podmanAuthFile, '--username', 'AWS', '--password-stdin', emulator.registryHost], `${password}\n`));
    const { auths } = JSON.parse(readFileSync(podmanAuthFile, 'utf8')) as { auths: Record<string, { auth: string }> };
    expect(Buffer.from(auths[emulator.registryHost]!.auth, 'base64').toString()).toBe(`AWS:${password}`);
  });

  it.each([
    ['skopeo', skopeo],
    ['podman', podman],
  ])('%s login with a wrong password fails as unauthorized', async (_client, run) => {
    const result = await run(['login', '--tls-verify=false', '--authfile', path.join(work, 'wrong-auth.json'), '--username', 'AWS', '--password-stdin', emulator.registryHost], `${password}-wrong\n`);
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toMatch(UNAUTHORIZED);
  });

  it('skopeo copy with a wrong password fails as unauthorized and stores nothing', async () => {
    const result = await skopeo(['copy', '--dest-tls-verify=false', '--dest-creds', `AWS:${password}-wrong`, images.single.reference, `docker://${image(REPOSITORY, 'wrong-password')}`]);
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toMatch(UNAUTHORIZED);
    expect((await manifestHeaders(REPOSITORY, 'wrong-password')).status).toBe(404);
  });
});

describe('skopeo copy to the registry', () => {
  it('pushes the single-arch OCI image; the registry serves exactly its manifest bytes', async () => {
    expect(await pushed('single')).toBe(images.single.digest);
    expect(sha256Of(await servedManifest(REPOSITORY, 'single'))).toBe(images.single.digest);
    expect(await manifestHeaders(REPOSITORY, 'single')).toEqual({ status: 200, contentType: OCI_MANIFEST, digest: images.single.digest });
  });

  it('pushes the multi-arch index with --all; the index and every child are served by digest', async () => {
    expect(await pushed('multi')).toBe(images.multi.digest);
    const index = await servedManifest(REPOSITORY, 'multi');
    expect(sha256Of(index)).toBe(images.multi.digest);
    expect((JSON.parse(index) as { manifests: { digest: string }[] }).manifests.map((child) => child.digest)).toEqual(images.multi.childDigests);
    expect(images.multi.childDigests).toHaveLength(2);
    for (const child of images.multi.childDigests) {
      expect(sha256Of(await servedManifest(REPOSITORY, child))).toBe(child);
      expect(await manifestHeaders(REPOSITORY, child)).toEqual({ status: 200, contentType: OCI_MANIFEST, digest: child });
    }
    expect((await manifestHeaders(REPOSITORY, 'multi')).contentType).toBe(OCI_INDEX);
  });

  it.each([
    ['v2s2' as const, DOCKER_MANIFEST],
    ['v2list' as const, DOCKER_MANIFEST_LIST],
  ])('pushes the Docker %s image keeping its media type and digest', async (tag, mediaType) => {
    expect(await pushed(tag)).toBe(images[tag].digest);
    const manifest = await servedManifest(REPOSITORY, tag);
    expect(sha256Of(manifest)).toBe(images[tag].digest);
    expect((JSON.parse(manifest) as { mediaType: string }).mediaType).toBe(mediaType);
    expect(await manifestHeaders(REPOSITORY, tag)).toEqual({ status: 200, contentType: mediaType, digest: images[tag].digest });
  });

  it('lists every pushed tag', async () => {
    await Promise.all((['single', 'multi', 'v2s2', 'v2list'] as const).map((tag) => pushed(tag)));
    const listed = expectSuccess(await skopeo(['list-tags', '--tls-verify=false', '--authfile', authFile, `docker://${emulator.registryHost}/${REPOSITORY}`]));
    expect((JSON.parse(listed.stdout) as { Tags: string[] }).Tags).toEqual(expect.arrayContaining(['single', 'multi', 'v2s2', 'v2list']));
  });

  it('refuses a push to a repository that does not exist with name unknown, and does not create it (ECR never creates on push)', async () => {
    const result = await skopeo(['copy', '--dest-tls-verify=false', '--dest-authfile', authFile, images.single.reference, `docker://${image(MISSING_REPOSITORY, 'v1')}`]);
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toMatch(/name unknown/i);
    expect(result.stderr).toContain(`The repository with name '${MISSING_REPOSITORY}' does not exist`);
    const described = await aws(['describe-repositories', '--repository-names', MISSING_REPOSITORY]);
    expect(described.exitCode).not.toBe(0);
    expect(described.stderr).toContain('RepositoryNotFoundException');
  });
});

describe('skopeo copy from the registry', () => {
  it('pulls the single image into a fresh OCI layout with the same manifest and byte-identical blobs', async () => {
    await pushed('single');
    const layout = path.join(work, 'pulled-single');
    expectSuccess(await skopeo(['copy', '--src-tls-verify=false', '--src-authfile', authFile, `docker://${image(REPOSITORY, 'single')}`, `oci:${layout}:single`]));
    const index = JSON.parse(readFileSync(path.join(layout, 'index.json'), 'utf8')) as { manifests: { digest: string }[] };
    expect(index.manifests.map((entry) => entry.digest)).toEqual([images.single.digest]);
    expect(layoutBlobDigests(layout)).toEqual(layoutBlobDigests(images.single.layout));
  });

  it('pulls the multi-arch index with --all into a fresh OCI layout with byte-identical blobs', async () => {
    await pushed('multi');
    const layout = path.join(work, 'pulled-multi');
    expectSuccess(await skopeo(['copy', '--all', '--src-tls-verify=false', '--src-authfile', authFile, `docker://${image(REPOSITORY, 'multi')}`, `oci:${layout}:multi`]));
    const index = JSON.parse(readFileSync(path.join(layout, 'index.json'), 'utf8')) as { manifests: { digest: string }[] };
    expect(index.manifests.map((entry) => entry.digest)).toEqual([images.multi.digest]);
    expect(layoutBlobDigests(layout)).toEqual(layoutBlobDigests(images.multi.layout));
  });

  it('pulls the Docker schema 2 image into a dir: layout with the same manifest bytes', async () => {
    await pushed('v2s2');
    const directory = path.join(work, 'pulled-v2s2');
    expectSuccess(await skopeo(['copy', '--src-tls-verify=false', '--src-authfile', authFile, `docker://${image(REPOSITORY, 'v2s2')}`, `dir:${directory}`]));
    expect(sha256Of(readFileSync(path.join(directory, 'manifest.json')))).toBe(images.v2s2.digest);
  });
});

describe('podman', () => {
  it('pulls the pushed image; podman image inspect reports the registry digest', async () => {
    await pushed('single');
    const reference = image(REPOSITORY, 'single');
    expectSuccess(await podman(['pull', '--quiet', '--tls-verify=false', '--authfile', authFile, reference]));
    const inspected = JSON.parse(expectSuccess(await podman(['image', 'inspect', reference])).stdout) as { Digest: string; RepoDigests: string[] }[];
    expect(inspected).toHaveLength(1);
    expect(inspected[0]!.Digest).toBe(images.single.digest);
    expect(inspected[0]!.RepoDigests).toContain(`${emulator.registryHost}/${REPOSITORY}@${images.single.digest}`);
  });

  it('pushes a pulled image to a new tag; the registry serves the digest podman reports, with the same config', async () => {
    await pushed('single');
    const source = image(REPOSITORY, 'single');
    expectSuccess(await podman(['pull', '--quiet', '--tls-verify=false', '--authfile', authFile, source]));
    const digestFile = path.join(work, 'podman-push.digest');
    expectSuccess(await podman(['push', '--quiet', '--tls-verify=false', '--authfile', authFile, '--digestfile', digestFile, source, image(REPOSITORY, 'podman')]));
    const reported = readFileSync(digestFile, 'utf8').trim();
    const manifest = await servedManifest(REPOSITORY, 'podman');
    // podman may re-encode the manifest (and so change its digest); the image it describes is the same.
    expect(sha256Of(manifest)).toBe(reported);
    const original = JSON.parse(await servedManifest(REPOSITORY, 'single')) as { config: { digest: string } };
    expect((JSON.parse(manifest) as { config: { digest: string } }).config.digest).toBe(original.config.digest);
  });
});

describe('skopeo delete', () => {
  it('deletes a manifest by digest; inspecting it by digest or by its tag then fails with manifest unknown', async () => {
    const target = `docker://${image(DELETIONS_REPOSITORY, 'doomed')}`;
    expectSuccess(await skopeo(['copy', '--dest-tls-verify=false', '--dest-authfile', authFile, images.v2s2.reference, target]));
    expect(sha256Of(await servedManifest(DELETIONS_REPOSITORY, 'doomed'))).toBe(images.v2s2.digest);

    expectSuccess(await skopeo(['delete', '--tls-verify=false', '--authfile', authFile, `docker://${image(DELETIONS_REPOSITORY, images.v2s2.digest)}`]));
    for (const reference of [images.v2s2.digest, 'doomed']) {
      const result = await skopeo(['inspect', '--raw', '--tls-verify=false', '--authfile', authFile, `docker://${image(DELETIONS_REPOSITORY, reference)}`]);
      expect(result.exitCode).not.toBe(0);
      expect(result.stderr).toMatch(/manifest unknown/i);
    }
  });
});
