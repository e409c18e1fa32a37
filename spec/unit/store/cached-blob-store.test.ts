// The blob cache over the disk store: a whole read fills it (one disk read), later reads and ranges come from
// memory, oversize blobs, ranged first reads and reads of unknown size fill nothing, deleteBlob and clear drop entries;
// a push streamed through it enters it at its commit, unless it failed, was abandoned, or does not fit.
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
let disk: BlobStore;
let store: BlobStore;
beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'cached-blob-store-'));
  layout = dataDirLayout(directory);
  disk = createFsBlobStore(layout);
  store = createCachedBlobStore(disk, 16 * MIB);
});
afterEach(() => rmSync(directory, { recursive: true, force: true }));

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function digestOf(bytes: Buffer): Sha256Digest {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/** Commits `bytes` (several disk chunks long when large) through `through`, by default the disk store behind the cache. */
async function put(bytes: Buffer, through: BlobStore = disk): Promise<Sha256Digest> {
  const digest = digestOf(bytes);
  await through.createUpload('u');
  await through.append('u', 0, Readable.from([bytes]));
  await through.commit('u', bytes.length, digest);
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

  describe('pushes', () => {
    it('keeps a blob pushed in one append, served from memory with no read from disk', async () => {
      const bytes = bytesOf(3 * MIB + 5);
      const digest = await put(bytes, store);
      removeFile(digest);
      expect((await readAll(store.read(digest, undefined, bytes.length))).equals(bytes)).toBe(true);
      expect((await readAll(store.read(digest, { start: 5, end: 9 }))).equals(bytes.subarray(5, 10))).toBe(true);
    });

    it('keeps a blob pushed in several appends that continue one another', async () => {
      const bytes = bytesOf(2 * MIB + 3);
      await store.createUpload('u');
      const middle = await store.append('u', 0, Readable.from([bytes.subarray(0, MIB)]));
      const end = await store.append('u', middle, Readable.from([bytes.subarray(MIB)]));
      await store.commit('u', end, digestOf(bytes));
      removeFile(digestOf(bytes));
      expect((await readAll(store.read(digestOf(bytes))))).toEqual(bytes);
    });

    it('keeps small chunks as copies, not as views of a larger buffer', async () => {
      const large = bytesOf(64 * 1024);
      const bytes = large.subarray(100, 200);
      await store.createUpload('u');
      await store.append('u', 0, Readable.from([bytes]));
      large.fill(0);
      await store.commit('u', 100, digestOf(bytesOf(64 * 1024).subarray(100, 200)));
      removeFile(digestOf(bytesOf(64 * 1024).subarray(100, 200)));
      expect((await readAll(store.read(digestOf(bytesOf(64 * 1024).subarray(100, 200))))).equals(bytesOf(64 * 1024).subarray(100, 200))).toBe(true);
    });

    it('keeps what a retry from the start pushed after an append failed, and only that', async () => {
      const bytes = bytesOf(1000);
      await store.createUpload('u');
      const failing = new Readable({
        read() {
          this.push(bytesOf(10).fill(9));
          this.destroy(new Error('client went away'));
        },
      });
      await expect(store.append('u', 0, failing)).rejects.toThrow('client went away');
      await store.commit('u', await store.append('u', 0, Readable.from([bytes])), digestOf(bytes));
      removeFile(digestOf(bytes));
      expect(await readAll(store.read(digestOf(bytes)))).toEqual(bytes);
    });

    it('keeps nothing of an upload whose append skips back into what it captured', async () => {
      const bytes = bytesOf(1000);
      await store.createUpload('u');
      await store.append('u', 0, Readable.from([bytes.subarray(0, 10)]));
      const size = await store.append('u', 5, Readable.from([bytes.subarray(5)]));
      await store.commit('u', size, digestOf(bytes));
      removeFile(digestOf(bytes));
      await expect(readAll(store.read(digestOf(bytes)))).rejects.toMatchObject({ code: 'ENOENT' });
    });

    it('keeps nothing of a commit whose digest does not match, nor of a deleted upload', async () => {
      const bytes = bytesOf(1000);
      await store.createUpload('u');
      await store.append('u', 0, Readable.from([bytes]));
      await expect(store.commit('u', 1000, digestOf(bytesOf(999)))).rejects.toThrow('provided digest did not match uploaded content');
      await store.deleteUpload('u');
      await store.createUpload('u');
      await store.append('u', 0, Readable.from([bytesOf(500)]));
      await store.deleteUpload('u');
      for (const digest of [digestOf(bytesOf(999)), digestOf(bytes), digestOf(bytesOf(500))]) {
        await expect(readAll(store.read(digest))).rejects.toMatchObject({ code: 'ENOENT' });
      }
    });

    it('does not keep a pushed blob larger than a quarter of the cache', async () => {
      const digest = await put(bytesOf(4 * MIB + 1), store);
      removeFile(digest);
      await expect(readAll(store.read(digest))).rejects.toMatchObject({ code: 'ENOENT' });
    });

    it('forgets a pushed blob on deleteBlob', async () => {
      const digest = await put(bytesOf(1000), store);
      await store.deleteBlob(digest);
      await expect(readAll(store.read(digest))).rejects.toMatchObject({ code: 'ENOENT' });
    });
  });
});
