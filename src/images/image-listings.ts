// Reads of a repository's images and tags, each after the repository's existence check: what DescribeImages,
// ListImages, tags/list and the console page through. Part of the image service; writes stay in image-service.ts.
import type { Scope } from '../kernel/scope';
import type { ImageDetails, ImageListing, ImageRow, ImageStore, PushPosition, RepositorySummary, TagPage } from '../store/image-store';
import type { RepositoryService } from './repository-service';

export interface ImageListings {
  /** Throws RepositoryNotFound. */
  details(scope: Scope, repository: string, digest: string): ImageDetails | undefined;
  /** Every image of the repository, by digest. Throws RepositoryNotFound. */
  list(scope: Scope, repository: string): ImageDetails[];
  /** How many images the repository holds, their total size and the last push. Throws RepositoryNotFound. */
  summary(scope: Scope, repository: string): RepositorySummary;
  /** A page of images by digest (DescribeImages). Throws RepositoryNotFound. */
  page(scope: Scope, repository: string, listing: ImageListing & { afterDigest?: string }): { images: ImageDetails[]; hasMore: boolean };
  /** A page of images newest push first (the console's default order). Throws RepositoryNotFound. */
  newestFirst(scope: Scope, repository: string, listing: ImageListing & { before?: PushPosition }): { images: ImageDetails[]; hasMore: boolean };
  /** A page of tag rows (ListImages). Throws RepositoryNotFound. */
  rows(scope: Scope, repository: string, listing: ImageListing & { after?: ImageRow }): { rows: ImageRow[]; hasMore: boolean };
  /** Throws RepositoryNotFound. */
  listTags(scope: Scope, repository: string, options: { afterTag?: string; limit: number }): TagPage;
}

export function createImageListings(repositories: RepositoryService, images: ImageStore): ImageListings {
  return {
    details(scope, repository, digest) {
      repositories.get(scope, repository);
      return images.details(scope, repository, digest);
    },

    list(scope, repository) {
      repositories.get(scope, repository);
      return images.list(scope, repository);
    },

    summary(scope, repository) {
      repositories.get(scope, repository);
      return images.summary(scope, repository);
    },

    page(scope, repository, listing) {
      repositories.get(scope, repository);
      return images.page(scope, repository, listing);
    },

    newestFirst(scope, repository, listing) {
      repositories.get(scope, repository);
      return images.newestFirst(scope, repository, listing);
    },

    rows(scope, repository, listing) {
      repositories.get(scope, repository);
      return images.rows(scope, repository, listing);
    },

    listTags(scope, repository, options) {
      repositories.get(scope, repository);
      return images.listTags(scope, repository, options);
    },
  };
}
