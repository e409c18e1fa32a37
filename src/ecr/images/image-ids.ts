// ImageIdentifier ({imageDigest?, imageTag?}) → an image of the repository, with ECR's answers when it names none:
// per-item failures for the batch operations, ImageNotFoundException for the single-image ones.
import { AwsError } from '../../aws/aws-error';
import type { ImageFailure, ImageIdentifier } from '../../aws/ecr-types.generated';
import { isDigest } from '../../kernel/digest';
import { DomainError } from '../../images/domain-error';
import type { ImageService } from '../../images/image-service';
import type { Scope } from '../../kernel/scope';

export type ResolvedImageId = { isFound: true; digest: string } | { isFound: false; failure: ImageFailure };

/** The identifier as given, members in ECR's order, absent ones left out. */
export function imageIdOf(imageId: ImageIdentifier): ImageIdentifier {
  return {
    ...(imageId.imageDigest !== undefined ? { imageDigest: imageId.imageDigest } : {}),
    ...(imageId.imageTag !== undefined ? { imageTag: imageId.imageTag } : {}),
  };
}

function failure(imageId: ImageIdentifier, failureCode: ImageFailure['failureCode'], failureReason: string): ResolvedImageId {
  return { isFound: false, failure: { imageId: imageIdOf(imageId), failureCode, failureReason } };
}

/** Resolves one identifier; both members given must name the same image (ECR's ImageTagDoesNotMatchDigest). */
export function resolveImageId(images: ImageService, scope: Scope, repository: string, imageId: ImageIdentifier): ResolvedImageId {
  const { imageDigest, imageTag } = imageId;
  if (imageDigest === undefined && imageTag === undefined) {
    return failure(imageId, 'MissingDigestAndTag', 'Invalid request parameters: both tag and digest cannot be null');
  }
  if (imageDigest !== undefined && !isDigest(imageDigest)) return failure(imageId, 'InvalidImageDigest', 'Invalid request parameters: image digest should satisfy the regex \'[a-zA-Z0-9-_+.]+:[a-fA-F0-9]+\'');
  let byDigest: string | undefined;
  let byTag: string | undefined;
  try {
    byDigest = imageDigest === undefined ? undefined : images.resolve(scope, repository, imageDigest);
    byTag = imageTag === undefined ? undefined : images.resolve(scope, repository, imageTag);
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    if (error.kind === 'DigestInvalid') return failure(imageId, 'InvalidImageDigest', 'Invalid request parameters: image digest should satisfy the regex \'[a-zA-Z0-9-_+.]+:[a-fA-F0-9]+\'');
    if (error.kind === 'ReferenceInvalid') return failure(imageId, 'InvalidImageTag', 'Invalid request parameters: image tag should satisfy the regex \'[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}\'');
    throw error;
  }
  if (imageDigest !== undefined && imageTag !== undefined) {
    if (byDigest === undefined || byTag === undefined) return failure(imageId, 'ImageNotFound', 'Requested image not found');
    if (byDigest !== byTag) return failure(imageId, 'ImageTagDoesNotMatchDigest', 'Invalid request parameters: given tag does not map to the given digest');
  }
  const digest = byDigest ?? byTag;
  return digest === undefined ? failure(imageId, 'ImageNotFound', 'Requested image not found') : { isFound: true, digest };
}

/** ImageNotFoundException as ECR words it, naming both members ('null' for an absent one). */
export function imageNotFoundException(imageId: ImageIdentifier, repository: string, scope: Scope): AwsError {
  return new AwsError(
    'ImageNotFoundException',
    `The image with imageId {imageDigest:'${imageId.imageDigest ?? 'null'}', imageTag:'${imageId.imageTag ?? 'null'}'} does not exist within the repository with name '${repository}' in the registry with id '${scope.accountId}'`,
  );
}

/** For single-image operations: the digest, or the exception ECR answers (InvalidParameter for a malformed id). */
export function requireImage(images: ImageService, scope: Scope, repository: string, imageId: ImageIdentifier): string {
  const resolved = resolveImageId(images, scope, repository, imageId);
  if (resolved.isFound) return resolved.digest;
  const { failureCode, failureReason } = resolved.failure;
  if (failureCode === 'ImageNotFound') throw imageNotFoundException(imageId, repository, scope);
  throw new AwsError('InvalidParameterException', failureReason ?? 'Invalid request parameters');
}
