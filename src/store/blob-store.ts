// The bytes of blobs and of open upload sessions, content-addressed by sha256. Knows nothing of repositories:
// which repository sees which blob is the blob-link store's business.
import type { Readable } from 'node:stream';
import type { Sha256Digest } from '../kernel/digest';

export interface ByteRange {
  /** First byte, inclusive. */
  start: number;
  /** Last byte, inclusive. */
  end: number;
}

export interface BlobStore {
  /** Size of a committed blob, or undefined when absent. A blob is never visible before its commit. */
  stat(digest: Sha256Digest): Promise<{ sizeInBytes: number } | undefined>;
  /**
   * Streams a committed blob, or the inclusive `range` of it. The caller has checked it exists. `sizeInBytes`, when
   * the caller knows it (from the repository's link), lets a caching store decide before reading whether to keep it.
   */
  read(digest: Sha256Digest, range?: ByteRange, sizeInBytes?: number): Readable;

  /** Starts an empty upload. */
  createUpload(uploadId: string): Promise<void>;
  /**
   * Streams `source` onto the upload at `offset`, hashing as it goes; resolves to the new size. `offset` is the
   * size the caller last recorded: bytes past it (left by a crash during an append) are dropped first. An append
   * that fails (the source errors, the disk refuses) rejects with that error and leaves the upload as it was at
   * `offset`, bytes and running hash, so the next append continues there without rereading the upload. Throws
   * BlobStoreError UploadMissing when the upload's bytes are gone. Appends to one upload must not overlap.
   */
  append(uploadId: string, offset: number, source: Readable): Promise<number>;
  /**
   * Makes the first `sizeInBytes` bytes of the upload the blob `expected`, durably and atomically, and removes
   * the upload. Throws BlobStoreError DigestMismatch (the upload is kept) when the bytes hash to something else. Committing
   * content that is already stored keeps one copy.
   */
  commit(uploadId: string, sizeInBytes: number, expected: Sha256Digest): Promise<void>;
  /** Forgets the upload and its bytes; no error when already gone. */
  deleteUpload(uploadId: string): Promise<void>;
  /** The ids of every upload whose bytes are held, recorded as a session or not (a crash can leave either). */
  listUploads(): Promise<string[]>;
  /** Whether the upload's bytes are held. */
  hasUpload(uploadId: string): Promise<boolean>;
  /**
   * Every committed blob, in batches of a few hundred (on disk, one directory of blobs each) so that a caller going
   * through all of them can let other work run in between. A blob committed or deleted meanwhile may or may not be in.
   */
  listBlobs(): AsyncIterable<Sha256Digest[]>;
  /** When the blob's bytes were last written (on disk the file's mtime), or undefined when absent. */
  modifiedAt(digest: Sha256Digest): Promise<Date | undefined>;
  /** Removes a committed blob; no error when already gone. Only for blobs nothing links (see blob-reclaimer.ts). */
  deleteBlob(digest: Sha256Digest): Promise<void>;
  /** Removes every blob and upload: the emulator's reset. */
  clear(): Promise<void>;
}
