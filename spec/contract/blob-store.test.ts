// The BlobStore contract, run against the memory and the file-system implementations; fs adds its crash cases.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fs from 'node:fs';
import { Readable } from 'node:stream';
import { BlobStoreError } from '../../src/store/blob-store-error';
import type { Sha256Digest } from '../../src/kernel/digest';
import type { BlobStore } from '../../src/store/blob-store';
import { createFsBlobStore } from '../../src/store/fs/fs-blob-store';
import { dataDirLayout } from '../../src/store/fs/layout';
import { createMemoryBlobStore } from '../../src/store/memory/memory-blob-store';
import { createCachedBlobStore } from '../../src/store/cached-blob-store';

function digestOf(bytes: string | Buffer): Sha256Digest {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

async function readAll(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString();
}

/** A source that yields `bytes` and then fails, as a request whose client went away mid-body. */
function failingAfter(bytes: Buffer): Readable {
  return Readable.from(
    (async function* () {
      yield bytes;
      throw new Error('client went away');
    })(),
  );
}

/** Every blob the store lists, over all its batches, sorted. */
async function listed(store: BlobStore): Promise<Sha256Digest[]> {
  const digests: Sha256Digest[] = [];
  for await (const batch of store.listBlobs()) digests.push(...batch);
  return digests.sort();
}

async function kindOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'resolved';
  } catch (error) {
    return error instanceof BlobStoreError ? error.kind : String(error);
  }
}

const directories: string[] = [];
afterAll(() => {
  for (const directory of directories) rmSync(directory, { recursive: true, force: true });
});

function newDataDir(): string {
  const directory = mkdtempSync(join(tmpdir(), 'blob-store-'));
  directories.push(directory);
  return directory;
}

const implementations: [string, () => BlobStore][] = [
  ['memory', () => createMemoryBlobStore()],
  ['fs', () => createFsBlobStore(dataDirLayout(newDataDir()))],
  ['fs with a blob cache', () => createCachedBlobStore(createFsBlobStore(dataDirLayout(newDataDir())), 1024 * 1024)],
];

describe.each(implementations)('BlobStore (%s)', (_name, create) => {
  let store: BlobStore;
  beforeEach(() => {
    store = create();
  });

  it('commits appended chunks as one blob readable whole and by range', async () => {
    await store.createUpload('u1');
    expect(await store.append('u1', 0, Readable.from([Buffer.from('hello ')]))).toBe(6);
    expect(await store.append('u1', 6, Readable.from([Buffer.from('world')]))).toBe(11);
    await store.commit('u1', 11, digestOf('hello world'));
    expect(await store.stat(digestOf('hello world'))).toEqual({ sizeInBytes: 11 });
    expect(await readAll(store.read(digestOf('hello world')))).toBe('hello world');
    expect(await readAll(store.read(digestOf('hello world'), { start: 6, end: 10 }))).toBe('world');
  });

  it('lists the uploads it holds, and forgets committed and deleted ones', async () => {
    await store.createUpload('u1');
    await store.createUpload('u2');
    await store.createUpload('u3');
    await store.append('u1', 0, Readable.from([Buffer.from('one')]));
    await store.commit('u1', 3, digestOf('one'));
    await store.deleteUpload('u2');
    expect(await store.listUploads()).toEqual(['u3']);
  });

  it('lists committed blobs and deletes one, twice without error', async () => {
    for (const [id, bytes] of [['u1', 'first'], ['u2', 'second']] as const) {
      await store.createUpload(id);
      await store.append(id, 0, Readable.from([Buffer.from(bytes)]));
      await store.commit(id, bytes.length, digestOf(bytes));
    }
    expect(await listed(store)).toEqual([digestOf('first'), digestOf('second')].sort());
    await store.deleteBlob(digestOf('first'));
    await store.deleteBlob(digestOf('first'));
    expect(await listed(store)).toEqual([digestOf('second')]);
    expect(await store.stat(digestOf('first'))).toBeUndefined();
  });

  it('lists many blobs in several batches, each blob once', async () => {
    const contents = Array.from({ length: 510 }, (_, index) => `blob ${index}`);
    for (const [index, bytes] of contents.entries()) {
      await store.createUpload(`u${index}`);
      await store.append(`u${index}`, 0, Readable.from([Buffer.from(bytes)]));
      await store.commit(`u${index}`, bytes.length, digestOf(bytes));
    }
    const batches: Sha256Digest[][] = [];
    for await (const batch of store.listBlobs()) batches.push(batch);
    expect(batches.length).toBeGreaterThan(1);
    expect(batches.flat().sort()).toEqual(contents.map(digestOf).sort());
  });

  it('tells when a blob was written, and nothing of an absent one', async () => {
    const before = Date.now();
    await store.createUpload('u1');
    await store.append('u1', 0, Readable.from([Buffer.from('dated')]));
    await store.commit('u1', 5, digestOf('dated'));
    const modifiedAt = await store.modifiedAt(digestOf('dated'));
    // File times may be rounded down to the file system's tick; a second covers every one in use.
    expect(modifiedAt!.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(modifiedAt!.getTime()).toBeLessThanOrEqual(Date.now());
    expect(await store.modifiedAt(digestOf('absent'))).toBeUndefined();
  });

  it('does not show an uncommitted upload as a blob', async () => {
    await store.createUpload('u1');
    await store.append('u1', 0, Readable.from([Buffer.from('partial')]));
    expect(await store.stat(digestOf('partial'))).toBeUndefined();
  });

  it('rejects a commit whose bytes hash to another digest with DigestMismatch and stores nothing', async () => {
    await store.createUpload('u1');
    await store.append('u1', 0, Readable.from([Buffer.from('actual')]));
    expect(await kindOf(store.commit('u1', 6, digestOf('expected')))).toBe('DigestMismatch');
    expect(await store.stat(digestOf('expected'))).toBeUndefined();
    expect(await store.stat(digestOf('actual'))).toBeUndefined();
  });

  it('drops bytes past the recorded offset that a failed append left', async () => {
    await store.createUpload('u1');
    await store.append('u1', 0, Readable.from([Buffer.from('keep')]));
    await store.append('u1', 4, Readable.from([Buffer.from('-lost')]));
    expect(await store.append('u1', 4, Readable.from([Buffer.from('-more')]))).toBe(9);
    await store.commit('u1', 9, digestOf('keep-more'));
    expect(await readAll(store.read(digestOf('keep-more')))).toBe('keep-more');
  });

  it('leaves the upload as it was when an append fails: the next one continues at the previous size', async () => {
    await store.createUpload('u1');
    await store.append('u1', 0, Readable.from([Buffer.from('keep')]));
    expect(await kindOf(store.append('u1', 4, failingAfter(Buffer.alloc(3 * 1024 * 1024, 1))))).toBe('Error: client went away');
    expect(await store.append('u1', 4, Readable.from([Buffer.from('-more')]))).toBe(9);
    await store.commit('u1', 9, digestOf('keep-more'));
    expect(await readAll(store.read(digestOf('keep-more')))).toBe('keep-more');
  });

  it('tells whether it holds an upload', async () => {
    await store.createUpload('u1');
    await store.createUpload('u2');
    await store.deleteUpload('u2');
    expect([await store.hasUpload('u1'), await store.hasUpload('u2'), await store.hasUpload('never')]).toEqual([true, false, false]);
  });

  it('keeps one blob when the same content is committed by several uploads at once', async () => {
    const ids = Array.from({ length: 8 }, (_, index) => `u${index}`);
    await Promise.all(ids.map((id) => store.createUpload(id)));
    await Promise.all(ids.map((id) => store.append(id, 0, Readable.from([Buffer.from('same')]))));
    await Promise.all(ids.map((id) => store.commit(id, 4, digestOf('same'))));
    expect(await readAll(store.read(digestOf('same')))).toBe('same');
  });

  it('answers UploadMissing for an append to a deleted upload', async () => {
    await store.createUpload('u1');
    await store.deleteUpload('u1');
    expect(await kindOf(store.append('u1', 0, Readable.from([Buffer.from('x')])))).toBe('UploadMissing');
  });

  it('forgets blobs and uploads on clear', async () => {
    await store.createUpload('u1');
    await store.append('u1', 0, Readable.from([Buffer.from('gone')]));
    await store.commit('u1', 4, digestOf('gone'));
    await store.createUpload('u2');
    await store.clear();
    expect(await store.stat(digestOf('gone'))).toBeUndefined();
    expect(await kindOf(store.append('u2', 0, Readable.from([Buffer.from('x')])))).toBe('UploadMissing');
  });
});

describe('BlobStore (fs) crash cases', () => {
  it('ignores a stray upload file', async () => {
    const layout = dataDirLayout(newDataDir());
    createFsBlobStore(layout);
    writeFileSync(layout.uploadPath('stray'), 'junk');
    const store = createFsBlobStore(layout);
    expect(await store.stat(digestOf('junk'))).toBeUndefined();
  });

  it('never shows a half-written upload as a blob, even to a new process on the same dir', async () => {
    const layout = dataDirLayout(newDataDir());
    const first = createFsBlobStore(layout);
    await first.createUpload('u1');
    await first.append('u1', 0, Readable.from([Buffer.from('half')]));
    const second = createFsBlobStore(layout);
    expect(await second.stat(digestOf('half'))).toBeUndefined();
    expect(existsSync(layout.blobPath(digestOf('half').slice(7)))).toBe(false);
  });

  it('continues an upload after a restart by rehashing its bytes from disk', async () => {
    const layout = dataDirLayout(newDataDir());
    const first = createFsBlobStore(layout);
    await first.createUpload('u1');
    await first.append('u1', 0, Readable.from([Buffer.from('before ')]));
    const second = createFsBlobStore(layout);
    await second.append('u1', 7, Readable.from([Buffer.from('after')]));
    await second.commit('u1', 12, digestOf('before after'));
    expect(await readAll(second.read(digestOf('before after')))).toBe('before after');
    expect(readdirSync(layout.uploadsRoot)).toEqual([]);
  });

  it('cuts the file back and keeps the running hash when an append fails, without rereading the upload', async () => {
    const layout = dataDirLayout(newDataDir());
    const store = createFsBlobStore(layout);
    await store.createUpload('u1');
    await store.append('u1', 0, Readable.from([Buffer.from('keep')]));
    await kindOf(store.append('u1', 4, failingAfter(Buffer.alloc(3 * 1024 * 1024, 1))));
    expect(fs.statSync(layout.uploadPath('u1')).size).toBe(4);
    const reads = jest.spyOn(fs, 'createReadStream');
    try {
      await store.append('u1', 4, Readable.from([Buffer.from('-more')]));
      await store.commit('u1', 9, digestOf('keep-more'));
      expect(reads).not.toHaveBeenCalled();
    } finally {
      reads.mockRestore();
    }
    expect(await readAll(store.read(digestOf('keep-more')))).toBe('keep-more');
  });

  it('drops the bytes a crash during an append left past the recorded size', async () => {
    const layout = dataDirLayout(newDataDir());
    const first = createFsBlobStore(layout);
    await first.createUpload('u1');
    await first.append('u1', 0, Readable.from([Buffer.from('keep')]));
    fs.appendFileSync(layout.uploadPath('u1'), 'half-written chunk');
    const second = createFsBlobStore(layout);
    expect(await second.append('u1', 4, Readable.from([Buffer.from('-more')]))).toBe(9);
    await second.commit('u1', 9, digestOf('keep-more'));
    expect(await readAll(second.read(digestOf('keep-more')))).toBe('keep-more');
  });

  it('stores one file when eight uploads commit the same blob', async () => {
    const layout = dataDirLayout(newDataDir());
    const store = createFsBlobStore(layout);
    const ids = Array.from({ length: 8 }, (_, index) => `u${index}`);
    await Promise.all(ids.map((id) => store.createUpload(id)));
    await Promise.all(ids.map((id) => store.append(id, 0, Readable.from([Buffer.from('same')]))));
    await Promise.all(ids.map((id) => store.commit(id, 4, digestOf('same'))));
    const hex = digestOf('same').slice(7);
    expect(readdirSync(join(layout.blobsRoot, hex.slice(0, 2)))).toEqual([hex]);
    expect(readdirSync(layout.uploadsRoot)).toEqual([]);
  });
});
