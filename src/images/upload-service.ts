// Blob upload sessions: start, append (chunked, in order), complete with a verified digest, cancel, and
// cross-repository mount. The data plane's upload routes and the control plane's layer-upload API
// (InitiateLayerUpload, UploadLayerPart, CompleteLayerUpload) share it. Everything that changes one upload
// (start, append, complete, cancel, the sweep) holds that upload's lock; a commit and its link hold the blob's.
import { Readable } from 'node:stream';
import type { BlobLinkStore } from '../store/blob-link-store';
import type { BlobStore } from '../store/blob-store';
import { BlobStoreError } from '../store/blob-store-error';
import type { RepositoryService } from './repository-service';
import type { Scope } from '../kernel/scope';
import type { UploadStore } from '../store/upload-store';
import { sweepUploads, type UploadSweep } from '../store/upload-sweep';
import type { BlobDescriptor } from './blob-service';
import type { Clock } from '../kernel/clock';
import { parseSha256Digest } from './image-reference';
import { DomainError } from './domain-error';
import { blobLockKey, repositoryLockKey, uploadLockKey, type KeyedLock } from '../kernel/keyed-lock';

export interface UploadSession {
  id: string;
  sizeInBytes: number;
}

/** Where a chunk says it goes: a PATCH's Content-Range, a layer part's first byte. */
export interface AppendRange {
  startOffset: number;
  /** Its length, when declared: a source of another length is refused, and the session keeps its bytes. */
  sizeInBytes?: number;
}

export interface UploadService {
  /** Throws RepositoryNotFound. */
  start(scope: Scope, repository: string): Promise<UploadSession>;
  /**
   * Streams bytes onto the session. With a `range` they must continue at the current size, else UploadOutOfOrder
   * before any byte is read, and hold `range.sizeInBytes` bytes when that is given, else RangeInvalid once the
   * source ends (it is read to its end, never cut off). Throws RepositoryNotFound, UploadNotFound. A failed
   * append leaves the session as it was.
   */
  append(scope: Scope, repository: string, uploadId: string, source: Readable, range?: AppendRange): Promise<UploadSession>;
  /** Throws RepositoryNotFound, UploadNotFound. */
  status(scope: Scope, repository: string, uploadId: string): UploadSession;
  /**
   * Appends the final `source`, if any, verifies the digest and links the blob into the repository; the session
   * ends. A mismatch throws DigestInvalid and discards the session: nothing is stored.
   */
  complete(scope: Scope, repository: string, uploadId: string, digest: string, source?: Readable): Promise<BlobDescriptor>;
  /** Monolithic upload: start and complete in one call. */
  push(scope: Scope, repository: string, digest: string, source: Readable): Promise<BlobDescriptor>;
  /** Throws RepositoryNotFound, UploadNotFound. */
  cancel(scope: Scope, repository: string, uploadId: string): Promise<void>;
  /**
   * Links a blob that `fromRepository` (same scope) has into `repository`, without bytes moving. Returns undefined
   * when the source repository does not exist or has no such blob. Throws RepositoryNotFound (target), DigestInvalid.
   */
  mount(scope: Scope, repository: string, digest: string, fromRepository: string): Promise<BlobDescriptor | undefined>;
  /**
   * Removes sessions that have not grown for `maxIdleMs` (default an hour) with their bytes, and what a crash
   * left (see store/upload-sweep.ts). A session a request is working on is live, however old its last growth.
   */
  sweep(maxIdleMs?: number): Promise<UploadSweep>;
}

export interface UploadServiceDependencies {
  repositories: RepositoryService;
  uploads: UploadStore;
  links: BlobLinkStore;
  blobs: BlobStore;
  locks: KeyedLock;
  clock: Clock;
  newId: () => string;
}

/** The blob store's failures in the core's words; anything else passes through. */
function domainErrorOf(error: unknown): unknown {
  if (!(error instanceof BlobStoreError)) return error;
  switch (error.kind) {
    case 'UploadMissing':
      return uploadNotFound(String(error.detail.uploadId));
    case 'DigestMismatch':
      return new DomainError('DigestInvalid', error.message, { digest: error.detail.digest });
    default: {
      const unreachable: never = error.kind;
      return unreachable;
    }
  }
}

function uploadNotFound(uploadId: string): DomainError {
  return new DomainError('UploadNotFound', `blob upload unknown to registry: ${uploadId}`, { uploadId });
}

/** `source` up to `sizeInBytes`; bytes past it are read and dropped. Throws RangeInvalid at the end when the count is off. */
async function* exactly(source: Readable, sizeInBytes: number, startOffset: number): AsyncGenerator<Buffer> {
  let received = 0;
  for await (const chunk of source) {
    const buffer = chunk as Buffer;
    const room = sizeInBytes - received;
    received += buffer.length;
    if (room > 0) yield room >= buffer.length ? buffer : buffer.subarray(0, room);
  }
  if (received !== sizeInBytes) {
    throw new DomainError('RangeInvalid', `the chunk's range ${startOffset}-${startOffset + sizeInBytes - 1} spans ${sizeInBytes} bytes but ${received} were sent`, {
      sizeInBytes,
      received,
    });
  }
}

export function createUploadService(dependencies: UploadServiceDependencies): UploadService {
  const { repositories, uploads, links, blobs, locks, clock, newId } = dependencies;

  function find(scope: Scope, repository: string, uploadId: string): UploadSession {
    repositories.get(scope, repository);
    const record = uploads.find(scope, repository, uploadId);
    if (record === undefined) throw uploadNotFound(uploadId);
    return { id: record.id, sizeInBytes: record.sizeInBytes };
  }

  async function appendLocked(scope: Scope, repository: string, uploadId: string, source: Readable, range?: AppendRange): Promise<UploadSession> {
    const session = find(scope, repository, uploadId);
    if (range !== undefined && range.startOffset !== session.sizeInBytes) {
      throw new DomainError('UploadOutOfOrder', `requested range not satisfiable: the upload continues at byte ${session.sizeInBytes}, not ${range.startOffset}`, {
        uploadId,
        sizeInBytes: session.sizeInBytes,
      });
    }
    const counted = range?.sizeInBytes === undefined ? source : Readable.from(exactly(source, range.sizeInBytes, range.startOffset));
    let sizeInBytes: number;
    try {
      sizeInBytes = await blobs.append(uploadId, session.sizeInBytes, counted);
    } catch (error) {
      throw domainErrorOf(error);
    }
    uploads.setSize(uploadId, sizeInBytes, clock.now());
    return { id: uploadId, sizeInBytes };
  }

  async function discard(uploadId: string): Promise<void> {
    uploads.delete(uploadId);
    await blobs.deleteUpload(uploadId);
  }

  const service: UploadService = {
    async start(scope, repository) {
      repositories.get(scope, repository);
      const id = newId();
      // Locked though nobody knows the id yet: between the bytes and the row, a sweep would take the bytes for a crash's.
      return locks.run(uploadLockKey(id), async () => {
        await blobs.createUpload(id);
        const now = clock.now();
        uploads.create(scope, { id, repository, sizeInBytes: 0, createdAt: now, updatedAt: now });
        return { id, sizeInBytes: 0 };
      });
    },

    append: (scope, repository, uploadId, source, range) => locks.run(uploadLockKey(uploadId), () => appendLocked(scope, repository, uploadId, source, range)),

    status: find,

    complete(scope, repository, uploadId, text, source) {
      const digest = parseSha256Digest(text);
      return locks.run(uploadLockKey(uploadId), async () => {
        const session = source === undefined ? find(scope, repository, uploadId) : await appendLocked(scope, repository, uploadId, source);
        // Commit to link under the blob's lock: the store keeps one copy of content committed twice, and a reclaim of
        // the same content (store/blob-reclaimer.ts) must not delete the copy this upload found in place and links.
        return locks.run(blobLockKey(digest), async () => {
          try {
            await blobs.commit(uploadId, session.sizeInBytes, digest);
          } catch (error) {
            if (error instanceof BlobStoreError && error.kind === 'DigestMismatch') await discard(uploadId);
            throw domainErrorOf(error);
          }
          uploads.delete(uploadId);
          const blob = { digest, sizeInBytes: session.sizeInBytes };
          await locks.run(repositoryLockKey(scope, repository), () => links.link(scope, repository, blob, clock.now()));
          return blob;
        });
      });
    },

    async push(scope, repository, text, source) {
      parseSha256Digest(text);
      const session = await service.start(scope, repository);
      try {
        return await service.complete(scope, repository, session.id, text, source);
      } catch (error) {
        await discard(session.id);
        throw error;
      }
    },

    cancel(scope, repository, uploadId) {
      return locks.run(uploadLockKey(uploadId), async () => {
        find(scope, repository, uploadId);
        await discard(uploadId);
      });
    },

    async mount(scope, repository, text, fromRepository) {
      repositories.get(scope, repository);
      const digest = parseSha256Digest(text);
      if (repositories.find(scope, fromRepository) === undefined) return undefined;
      if (links.find(scope, fromRepository, digest) === undefined || (await blobs.stat(digest)) === undefined) return undefined;
      return locks.run(repositoryLockKey(scope, repository), () => {
        // Found again and linked with no await between: a link copied from a live one never outlives a reclaim.
        const link = links.find(scope, fromRepository, digest);
        if (link === undefined) return undefined;
        const blob = { digest, sizeInBytes: link.sizeInBytes };
        links.link(scope, repository, blob, clock.now());
        return blob;
      });
    },

    sweep: (maxIdleMs) =>
      sweepUploads(uploads, blobs, {
        now: clock.now(),
        ...(maxIdleMs !== undefined ? { maxIdleMs } : {}),
        unlessBusy: async (uploadId, work) => {
          const key = uploadLockKey(uploadId);
          if (!locks.isHeld(key)) await locks.run(key, work);
        },
      }),
  };
  return service;
}
