// Blob upload sessions: start, append (chunked, in order), complete with a verified digest, cancel, and
// cross-repository mount. The data plane's upload routes and the control plane's layer-upload API
// (InitiateLayerUpload, UploadLayerPart, CompleteLayerUpload) share it. Appends to one upload are serialized.
import type { Readable } from 'node:stream';
import type { BlobLinkStore } from '../store/blob-link-store';
import type { BlobStore } from '../store/blob-store';
import type { RepositoryStore } from '../store/repository-store';
import type { Scope } from '../store/scope';
import type { UploadStore } from '../store/upload-store';
import type { BlobDescriptor } from './blob-service';
import type { Clock } from './clock';
import { parseSha256Digest } from './digest';
import { DomainError } from './domain-error';
import { repositoryLockKey, uploadLockKey, type KeyedLock } from './keyed-lock';

export interface UploadSession {
  id: string;
  sizeInBytes: number;
}

export interface UploadService {
  /** Throws RepositoryNotFound. */
  start(scope: Scope, repository: string): Promise<UploadSession>;
  /**
   * Streams bytes onto the session. With `startOffset` (Content-Range, a layer part's first byte) they must
   * continue at the current size, else UploadOutOfOrder. Throws RepositoryNotFound, UploadNotFound.
   */
  append(scope: Scope, repository: string, uploadId: string, source: Readable, startOffset?: number): Promise<UploadSession>;
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
}

export interface UploadServiceDependencies {
  repositories: RepositoryStore;
  uploads: UploadStore;
  links: BlobLinkStore;
  blobs: BlobStore;
  locks: KeyedLock;
  clock: Clock;
  newId: () => string;
}

function uploadNotFound(uploadId: string): DomainError {
  return new DomainError('UploadNotFound', `blob upload unknown to registry: ${uploadId}`, { uploadId });
}

export function createUploadService(dependencies: UploadServiceDependencies): UploadService {
  const { repositories, uploads, links, blobs, locks, clock, newId } = dependencies;

  function find(scope: Scope, repository: string, uploadId: string): UploadSession {
    repositories.get(scope, repository);
    const record = uploads.find(scope, repository, uploadId);
    if (record === undefined) throw uploadNotFound(uploadId);
    return { id: record.id, sizeInBytes: record.sizeInBytes };
  }

  async function appendLocked(scope: Scope, repository: string, uploadId: string, source: Readable, startOffset?: number): Promise<UploadSession> {
    const session = find(scope, repository, uploadId);
    if (startOffset !== undefined && startOffset !== session.sizeInBytes) {
      throw new DomainError('UploadOutOfOrder', `requested range not satisfiable: the upload continues at byte ${session.sizeInBytes}, not ${startOffset}`, {
        uploadId,
        sizeInBytes: session.sizeInBytes,
      });
    }
    const sizeInBytes = await blobs.append(uploadId, session.sizeInBytes, source);
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
      await blobs.createUpload(id);
      const now = clock.now();
      uploads.create(scope, { id, repository, sizeInBytes: 0, createdAt: now, updatedAt: now });
      return { id, sizeInBytes: 0 };
    },

    append: (scope, repository, uploadId, source, startOffset) =>
      locks.run(uploadLockKey(uploadId), () => appendLocked(scope, repository, uploadId, source, startOffset)),

    status: find,

    complete(scope, repository, uploadId, text, source) {
      const digest = parseSha256Digest(text);
      return locks.run(uploadLockKey(uploadId), async () => {
        const session = source === undefined ? find(scope, repository, uploadId) : await appendLocked(scope, repository, uploadId, source);
        try {
          await blobs.commit(uploadId, session.sizeInBytes, digest);
        } catch (error) {
          if (error instanceof DomainError && error.kind === 'DigestInvalid') await discard(uploadId);
          throw error;
        }
        uploads.delete(uploadId);
        const blob = { digest, sizeInBytes: session.sizeInBytes };
        await locks.run(repositoryLockKey(scope, repository), () => links.link(scope, repository, blob, clock.now()));
        return blob;
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
      const link = links.find(scope, fromRepository, digest);
      if (link === undefined || (await blobs.stat(digest)) === undefined) return undefined;
      const blob = { digest, sizeInBytes: link.sizeInBytes };
      await locks.run(repositoryLockKey(scope, repository), () => links.link(scope, repository, blob, clock.now()));
      return blob;
    },
  };
  return service;
}
