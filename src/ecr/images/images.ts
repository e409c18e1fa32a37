// Images through the control plane: PutImage, BatchGetImage, BatchDeleteImage. The same image service as the data
// plane's manifest routes does the work, so an image is one thing whichever door it came through.
import { AwsError, invalidParameter } from '../../aws/aws-error';
import type { Image, ImageFailure, ImageIdentifier } from '../../aws/ecr-types.generated';
import { DomainError } from '../../images/domain-error';
import type { ImageService } from '../../images/image-service';
import type { Scope } from '../../kernel/scope';
import type { OperationHandlers } from '../ecr-context';
import { targetScope } from '../ecr-context';
import { imageIdOf, resolveImageId } from './image-ids';
import { ensurePushRepository } from '../repositories/ensure-push-repository';
import { recordsPullTime } from '../../images/pull-time-exclusions';
import { callerArns } from '../../auth/principal';

function imageAlreadyExists(digest: string, tag: string | undefined, repository: string, scope: Scope): AwsError {
  const tagPart = tag === undefined ? '' : ` and tag '${tag}'`;
  return new AwsError(
    'ImageAlreadyExistsException',
    `Image with digest '${digest}'${tagPart} already exists in the repository with name '${repository}' in registry with id '${scope.accountId}'`,
  );
}

/** BatchGetImage's answer for an accepted media type list that lacks the stored manifest's type (no conversion). */
function isAcceptable(acceptedMediaTypes: readonly string[] | undefined, mediaType: string): boolean {
  return acceptedMediaTypes === undefined || acceptedMediaTypes.includes(mediaType);
}

/** Deletes what one identifier names; returns the identifiers deleted, as ECR lists them (one per tag removed). */
async function deleteOne(images: ImageService, scope: Scope, repository: string, imageId: ImageIdentifier, digest: string): Promise<ImageIdentifier[]> {
  const details = images.details(scope, repository, digest);
  const tags = details?.tags ?? [];
  // API reference: removing a tag removes only the tag, unless it was the image's last: then the image goes too.
  if (imageId.imageTag !== undefined && tags.some((tag) => tag !== imageId.imageTag)) {
    await images.deleteTag(scope, repository, imageId.imageTag);
    return [{ imageDigest: digest, imageTag: imageId.imageTag }];
  }
  await images.deleteImage(scope, repository, digest);
  return tags.length === 0 ? [{ imageDigest: digest }] : tags.map((tag) => ({ imageDigest: digest, imageTag: tag }));
}

/**
 * ECR's PutImage needs the media type in the manifest or beside it, and says so before it looks at any blob; the data
 * plane infers one as OCI allows. A body that is not JSON is the core's to refuse.
 */
function checkMediaTypeGiven(manifest: string, parameter: string | undefined): void {
  if (parameter !== undefined) return;
  let document: unknown;
  try {
    document = JSON.parse(manifest);
  } catch {
    return;
  }
  const own = typeof document === 'object' && document !== null ? (document as Record<string, unknown>).mediaType : undefined;
  if (typeof own !== 'string' || own === '') throw invalidParameter('image manifest mediatype not provided in manifest or parameter');
}

export const imageHandlers: OperationHandlers = {
  async PutImage(input, context) {
    const scope = targetScope(context, input.registryId);
    const repository = input.repositoryName;
    checkMediaTypeGiven(input.imageManifest, input.imageManifestMediaType);
    ensurePushRepository(context, scope, repository);
    const result = await context.services.images.putManifest({
      scope,
      repository,
      manifest: Buffer.from(input.imageManifest, 'utf8'),
      ...(input.imageTag !== undefined || input.imageDigest !== undefined ? { reference: input.imageTag ?? input.imageDigest } : {}),
      ...(input.imageManifestMediaType !== undefined ? { mediaType: input.imageManifestMediaType } : {}),
      ...(input.imageDigest !== undefined ? { expectedDigest: input.imageDigest } : {}),
    });
    // Nothing changed: the manifest was there and the tag (if any) already pointed at it.
    if (result.wasAlreadyStored && (input.imageTag === undefined || result.previousTagDigest === result.digest)) {
      throw imageAlreadyExists(result.digest, input.imageTag, repository, scope);
    }
    const image: Image = {
      registryId: scope.accountId,
      repositoryName: repository,
      imageId: { imageDigest: result.digest, ...(input.imageTag !== undefined ? { imageTag: input.imageTag } : {}) },
      imageManifest: input.imageManifest,
      imageManifestMediaType: result.mediaType,
    };
    return { image };
  },

  async BatchGetImage(input, context) {
    const scope = targetScope(context, input.registryId);
    const repository = input.repositoryName;
    const { images: imageService } = context.services;
    // Pull-through cache: each image asked for is fetched from the upstream first when a rule covers the repository;
    // one the upstream lacks is left to the lookup below to report as a failure. An upstream that refuses the rule's
    // credentials fails the call, as the model's UnableToGetUpstreamImageException says.
    for (const imageId of input.imageIds) {
      const reference = imageId.imageDigest ?? imageId.imageTag;
      if (reference === undefined) continue;
      try {
        await context.services.pullThroughCache.prepare(scope, repository, reference);
      } catch (error) {
        if (!(error instanceof DomainError) || error.kind === 'UpstreamUnauthorized') throw error;
      }
    }
    context.services.repositories.get(scope, repository);
    const isPull = recordsPullTime(context.services.documents, scope, callerArns(context.principal));
    const images: Image[] = [];
    const failures: ImageFailure[] = [];
    for (const imageId of input.imageIds) {
      const resolved = resolveImageId(imageService, scope, repository, imageId);
      if (!resolved.isFound) {
        failures.push(resolved.failure);
        continue;
      }
      const details = imageService.details(scope, repository, resolved.digest);
      if (details === undefined || !isAcceptable(input.acceptedMediaTypes, details.mediaType)) {
        failures.push({ imageId: imageIdOf(imageId), failureCode: 'ImageNotFound', failureReason: 'Requested image not found' });
        continue;
      }
      try {
        // BatchGetImage is how ECR's own clients pull: it records the pull time like a data-plane GET.
        const stored = imageService.getManifest(scope, repository, resolved.digest, { isPull });
        images.push({
          registryId: scope.accountId,
          repositoryName: repository,
          imageId: { imageDigest: stored.digest, ...(imageId.imageTag !== undefined ? { imageTag: imageId.imageTag } : {}) },
          imageManifest: stored.manifest.toString('utf8'),
          imageManifestMediaType: stored.mediaType,
        });
      } catch (error) {
        if (!(error instanceof DomainError && error.kind === 'ImageArchived')) throw error;
        failures.push({ imageId: imageIdOf(imageId), failureCode: 'ImageInaccessible', failureReason: error.message });
      }
    }
    return { images, failures };
  },

  async BatchDeleteImage(input, context) {
    const scope = targetScope(context, input.registryId);
    const repository = input.repositoryName;
    const { images } = context.services;
    context.services.repositories.get(scope, repository);
    const imageIds: ImageIdentifier[] = [];
    const failures: ImageFailure[] = [];
    for (const imageId of input.imageIds) {
      const resolved = resolveImageId(images, scope, repository, imageId);
      if (!resolved.isFound) {
        failures.push(resolved.failure);
        continue;
      }
      try {
        imageIds.push(...(await deleteOne(images, scope, repository, imageId, resolved.digest)));
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        if (error.kind === 'ImageReferencedByIndex') failures.push({ imageId: imageIdOf(imageId), failureCode: 'ImageReferencedByManifestList', failureReason: error.message });
        // Deleted by an earlier identifier of the same call (its tag and digest both listed).
        else if (error.kind === 'ImageNotFound') failures.push({ imageId: imageIdOf(imageId), failureCode: 'ImageNotFound', failureReason: 'Requested image not found' });
        else throw error;
      }
    }
    return { imageIds, failures };
  },
};
