// Which blobs a repository sees: a blob is stored once and linked into each repository that pushed or mounted it.
// A link that goes (an unlink, a deleted repository) leaves its digest recorded for reclaim in the same
// transaction, so the blob's bytes can go once no repository links it (see blob-reclaimer.ts).
import type { Scope } from '../kernel/scope';

export interface BlobLink {
  digest: string;
  sizeInBytes: number;
  mediaType?: string;
}

export interface BlobLinkStore {
  /** Links the blob into the repository; linking twice is a no-op. */
  link(scope: Scope, repository: string, link: BlobLink, at: Date): void;
  find(scope: Scope, repository: string, digest: string): BlobLink | undefined;
  /** Returns false when the repository had no such link. A removed link's digest is recorded for reclaim, atomically. */
  unlink(scope: Scope, repository: string, digest: string): boolean;
  /** Whether some repository of some scope links the digest: its blob is still reachable. */
  isLinked(digest: string): boolean;
  /**
   * Up to `limit` digests recorded for reclaim (a link to them went, whatever removed it) and not forgotten since,
   * ordered, each after `afterDigest` ('' for the first page). A digest is recorded once however many links go.
   */
  pendingReclaims(afterDigest: string, limit: number): string[];
  /** Forgets the digest's reclaim record: its blob is gone, or still linked. No error when there is none. */
  forgetReclaim(digest: string): void;
}
