// Pull-through blobs stream to the client while they are stored: the manifest pull downloads no blob, the first
// blob pull streams it from the upstream into the store, later pulls are served from the store. A counting proxy
// in front of the reference registry (mapped as quay.io) counts blob requests, corrupts bytes and holds answers.
import { createServer, request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BatchCheckLayerAvailabilityCommand, CreatePullThroughCacheRuleCommand, DescribeImagesCommand } from '@aws-sdk/client-ecr';
import { errorsOf } from '../helpers/registry-client';
import { pushToRegistry, startReferenceRegistry, type ReferenceRegistry } from '../helpers/reference-registry';
import { useTestEmulator } from '../helpers/test-emulator';

interface CountingProxy {
  url: string;
  /** Blob GETs the upstream was asked, by digest. */
  blobRequests(digest: string): number;
  /** Flips the first byte of every answer for this blob. */
  corrupt(digest: string): void;
  /** Holds the answer for this blob until the returned release is called; resolves `requested` when it is asked for. */
  hold(digest: string): { requested: Promise<void>; release: () => void };
  stop(): Promise<void>;
}

async function startCountingProxy(upstreamUrl: string): Promise<CountingProxy> {
  const target = new URL(upstreamUrl);
  const counts = new Map<string, number>();
  const corrupted = new Set<string>();
  const held = new Map<string, { asked: () => void; released: Promise<void> }>();
  const server: Server = createServer((incoming, outgoing) => {
    const digest = /\/blobs\/(sha256:[0-9a-f]{64})$/.exec(incoming.url ?? '')?.[1];
    if (digest !== undefined && incoming.method === 'GET') counts.set(digest, (counts.get(digest) ?? 0) + 1);
    const gate = digest === undefined ? undefined : held.get(digest);
    gate?.asked();
    const forward = (): void => {
      const upstream = httpRequest({ host: target.hostname, port: target.port, path: incoming.url, method: incoming.method, headers: incoming.headers }, (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        let isFirst = digest !== undefined && corrupted.has(digest);
        answer.on('data', (chunk: Buffer) => {
          if (isFirst && chunk.length > 0) {
            chunk = Buffer.from(chunk);
            chunk[0] = chunk[0]! ^ 0xff;
            isFirst = false;
          }
          outgoing.write(chunk);
        });
        answer.on('end', () => outgoing.end());
      });
      incoming.pipe(upstream);
    };
    if (gate === undefined) forward();
    else void gate.released.then(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    blobRequests: (digest) => counts.get(digest) ?? 0,
    corrupt: (digest) => corrupted.add(digest),
    hold(digest) {
      let asked!: () => void;
      let release!: () => void;
      const requested = new Promise<void>((resolve) => (asked = resolve));
      const released = new Promise<void>((resolve) => (release = resolve));
      held.set(digest, { asked, released });
      return { requested, release };
    },
    stop: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

let upstream: ReferenceRegistry;
let proxy: CountingProxy;

beforeAll(async () => {
  upstream = await startReferenceRegistry();
  proxy = await startCountingProxy(upstream.url);
}, 30_000);

afterAll(async () => {
  await proxy.stop();
  await upstream.stop();
});

const env = useTestEmulator({ startOptions: () => ({ upstreams: { 'quay.io': proxy.url } }) });

beforeEach(async () => {
  await env.ecr.send(new CreatePullThroughCacheRuleCommand({ ecrRepositoryPrefix: 'quay', upstreamRegistryUrl: 'quay.io' }));
});

/** An image only this test pulls, so its blob digests count this test's requests alone. */
async function uniqueImage(name: string): Promise<{ digest: string; config: { digest: string }; layers: { digest: string; size: number }[] }> {
  const pushed = await pushToRegistry(upstream.url, `team/${name}`, '1.0', [`${name} layer one`, `${name} layer two`]);
  const manifest = JSON.parse(pushed.manifest) as { config: { digest: string }; layers: { digest: string; size: number }[] };
  return { digest: pushed.digest, ...manifest };
}

const pullManifest = (name: string) => env.registry.fetch(`/v2/quay/team/${name}/manifests/1.0`);
const pullBlob = (name: string, digest: string, method = 'GET') => env.registry.fetch(`/v2/quay/team/${name}/blobs/${digest}`, { method });

describe('a blob of a pull-through image', () => {
  it('is not downloaded by the manifest pull, which DescribeImages already sizes from the descriptors', async () => {
    const image = await uniqueImage('lazy');
    expect((await pullManifest('lazy')).status).toBe(200);
    expect([image.config, ...image.layers].map((blob) => proxy.blobRequests(blob.digest))).toEqual([0, 0, 0]);
    const { imageDetails } = await env.ecr.send(new DescribeImagesCommand({ repositoryName: 'quay/team/lazy' }));
    const configSize = (await (await pullBlob('lazy', image.config.digest)).arrayBuffer()).byteLength;
    expect(imageDetails?.[0]?.imageSizeInBytes).toBe(configSize + image.layers.reduce((sum, layer) => sum + layer.size, 0));
  });

  it('is downloaded by its first pull and served from the store after that', async () => {
    const image = await uniqueImage('first');
    await pullManifest('first');
    const layer = image.layers[1]!;
    const first = await pullBlob('first', layer.digest);
    expect([first.status, first.headers.get('docker-content-digest'), await first.text()]).toEqual([200, layer.digest, 'first layer two']);
    const second = await pullBlob('first', layer.digest);
    expect([second.status, await second.text()]).toEqual([200, 'first layer two']);
    expect(proxy.blobRequests(layer.digest)).toBe(1);
  });

  it('is linked once downloaded, so BatchCheckLayerAvailability finds it', async () => {
    const image = await uniqueImage('linked');
    await pullManifest('linked');
    const layer = image.layers[0]!;
    await (await pullBlob('linked', layer.digest)).text();
    const { layers } = await env.ecr.send(new BatchCheckLayerAvailabilityCommand({ repositoryName: 'quay/team/linked', layerDigests: [layer.digest] }));
    expect(layers?.map((found) => [found.layerDigest, found.layerAvailability, found.layerSize])).toEqual([[layer.digest, 'AVAILABLE', layer.size]]);
  });

  it('answers a HEAD from the manifest descriptor without downloading', async () => {
    const image = await uniqueImage('head');
    await pullManifest('head');
    const layer = image.layers[0]!;
    const response = await pullBlob('head', layer.digest, 'HEAD');
    expect([response.status, response.headers.get('content-length'), response.headers.get('docker-content-digest')]).toEqual([200, String(layer.size), layer.digest]);
    expect(proxy.blobRequests(layer.digest)).toBe(0);
  });

  it('serves a Range request of a blob not yet stored once it is', async () => {
    const image = await uniqueImage('ranged');
    await pullManifest('ranged');
    const layer = image.layers[0]!;
    const response = await env.registry.fetch(`/v2/quay/team/ranged/blobs/${layer.digest}`, { headers: { range: 'bytes=0-5' } });
    expect([response.status, await response.text()]).toEqual([206, 'ranged']);
    expect(proxy.blobRequests(layer.digest)).toBe(1);
  });

  it('fails the pull when the upstream bytes do not hash to the digest, and stores nothing', async () => {
    const image = await uniqueImage('corrupt');
    await pullManifest('corrupt');
    const layer = image.layers[0]!;
    proxy.corrupt(layer.digest);
    const response = await pullBlob('corrupt', layer.digest);
    expect(response.status).toBe(200);
    await expect(response.arrayBuffer()).rejects.toThrow();
    const { layers, failures } = await env.ecr.send(new BatchCheckLayerAvailabilityCommand({ repositoryName: 'quay/team/corrupt', layerDigests: [layer.digest] }));
    expect([layers, failures?.map((failure) => failure.failureCode)]).toEqual([[], ['MissingLayerDigest']]);
    // Still pending: the next pull asks the upstream again rather than serve what failed.
    await expect((await pullBlob('corrupt', layer.digest)).arrayBuffer()).rejects.toThrow();
    expect(proxy.blobRequests(layer.digest)).toBe(2);
  });

  it('answers BLOB_UNKNOWN when the upstream no longer has the blob', async () => {
    const image = await uniqueImage('gone');
    await pullManifest('gone');
    const layer = image.layers[0]!;
    expect((await fetch(`${upstream.url}/v2/team/gone/blobs/${layer.digest}`, { method: 'DELETE' })).status).toBe(202);
    const response = await pullBlob('gone', layer.digest);
    expect([response.status, (await errorsOf(response))[0]?.code]).toEqual([404, 'BLOB_UNKNOWN']);
  });

  it('is downloaded once for pulls that overlap', async () => {
    const image = await uniqueImage('concurrent');
    await pullManifest('concurrent');
    const layer = image.layers[0]!;
    const gate = proxy.hold(layer.digest);
    const first = pullBlob('concurrent', layer.digest);
    await gate.requested;
    const second = pullBlob('concurrent', layer.digest);
    gate.release();
    const bodies = await Promise.all([first, second].map(async (response) => (await response).text()));
    expect(bodies).toEqual(['concurrent layer one', 'concurrent layer one']);
    expect(proxy.blobRequests(layer.digest)).toBe(1);
  });
});
