// Which blobs a repository sees: a blob is stored once and linked into each repository that pushed or mounted it.
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
  /** Returns false when the repository had no such link. */
  unlink(scope: Scope, repository: string, digest: string): boolean;
  /** Every digest some repository of some scope links: the blobs still reachable. */
  linkedDigests(): Set<string>;
}
