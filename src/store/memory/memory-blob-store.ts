// BlobStore in memory (`--memory`): blobs and upload bytes are Buffers; nothing touches the disk.
import { createHash, type Hash } from 'node:crypto';
import { Readable } from 'node:stream';
import { digestMismatch, uploadMissing } from '../blob-store-error';
import type { Sha256Digest } from '../../kernel/digest';
import type { BlobStore } from '../blob-store';

interface Upload {
  chunks: Buffer[];
  sizeInBytes: number;
  hash: Hash;
}


/** listBlobs batches: as many as a directory of blobs on disk holds, about. */
const LIST_BATCH_SIZE = 500;

export function createMemoryBlobStore(): BlobStore {
  const blobs = new Map<string, Buffer>();
  const committedAt = new Map<string, Date>();
  const uploads = new Map<string, Upload>();

  /** Drops bytes past `offset` the caller no longer records, rehashing what remains. */
  function truncate(upload: Upload, offset: number): void {
    if (upload.sizeInBytes === offset) return;
    const kept = Buffer.concat(upload.chunks).subarray(0, offset);
    upload.chunks = [kept];
    upload.sizeInBytes = kept.length;
    upload.hash = createHash('sha256').update(kept);
  }

  return {
    async stat(digest) {
      const blob = blobs.get(digest);
      return blob === undefined ? undefined : { sizeInBytes: blob.length };
    },
    read(digest, range) {
      const blob = blobs.get(digest) ?? Buffer.alloc(0);
      return Readable.from([range === undefined ? blob : blob.subarray(range.start, range.end + 1)]);
    },
    async createUpload(uploadId) {
      uploads.set(uploadId, { chunks: [], sizeInBytes: 0, hash: createHash('sha256') });
    },
    async append(uploadId, offset, source) {
      const upload = uploads.get(uploadId);
      if (upload === undefined || upload.sizeInBytes < offset) throw uploadMissing(uploadId);
      truncate(upload, offset);
      // Gathered aside and added once the source has ended: a failed append leaves the upload as it was.
      const added: Buffer[] = [];
      const hash = upload.hash.copy();
      let sizeInBytes = upload.sizeInBytes;
      for await (const chunk of source) {
        const buffer = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk as Uint8Array);
        added.push(buffer);
        hash.update(buffer);
        sizeInBytes += buffer.length;
      }
      for (const buffer of added) upload.chunks.push(buffer);
      upload.hash = hash;
      upload.sizeInBytes = sizeInBytes;
      return sizeInBytes;
    },
    async commit(uploadId, sizeInBytes, expected: Sha256Digest) {
      const upload = uploads.get(uploadId);
      if (upload === undefined || upload.sizeInBytes < sizeInBytes) throw uploadMissing(uploadId);
      truncate(upload, sizeInBytes);
      const actual = `sha256:${upload.hash.copy().digest('hex')}`;
      if (actual !== expected) {
        throw digestMismatch(expected, actual);
      }
      if (!blobs.has(expected)) {
        blobs.set(expected, Buffer.concat(upload.chunks));
        committedAt.set(expected, new Date());
      }
      uploads.delete(uploadId);
    },
    listUploads: async () => [...uploads.keys()],
    hasUpload: async (uploadId) => uploads.has(uploadId),
    async *listBlobs() {
      const digests = [...blobs.keys()] as Sha256Digest[];
      for (let start = 0; start < digests.length; start += LIST_BATCH_SIZE) yield digests.slice(start, start + LIST_BATCH_SIZE);
    },
    modifiedAt: async (digest) => committedAt.get(digest),
    async deleteBlob(digest) {
      blobs.delete(digest);
      committedAt.delete(digest);
    },
    async deleteUpload(uploadId) {
      uploads.delete(uploadId);
    },
    async clear() {
      blobs.clear();
      committedAt.clear();
      uploads.clear();
    },
  };
}
