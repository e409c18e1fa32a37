// Image operations of the control plane over HTTP with the SDK, against images pushed through the data plane and
// the reverse: PutImage, BatchGetImage, BatchDeleteImage, DescribeImages, ListImages, ListImageReferrers,
// UpdateImageStorageClass, DescribeImageReplicationStatus, DescribeImageSigningStatus. One image model on both planes.
import {
  BatchDeleteImageCommand,
  BatchGetImageCommand,
  CreateRepositoryCommand,
  DescribeImageReplicationStatusCommand,
  DescribeImagesCommand,
  DescribeImageSigningStatusCommand,
  ListImageReferrersCommand,
  ListImagesCommand,
  PutImageCommand,
  PutReplicationConfigurationCommand,
  PutSigningConfigurationCommand,
  UpdateImageStorageClassCommand,
  type CreateRepositoryCommandInput,
} from '@aws-sdk/client-ecr';
import {
  DOCKER_CONFIG,
  DOCKER_LAYER,
  DOCKER_MANIFEST,
  errorsOf,
  OCI_INDEX,
  OCI_MANIFEST,
  sha256,
} from '../helpers/registry-client';
import { useTestEmulator } from '../helpers/test-emulator';

const ACCOUNT = '000000000000';
const env = useTestEmulator({ repositories: ['app'] });

async function createRepository(input: CreateRepositoryCommandInput): Promise<void> {
  await env.ecr.send(new CreateRepositoryCommand(input));
}

/** A Docker schema 2 image pushed with the data plane; its config and layer sizes are what DescribeImages adds up. */
async function pushImage(tag: string, layers = ['layer one', 'layer two, a longer one']): Promise<{ digest: string; manifest: string; size: number }> {
  const pushed = await env.registry.pushImage('app', tag, { layers });
  const document = JSON.parse(pushed.manifest) as { config: { size: number }; layers: { size: number }[] };
  return { ...pushed, size: document.config.size + document.layers.reduce((sum, layer) => sum + layer.size, 0) };
}

/** An OCI index over two pushed images, pushed under `tag`. */
async function pushIndex(tag: string): Promise<{ digest: string; children: string[] }> {
  const amd = await pushImage('amd', ['amd layer']);
  const arm = await pushImage('arm', ['arm layer, the larger of the two']);
  const index = JSON.stringify({
    schemaVersion: 2,
    mediaType: OCI_INDEX,
    manifests: [amd, arm].map((child, i) => ({ mediaType: DOCKER_MANIFEST, digest: child.digest, size: Buffer.byteLength(child.manifest), platform: { os: 'linux', architecture: ['amd64', 'arm64'][i] } })),
  });
  expect((await env.registry.putManifest('app', tag, index, OCI_INDEX)).status).toBe(201);
  return { digest: sha256(index), children: [amd.digest, arm.digest] };
}

describe('DescribeImages', () => {
  it('reports a data-plane push with the digest, size, tags and media types of its bytes', async () => {
    const pushed = await pushImage('v1');
    const { imageDetails } = await env.ecr.send(new DescribeImagesCommand({ repositoryName: 'app' }));
    expect(imageDetails).toEqual([
      {
        registryId: ACCOUNT,
        repositoryName: 'app',
        imageDigest: pushed.digest,
        imageTags: ['v1'],
        imageSizeInBytes: pushed.size,
        imagePushedAt: expect.any(Date),
        imageManifestMediaType: DOCKER_MANIFEST,
        artifactMediaType: DOCKER_CONFIG,
        imageStatus: 'ACTIVE',
      },
    ]);
  });

  it('lists an index and each of its children as images of their own', async () => {
    const index = await pushIndex('multi');
    const { imageDetails } = await env.ecr.send(new DescribeImagesCommand({ repositoryName: 'app' }));
    expect(imageDetails!.map((image) => image.imageDigest).sort()).toEqual([index.digest, ...index.children].sort());
    expect(imageDetails!.find((image) => image.imageDigest === index.digest)).toMatchObject({ imageTags: ['multi'], imageManifestMediaType: OCI_INDEX });
  });

  it('sizes an index as the largest image it lists, as the model documents imageSizeInBytes', async () => {
    const index = await pushIndex('multi');
    const { imageDetails } = await env.ecr.send(new DescribeImagesCommand({ repositoryName: 'app' }));
    const sizeOf = (digest: string): number => imageDetails!.find((image) => image.imageDigest === digest)!.imageSizeInBytes!;
    expect(sizeOf(index.digest)).toBe(Math.max(...index.children.map(sizeOf)));
    expect(sizeOf(index.digest)).toBeGreaterThan(0);
  });

  it('filters by tag status, names images by tag or digest, and pages', async () => {
    const tagged = await pushImage('tagged', ['a']);
    const untagged = await env.registry.pushImage('app', 'temporary', { layers: ['b'] });
    await env.registry.fetch(`/v2/app/manifests/temporary`, { method: 'DELETE' });
    const describe = async (tagStatus: 'TAGGED' | 'UNTAGGED' | 'ANY') =>
      (await env.ecr.send(new DescribeImagesCommand({ repositoryName: 'app', filter: { tagStatus } }))).imageDetails!.map((image) => image.imageDigest);
    expect(await describe('TAGGED')).toEqual([tagged.digest]);
    expect(await describe('UNTAGGED')).toEqual([untagged.digest]);
    expect((await describe('ANY')).sort()).toEqual([tagged.digest, untagged.digest].sort());

    const named = await env.ecr.send(new DescribeImagesCommand({ repositoryName: 'app', imageIds: [{ imageTag: 'tagged' }, { imageDigest: untagged.digest }] }));
    expect(named.imageDetails!.map((image) => image.imageDigest)).toEqual([tagged.digest, untagged.digest]);

    const first = await env.ecr.send(new DescribeImagesCommand({ repositoryName: 'app', maxResults: 1 }));
    const second = await env.ecr.send(new DescribeImagesCommand({ repositoryName: 'app', maxResults: 1, nextToken: first.nextToken! }));
    expect(first.nextToken).toBeDefined();
    expect(second.nextToken).toBeUndefined();
    expect([first.imageDetails![0]!.imageDigest, second.imageDetails![0]!.imageDigest].sort()).toEqual([tagged.digest, untagged.digest].sort());
  });

  it('answers ImageNotFoundException in ECR words for a named image that is not there', async () => {
    await expect(env.ecr.send(new DescribeImagesCommand({ repositoryName: 'app', imageIds: [{ imageTag: 'nope' }] }))).rejects.toMatchObject({
      name: 'ImageNotFoundException',
      message: `The image with imageId {imageDigest:'null', imageTag:'nope'} does not exist within the repository with name 'app' in the registry with id '${ACCOUNT}'`,
    });
  });

  it('refuses paging together with imageIds, and an unknown repository', async () => {
    await expect(env.ecr.send(new DescribeImagesCommand({ repositoryName: 'app', imageIds: [{ imageTag: 'x' }], maxResults: 5 }))).rejects.toMatchObject({ name: 'InvalidParameterException' });
    await expect(env.ecr.send(new DescribeImagesCommand({ repositoryName: 'missing' }))).rejects.toMatchObject({
      name: 'RepositoryNotFoundException',
      message: `The repository with name 'missing' does not exist in the registry with id '${ACCOUNT}'`,
    });
  });

  it('records the last pull: a data-plane GET sets lastRecordedPullTime, a HEAD does not', async () => {
    const pushed = await pushImage('v1');
    const pullTime = async () => (await env.ecr.send(new DescribeImagesCommand({ repositoryName: 'app' }))).imageDetails![0]!.lastRecordedPullTime;
    await env.registry.fetch(`/v2/app/manifests/v1`, { method: 'HEAD' });
    expect(await pullTime()).toBeUndefined();
    expect((await env.registry.fetch(`/v2/app/manifests/${pushed.digest}`)).status).toBe(200);
    expect(await pullTime()).toBeInstanceOf(Date);
  });
});

describe('ListImages', () => {
  it('lists one row per tag plus untagged digests, filters and pages', async () => {
    const image = await pushImage('one');
    await env.registry.putManifest('app', 'two', image.manifest, DOCKER_MANIFEST);
    const loose = await env.registry.pushImage('app', 'gone', { layers: ['loose'] });
    await env.registry.fetch(`/v2/app/manifests/gone`, { method: 'DELETE' });
    const all = await env.ecr.send(new ListImagesCommand({ repositoryName: 'app' }));
    expect(all.imageIds).toEqual(
      expect.arrayContaining([{ imageDigest: image.digest, imageTag: 'one' }, { imageDigest: image.digest, imageTag: 'two' }, { imageDigest: loose.digest }]),
    );
    expect(all.imageIds).toHaveLength(3);
    expect((await env.ecr.send(new ListImagesCommand({ repositoryName: 'app', filter: { tagStatus: 'UNTAGGED' } }))).imageIds).toEqual([{ imageDigest: loose.digest }]);
    const pages: unknown[] = [];
    let nextToken: string | undefined;
    do {
      const page = await env.ecr.send(new ListImagesCommand({ repositoryName: 'app', maxResults: 2, ...(nextToken ? { nextToken } : {}) }));
      pages.push(...page.imageIds!);
      nextToken = page.nextToken;
    } while (nextToken !== undefined);
    expect(pages).toEqual(all.imageIds);
  });
});

describe('BatchGetImage', () => {
  it('returns the exact manifest bytes by tag and by digest, with per-item failures', async () => {
    const pushed = await pushImage('v1');
    const answer = await env.ecr.send(new BatchGetImageCommand({
      repositoryName: 'app',
      imageIds: [{ imageTag: 'v1' }, { imageDigest: pushed.digest }, { imageTag: 'missing' }, {}, { imageTag: 'v1', imageDigest: `sha256:${'0'.repeat(64)}` }],
    }));
    expect(answer.images).toEqual([
      { registryId: ACCOUNT, repositoryName: 'app', imageId: { imageDigest: pushed.digest, imageTag: 'v1' }, imageManifest: pushed.manifest, imageManifestMediaType: DOCKER_MANIFEST },
      { registryId: ACCOUNT, repositoryName: 'app', imageId: { imageDigest: pushed.digest }, imageManifest: pushed.manifest, imageManifestMediaType: DOCKER_MANIFEST },
    ]);
    expect(answer.failures).toEqual([
      { imageId: { imageTag: 'missing' }, failureCode: 'ImageNotFound', failureReason: 'Requested image not found' },
      { imageId: {}, failureCode: 'MissingDigestAndTag', failureReason: 'Invalid request parameters: both tag and digest cannot be null' },
      { imageId: { imageDigest: `sha256:${'0'.repeat(64)}`, imageTag: 'v1' }, failureCode: 'ImageNotFound', failureReason: 'Requested image not found' },
    ]);
    // BatchGetImage is a pull.
    expect((await env.ecr.send(new DescribeImagesCommand({ repositoryName: 'app' }))).imageDetails![0]!.lastRecordedPullTime).toBeInstanceOf(Date);
  });

  it('fails an image whose media type is not among acceptedMediaTypes', async () => {
    await pushImage('v1');
    const answer = await env.ecr.send(new BatchGetImageCommand({ repositoryName: 'app', imageIds: [{ imageTag: 'v1' }], acceptedMediaTypes: [OCI_MANIFEST] }));
    expect(answer.images).toEqual([]);
    expect(answer.failures![0]).toMatchObject({ failureCode: 'ImageNotFound' });
  });
});

describe('PutImage', () => {
  it('tags a pushed manifest anew; the data plane serves the new tag with the same digest', async () => {
    const pushed = await pushImage('v1');
    const { image } = await env.ecr.send(new PutImageCommand({ repositoryName: 'app', imageManifest: pushed.manifest, imageTag: 'v2' }));
    expect(image).toEqual({ registryId: ACCOUNT, repositoryName: 'app', imageId: { imageDigest: pushed.digest, imageTag: 'v2' }, imageManifest: pushed.manifest, imageManifestMediaType: DOCKER_MANIFEST });
    const pulled = await env.registry.fetch('/v2/app/manifests/v2', { headers: { accept: DOCKER_MANIFEST } });
    expect(pulled.headers.get('docker-content-digest')).toBe(pushed.digest);
    expect(await pulled.text()).toBe(pushed.manifest);
  });

  it('answers ImageAlreadyExistsException for the same manifest and tag', async () => {
    const pushed = await pushImage('v1');
    await expect(env.ecr.send(new PutImageCommand({ repositoryName: 'app', imageManifest: pushed.manifest, imageTag: 'v1' }))).rejects.toMatchObject({
      name: 'ImageAlreadyExistsException',
      message: `Image with digest '${pushed.digest}' and tag 'v1' already exists in the repository with name 'app' in registry with id '${ACCOUNT}'`,
    });
  });

  it('checks a given imageDigest, the referenced blobs and index children', async () => {
    const pushed = await pushImage('v1');
    await expect(env.ecr.send(new PutImageCommand({ repositoryName: 'app', imageManifest: pushed.manifest, imageTag: 'v3', imageDigest: `sha256:${'1'.repeat(64)}` }))).rejects.toMatchObject({
      name: 'ImageDigestDoesNotMatchException',
    });
    const orphan = JSON.stringify({
      schemaVersion: 2,
      mediaType: DOCKER_MANIFEST,
      config: { mediaType: DOCKER_CONFIG, digest: sha256('never pushed'), size: 12 },
      layers: [{ mediaType: DOCKER_LAYER, digest: sha256('nor this'), size: 8 }],
    });
    await expect(env.ecr.send(new PutImageCommand({ repositoryName: 'app', imageManifest: orphan, imageTag: 'orphan' }))).rejects.toMatchObject({ name: 'LayersNotFoundException' });
    const index = JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [{ mediaType: OCI_MANIFEST, digest: sha256('no such child'), size: 13 }] });
    await expect(env.ecr.send(new PutImageCommand({ repositoryName: 'app', imageManifest: index, imageTag: 'idx' }))).rejects.toMatchObject({ name: 'ReferencedImagesNotFoundException' });
    await expect(env.ecr.send(new PutImageCommand({ repositoryName: 'app', imageManifest: 'not json', imageTag: 'bad' }))).rejects.toMatchObject({ name: 'InvalidParameterException' });
    await expect(env.ecr.send(new PutImageCommand({ repositoryName: 'missing', imageManifest: pushed.manifest }))).rejects.toMatchObject({ name: 'RepositoryNotFoundException' });
  });

  it('honours imageManifestMediaType for a manifest without mediaType', async () => {
    const pushed = await pushImage('v1');
    const { mediaType: _dropped, ...bare } = JSON.parse(pushed.manifest) as Record<string, unknown>;
    const text = JSON.stringify({ ...bare, config: { ...(bare.config as object), mediaType: 'application/vnd.oci.image.config.v1+json' } });
    const { image } = await env.ecr.send(new PutImageCommand({ repositoryName: 'app', imageManifest: text, imageTag: 'oci', imageManifestMediaType: OCI_MANIFEST }));
    expect(image!.imageManifestMediaType).toBe(OCI_MANIFEST);
    expect(image!.imageId!.imageDigest).toBe(sha256(text));
  });

  it('refuses a manifest without mediaType and without imageManifestMediaType before it looks for blobs', async () => {
    const orphan = JSON.stringify({
      schemaVersion: 2,
      config: { mediaType: DOCKER_CONFIG, digest: sha256('never pushed'), size: 12 },
      layers: [{ mediaType: DOCKER_LAYER, digest: sha256('nor this'), size: 8 }],
    });
    await expect(env.ecr.send(new PutImageCommand({ repositoryName: 'app', imageManifest: orphan, imageTag: 'bare' }))).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: 'image manifest mediatype not provided in manifest or parameter',
    });
  });

  it('refuses to move a tag of an immutable repository, except for tags its exclusion filters name', async () => {
    await createRepository({ repositoryName: 'locked', imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION', imageTagMutabilityExclusionFilters: [{ filterType: 'WILDCARD', filter: 'latest' }] });
    const locked = await env.loginRegistry();
    const first = await locked.pushImage('locked', 'v1', { layers: ['first'] });
    const second = await locked.pushImage('locked', 'latest', { layers: ['second'] });
    await expect(env.ecr.send(new PutImageCommand({ repositoryName: 'locked', imageManifest: second.manifest, imageTag: 'v1' }))).rejects.toMatchObject({
      name: 'ImageTagAlreadyExistsException',
      message: "The image tag 'v1' already exists in the 'locked' repository and cannot be overwritten because the repository is immutable.",
    });
    const moved = await env.ecr.send(new PutImageCommand({ repositoryName: 'locked', imageManifest: first.manifest, imageTag: 'latest' }));
    expect(moved.image!.imageId).toEqual({ imageDigest: first.digest, imageTag: 'latest' });
  });

  it('lands all of 16 parallel PutImage calls of different tags', async () => {
    const pushed = await pushImage('base');
    const tags = Array.from({ length: 16 }, (_, i) => `parallel-${i}`);
    await Promise.all(tags.map((imageTag) => env.ecr.send(new PutImageCommand({ repositoryName: 'app', imageManifest: pushed.manifest, imageTag }))));
    const listed = await env.ecr.send(new ListImagesCommand({ repositoryName: 'app', filter: { tagStatus: 'TAGGED' } }));
    expect(listed.imageIds!.map((id) => id.imageTag).sort()).toEqual(['base', ...tags].sort());
  });
});

describe('BatchDeleteImage', () => {
  it('removes a tag only while the image has others, and the image with its last tag', async () => {
    const pushed = await pushImage('v1');
    await env.ecr.send(new PutImageCommand({ repositoryName: 'app', imageManifest: pushed.manifest, imageTag: 'v2' }));
    const first = await env.ecr.send(new BatchDeleteImageCommand({ repositoryName: 'app', imageIds: [{ imageTag: 'v1' }] }));
    expect(first).toMatchObject({ imageIds: [{ imageDigest: pushed.digest, imageTag: 'v1' }], failures: [] });
    expect((await env.registry.fetch(`/v2/app/manifests/${pushed.digest}`)).status).toBe(200);
    const last = await env.ecr.send(new BatchDeleteImageCommand({ repositoryName: 'app', imageIds: [{ imageTag: 'v2' }] }));
    expect(last.imageIds).toEqual([{ imageDigest: pushed.digest, imageTag: 'v2' }]);
    const pull = await env.registry.fetch(`/v2/app/manifests/${pushed.digest}`);
    expect(pull.status).toBe(404);
    expect((await errorsOf(pull))[0]!.code).toBe('MANIFEST_UNKNOWN');
  });

  it('deletes by digest with every tag, and reports failures per item', async () => {
    const pushed = await pushImage('v1');
    await env.ecr.send(new PutImageCommand({ repositoryName: 'app', imageManifest: pushed.manifest, imageTag: 'v2' }));
    const answer = await env.ecr.send(new BatchDeleteImageCommand({ repositoryName: 'app', imageIds: [{ imageDigest: pushed.digest }, { imageTag: 'absent' }, { imageDigest: 'nonsense' }] }));
    expect(answer.imageIds).toEqual([{ imageDigest: pushed.digest, imageTag: 'v1' }, { imageDigest: pushed.digest, imageTag: 'v2' }]);
    expect(answer.failures!.map((failure) => failure.failureCode)).toEqual(['ImageNotFound', 'InvalidImageDigest']);
    expect((await env.ecr.send(new ListImagesCommand({ repositoryName: 'app' }))).imageIds).toEqual([]);
  });

  it('refuses to delete an image an index lists, until the index is gone', async () => {
    const index = await pushIndex('multi');
    const child = index.children[0]!;
    const refused = await env.ecr.send(new BatchDeleteImageCommand({ repositoryName: 'app', imageIds: [{ imageDigest: child }] }));
    expect(refused.failures).toEqual([{ imageId: { imageDigest: child }, failureCode: 'ImageReferencedByManifestList', failureReason: `Requested image is referenced by a manifest list: [${index.digest}]` }]);
    await env.ecr.send(new BatchDeleteImageCommand({ repositoryName: 'app', imageIds: [{ imageDigest: index.digest }] }));
    const deleted = await env.ecr.send(new BatchDeleteImageCommand({ repositoryName: 'app', imageIds: [{ imageDigest: child }] }));
    expect(deleted.failures).toEqual([]);
  });
});

describe('ListImageReferrers', () => {
  it('lists the artifacts whose subject is the image, filtered by artifact type', async () => {
    const subject = await pushImage('v1');
    const emptyDigest = await env.registry.pushBlob('app', '{}');
    const artifact = JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      artifactType: 'application/vnd.example.sbom',
      config: { mediaType: 'application/vnd.oci.empty.v1+json', digest: emptyDigest, size: 2 },
      layers: [{ mediaType: 'application/vnd.oci.empty.v1+json', digest: emptyDigest, size: 2 }],
      subject: { mediaType: DOCKER_MANIFEST, digest: subject.digest, size: Buffer.byteLength(subject.manifest) },
      annotations: { purpose: 'test' },
    });
    expect((await env.registry.putManifest('app', sha256(artifact), artifact, OCI_MANIFEST)).status).toBe(201);
    const { referrers } = await env.ecr.send(new ListImageReferrersCommand({ repositoryName: 'app', subjectId: { imageDigest: subject.digest } }));
    expect(referrers).toEqual([
      { digest: sha256(artifact), mediaType: OCI_MANIFEST, artifactType: 'application/vnd.example.sbom', size: Buffer.byteLength(artifact), annotations: { purpose: 'test' }, artifactStatus: 'ACTIVE' },
    ]);
    const filtered = await env.ecr.send(new ListImageReferrersCommand({ repositoryName: 'app', subjectId: { imageDigest: subject.digest }, filter: { artifactTypes: ['application/other'] } }));
    expect(filtered.referrers).toEqual([]);
  });
});

describe('UpdateImageStorageClass', () => {
  it('archives an image so that neither plane serves it, and restores it', async () => {
    const pushed = await pushImage('v1');
    const archived = await env.ecr.send(new UpdateImageStorageClassCommand({ repositoryName: 'app', imageId: { imageTag: 'v1' }, targetStorageClass: 'ARCHIVE' }));
    expect(archived).toMatchObject({ registryId: ACCOUNT, repositoryName: 'app', imageId: { imageDigest: pushed.digest, imageTag: 'v1' }, imageStatus: 'ARCHIVED' });
    expect((await env.registry.fetch('/v2/app/manifests/v1')).status).toBe(404);
    const pulled = await env.ecr.send(new BatchGetImageCommand({ repositoryName: 'app', imageIds: [{ imageTag: 'v1' }] }));
    expect(pulled.failures![0]).toMatchObject({ failureCode: 'ImageInaccessible' });
    expect((await env.ecr.send(new DescribeImagesCommand({ repositoryName: 'app' }))).imageDetails).toEqual([]);
    const any = await env.ecr.send(new DescribeImagesCommand({ repositoryName: 'app', filter: { imageStatus: 'ANY' } }));
    expect(any.imageDetails![0]).toMatchObject({ imageStatus: 'ARCHIVED', lastArchivedAt: expect.any(Date) });

    const restored = await env.ecr.send(new UpdateImageStorageClassCommand({ repositoryName: 'app', imageId: { imageDigest: pushed.digest }, targetStorageClass: 'STANDARD' }));
    expect(restored.imageStatus).toBe('ACTIVATING');
    expect((await env.registry.fetch('/v2/app/manifests/v1')).status).toBe(200);
    expect((await env.ecr.send(new DescribeImagesCommand({ repositoryName: 'app' }))).imageDetails![0]).toMatchObject({ imageStatus: 'ACTIVE', lastActivatedAt: expect.any(Date) });
  });

  it('answers ImageNotFoundException for an image that is not there', async () => {
    await expect(env.ecr.send(new UpdateImageStorageClassCommand({ repositoryName: 'app', imageId: { imageTag: 'nope' }, targetStorageClass: 'ARCHIVE' }))).rejects.toMatchObject({ name: 'ImageNotFoundException' });
  });
});

describe('replication and signing status', () => {
  it('replicates a push to the destination region and reports it COMPLETE', async () => {
    await env.ecr.send(new PutReplicationConfigurationCommand({ replicationConfiguration: { rules: [{ destinations: [{ region: 'eu-west-1', registryId: ACCOUNT }], repositoryFilters: [{ filter: 'ap', filterType: 'PREFIX_MATCH' }] }] } }));
    const pushed = await pushImage('v1');
    await env.emulator.idle();
    const status = await env.ecr.send(new DescribeImageReplicationStatusCommand({ repositoryName: 'app', imageId: { imageTag: 'v1' } }));
    expect(status).toMatchObject({ repositoryName: 'app', imageId: { imageDigest: pushed.digest, imageTag: 'v1' }, replicationStatuses: [{ region: 'eu-west-1', registryId: ACCOUNT, status: 'COMPLETE' }] });
    const europe = env.ecrClient({ region: 'eu-west-1' });
    const replica = await europe.send(new BatchGetImageCommand({ repositoryName: 'app', imageIds: [{ imageTag: 'v1' }] }));
    expect(replica.images![0]!.imageManifest).toBe(pushed.manifest);
    // A tag put on an image already there is replicated too.
    await env.ecr.send(new PutImageCommand({ repositoryName: 'app', imageManifest: pushed.manifest, imageTag: 'stable' }));
    await env.emulator.idle();
    const retagged = await europe.send(new ListImagesCommand({ repositoryName: 'app' }));
    expect(retagged.imageIds).toEqual([{ imageDigest: pushed.digest, imageTag: 'stable' }, { imageDigest: pushed.digest, imageTag: 'v1' }]);
  });

  it('replicates through the destination\'s rules: an immutable tag there keeps its image', async () => {
    const europe = env.ecrClient({ region: 'eu-west-1' });
    await europe.send(new CreateRepositoryCommand({ repositoryName: 'app', imageTagMutability: 'IMMUTABLE' }));
    await env.ecr.send(new PutReplicationConfigurationCommand({ replicationConfiguration: { rules: [{ destinations: [{ region: 'eu-west-1', registryId: ACCOUNT }] }] } }));
    const first = await pushImage('v1', ['first']);
    const second = await pushImage('v1', ['second']);
    expect(second.digest).not.toBe(first.digest);
    await env.emulator.idle();
    const replica = await europe.send(new BatchGetImageCommand({ repositoryName: 'app', imageIds: [{ imageTag: 'v1' }] }));
    expect(replica.images![0]!.imageId!.imageDigest).toBe(first.digest);
    const source = await env.ecr.send(new BatchGetImageCommand({ repositoryName: 'app', imageIds: [{ imageTag: 'v1' }] }));
    expect(source.images![0]!.imageId!.imageDigest).toBe(second.digest);
  });

  it('does not replicate a replica again, so two registries replicating to each other do not loop', async () => {
    const europe = env.ecrClient({ region: 'eu-west-1' });
    await env.ecr.send(new PutReplicationConfigurationCommand({ replicationConfiguration: { rules: [{ destinations: [{ region: 'eu-west-1', registryId: ACCOUNT }] }] } }));
    await europe.send(new PutReplicationConfigurationCommand({ replicationConfiguration: { rules: [{ destinations: [{ region: 'us-east-1', registryId: ACCOUNT }] }] } }));
    const pushed = await pushImage('v1');
    await env.emulator.idle();
    const replica = await europe.send(new BatchGetImageCommand({ repositoryName: 'app', imageIds: [{ imageTag: 'v1' }] }));
    expect(replica.images![0]!.imageId!.imageDigest).toBe(pushed.digest);
    expect((await env.ecr.send(new ListImagesCommand({ repositoryName: 'app' }))).imageIds).toEqual([{ imageDigest: pushed.digest, imageTag: 'v1' }]);
  });

  it('reports no replication without a configuration, and one signing status per matching rule', async () => {
    await pushImage('v1');
    expect((await env.ecr.send(new DescribeImageReplicationStatusCommand({ repositoryName: 'app', imageId: { imageTag: 'v1' } }))).replicationStatuses).toEqual([]);
    expect((await env.ecr.send(new DescribeImageSigningStatusCommand({ repositoryName: 'app', imageId: { imageTag: 'v1' } }))).signingStatuses).toEqual([]);
    const signingProfileArn = `arn:aws:signer:us-east-1:${ACCOUNT}:/signing-profiles/example`;
    await env.ecr.send(new PutSigningConfigurationCommand({ signingConfiguration: { rules: [{ signingProfileArn, repositoryFilters: [{ filter: 'ap*', filterType: 'WILDCARD_MATCH' }] }] } }));
    expect((await env.ecr.send(new DescribeImageSigningStatusCommand({ repositoryName: 'app', imageId: { imageTag: 'v1' } }))).signingStatuses).toEqual([{ signingProfileArn, status: 'COMPLETE' }]);
    await expect(env.ecr.send(new DescribeImageSigningStatusCommand({ repositoryName: 'app', imageId: { imageTag: 'nope' } }))).rejects.toMatchObject({ name: 'ImageNotFoundException' });
  });
});
