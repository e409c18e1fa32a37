// Reading a repository's images: DescribeImages, ListImages, ListImageReferrers. Every figure comes from the
// stored manifests (sizes from their descriptors, media types from their bytes), never from a side table.
import type { ImageDetail, ImageIdentifier, ImageReferrer, ImageStatus, ImageStatusFilter, TagStatus } from '../../aws/ecr-types.generated';
import type { ImageDetails, ImageListing, ImageRow } from '../../store/image-store';
import type { Scope } from '../../kernel/scope';
import type { EcrContext, OperationHandlers } from '../ecr-context';
import { targetScope } from '../ecr-context';
import { requireImage } from './image-ids';
import { nextTokenFor, pageOf, pageRequest } from '../pagination';
import { imageScanSummary } from '../../scanning/image-scans';

/** Restores are immediate here, so an image is never seen ACTIVATING. */
export function imageStatusOf(image: Pick<ImageDetails, 'storageClass'>): ImageStatus {
  return image.storageClass === 'ARCHIVE' ? 'ARCHIVED' : 'ACTIVE';
}

/** API reference, DescribeImagesFilter / ListImagesFilter: without imageStatus only ACTIVE images are returned. */
function hasStatus(image: ImageDetails, filter: ImageStatusFilter | undefined): boolean {
  return filter === 'ANY' || imageStatusOf(image) === (filter ?? 'ACTIVE');
}

/**
 * A listing filter as the store pages it; undefined when nothing can match (ACTIVATING: restores are immediate).
 */
function listingOf(filter: { tagStatus?: TagStatus; imageStatus?: ImageStatusFilter } | undefined, limit: number): ImageListing | undefined {
  const imageStatus = filter?.imageStatus ?? 'ACTIVE';
  if (imageStatus === 'ACTIVATING') return undefined;
  const tagStatus = filter?.tagStatus === 'ANY' ? undefined : filter?.tagStatus;
  return {
    limit,
    ...(tagStatus !== undefined ? { tagStatus } : {}),
    ...(imageStatus !== 'ANY' ? { storageClass: imageStatus === 'ARCHIVED' ? 'ARCHIVE' : 'STANDARD' } : {}),
  };
}

/** A ListImages position: digest and tag ('' for an untagged row), as one opaque token. */
function rowPosition(row: ImageRow): string {
  return `${row.digest}\u0000${row.tag ?? ''}`;
}

function rowAfter(position: string | undefined): ImageRow | undefined {
  if (position === undefined) return undefined;
  const [digest, tag] = position.split('\u0000');
  return { digest: digest ?? '', ...(tag ? { tag } : {}) };
}

function imageDetailOf(image: ImageDetails, scope: Scope, repository: string, context: EcrContext): ImageDetail {
  const scan = imageScanSummary(context.services.documents, scope, repository, image.digest);
  return {
    registryId: scope.accountId,
    repositoryName: repository,
    imageDigest: image.digest,
    ...(image.tags.length > 0 ? { imageTags: image.tags } : {}),
    imageSizeInBytes: image.sizeInBytes,
    imagePushedAt: image.pushedAt,
    ...(scan !== undefined ? scan : {}),
    imageManifestMediaType: image.mediaType,
    ...(image.artifactType !== undefined ? { artifactMediaType: image.artifactType } : {}),
    ...(image.lastPulledAt !== undefined ? { lastRecordedPullTime: image.lastPulledAt } : {}),
    ...(image.subjectDigest !== undefined ? { subjectManifestDigest: image.subjectDigest } : {}),
    imageStatus: imageStatusOf(image),
    ...(image.lastArchivedAt !== undefined ? { lastArchivedAt: image.lastArchivedAt } : {}),
    ...(image.lastActivatedAt !== undefined ? { lastActivatedAt: image.lastActivatedAt } : {}),
  };
}

export const imageListingHandlers: OperationHandlers = {
  DescribeImages(input, context) {
    const scope = targetScope(context, input.registryId);
    const repository = input.repositoryName;
    const { images } = context.services;
    const request = pageRequest('DescribeImages', input);
    if (input.imageIds !== undefined) {
      // Named images: each must exist (ImageNotFoundException otherwise), filters do not apply.
      const digests = [...new Set(input.imageIds.map((imageId) => requireImage(images, scope, repository, imageId)))];
      return { imageDetails: digests.map((digest) => imageDetailOf(images.details(scope, repository, digest)!, scope, repository, context)) };
    }
    const listing = listingOf(input.filter, request.limit);
    if (listing === undefined) {
      context.services.repositories.get(scope, repository);
      return { imageDetails: [] };
    }
    const page = images.page(scope, repository, { ...listing, ...(request.after !== undefined ? { afterDigest: request.after } : {}) });
    const last = page.images[page.images.length - 1];
    return {
      imageDetails: page.images.map((image) => imageDetailOf(image, scope, repository, context)),
      ...nextTokenFor(request, page.hasMore ? last?.digest : undefined),
    };
  },

  ListImages(input, context) {
    const scope = targetScope(context, input.registryId);
    const repository = input.repositoryName;
    // One row per tag, and one for each untagged image, as ECR lists them.
    const request = pageRequest('ListImages', input);
    const listing = listingOf(input.filter, request.limit);
    if (listing === undefined) {
      context.services.repositories.get(scope, repository);
      return { imageIds: [] };
    }
    const after = rowAfter(request.after);
    const page = context.services.images.rows(scope, repository, { ...listing, ...(after !== undefined ? { after } : {}) });
    const last = page.rows[page.rows.length - 1];
    return {
      imageIds: page.rows.map((row): ImageIdentifier => ({ imageDigest: row.digest, ...(row.tag !== undefined ? { imageTag: row.tag } : {}) })),
      ...nextTokenFor(request, page.hasMore && last !== undefined ? rowPosition(last) : undefined),
    };
  },

  ListImageReferrers(input, context) {
    const scope = targetScope(context, input.registryId);
    const repository = input.repositoryName;
    const { images } = context.services;
    const artifactTypes = input.filter?.artifactTypes;
    const statusFilter = input.filter?.artifactStatus;
    const referrers: ImageReferrer[] = images
      .referrers(scope, repository, input.subjectId.imageDigest)
      .descriptors.filter((descriptor) => artifactTypes === undefined || (descriptor.artifactType !== undefined && artifactTypes.includes(descriptor.artifactType)))
      .flatMap((descriptor) => {
        const image = images.details(scope, repository, descriptor.digest);
        if (image === undefined || !hasStatus(image, statusFilter)) return [];
        return [{
          digest: descriptor.digest,
          mediaType: descriptor.mediaType,
          ...(descriptor.artifactType !== undefined ? { artifactType: descriptor.artifactType } : {}),
          size: descriptor.sizeInBytes,
          ...(descriptor.annotations !== undefined ? { annotations: descriptor.annotations } : {}),
          artifactStatus: imageStatusOf(image),
        }];
      });
    const { page, ...next } = pageOf(pageRequest('ListImageReferrers', input), referrers, (referrer) => referrer.digest);
    return { referrers: page, ...next };
  },
};
