// Pending upstream blobs over memory storage and an upstream the test feeds by hand: one download per blob however
// many pulls join it, the last bytes withheld until the digest is verified, and a client that leaves mid-way.
import { createHash } from 'node:crypto';
import { PassThrough, type Readable } from 'node:stream';
import { createPendingUpstreamBlobs, type PendingUpstreamBlobs } from '../../../src/automation/pending-upstream-blobs';
import type { UpstreamClient } from '../../../src/automation/upstream-client';
import { createRepositoryService } from '../../../src/images/repository-service';
import { createUploadService } from '../../../src/images/upload-service';
import { createKeyedLock } from '../../../src/kernel/keyed-lock';
import { openStorage, type Storage } from '../../../src/server/storage';

const SCOPE = { accountId: '000000000000', region: 'us-east-1' };
const BYTES = Buffer.from('a layer in two chunks');
const DIGEST = `sha256:${createHash('sha256').update(BYTES).digest('hex')}`;
const SOURCE = { target: { baseUrl: 'http://upstream.invalid' }, upstreamRepository: 'team/app' };
let storage: Storage;
/** The body the fake upstream answers with; the test writes it, before or after the download asks for it. */
let body: PassThrough;
let upstreamRequests: number;
let pending: PendingUpstreamBlobs;

beforeEach(() => {
  storage = openStorage(undefined);
  const now = new Date('2026-06-01T00:00:00Z');
  storage.repositories.create(SCOPE, {
    name: 'app',
    createdAt: now,
    imageTagMutability: 'MUTABLE',
    imageScanningConfiguration: { scanOnPush: false },
    encryptionConfiguration: { encryptionType: 'AES256' },
    tags: [],
  });
  const repositories = createRepositoryService(storage.repositories);
  let ids = 0;
  const uploads = createUploadService({ repositories, uploads: storage.uploads, links: storage.links, blobs: storage.blobs, locks: createKeyedLock(), clock: { now: () => now }, newId: () => `upload-${(ids += 1)}` });
  body = new PassThrough();
  upstreamRequests = 0;
  const client: UpstreamClient = {
    checkAccess: () => Promise.reject(new Error('not used')),
    getManifest: () => Promise.reject(new Error('not used')),
    getBlob: () => {
      upstreamRequests += 1;
      return Promise.resolve({ sizeInBytes: BYTES.length, body });
    },
  };
  pending = createPendingUpstreamBlobs({ repositories, uploads, links: storage.links, client });
  pending.expect(SCOPE, 'app', [{ digest: DIGEST, sizeInBytes: BYTES.length, mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip' }], SOURCE);
});
afterEach(() => storage.close());

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

describe('pending upstream blobs', () => {
  it('downloads once when a second pull joins a running download, which gets no stream and waits for the store', async () => {
    const first = pending.fetch(SCOPE, 'app', DIGEST, { isStreamed: true });
    const second = pending.fetch(SCOPE, 'app', DIGEST, { isStreamed: true });
    expect(second.stream).toBeUndefined();
    body.end(BYTES);
    expect((await collect(first.stream!)).equals(BYTES)).toBe(true);
    await Promise.all([first.stored, second.stored]);
    expect(upstreamRequests).toBe(1);
    expect(storage.links.find(SCOPE, 'app', DIGEST)?.sizeInBytes).toBe(BYTES.length);
    expect(pending.find(SCOPE, 'app', DIGEST)).toBeUndefined();
  });

  it('errors the stream on a digest mismatch before its last chunk reaches the client, and stores nothing', async () => {
    const { stream, stored } = pending.fetch(SCOPE, 'app', DIGEST, { isStreamed: true });
    let receivedBytes = 0;
    stream!.on('data', (chunk: Buffer) => (receivedBytes += chunk.length));
    const failed = new Promise<unknown>((resolve) => stream!.once('error', resolve));
    body.write(BYTES.subarray(0, 8));
    body.end(Buffer.from('not the rest of it'));
    await expect(stored).rejects.toMatchObject({ kind: 'DigestInvalid' });
    expect(await failed).toMatchObject({ kind: 'DigestInvalid' });
    // The withheld last chunk never reached the client: it cannot mistake what it got for the whole blob.
    expect(receivedBytes).toBeLessThan(8 + Buffer.byteLength('not the rest of it'));
    expect(storage.links.find(SCOPE, 'app', DIGEST)).toBeUndefined();
    expect(pending.find(SCOPE, 'app', DIGEST)).toMatchObject({ digest: DIGEST });
  });

  it('fails the stream with BlobUnknown when the upstream breaks off, and keeps the blob pending', async () => {
    const { stream, stored } = pending.fetch(SCOPE, 'app', DIGEST, { isStreamed: true });
    const received = collect(stream!);
    body.destroy(new Error('connection reset'));
    await expect(stored).rejects.toMatchObject({ kind: 'BlobUnknown' });
    await expect(received).rejects.toMatchObject({ kind: 'BlobUnknown' });
    expect(pending.find(SCOPE, 'app', DIGEST)).toBeDefined();
  });

  it('finishes storing the blob when the client that streamed it leaves part way', async () => {
    const { stream, stored } = pending.fetch(SCOPE, 'app', DIGEST, { isStreamed: true });
    body.write(BYTES.subarray(0, 8));
    body.write(BYTES.subarray(8, 12));
    stream!.destroy();
    body.end(BYTES.subarray(12));
    await stored;
    expect(storage.links.find(SCOPE, 'app', DIGEST)?.sizeInBytes).toBe(BYTES.length);
  });

  it('throws BlobUnknown for a blob that is not pending', () => {
    expect(() => pending.fetch(SCOPE, 'app', `sha256:${'0'.repeat(64)}`, { isStreamed: true })).toThrow(expect.objectContaining({ kind: 'BlobUnknown' }));
  });
});
