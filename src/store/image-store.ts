// Images (manifests) and tags of repositories, the metadata both planes read. Every call is atomic.
import type { Scope } from '../kernel/scope';

export interface ImageRecord {
  digest: string;
  mediaType: string;
  /** The manifest's artifactType, else its config's media type (OCI referrers). */
  artifactType?: string;
  /** The exact bytes pushed: their sha256 is the digest. */
  manifest: Buffer;
  /** ECR's imageSizeInBytes: config plus layers. */
  sizeInBytes: number;
  subjectDigest?: string;
  pushedAt: Date;
}

/** ECR's storage classes: an archived image is kept but cannot be pulled until restored to STANDARD. */
export type StorageClass = 'STANDARD' | 'ARCHIVE';

/** An image with what DescribeImages reports beyond the pushed record. */
export interface ImageDetails extends ImageRecord {
  tags: string[];
  lastPulledAt?: Date;
  storageClass: StorageClass;
  lastArchivedAt?: Date;
  lastActivatedAt?: Date;
}

/** Which images a listing page holds: after a position, tagged or not, of one storage class. */
export interface ImageListing {
  limit: number;
  tagStatus?: 'TAGGED' | 'UNTAGGED';
  storageClass?: StorageClass;
}

/** Where a newest-first page stopped: the last image's push time and digest. */
export interface PushPosition {
  pushedAt: Date;
  digest: string;
}

/** One ListImages row: a tag of an image, or an untagged image. */
export interface ImageRow {
  digest: string;
  tag?: string;
}

export interface TagPage {
  tags: string[];
  /** True when tags after the last one returned remain. */
  hasMore: boolean;
}

/** What a repository holds, counted: the console's repository list. */
export interface RepositorySummary {
  imageCount: number;
  /** The sum of the images' ECR sizes (config plus layers); a layer two images share counts twice, as ECR bills. */
  sizeInBytes: number;
  lastPushedAt?: Date;
}

export interface ImageStore {
  find(scope: Scope, repository: string, digest: string): ImageRecord | undefined;
  /** The digest a tag points at, or undefined. */
  findTag(scope: Scope, repository: string, tag: string): string | undefined;
  tagsOf(scope: Scope, repository: string, digest: string): string[];
  /** Stores the image unless already there (its pushedAt is then kept), and points `tag` at it, atomically. */
  put(scope: Scope, repository: string, image: ImageRecord, tag?: string): void;
  /** Removes the image and every tag pointing at it. Returns false when there was no such image. */
  delete(scope: Scope, repository: string, digest: string): boolean;
  /** Returns false when there was no such tag. */
  deleteTag(scope: Scope, repository: string, tag: string): boolean;
  /** Tags in lexical order, after `afterTag`. */
  listTags(scope: Scope, repository: string, options: { afterTag?: string; limit: number }): TagPage;
  /** Images whose subject is `subjectDigest`, by digest. */
  referrers(scope: Scope, repository: string, subjectDigest: string): ImageRecord[];
  details(scope: Scope, repository: string, digest: string): ImageDetails | undefined;
  /** Every image of the repository with its tags, ordered by digest. For whole-repository work (lifecycle rules). */
  list(scope: Scope, repository: string): ImageDetails[];
  /** Counts of the repository's images, read in one aggregate over its rows. */
  summary(scope: Scope, repository: string): RepositorySummary;
  /** A page of images ordered by digest, after `afterDigest`; read with indexes, so O(page) at any size. */
  page(scope: Scope, repository: string, listing: ImageListing & { afterDigest?: string }): { images: ImageDetails[]; hasMore: boolean };
  /**
   * A page of images newest push first (ties by digest, descending), before the position `before`; read backwards
   * along an index, so O(page) at any size when nothing is filtered out.
   */
  newestFirst(scope: Scope, repository: string, listing: ImageListing & { before?: PushPosition }): { images: ImageDetails[]; hasMore: boolean };
  /** A page of ListImages rows ordered by digest then tag (an untagged image sorts as tag ''), after `after`. */
  rows(scope: Scope, repository: string, listing: ImageListing & { after?: ImageRow }): { rows: ImageRow[]; hasMore: boolean };
  /** The images whose manifest has one of `mediaTypes` (the indexes of a repository, for instance). */
  withMediaTypes(scope: Scope, repository: string, mediaTypes: readonly string[]): ImageRecord[];
  /**
   * Records a pull at `at`. A pull within `resolutionMs` of the recorded one writes nothing: ECR itself only
   * promises a refresh every 24 hours, and a write per pull would cost the data plane an fsync each.
   */
  recordPull(scope: Scope, repository: string, digest: string, at: Date, resolutionMs: number): void;
  /** Moves the image to `storageClass`, stamping lastArchivedAt or lastActivatedAt. Returns false when absent. */
  setStorageClass(scope: Scope, repository: string, digest: string, storageClass: StorageClass, at: Date): boolean;
}
