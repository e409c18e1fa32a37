// The image journey as a user walks it, once per real client: create a repository, log skopeo in with the
// client's password, push, describe-images (digest, size, tags), batch-get-image, put-image of that manifest under
// a new tag, pull the new tag with podman, batch-delete-image, see the pull fail, delete-repository --force.
// The aws CLI v1 and v2 drive the whole journey; boto3 and the SDK v3 walk it too, as their users script it.
// With JOURNEY_TRANSCRIPT=<file> each step's command and answer is appended to that file (for the issue note).
import { appendFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { containerTools, expectExitZero, type ContainerTools } from '../helpers/container-tools';
import {
  awsCliV1Driver,
  awsCliV2Driver,
  boto3Driver,
  expectFailure,
  expectSuccess,
  type ClientOutput,
  type DriverFactory,
  type EcrClientDriver,
} from '../helpers/ecr-client-drivers';
import { startEmulatorProcess, type EmulatorProcess } from '../helpers/emulator-process';
import { OCI_MANIFEST } from '../helpers/registry-client';
import { sdkDriver } from '../helpers/sdk-driver';
import { makeTestImages, type TestImages } from '../helpers/test-images';

const STEP_TIMEOUT_MS = 120_000;

const CLIENTS: [string, DriverFactory][] = [awsCliV1Driver(), awsCliV2Driver(), boto3Driver(), sdkDriver()].map((driver) => [driver.name, driver]);

let emulator: EmulatorProcess;
let work: string;
let tools: ContainerTools;
let images: TestImages;
/** The single-arch OCI image as make-images.sh wrote it: its exact manifest text and ECR's imageSizeInBytes. */
let source: { manifest: string; sizeInBytes: number };

function transcript(line: string): void {
  const file = process.env.JOURNEY_TRANSCRIPT;
  if (file !== undefined && file !== '') appendFileSync(file, `${line}\n`);
}

function readSourceImage(layout: string, digest: string): { manifest: string; sizeInBytes: number } {
  const manifest = readFileSync(path.join(layout, 'blobs', 'sha256', digest.slice('sha256:'.length)), 'utf8');
  const document = JSON.parse(manifest) as { config: { size: number }; layers: { size: number }[] };
  return { manifest, sizeInBytes: document.config.size + document.layers.reduce((sum, layer) => sum + layer.size, 0) };
}

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'ecr-image-journey-'));
  tools = containerTools(work);
  images = await makeTestImages(path.join(work, 'images'));
  source = readSourceImage(images.single.layout, images.single.digest);
  emulator = await startEmulatorProcess({ memory: true });
}, 180_000);

afterAll(async () => {
  await emulator?.stop();
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

describe.each(CLIENTS)('the image journey with %s', (name, driverFactory) => {
  const repository = `journey/${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  let client: EcrClientDriver;
  const image = (reference: string): string => `${emulator.registryHost}/${repository}${reference.startsWith('sha256:') ? '@' : ':'}${reference}`;

  async function call(operation: string, params: Record<string, unknown>): Promise<ClientOutput> {
    const output = expectSuccess(await client.call(operation, params));
    transcript(`[${name}] ${operation} ${JSON.stringify(params).slice(0, 160)}\n  → ${JSON.stringify(output).slice(0, 600)}`);
    return output;
  }

  beforeAll(() => {
    client = driverFactory.connect(emulator.endpoint);
  });

  it('creates the repository', async () => {
    const { repository: created } = await call('CreateRepository', { repositoryName: repository });
    expect(created).toMatchObject({ repositoryName: repository, repositoryUri: `${emulator.registryHost}/${repository}` });
  }, STEP_TIMEOUT_MS);

  it('logs skopeo in with the password the client gets, and pushes', async () => {
    const password = await client.loginPassword();
    expectExitZero(await tools.skopeo(['login', '--tls-verify=false', '--username', 'AWS', '--password-stdin', emulator.registryHost], `${password}\n`));
    const digestFile = path.join(work, `${repository.replace(/\//g, '_')}.digest`);
    expectExitZero(await tools.skopeo(['copy', '--dest-tls-verify=false', '--digestfile', digestFile, images.single.reference, `docker://${image('v1')}`]));
    expect(readFileSync(digestFile, 'utf8').trim()).toBe(images.single.digest);
    transcript(`[${name}] skopeo copy ${images.single.reference} docker://${image('v1')}\n  → digest ${images.single.digest}`);
  }, STEP_TIMEOUT_MS);

  it('describe-images reports the pushed digest, its size from the real layers, the tag and the media type', async () => {
    const { imageDetails } = await call('DescribeImages', { repositoryName: repository });
    expect(imageDetails).toEqual([
      expect.objectContaining({
        repositoryName: repository,
        imageDigest: images.single.digest,
        imageTags: ['v1'],
        imageSizeInBytes: source.sizeInBytes,
        imageManifestMediaType: OCI_MANIFEST,
        // Not imageStatus: Debian's aws CLI v2 (2.9) predates that member and drops it from its output.
      }),
    ]);
    expect(Math.abs(client.timestamp((imageDetails as ClientOutput[])[0]!.imagePushedAt).getTime() - Date.now())).toBeLessThan(10 * 60 * 1000);
  }, STEP_TIMEOUT_MS);

  it('batch-get-image returns the exact manifest skopeo pushed', async () => {
    const { images: found, failures } = await call('BatchGetImage', { repositoryName: repository, imageIds: [{ imageTag: 'v1' }] });
    expect(failures).toEqual([]);
    expect(found).toEqual([expect.objectContaining({ imageId: { imageDigest: images.single.digest, imageTag: 'v1' }, imageManifest: source.manifest, imageManifestMediaType: OCI_MANIFEST })]);
  }, STEP_TIMEOUT_MS);

  it('put-image tags that manifest anew, and podman pulls the new tag with the same digest', async () => {
    const { image: put } = await call('PutImage', { repositoryName: repository, imageManifest: source.manifest, imageTag: 'v2' });
    expect((put as ClientOutput).imageId).toEqual({ imageDigest: images.single.digest, imageTag: 'v2' });
    expectExitZero(await tools.podman(['login', '--tls-verify=false', '--username', 'AWS', '--password-stdin', emulator.registryHost], `${await client.loginPassword()}\n`));
    expectExitZero(await tools.podman(['pull', '--quiet', '--tls-verify=false', image('v2')]));
    const inspected = JSON.parse(expectExitZero(await tools.podman(['image', 'inspect', image('v2')])).stdout) as { Digest: string }[];
    expect(inspected[0]!.Digest).toBe(images.single.digest);
    transcript(`[${name}] podman pull ${image('v2')}\n  → Digest ${inspected[0]!.Digest}`);
  }, STEP_TIMEOUT_MS);

  it('batch-delete-image removes the image with both tags, and the next pull fails', async () => {
    const { imageIds, failures } = await call('BatchDeleteImage', { repositoryName: repository, imageIds: [{ imageDigest: images.single.digest }] });
    expect(failures).toEqual([]);
    expect(imageIds).toEqual([
      { imageDigest: images.single.digest, imageTag: 'v1' },
      { imageDigest: images.single.digest, imageTag: 'v2' },
    ]);
    const inspect = await tools.skopeo(['inspect', '--raw', '--tls-verify=false', `docker://${image('v2')}`]);
    expect(inspect.exitCode).not.toBe(0);
    expect(inspect.stderr).toMatch(/manifest unknown/i);
    const pull = await tools.podman(['pull', '--quiet', '--tls-verify=false', image(images.single.digest)]);
    expect(pull.exitCode).not.toBe(0);
    expect(pull.stderr).toMatch(/manifest unknown/i);
    transcript(`[${name}] skopeo inspect docker://${image('v2')}\n  → exit ${inspect.exitCode}: ${inspect.stderr.trim().split('\n').pop()}`);
  }, STEP_TIMEOUT_MS);

  it('delete-repository --force removes the repository', async () => {
    await call('PutImage', { repositoryName: repository, imageManifest: source.manifest, imageTag: 'again' });
    const refused = expectFailure(await client.call('DeleteRepository', { repositoryName: repository }));
    expect(refused.errorCode).toBe('RepositoryNotEmptyException');
    await call('DeleteRepository', { repositoryName: repository, force: true });
    expect(expectFailure(await client.call('DescribeRepositories', { repositoryNames: [repository] })).errorCode).toBe('RepositoryNotFoundException');
  }, STEP_TIMEOUT_MS);
});
