// Pull-through cache from a live upstream: Debian's docker-registry stands in for quay.io (mapped with the
// upstreams option), and pulls through the emulator's data plane and BatchGetImage fill and then serve the cache.
import {
  BatchGetImageCommand,
  CreatePullThroughCacheRuleCommand,
  CreateRepositoryCreationTemplateCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
} from '@aws-sdk/client-ecr';
import { errorsOf, OCI_INDEX, sha256 } from '../helpers/registry-client';
import { pushToRegistry, putToRegistry, startReferenceRegistry, type ReferenceRegistry } from '../helpers/reference-registry';
import { testClock } from '../helpers/test-clock';
import { useTestEmulator } from '../helpers/test-emulator';

const DAY_MS = 24 * 60 * 60 * 1000;
const clock = testClock(new Date('2025-03-01T00:00:00Z'));
let upstream: ReferenceRegistry;
const pushed: Record<string, { digest: string; manifest: string }> = {};

beforeAll(async () => {
  upstream = await startReferenceRegistry();
  pushed.app = await pushToRegistry(upstream.url, 'team/app', '1.0', ['app layer one', 'app layer two']);
  pushed.amd64 = await pushToRegistry(upstream.url, 'team/multi', 'amd64', ['amd64 layer']);
  const index = JSON.stringify({
    schemaVersion: 2,
    mediaType: OCI_INDEX,
    manifests: [{ mediaType: 'application/vnd.docker.distribution.manifest.v2+json', digest: pushed.amd64.digest, size: Buffer.byteLength(pushed.amd64.manifest), platform: { architecture: 'amd64', os: 'linux' } }],
  });
  await putToRegistry(upstream.url, 'team/multi', 'latest', index, OCI_INDEX);
  pushed.index = { digest: sha256(index), manifest: index };
}, 30_000);

afterAll(async () => {
  await upstream.stop();
});

const env = useTestEmulator({ clock, startOptions: () => ({ upstreams: { 'quay.io': upstream.url } }) });

beforeEach(async () => {
  await env.ecr.send(new CreatePullThroughCacheRuleCommand({ ecrRepositoryPrefix: 'quay', upstreamRegistryUrl: 'quay.io' }));
});

const pull = (repository: string, reference: string, method = 'GET', registry = env.registry) => registry.fetch(`/v2/${repository}/manifests/${reference}`, { method });

/** Moves the emulator's clock, then logs in again: the registry token does not live for a day. */
async function advanceAndLogin(milliseconds: number) {
  clock.advance(milliseconds);
  return env.loginRegistry();
}

describe('a pull under a pull-through cache rule', () => {
  it('fetches the image from the upstream and serves it with the upstream digest', async () => {
    const response = await pull('quay/team/app', '1.0');
    expect(response.status).toBe(200);
    expect(response.headers.get('docker-content-digest')).toBe(pushed.app!.digest);
    expect(await response.text()).toBe(pushed.app!.manifest);
  });

  it('creates the repository and stores the image DescribeImages shows, tag included', async () => {
    await pull('quay/team/app', '1.0');
    const { repositories } = await env.ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ['quay/team/app'] }));
    expect(repositories).toHaveLength(1);
    const { imageDetails } = await env.ecr.send(new DescribeImagesCommand({ repositoryName: 'quay/team/app' }));
    expect(imageDetails?.map((image) => [image.imageDigest, image.imageTags])).toEqual([[pushed.app!.digest, ['1.0']]]);
  });

  it('stores every layer, so the blob pulls that follow are served from the cache', async () => {
    await pull('quay/team/app', '1.0');
    const layer = (JSON.parse(pushed.app!.manifest) as { layers: { digest: string }[] }).layers[1]!;
    const response = await env.registry.fetch(`/v2/quay/team/app/blobs/${layer.digest}`);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('app layer two');
  });

  it('answers a HEAD the same way, filling the cache first', async () => {
    const response = await pull('quay/team/app', '1.0', 'HEAD');
    expect(response.status).toBe(200);
    expect(response.headers.get('docker-content-digest')).toBe(pushed.app!.digest);
  });

  it('pulls by digest', async () => {
    const response = await pull('quay/team/app', pushed.app!.digest);
    expect(response.status).toBe(200);
    expect(await response.text()).toBe(pushed.app!.manifest);
  });

  it('caches an index together with the images it lists', async () => {
    const response = await pull('quay/team/multi', 'latest');
    expect(response.status).toBe(200);
    expect(response.headers.get('docker-content-digest')).toBe(pushed.index!.digest);
    const { imageDetails } = await env.ecr.send(new DescribeImagesCommand({ repositoryName: 'quay/team/multi' }));
    expect(imageDetails?.map((image) => image.imageDigest).sort()).toEqual([pushed.amd64!.digest, pushed.index!.digest].sort());
  });

  it('serves BatchGetImage of an uncached image from the upstream', async () => {
    const { images, failures } = await env.ecr.send(new BatchGetImageCommand({ repositoryName: 'quay/team/app', imageIds: [{ imageTag: '1.0' }] }));
    expect(failures).toEqual([]);
    expect(images?.map((image) => [image.imageId?.imageDigest, image.imageManifest])).toEqual([[pushed.app!.digest, pushed.app!.manifest]]);
  });

  it('creates the repository from a creation template applied for PULL_THROUGH_CACHE', async () => {
    await env.ecr.send(new CreateRepositoryCreationTemplateCommand({ prefix: 'quay', appliedFor: ['PULL_THROUGH_CACHE'], imageTagMutability: 'IMMUTABLE' }));
    await pull('quay/team/app', '1.0');
    const { repositories } = await env.ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ['quay/team/app'] }));
    expect(repositories?.[0]?.imageTagMutability).toBe('IMMUTABLE');
  });

  it('answers MANIFEST_UNKNOWN for an image the upstream does not have, and creates no repository', async () => {
    const response = await pull('quay/team/absent', '1.0');
    expect(response.status).toBe(404);
    expect((await errorsOf(response))[0]?.code).toBe('MANIFEST_UNKNOWN');
    await expect(env.ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ['quay/team/absent'] }))).rejects.toMatchObject({ name: 'RepositoryNotFoundException' });
  });

  it('leaves a repository no rule covers to the ordinary answer, NAME_UNKNOWN', async () => {
    const response = await pull('elsewhere/team/app', '1.0');
    expect(response.status).toBe(404);
    expect((await errorsOf(response))[0]?.code).toBe('NAME_UNKNOWN');
  });

  it('re-checks a tag against the upstream only once 24 hours have passed', async () => {
    const first = await pushToRegistry(upstream.url, 'team/moving', 'stable', ['first']);
    expect((await pull('quay/team/moving', 'stable')).headers.get('docker-content-digest')).toBe(first.digest);
    const second = await pushToRegistry(upstream.url, 'team/moving', 'stable', ['second']);
    const almostADayLater = await advanceAndLogin(DAY_MS - 1);
    expect((await pull('quay/team/moving', 'stable', 'GET', almostADayLater)).headers.get('docker-content-digest')).toBe(first.digest);
    const aDayLater = await advanceAndLogin(1);
    expect((await pull('quay/team/moving', 'stable', 'GET', aDayLater)).headers.get('docker-content-digest')).toBe(second.digest);
  });
});

describe('with the upstream stopped', () => {
  it('still serves what was cached, even when the tag is due for its re-check', async () => {
    expect((await pull('quay/team/app', '1.0')).status).toBe(200);
    await upstream.stop();
    const response = await pull('quay/team/app', '1.0', 'GET', await advanceAndLogin(2 * DAY_MS));
    expect(response.status).toBe(200);
    expect(response.headers.get('docker-content-digest')).toBe(pushed.app!.digest);
  });

  it('answers MANIFEST_UNKNOWN for an image never cached', async () => {
    const response = await pull('quay/team/app', '2.0');
    expect(response.status).toBe(404);
    expect((await errorsOf(response))[0]?.code).toBe('MANIFEST_UNKNOWN');
  });
});
