// Images (manifests) and tags of repositories, the metadata both planes read. Every call is atomic.
import type { Scope } from './scope';

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

export interface TagPage {
  tags: string[];
  /** True when tags after the last one returned remain. */
  hasMore: boolean;
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
}
