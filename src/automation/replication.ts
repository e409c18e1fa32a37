// Private image replication within the emulator. Every account and region lives in this one store, so a replication
// rule can do what ECR does: after an image lands in a repository its rules match (PREFIX_MATCH filters, none
// meaning all), the image and its tag are copied to each destination registry, creating the repository there with
// default settings when absent. The copy is a push through the image service, so it takes the destination's lock
// and keeps its rules (tag immutability); blobs are content-addressed, so it links them and no bytes move.
import type { ReplicationConfiguration } from '../aws/ecr-types.generated';
import type { BlobService } from '../images/blob-service';
import type { Clock } from '../kernel/clock';
import type { ImageService } from '../images/image-service';
import type { PushObserver } from '../images/push-observers';
import { isForeignLayer, parseManifest } from '../images/manifest';
import type { RegistryDocuments } from '../images/registry-documents';
import { newRepositoryRecord } from '../images/repository-defaults';
import type { RepositoryService } from '../images/repository-service';
import type { ImageStore } from '../store/image-store';
import type { Scope } from '../kernel/scope';

/** The destination registries whose rules match `repository`, each once. */
export function replicationDestinationsOf(configuration: ReplicationConfiguration | undefined, source: Scope, repository: string): Scope[] {
  const destinations = new Map<string, Scope>();
  for (const rule of configuration?.rules ?? []) {
    const filters = rule.repositoryFilters ?? [];
    if (filters.length > 0 && !filters.some(({ filter }) => repository.startsWith(filter))) continue;
    for (const { region, registryId } of rule.destinations) {
      if (region === source.region && registryId === source.accountId) continue;
      destinations.set(`${registryId}/${region}`, { accountId: registryId, region });
    }
  }
  return [...destinations.values()];
}

export function isReplicatedTo(stores: { images: { details(scope: Scope, repository: string, digest: string): unknown } }, destination: Scope, repository: string, digest: string): boolean {
  try {
    return stores.images.details(destination, repository, digest) !== undefined;
  } catch {
    // The destination repository does not exist.
    return false;
  }
}

export interface ReplicationDependencies {
  repositories: RepositoryService;
  documents: RegistryDocuments;
  /** Read-only: the pushed manifest's bytes. */
  storedImages: ImageStore;
  images: ImageService;
  blobs: BlobService;
  clock: Clock;
}

/**
 * The push observer: copies a pushed image, or the tag moved onto one, to every destination the rules name. A
 * replica is not replicated again (so two registries replicating to each other do not loop). A destination that
 * refuses the copy (an immutable tag there) keeps what it has; the others still get theirs.
 */
export function replicateOnPush(dependencies: ReplicationDependencies): PushObserver {
  const { repositories, documents, storedImages, images, blobs, clock } = dependencies;
  return async ({ scope, repository, digest, tag, isReplica }) => {
    if (isReplica) return;
    const destinations = replicationDestinationsOf(documents.get('replication-configuration', scope, 'configuration'), scope, repository);
    if (destinations.length === 0) return;
    const image = storedImages.find(scope, repository, digest);
    if (image === undefined) return;
    const parsed = parseManifest(image.manifest, image.mediaType);
    const required = parsed.kind === 'image' ? [parsed.config, ...parsed.layers.filter((layer) => !isForeignLayer(layer))].map((blob) => blob.digest) : [];
    for (const destination of destinations) {
      try {
        repositories.ensure(destination, newRepositoryRecord(repository, clock.now()));
        await blobs.linkFrom({ scope, repository }, { scope: destination, repository }, required);
        await images.putManifest({
          scope: destination,
          repository,
          manifest: image.manifest,
          mediaType: image.mediaType,
          ...(tag !== undefined ? { reference: tag } : {}),
          isReplica: true,
        });
      } catch {
        // This destination refused the copy; ECR reports it FAILED in DescribeImageReplicationStatus.
      }
    }
  };
}
