// The blob cache over the disk store: a whole read fills it (one disk read), later reads and ranges come from
// memory, oversize blobs, ranged first reads and reads of unknown size fill nothing, deleteBlob and clear drop entries.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { Sha256Digest } from '../../../src/kernel/digest';
import type { BlobStore } from '../../../src/store/blob-store';
import { createCachedBlobStore } from '../../../src/store/cached-blob-store';
import { createFsBlobStore } from '../../../src/store/fs/fs-blob-store';
import { dataDirLayout, type DataDirLayout } from '../../../src/store/fs/layout';

const MIB = 1024 * 1024;
let directory: string;
let layout: DataDirLayout;
let store: BlobStore;
beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'cached-blob-store-'));
  layout = dataDirLayout(directory);
  store = createCachedBlobStore(createFsBlobStore(layout), 16 * MIB);
});
afterEach(() => rmSync(directory, { recursive: true, force: true }));

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Commits `bytes` (several disk chunks long when large) and returns their digest. */
async function put(bytes: Buffer): Promise<Sha256Digest> {
  const digest: Sha256Digest = `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
  await store.createUpload('u');
  await store.append('u', 0, Readable.from([bytes]));
  await store.commit('u', bytes.length, digest);
  return digest;
}

function bytesOf(sizeInBytes: number): Buffer {
  return Buffer.from(Array.from({ length: sizeInBytes }, (_, index) => (index * 7) % 251));
}

/** Removes the blob's file behind the cache's back: what is read afterwards can only come from memory. */
function removeFile(digest: Sha256Digest): void {
  unlinkSync(layout.blobPath(digest.slice('sha256:'.length)));
}

describe('createCachedBlobStore', () => {
  it('serves a blob read whole once from memory afterwards, whole and by range across chunks', async () => {
    const bytes = bytesOf(3 * MIB + 5);
    const digest = await put(bytes);
    expect((await readAll(store.read(digest, undefined, bytes.length))).equals(bytes)).toBe(true);
    removeFile(digest);
    expect((await readAll(store.read(digest))).equals(bytes)).toBe(true);
    const range = { start: MIB - 3, end: 2 * MIB + 10 };
    expect((await readAll(store.read(digest, range))).equals(bytes.subarray(range.start, range.end + 1))).toBe(true);
    expect((await readAll(store.read(digest, { start: 3 * MIB + 4, end: 3 * MIB + 4 }))).equals(bytes.subarray(-1))).toBe(true);
  });

  it('fills nothing from a ranged first read', async () => {
    const digest = await put(bytesOf(1000));
    await readAll(store.read(digest, { start: 0, end: 9 }, 1000));
    removeFile(digest);
    await expect(readAll(store.read(digest))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it.each([
    ['of unknown size', undefined],
    ['whose given size is wrong', 999],
  ])('fills nothing from a read of a blob %s', async (_name, sizeInBytes) => {
    const digest = await put(bytesOf(1000));
    await readAll(store.read(digest, undefined, sizeInBytes));
    removeFile(digest);
    await expect(readAll(store.read(digest))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('does not keep a blob larger than a quarter of the cache', async () => {
    const digest = await put(bytesOf(4 * MIB + 1));
    await readAll(store.read(digest, undefined, 4 * MIB + 1));
    removeFile(digest);
    await expect(readAll(store.read(digest))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it('keeps nothing from a read abandoned before the end', async () => {
    const digest = await put(bytesOf(3 * MIB));
    const partial = store.read(digest, undefined, 3 * MIB);
    for await (const _chunk of partial) break;
    removeFile(digest);
    await expect(readAll(store.read(digest))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  it.each([
    ['deleteBlob', (digest: Sha256Digest) => store.deleteBlob(digest)],
    ['clear', () => store.clear()],
  ])('forgets a cached blob on %s', async (_name, drop) => {
    const digest = await put(bytesOf(1000));
    await readAll(store.read(digest, undefined, 1000));
    await drop(digest);
    expect(await store.stat(digest)).toBeUndefined();
    await expect(readAll(store.read(digest))).rejects.toMatchObject({ code: 'ENOENT' });
  });
});
