// Images and tags: what a manifest push stores and what a pull, a delete and a tag listing read. The data
// plane's manifest routes and the control plane's PutImage / BatchGetImage / BatchDeleteImage call these same
// functions. Writes to one repository run under its lock.
import type { Clock } from '../kernel/clock';
import { sha256Of, type Sha256Digest } from '../kernel/digest';
import { repositoryLockKey, type KeyedLock } from '../kernel/keyed-lock';
import type { Scope } from '../kernel/scope';
import type { BlobLinkStore } from '../store/blob-link-store';
import type { ImageDetails, ImageRecord, ImageStore, StorageClass } from '../store/image-store';
import { createImageListings, type ImageListings } from './image-listings';
import { DomainError } from './domain-error';
import { parseImageReference, type ImageReference } from './image-reference';
import { isForeignLayer, parseManifest, type Descriptor, type ParsedManifest } from './manifest';
import { MediaType } from './media-types';
import { notifyObservers, type PushedImage, type PushObserver } from './push-observers';
import type { RepositoryService } from './repository-service';
import { isTagImmutable } from './tag-mutability';

const INDEX_MEDIA_TYPES = [MediaType.ociIndex, MediaType.dockerManifestList];

export interface PutManifestInput {
  scope: Scope;
  repository: string;
  /** A tag to point at the manifest, or the digest it must have; absent stores it untagged. */
  reference?: string;
  manifest: Buffer;
  /** The Content-Type (data plane) or imageManifestMediaType (PutImage), if given. */
  mediaType?: string;
  /** PutImage with both imageTag and imageDigest: the digest the manifest must have. */
  expectedDigest?: string;
  /** Written by replication: observers learn it is a replica, and ECR does not replicate a replica again. */
  isReplica?: boolean;
  /**
   * Config and layer digests to accept though not linked yet: the blobs a pull-through cache fetches from its
   * upstream on their first pull, and links then. Only the pull-through cache passes it; a push never does.
   */
  pendingBlobs?: readonly string[];
}

export interface PutManifestResult {
  digest: Sha256Digest;
  mediaType: string;
  tag?: string;
  subjectDigest?: string;
  /** Whether the repository already held this manifest (ECR's PutImage reports ImageAlreadyExists then). */
  wasAlreadyStored: boolean;
  /** The digest the tag pointed at before, when it pointed somewhere. */
  previousTagDigest?: string;
}

export interface StoredManifest {
  digest: string;
  mediaType: string;
  manifest: Buffer;
  sizeInBytes: number;
}

export interface ReferrerPage {
  descriptors: Descriptor[];
  isFilteredByArtifactType: boolean;
}

export interface ImageService extends ImageListings {
  /**
   * Validates and stores a manifest, pointing a tag at it when the reference is one. Throws RepositoryNotFound,
   * ManifestInvalid, ManifestTooLarge, UnsupportedMediaType, ImageDigestMismatch (reference digest differs),
   * LayersNotFound (config or layer not linked), ReferencedImagesNotFound (index child absent), TagImmutable,
   * ReferenceInvalid, DigestInvalid.
   */
  putManifest(input: PutManifestInput): Promise<PutManifestResult>;
  /**
   * Throws RepositoryNotFound, ImageNotFound, ReferenceInvalid, DigestInvalid, and ImageArchived for an archived
   * image. `isPull` (a GET on the data plane, BatchGetImage) records the pull time DescribeImages reports.
   */
  getManifest(scope: Scope, repository: string, reference: string, options?: { isPull?: boolean }): StoredManifest;
  /** The digest a tag or digest reference names, or undefined. Throws RepositoryNotFound, ReferenceInvalid, DigestInvalid. */
  resolve(scope: Scope, repository: string, reference: string): string | undefined;
  /**
   * Removes an image and all its tags. Throws RepositoryNotFound, ImageNotFound, and ImageReferencedByIndex
   * while an index in the repository lists it (ECR refuses that delete; delete the index first).
   */
  deleteImage(scope: Scope, repository: string, digest: string): Promise<void>;
  /** Removes one tag; the image stays. Throws RepositoryNotFound, ImageNotFound. */
  deleteTag(scope: Scope, repository: string, tag: string): Promise<void>;
  /** Descriptors of the manifests whose subject is `subjectDigest`. Throws RepositoryNotFound. */
  referrers(scope: Scope, repository: string, subjectDigest: string, artifactType?: string): ReferrerPage;
  /** Archives or restores an image. Throws RepositoryNotFound, ImageNotFound. */
  setStorageClass(scope: Scope, repository: string, digest: string, storageClass: StorageClass): Promise<ImageDetails>;
}

export interface ImageServiceDependencies {
  repositories: RepositoryService;
  images: ImageStore;
  links: BlobLinkStore;
  locks: KeyedLock;
  clock: Clock;
  /** Told of each push that stored a manifest or moved a tag, in order, after the push is committed. */
  observers?: readonly PushObserver[];
}

/** Pulls of one image closer together than this record one pull time (see ImageStore.recordPull). */
const PULL_TIME_RESOLUTION_MS = 1000;

function imageNotFound(repository: string, reference: string): DomainError {
  return new DomainError('ImageNotFound', 'Requested image not found', { repository, reference });
}

/**
 * ECR's imageSizeInBytes: config plus layers; for an index, the largest of the images it lists (the model's
 * documentation of imageSizeInBytes). `sizeOfChild` reads a child's stored size; children are checked to exist.
 */
function sizeOf(parsed: ParsedManifest, sizeOfChild: (digest: string) => number): number {
  if (parsed.kind === 'index') return parsed.manifests.reduce((largest, child) => Math.max(largest, sizeOfChild(child.digest)), 0);
  return parsed.layers.reduce((sum, layer) => sum + layer.sizeInBytes, parsed.config.sizeInBytes);
}

function annotationsOf(manifest: Buffer): Record<string, string> | undefined {
  const document = JSON.parse(manifest.toString('utf8')) as { annotations?: Record<string, string> };
  return document.annotations;
}

export function createImageService(dependencies: ImageServiceDependencies): ImageService {
  const { repositories, images, links, locks, clock, observers = [] } = dependencies;


  /** Indexes of the repository that list `digest` among their manifests. */
  function indexesListing(scope: Scope, repository: string, digest: string): string[] {
    return images
      .withMediaTypes(scope, repository, INDEX_MEDIA_TYPES)
      .filter((image) => {
        const parsed = parseManifest(image.manifest, image.mediaType);
        return parsed.kind === 'index' && parsed.manifests.some((child) => child.digest === digest);
      })
      .map((image) => image.digest);
  }

  function checkReferences(scope: Scope, repository: string, parsed: ParsedManifest, pendingBlobs: readonly string[]): void {
    if (parsed.kind === 'index') {
      const missing = parsed.manifests.find((child) => images.find(scope, repository, child.digest) === undefined);
      if (missing !== undefined) {
        throw new DomainError('ReferencedImagesNotFound', `manifest blob unknown: referenced manifest ${missing.digest} is not in the repository`, { digest: missing.digest });
      }
      return;
    }
    const required = [parsed.config, ...parsed.layers.filter((layer) => !isForeignLayer(layer))];
    const missing = required.find((blob) => !pendingBlobs.includes(blob.digest) && links.find(scope, repository, blob.digest) === undefined);
    if (missing !== undefined) {
      throw new DomainError('LayersNotFound', `manifest blob unknown: blob ${missing.digest} is not in the repository`, { digest: missing.digest });
    }
  }

  function resolveDigest(scope: Scope, repository: string, reference: ImageReference, text: string): string {
    if (reference.kind === 'digest') return reference.digest;
    const digest = images.findTag(scope, repository, reference.tag);
    if (digest === undefined) throw imageNotFound(repository, text);
    return digest;
  }

  return {
    ...createImageListings(repositories, images),

    async putManifest(input) {
      const { scope, repository, manifest } = input;
      repositories.get(scope, repository);
      const reference = input.reference === undefined ? undefined : parseImageReference(input.reference);
      const parsed = parseManifest(manifest, input.mediaType);
      const digest = sha256Of(manifest);
      const expectedDigest = input.expectedDigest ?? (reference?.kind === 'digest' ? reference.digest : undefined);
      if (expectedDigest !== undefined && expectedDigest !== digest) {
        throw new DomainError('ImageDigestMismatch', `manifest digest ${digest} does not match the reference ${expectedDigest}`, { digest: expectedDigest });
      }
      const tag = reference?.kind === 'tag' ? reference.tag : undefined;
      const { result, pushed } = await locks.run(repositoryLockKey(scope, repository), () => {
        const record = repositories.get(scope, repository);
        checkReferences(scope, repository, parsed, input.pendingBlobs ?? []);
        const previousTagDigest = tag === undefined ? undefined : images.findTag(scope, repository, tag);
        if (tag !== undefined && previousTagDigest !== undefined && previousTagDigest !== digest && isTagImmutable(record, tag)) {
          throw new DomainError(
            'TagImmutable',
            `The image tag '${tag}' already exists in the '${repository}' repository and cannot be overwritten because the repository is immutable.`,
            { tag },
          );
        }
        const wasAlreadyStored = images.find(scope, repository, digest) !== undefined;
        const image: ImageRecord = {
          digest,
          mediaType: parsed.mediaType,
          ...(parsed.artifactType !== undefined ? { artifactType: parsed.artifactType } : {}),
          manifest,
          sizeInBytes: sizeOf(parsed, (child) => images.details(scope, repository, child)?.sizeInBytes ?? 0),
          ...(parsed.subject !== undefined ? { subjectDigest: parsed.subject.digest } : {}),
          pushedAt: clock.now(),
        };
        images.put(scope, repository, image, tag);
        const hasTagMoved = tag !== undefined && previousTagDigest !== digest;
        const changed: PushedImage | undefined =
          !wasAlreadyStored || hasTagMoved
            ? { scope, repository, digest, mediaType: parsed.mediaType, ...(tag !== undefined ? { tag } : {}), isNewImage: !wasAlreadyStored, isReplica: input.isReplica === true }
            : undefined;
        const stored: PutManifestResult = {
          digest,
          mediaType: parsed.mediaType,
          ...(tag !== undefined ? { tag } : {}),
          ...(parsed.subject !== undefined ? { subjectDigest: parsed.subject.digest } : {}),
          wasAlreadyStored,
          ...(previousTagDigest !== undefined ? { previousTagDigest } : {}),
        };
        return { result: stored, pushed: changed };
      });
      if (pushed !== undefined) await notifyObservers(observers, pushed);
      return result;
    },

    getManifest(scope, repository, text, options = {}) {
      repositories.get(scope, repository);
      const digest = resolveDigest(scope, repository, parseImageReference(text), text);
      const image = images.details(scope, repository, digest);
      if (image === undefined) throw imageNotFound(repository, text);
      if (image.storageClass === 'ARCHIVE') {
        throw new DomainError('ImageArchived', `The image with digest '${digest}' is archived and cannot be pulled; restore it with UpdateImageStorageClass first`, { digest });
      }
      if (options.isPull === true) images.recordPull(scope, repository, digest, clock.now(), PULL_TIME_RESOLUTION_MS);
      return { digest: image.digest, mediaType: image.mediaType, manifest: image.manifest, sizeInBytes: image.sizeInBytes };
    },

    resolve(scope, repository, text) {
      repositories.get(scope, repository);
      const reference = parseImageReference(text);
      if (reference.kind === 'tag') return images.findTag(scope, repository, reference.tag);
      return images.find(scope, repository, reference.digest) === undefined ? undefined : reference.digest;
    },

    async deleteImage(scope, repository, digest) {
      repositories.get(scope, repository);
      await locks.run(repositoryLockKey(scope, repository), () => {
        if (images.find(scope, repository, digest) === undefined) throw imageNotFound(repository, digest);
        const indexes = indexesListing(scope, repository, digest);
        if (indexes.length > 0) {
          throw new DomainError('ImageReferencedByIndex', `Requested image is referenced by a manifest list: [${indexes.join(', ')}]`, { indexes });
        }
        images.delete(scope, repository, digest);
      });
    },

    async setStorageClass(scope, repository, digest, storageClass) {
      repositories.get(scope, repository);
      return locks.run(repositoryLockKey(scope, repository), () => {
        if (!images.setStorageClass(scope, repository, digest, storageClass, clock.now())) throw imageNotFound(repository, digest);
        return images.details(scope, repository, digest)!;
      });
    },

    async deleteTag(scope, repository, tag) {
      repositories.get(scope, repository);
      await locks.run(repositoryLockKey(scope, repository), () => {
        if (!images.deleteTag(scope, repository, tag)) throw imageNotFound(repository, tag);
      });
    },

    referrers(scope, repository, subjectDigest, artifactType) {
      repositories.get(scope, repository);
      const found = images.referrers(scope, repository, subjectDigest).filter((image) => artifactType === undefined || image.artifactType === artifactType);
      const descriptors = found.map((image): Descriptor => {
        const annotations = annotationsOf(image.manifest);
        return {
          mediaType: image.mediaType,
          digest: image.digest,
          sizeInBytes: image.manifest.length,
          ...(image.artifactType !== undefined ? { artifactType: image.artifactType } : {}),
          ...(annotations !== undefined ? { annotations } : {}),
        };
      });
      return { descriptors, isFilteredByArtifactType: artifactType !== undefined };
    },
  };
}
