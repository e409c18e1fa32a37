// BlobStore on the file system (see layout.ts). Upload bytes stream through a running sha256 into uploads/<id>;
// commit is fsync → rename into blobs/sha256/xx/<hex> → fsync of the directory, so a blob is either whole or
// absent, even after kill -9. The hash state lives in memory with the upload, and a failed append restores it
// with the file cut back; after a restart it is rebuilt from the file (distribution's blobwriter does the same).
import { createHash, type Hash } from 'node:crypto';
import { createReadStream, createWriteStream, mkdirSync } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat, truncate, unlink } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { digestMismatch, uploadMissing } from '../blob-store-error';
import { hexOf, type Sha256Digest } from '../../kernel/digest';
import { fsyncPath } from '../../kernel/fsync-path';
import type { BlobStore } from '../blob-store';
import type { DataDirLayout } from './layout';

const SHA256_HEX = /^[a-f0-9]{64}$/;

/** Large buffers: fewer syscalls per gigabyte pushed or pulled. */
const STREAM_CHUNK_BYTES = 1024 * 1024;

interface HashState {
  hash: Hash;
  sizeInBytes: number;
}

function isMissing(error: unknown): boolean {
  return (error as NodeJS.ErrnoException).code === 'ENOENT';
}


function hashingStream(state: HashState): Transform {
  return new Transform({
    highWaterMark: STREAM_CHUNK_BYTES,
    transform(chunk: Buffer, _encoding, done) {
      state.hash.update(chunk);
      state.sizeInBytes += chunk.length;
      done(null, chunk);
    },
  });
}

export function createFsBlobStore(layout: DataDirLayout): BlobStore {
  const states = new Map<string, HashState>();
  const knownDirectories = new Set<string>();
  const makeRoots = (): void => {
    for (const root of [layout.blobsRoot, layout.uploadsRoot]) mkdirSync(root, { recursive: true });
  };
  makeRoots();

  /** The hash of the first `offset` bytes of the upload, dropping any bytes after them. */
  async function hashStateAt(uploadId: string, offset: number): Promise<HashState> {
    const known = states.get(uploadId);
    if (known !== undefined && known.sizeInBytes === offset) return known;
    states.delete(uploadId);
    const path = layout.uploadPath(uploadId);
    let sizeOnDisk: number;
    try {
      sizeOnDisk = (await stat(path)).size;
    } catch (error) {
      if (isMissing(error)) throw uploadMissing(uploadId);
      throw error;
    }
    if (sizeOnDisk < offset) throw uploadMissing(uploadId);
    if (sizeOnDisk > offset) await truncate(path, offset);
    const state: HashState = { hash: createHash('sha256'), sizeInBytes: 0 };
    if (offset > 0) {
      for await (const chunk of createReadStream(path, { end: offset - 1, highWaterMark: STREAM_CHUNK_BYTES })) {
        state.hash.update(chunk as Buffer);
        state.sizeInBytes += (chunk as Buffer).length;
      }
    }
    return state;
  }

  /**
   * Puts the upload back as it was before a failed append: its bytes cut to `offset`, the hash of them kept. When
   * the cut fails (the bytes are gone, the disk refuses), the state stays forgotten and the next append starts
   * over from the file, as after a restart.
   */
  async function rollBack(uploadId: string, offset: number, hashAtOffset: Hash): Promise<void> {
    try {
      await truncate(layout.uploadPath(uploadId), offset);
      states.set(uploadId, { hash: hashAtOffset, sizeInBytes: offset });
    } catch {
      states.delete(uploadId);
    }
  }

  async function ensureDirectory(path: string): Promise<void> {
    if (knownDirectories.has(path)) return;
    await mkdir(path, { recursive: true });
    knownDirectories.add(path);
  }

  return {
    async stat(digest) {
      try {
        return { sizeInBytes: (await stat(layout.blobPath(hexOf(digest)))).size };
      } catch (error) {
        if (isMissing(error)) return undefined;
        throw error;
      }
    },
    read(digest, range) {
      const path = layout.blobPath(hexOf(digest));
      return createReadStream(path, { highWaterMark: STREAM_CHUNK_BYTES, ...(range !== undefined ? { start: range.start, end: range.end } : {}) });
    },
    async createUpload(uploadId) {
      const handle = await open(layout.uploadPath(uploadId), 'wx');
      await handle.close();
      states.set(uploadId, { hash: createHash('sha256'), sizeInBytes: 0 });
    },
    async append(uploadId, offset, source) {
      const state = await hashStateAt(uploadId, offset);
      const hashAtOffset = state.hash.copy();
      // Until the append completes the state no longer matches a recorded size: a crash meanwhile leaves bytes past
      // the recorded size, which the next append after the restart drops (see hashStateAt).
      states.delete(uploadId);
      const path = layout.uploadPath(uploadId);
      const sink = createWriteStream(path, { flags: 'r+', start: offset, highWaterMark: STREAM_CHUNK_BYTES });
      try {
        // pipeline settles once every stream has closed: no write of this append lands after the rollback below.
        await pipeline(source, hashingStream(state), sink);
      } catch (error) {
        await rollBack(uploadId, offset, hashAtOffset);
        throw error;
      }
      states.set(uploadId, state);
      return state.sizeInBytes;
    },
    async commit(uploadId, sizeInBytes, expected) {
      const state = await hashStateAt(uploadId, sizeInBytes);
      states.set(uploadId, state);
      const actual = `sha256:${state.hash.copy().digest('hex')}`;
      if (actual !== expected) {
        throw digestMismatch(expected, actual);
      }
      const source = layout.uploadPath(uploadId);
      const target = layout.blobPath(hexOf(expected));
      await fsyncPath(source);
      await ensureDirectory(dirname(target));
      // Concurrent pushes of one blob: each renames identical bytes over the same name; one copy remains.
      await rename(source, target);
      await fsyncPath(dirname(target));
      states.delete(uploadId);
    },
    async deleteUpload(uploadId) {
      states.delete(uploadId);
      await unlink(layout.uploadPath(uploadId)).catch((error: unknown) => {
        if (!isMissing(error)) throw error;
      });
    },
    listUploads: () => readdir(layout.uploadsRoot),
    async hasUpload(uploadId) {
      try {
        await stat(layout.uploadPath(uploadId));
        return true;
      } catch (error) {
        if (isMissing(error)) return false;
        throw error;
      }
    },
    async *listBlobs() {
      for (const prefix of await readdir(layout.blobsRoot)) {
        const names = await readdir(join(layout.blobsRoot, prefix)).catch((error: unknown): string[] => {
          if (isMissing(error)) return [];
          throw error;
        });
        const digests = names.filter((hex) => SHA256_HEX.test(hex) && hex.startsWith(prefix)).map((hex): Sha256Digest => `sha256:${hex}`);
        if (digests.length > 0) yield digests;
      }
    },
    async modifiedAt(digest) {
      try {
        return (await stat(layout.blobPath(hexOf(digest)))).mtime;
      } catch (error) {
        if (isMissing(error)) return undefined;
        throw error;
      }
    },
    async deleteBlob(digest) {
      await unlink(layout.blobPath(hexOf(digest))).catch((error: unknown) => {
        if (!isMissing(error)) throw error;
      });
    },
    async clear() {
      states.clear();
      knownDirectories.clear();
      for (const root of [layout.blobsRoot, layout.uploadsRoot]) await rm(root, { recursive: true, force: true });
      makeRoots();
    },
  };
}
