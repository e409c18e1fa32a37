// Blobs as a repository sees them: through its links only, so one repository (or account) never reads another's
// blob by guessing a digest. Used by the data plane's blob routes and the control plane's layer operations.
import type { Readable } from 'node:stream';
import type { BlobLinkStore } from '../store/blob-link-store';
import type { BlobStore, ByteRange } from '../store/blob-store';
import type { RepositoryService } from './repository-service';
import type { Scope } from '../kernel/scope';
import type { Clock } from '../kernel/clock';
import type { Sha256Digest } from '../kernel/digest';
import { parseSha256Digest } from './image-reference';
import { DomainError } from './domain-error';
import { repositoryLockKey, type KeyedLock } from '../kernel/keyed-lock';

export interface BlobDescriptor {
  digest: Sha256Digest;
  sizeInBytes: number;
}

export interface BlobService {
  /** Throws RepositoryNotFound, DigestInvalid, BlobUnknown (not linked into this repository). */
  stat(scope: Scope, repository: string, digest: string): BlobDescriptor;
  /** Streams a blob found by stat(), whole or an inclusive range of it. */
  read(blob: BlobDescriptor, range?: ByteRange): Readable;
  /** Unlinks the blob from the repository; other repositories keep theirs. Throws as stat(). */
  unlink(scope: Scope, repository: string, digest: string): Promise<void>;
  /**
   * Links into `to` the blobs among `digests` that `from` links, in any scope, without bytes moving (blobs are
   * content-addressed): what replication copies. Runs under the destination's lock. Throws RepositoryNotFound (to).
   */
  linkFrom(from: RepositoryAddress, to: RepositoryAddress, digests: readonly string[]): Promise<void>;
}

export interface RepositoryAddress {
  scope: Scope;
  repository: string;
}

export interface BlobServiceDependencies {
  repositories: RepositoryService;
  links: BlobLinkStore;
  blobs: BlobStore;
  locks: KeyedLock;
  clock: Clock;
  /** Called after an unlink: the composition root reclaims the blob once no repository links it. */
  afterLinksRemoved: () => void;
}

export function blobUnknown(digest: string): DomainError {
  return new DomainError('BlobUnknown', `blob unknown to registry: ${digest}`, { digest });
}

export function createBlobService(dependencies: BlobServiceDependencies): BlobService {
  const { repositories, links, blobs, locks, clock, afterLinksRemoved } = dependencies;
  function stat(scope: Scope, repository: string, text: string): BlobDescriptor {
    repositories.get(scope, repository);
    const digest = parseSha256Digest(text);
    const link = links.find(scope, repository, digest);
    if (link === undefined) throw blobUnknown(digest);
    return { digest, sizeInBytes: link.sizeInBytes };
  }
  return {
    stat,
    read: (blob, range) => blobs.read(blob.digest, range, blob.sizeInBytes),
    async linkFrom(from, to, digests) {
      repositories.get(to.scope, to.repository);
      await locks.run(repositoryLockKey(to.scope, to.repository), () => {
        const now = clock.now();
        for (const digest of digests) {
          const link = links.find(from.scope, from.repository, digest);
          if (link !== undefined) links.link(to.scope, to.repository, link, now);
        }
      });
    },
    async unlink(scope, repository, text) {
      const { digest } = stat(scope, repository, text);
      await locks.run(repositoryLockKey(scope, repository), () => {
        if (!links.unlink(scope, repository, digest)) throw blobUnknown(digest);
      });
      afterLinksRemoved();
    },
  };
}
