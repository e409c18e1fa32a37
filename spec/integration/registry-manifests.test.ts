// Manifests, tags, referrers and the catalog on the data plane: push and pull by tag and digest, Accept
// negotiation, validation errors, tag immutability, deletes, and paging.
import http from 'node:http';
import { CreateRepositoryCommand, type CreateRepositoryCommandInput } from '@aws-sdk/client-ecr';
import {
  DOCKER_CONFIG,
  DOCKER_LAYER,
  DOCKER_MANIFEST,
  DOCKER_MANIFEST_LIST,
  errorsOf,
  OCI_INDEX,
  OCI_MANIFEST,
  sha256,
} from '../helpers/registry-client';
import { sendChunked, type ChunkedAnswer } from '../helpers/chunked-request';
import { useTestEmulator } from '../helpers/test-emulator';

const env = useTestEmulator({ repositories: ['app'] });

async function putChunked(path: string, body: Buffer, agent: http.Agent): Promise<ChunkedAnswer> {
  return sendChunked(`${env.emulator.endpoint}${path}`, { method: 'PUT', agent, headers: { authorization: env.authorization, 'content-type': OCI_MANIFEST } }, body);
}

async function createRepository(input: CreateRepositoryCommandInput): Promise<void> {
  await env.ecr.send(new CreateRepositoryCommand(input));
}

/** An OCI artifact manifest (empty config) whose subject is `subject`, after pushing its blobs. */
async function pushArtifact(subject: { digest: string; size: number }, artifactType: string, reference?: string): Promise<{ digest: string; response: Response }> {
  const empty = '{}';
  const emptyDigest = await env.registry.pushBlob('app', empty);
  const layerDigest = await env.registry.pushBlob('app', `payload of ${artifactType}`);
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    artifactType,
    config: { mediaType: 'application/vnd.oci.empty.v1+json', digest: emptyDigest, size: 2 },
    layers: [{ mediaType: 'application/octet-stream', digest: layerDigest, size: Buffer.byteLength(`payload of ${artifactType}`) }],
    subject: { mediaType: DOCKER_MANIFEST, ...subject },
    annotations: { 'org.example.kind': artifactType },
  });
  const digest = sha256(manifest);
  return { digest, response: await env.registry.putManifest('app', reference ?? digest, manifest, OCI_MANIFEST) };
}

describe('PUT and GET manifests', () => {
  it('stores a manifest by tag and answers 201 with its digest and location', async () => {
    const config = await env.registry.pushBlob('app', '{"os":"linux"}');
    const layer = await env.registry.pushBlob('app', 'layer');
    const manifest = JSON.stringify({
      schemaVersion: 2,
      mediaType: DOCKER_MANIFEST,
      config: { mediaType: DOCKER_CONFIG, digest: config, size: 14 },
      layers: [{ mediaType: DOCKER_LAYER, digest: layer, size: 5 }],
    });
    const response = await env.registry.putManifest('app', 'v1', manifest, DOCKER_MANIFEST);
    expect(response.status).toBe(201);
    expect(response.headers.get('docker-content-digest')).toBe(sha256(manifest));
    expect(response.headers.get('location')).toBe(`/v2/app/manifests/${sha256(manifest)}`);
  });

  it.each(['v1', 'digest'])('returns the exact bytes, media type and digest by %s', async (by) => {
    const { digest, manifest } = await env.registry.pushImage('app', 'v1');
    const response = await env.registry.fetch(`/v2/app/manifests/${by === 'v1' ? 'v1' : digest}`, { headers: { accept: DOCKER_MANIFEST } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(DOCKER_MANIFEST);
    expect(response.headers.get('docker-content-digest')).toBe(digest);
    expect(await response.text()).toBe(manifest);
  });

  it('answers HEAD with the digest and length and no body', async () => {
    const { digest, manifest } = await env.registry.pushImage('app', 'v1');
    const response = await env.registry.fetch('/v2/app/manifests/v1', { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(response.headers.get('docker-content-digest')).toBe(digest);
    expect(response.headers.get('content-length')).toBe(String(Buffer.byteLength(manifest)));
    expect(await response.text()).toBe('');
  });

  it('answers MANIFEST_UNKNOWN with 404 for an unknown tag and digest', async () => {
    for (const reference of ['nope', sha256('nope')]) {
      const response = await env.registry.fetch(`/v2/app/manifests/${reference}`);
      expect(response.status).toBe(404);
      expect((await errorsOf(response))[0]!.code).toBe('MANIFEST_UNKNOWN');
    }
  });

  it('stores by digest reference when the bytes match', async () => {
    const config = await env.registry.pushBlob('app', 'cfg');
    const manifest = JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: config, size: 3 }, layers: [] });
    const response = await env.registry.putManifest('app', sha256(manifest), manifest, OCI_MANIFEST);
    expect(response.status).toBe(201);
  });

  it('rejects a PUT by digest whose bytes hash differently with DIGEST_INVALID', async () => {
    const config = await env.registry.pushBlob('app', 'cfg');
    const manifest = JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: config, size: 3 }, layers: [] });
    const response = await env.registry.putManifest('app', sha256('something else'), manifest, OCI_MANIFEST);
    expect(response.status).toBe(400);
    expect((await errorsOf(response))[0]!.code).toBe('DIGEST_INVALID');
  });
});

describe('manifest validation', () => {
  it('rejects a manifest whose layer is not in the repository with MANIFEST_BLOB_UNKNOWN', async () => {
    const config = await env.registry.pushBlob('app', 'cfg');
    const manifest = JSON.stringify({
      schemaVersion: 2,
      mediaType: DOCKER_MANIFEST,
      config: { mediaType: DOCKER_CONFIG, digest: config, size: 3 },
      layers: [{ mediaType: DOCKER_LAYER, digest: sha256('never pushed'), size: 12 }],
    });
    const response = await env.registry.putManifest('app', 'v1', manifest, DOCKER_MANIFEST);
    expect(response.status).toBe(400);
    expect((await errorsOf(response))[0]).toMatchObject({ code: 'MANIFEST_BLOB_UNKNOWN', detail: { digest: sha256('never pushed') } });
  });

  it('rejects a manifest whose config is linked only in another repository with MANIFEST_BLOB_UNKNOWN', async () => {
    await createRepository({ repositoryName: 'other' });
    const config = await env.registry.pushBlob('other', 'cfg');
    const manifest = JSON.stringify({ schemaVersion: 2, mediaType: DOCKER_MANIFEST, config: { mediaType: DOCKER_CONFIG, digest: config, size: 3 }, layers: [] });
    const response = await env.registry.putManifest('app', 'v1', manifest, DOCKER_MANIFEST);
    expect((await errorsOf(response))[0]!.code).toBe('MANIFEST_BLOB_UNKNOWN');
  });

  it.each([
    ['invalid JSON', '{"schemaVersion":', DOCKER_MANIFEST],
    ['schema version 1', JSON.stringify({ schemaVersion: 1, name: 'app', tag: 'v1', fsLayers: [] }), DOCKER_MANIFEST],
    ['a config without digest', JSON.stringify({ schemaVersion: 2, mediaType: DOCKER_MANIFEST, config: { mediaType: DOCKER_CONFIG, size: 1 }, layers: [] }), DOCKER_MANIFEST],
    ['layers that are not an array', JSON.stringify({ schemaVersion: 2, mediaType: DOCKER_MANIFEST, config: { mediaType: DOCKER_CONFIG, digest: sha256('c'), size: 1 }, layers: {} }), DOCKER_MANIFEST],
    ['a body media type other than Content-Type', JSON.stringify({ schemaVersion: 2, mediaType: OCI_MANIFEST, config: {}, layers: [] }), DOCKER_MANIFEST],
    ['an unsupported media type', JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.docker.distribution.manifest.v1+json' }), 'application/vnd.docker.distribution.manifest.v1+json'],
  ])('rejects %s with MANIFEST_INVALID', async (_case, body, mediaType) => {
    const response = await env.registry.putManifest('app', 'v1', body, mediaType);
    expect(response.status).toBe(400);
    expect((await errorsOf(response))[0]!.code).toBe('MANIFEST_INVALID');
  });

  it('rejects a manifest over 4 MiB with 413 SIZE_INVALID', async () => {
    const response = await env.registry.putManifest('app', 'v1', JSON.stringify({ schemaVersion: 2, padding: 'x'.repeat(4 * 1024 * 1024) }), OCI_MANIFEST);
    expect(response.status).toBe(413);
    expect((await errorsOf(response))[0]!.code).toBe('SIZE_INVALID');
  });

  it('rejects a manifest over 4 MiB sent chunked (no Content-Length) with 413 SIZE_INVALID that the client receives', async () => {
    const oversized = Buffer.from(JSON.stringify({ schemaVersion: 2, padding: 'x'.repeat(4 * 1024 * 1024) }));
    const answer = await putChunked('/v2/app/manifests/v1', oversized, new http.Agent());
    expect(answer.status).toBe(413);
    expect((JSON.parse(answer.body) as { errors: { code: string }[] }).errors[0]!.code).toBe('SIZE_INVALID');
  });

  it('keeps the connection usable after refusing a chunked manifest over 4 MiB', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    const oversized = Buffer.from(JSON.stringify({ schemaVersion: 2, padding: 'x'.repeat(4 * 1024 * 1024) }));
    const refused = await putChunked('/v2/app/manifests/v1', oversized, agent);
    const next = await putChunked('/v2/app/manifests/v1', Buffer.from('{}'), agent);
    agent.destroy();
    expect([refused.status, next.status]).toEqual([413, 400]);
    expect(next.socket).toBe(refused.socket);
  });

  it('rejects a malformed tag with TAG_INVALID', async () => {
    const response = await env.registry.putManifest('app', '-bad', '{}', OCI_MANIFEST);
    expect(response.status).toBe(400);
    expect((await errorsOf(response))[0]!.code).toBe('TAG_INVALID');
  });

  it('answers NAME_UNKNOWN for a push to a repository that does not exist', async () => {
    const response = await env.registry.putManifest('missing', 'v1', '{}', OCI_MANIFEST);
    expect(response.status).toBe(404);
    expect((await errorsOf(response))[0]!.code).toBe('NAME_UNKNOWN');
  });
});

describe('indexes', () => {
  it('stores an index whose children are in the repository', async () => {
    const child = await env.registry.pushImage('app', 'amd64');
    const index = JSON.stringify({
      schemaVersion: 2,
      mediaType: DOCKER_MANIFEST_LIST,
      manifests: [{ mediaType: DOCKER_MANIFEST, digest: child.digest, size: Buffer.byteLength(child.manifest), platform: { architecture: 'amd64', os: 'linux' } }],
    });
    expect((await env.registry.putManifest('app', 'multi', index, DOCKER_MANIFEST_LIST)).status).toBe(201);
    const response = await env.registry.fetch('/v2/app/manifests/multi', { headers: { accept: `${DOCKER_MANIFEST_LIST}, ${DOCKER_MANIFEST}` } });
    expect(response.headers.get('content-type')).toBe(DOCKER_MANIFEST_LIST);
  });

  it('rejects an index whose child manifest is absent with MANIFEST_BLOB_UNKNOWN', async () => {
    const index = JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [{ mediaType: OCI_MANIFEST, digest: sha256('absent'), size: 10 }] });
    const response = await env.registry.putManifest('app', 'multi', index, OCI_INDEX);
    expect(response.status).toBe(400);
    expect((await errorsOf(response))[0]!.code).toBe('MANIFEST_BLOB_UNKNOWN');
  });
});

describe('Accept negotiation', () => {
  it('answers MANIFEST_UNKNOWN when the tag\'s manifest type is not among the accepted manifest types', async () => {
    await env.registry.pushImage('app', 'oci', { mediaType: OCI_MANIFEST });
    const response = await env.registry.fetch('/v2/app/manifests/oci', { headers: { accept: DOCKER_MANIFEST } });
    expect(response.status).toBe(404);
    expect((await errorsOf(response))[0]!.code).toBe('MANIFEST_UNKNOWN');
  });

  it.each([
    ['no Accept header', undefined],
    ['*/*', '*/*'],
    ['the manifest type with parameters', `${OCI_MANIFEST}; q=0.9, ${DOCKER_MANIFEST}`],
  ])('serves the manifest with %s', async (_case, accept) => {
    await env.registry.pushImage('app', 'oci', { mediaType: OCI_MANIFEST });
    const response = await env.registry.fetch('/v2/app/manifests/oci', accept === undefined ? {} : { headers: { accept } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(OCI_MANIFEST);
  });

  it('serves a pull by digest whatever Accept says', async () => {
    const { digest } = await env.registry.pushImage('app', 'oci', { mediaType: OCI_MANIFEST });
    const response = await env.registry.fetch(`/v2/app/manifests/${digest}`, { headers: { accept: DOCKER_MANIFEST } });
    expect(response.status).toBe(200);
  });
});

describe('tag immutability', () => {
  it('refuses to move a tag in an IMMUTABLE repository with TAG_INVALID and ECR\'s message', async () => {
    await createRepository({ repositoryName: 'locked', imageTagMutability: 'IMMUTABLE' });
    await env.registry.pushImage('locked', 'v1', { layers: ['one'] });
    const config = await env.registry.pushBlob('locked', 'other config');
    const manifest = JSON.stringify({ schemaVersion: 2, mediaType: DOCKER_MANIFEST, config: { mediaType: DOCKER_CONFIG, digest: config, size: 12 }, layers: [] });
    const response = await env.registry.putManifest('locked', 'v1', manifest, DOCKER_MANIFEST);
    expect(response.status).toBe(400);
    expect((await errorsOf(response))[0]).toMatchObject({
      code: 'TAG_INVALID',
      message: "The image tag 'v1' already exists in the 'locked' repository and cannot be overwritten because the repository is immutable.",
    });
  });

  it('accepts pushing the same manifest to the same tag again in an IMMUTABLE repository', async () => {
    await createRepository({ repositoryName: 'locked', imageTagMutability: 'IMMUTABLE' });
    const { manifest } = await env.registry.pushImage('locked', 'v1');
    expect((await env.registry.putManifest('locked', 'v1', manifest, DOCKER_MANIFEST)).status).toBe(201);
  });

  it.each([
    ['IMMUTABLE_WITH_EXCLUSION', 'latest', 201],
    ['IMMUTABLE_WITH_EXCLUSION', 'v1', 400],
    ['MUTABLE_WITH_EXCLUSION', 'release-1', 400],
    ['MUTABLE_WITH_EXCLUSION', 'v1', 201],
  ] as const)('with %s, moving tag %s answers %s', async (mutability, tag, status) => {
    const filter = mutability === 'IMMUTABLE_WITH_EXCLUSION' ? 'latest*' : 'release-*';
    await createRepository({ repositoryName: 'mixed', imageTagMutability: mutability, imageTagMutabilityExclusionFilters: [{ filterType: 'WILDCARD', filter }] });
    await env.registry.pushImage('mixed', tag, { layers: ['one'] });
    const config = await env.registry.pushBlob('mixed', 'other config');
    const manifest = JSON.stringify({ schemaVersion: 2, mediaType: DOCKER_MANIFEST, config: { mediaType: DOCKER_CONFIG, digest: config, size: 12 }, layers: [] });
    expect((await env.registry.putManifest('mixed', tag, manifest, DOCKER_MANIFEST)).status).toBe(status);
  });

  it('moves a tag in a MUTABLE repository', async () => {
    await env.registry.pushImage('app', 'v1', { layers: ['one'] });
    const second = await env.registry.pushImage('app', 'v1', { layers: ['two'] });
    expect((await env.registry.fetch('/v2/app/manifests/v1', { method: 'HEAD' })).headers.get('docker-content-digest')).toBe(second.digest);
  });
});

describe('DELETE manifests', () => {
  it('removes the image and all its tags when deleted by digest', async () => {
    const { digest } = await env.registry.pushImage('app', 'v1');
    await env.registry.pushImage('app', 'v2');
    expect((await env.registry.fetch(`/v2/app/manifests/${digest}`, { method: 'DELETE' })).status).toBe(202);
    expect((await env.registry.fetch(`/v2/app/manifests/${digest}`)).status).toBe(404);
    expect((await env.registry.fetch('/v2/app/manifests/v1')).status).toBe(404);
    expect(await (await env.registry.fetch('/v2/app/tags/list')).json()).toEqual({ name: 'app', tags: [] });
  });

  it('removes only the tag when deleted by tag', async () => {
    const { digest } = await env.registry.pushImage('app', 'v1');
    expect((await env.registry.fetch('/v2/app/manifests/v1', { method: 'DELETE' })).status).toBe(202);
    expect((await env.registry.fetch('/v2/app/manifests/v1')).status).toBe(404);
    expect((await env.registry.fetch(`/v2/app/manifests/${digest}`)).status).toBe(200);
  });

  it('answers MANIFEST_UNKNOWN for deleting an absent manifest', async () => {
    const response = await env.registry.fetch(`/v2/app/manifests/${sha256('absent')}`, { method: 'DELETE' });
    expect(response.status).toBe(404);
    expect((await errorsOf(response))[0]!.code).toBe('MANIFEST_UNKNOWN');
  });
});

describe('tags list', () => {
  it('pages with n and last and links the next page', async () => {
    const { manifest } = await env.registry.pushImage('app', 'a');
    for (const tag of ['b', 'c', 'd', 'e']) await env.registry.putManifest('app', tag, manifest, DOCKER_MANIFEST);
    const first = await env.registry.fetch('/v2/app/tags/list?n=2');
    expect(await first.json()).toEqual({ name: 'app', tags: ['a', 'b'] });
    expect(first.headers.get('link')).toBe('</v2/app/tags/list?last=b&n=2>; rel="next"');
    const last = await env.registry.fetch('/v2/app/tags/list?n=2&last=d');
    expect(await last.json()).toEqual({ name: 'app', tags: ['e'] });
    expect(last.headers.get('link')).toBeNull();
  });

  it('rejects a non-numeric n with PAGINATION_NUMBER_INVALID', async () => {
    const response = await env.registry.fetch('/v2/app/tags/list?n=many');
    expect(response.status).toBe(400);
    expect((await errorsOf(response))[0]!.code).toBe('PAGINATION_NUMBER_INVALID');
  });
});

describe('catalog', () => {
  it('lists the scope\'s repositories with n / last paging and a Link header', async () => {
    for (const repositoryName of ['b/one', 'cc']) await createRepository({ repositoryName });
    const first = await env.registry.fetch('/v2/_catalog?n=2');
    expect(await first.json()).toEqual({ repositories: ['app', 'b/one'] });
    expect(first.headers.get('link')).toBe('</v2/_catalog?last=b%2Fone&n=2>; rel="next"');
    const next = await env.registry.fetch('/v2/_catalog?n=2&last=b%2Fone');
    expect(await next.json()).toEqual({ repositories: ['cc'] });
    expect(next.headers.get('link')).toBeNull();
  });
});

describe('referrers', () => {
  it('answers OCI-Subject on a push with a subject and lists the referrer', async () => {
    const image = await env.registry.pushImage('app', 'v1');
    const subject = { digest: image.digest, size: Buffer.byteLength(image.manifest) };
    const signature = await pushArtifact(subject, 'application/vnd.example.signature');
    expect(signature.response.status).toBe(201);
    expect(signature.response.headers.get('oci-subject')).toBe(image.digest);
    const response = await env.registry.fetch(`/v2/app/referrers/${image.digest}`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe(OCI_INDEX);
    expect(await response.json()).toEqual({
      schemaVersion: 2,
      mediaType: OCI_INDEX,
      manifests: [
        {
          mediaType: OCI_MANIFEST,
          digest: signature.digest,
          size: expect.any(Number),
          artifactType: 'application/vnd.example.signature',
          annotations: { 'org.example.kind': 'application/vnd.example.signature' },
        },
      ],
    });
  });

  it('filters by artifactType and says so in OCI-Filters-Applied', async () => {
    const image = await env.registry.pushImage('app', 'v1');
    const subject = { digest: image.digest, size: Buffer.byteLength(image.manifest) };
    await pushArtifact(subject, 'application/vnd.example.signature');
    const sbom = await pushArtifact(subject, 'application/vnd.example.sbom');
    const response = await env.registry.fetch(`/v2/app/referrers/${image.digest}?artifactType=application/vnd.example.sbom`);
    expect(response.headers.get('oci-filters-applied')).toBe('artifactType');
    const body = (await response.json()) as { manifests: { digest: string }[] };
    expect(body.manifests.map((manifest) => manifest.digest)).toEqual([sbom.digest]);
  });

  it('answers an empty index for a digest nothing refers to, and DIGEST_INVALID for a malformed one', async () => {
    expect(await (await env.registry.fetch(`/v2/app/referrers/${sha256('nothing')}`)).json()).toMatchObject({ manifests: [] });
    const response = await env.registry.fetch('/v2/app/referrers/not-a-digest');
    expect(response.status).toBe(400);
    expect((await errorsOf(response))[0]!.code).toBe('DIGEST_INVALID');
  });
});
