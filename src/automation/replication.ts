// Private image replication within the emulator. Every account and region lives in this one store, so a replication
// rule can do what ECR does: after a push is acknowledged, the image and its tag are copied to each destination the
// rules name, through the image service (the destination's lock and tag immutability hold), into a repository the
// destination's REPLICATION creation template shapes when it must be created. Blobs are linked; no bytes move.
import type { ImageReplicationStatus } from '../aws/ecr-types.generated';
import type { BlobService } from '../images/blob-service';
import { DomainError } from '../images/domain-error';
import type { ImageService } from '../images/image-service';
import { isForeignLayer, parseManifest } from '../images/manifest';
import type { PushObserver } from '../images/push-observers';
import type { RegistryDocuments, StoredReplicationStatus, StoredReplicationTask } from '../images/registry-documents';
import { newRepositoryRecord } from '../images/repository-defaults';
import type { RepositoryService } from '../images/repository-service';
import { repositoryFromTemplate, templateFor } from '../images/repository-templates';
import type { Clock } from '../kernel/clock';
import type { Scope } from '../kernel/scope';
import type { ImageStore } from '../store/image-store';
import type { ReplicationQueue } from './replication-queue';
import { replicationDestinationsOf, replicationRefusal } from './replication-rules';

export { replicationDestinationsOf } from './replication-rules';

export interface ReplicationDependencies {
  repositories: RepositoryService;
  documents: RegistryDocuments;
  /** Read-only: the pushed manifest's bytes. */
  storedImages: ImageStore;
  images: ImageService;
  blobs: BlobService;
  clock: Clock;
}

function statusKey(repository: string, digest: string): string {
  return `${repository}@${digest}`;
}

function sameRegistry(one: Pick<StoredReplicationStatus, 'region' | 'registryId'>, other: Pick<StoredReplicationStatus, 'region' | 'registryId'>): boolean {
  return one.region === other.region && one.registryId === other.registryId;
}

/** Records the outcomes for the destinations they name, in place; the other destinations keep theirs. */
function recordStatuses(documents: RegistryDocuments, task: Pick<StoredReplicationTask, 'source' | 'repository' | 'digest'>, outcomes: StoredReplicationStatus[]): void {
  const key = statusKey(task.repository, task.digest);
  const recorded = documents.get('replication-status', task.source, key) ?? [];
  const outcomeFor = (status: StoredReplicationStatus) => outcomes.find((outcome) => sameRegistry(outcome, status));
  const updated = recorded.map((status) => outcomeFor(status) ?? status);
  const added = outcomes.filter((outcome) => !recorded.some((status) => sameRegistry(outcome, status)));
  documents.put('replication-status', task.source, key, [...updated, ...added]);
}

/**
 * The push observer: queues a pushed image, or the tag moved onto one, for every destination the rules name, and
 * marks each IN_PROGRESS before the push is answered. A replica is not replicated again (so two registries
 * replicating to each other do not loop).
 */
export function replicateOnPush(documents: RegistryDocuments, queue: ReplicationQueue): PushObserver {
  return ({ scope, repository, digest, tag, isReplica }) => {
    if (isReplica) return;
    const destinations = replicationDestinationsOf(documents.get('replication-configuration', scope, 'configuration'), scope, repository);
    if (destinations.length === 0) return;
    const task: StoredReplicationTask = { source: scope, repository, digest, ...(tag !== undefined ? { tag } : {}), destinations };
    recordStatuses(documents, task, destinations.map((destination) => ({ region: destination.region, registryId: destination.accountId, status: 'IN_PROGRESS' })));
    queue.enqueue(task);
  };
}

/**
 * Carries one queued task out: each destination in turn, each to COMPLETE or FAILED with the reason. A destination
 * that refuses (its registry policy, an immutable tag) keeps what it has; the others still get theirs.
 */
export function createReplicator(dependencies: ReplicationDependencies): (task: StoredReplicationTask) => Promise<void> {
  const { repositories, documents, storedImages, images, blobs, clock } = dependencies;

  async function replicateTo(task: StoredReplicationTask, destination: Scope): Promise<string | undefined> {
    const { source, repository, digest, tag } = task;
    const image = storedImages.find(source, repository, digest);
    if (image === undefined) return `The image was deleted from '${repository}' before it was replicated`;
    const existing = repositories.find(destination, repository);
    const refusal = replicationRefusal(documents, { source, destination, repository, hasRepository: existing !== undefined });
    if (refusal !== undefined) return refusal;
    if (existing === undefined) {
      // User guide, "Private repository creation templates": a repository replication creates takes the
      // destination's REPLICATION template when one's prefix covers it, else CreateRepository's defaults.
      const template = templateFor(documents, destination, repository, 'REPLICATION');
      const now = clock.now();
      repositories.ensure(destination, template === undefined ? newRepositoryRecord(repository, now) : repositoryFromTemplate(template, destination, repository, now));
    }
    const parsed = parseManifest(image.manifest, image.mediaType);
    const required = parsed.kind === 'image' ? [parsed.config, ...parsed.layers.filter((layer) => !isForeignLayer(layer))].map((blob) => blob.digest) : [];
    try {
      await blobs.linkFrom({ scope: source, repository }, { scope: destination, repository }, required);
      await images.putManifest({ scope: destination, repository, manifest: image.manifest, mediaType: image.mediaType, ...(tag !== undefined ? { reference: tag } : {}), isReplica: true });
    } catch (error) {
      // ImageTagAlreadyExistsException's wording for an immutable tag; the core's message for anything else.
      if (error instanceof DomainError) return error.message;
      throw error;
    }
    return undefined;
  }

  return async (task) => {
    for (const destination of task.destinations) {
      let failure: string | undefined;
      try {
        failure = await replicateTo(task, destination);
      } catch (error) {
        failure = `Replication failed: ${error instanceof Error ? error.message : String(error)}`;
      }
      const base = { region: destination.region, registryId: destination.accountId };
      recordStatuses(documents, task, [failure === undefined ? { ...base, status: 'COMPLETE' } : { ...base, status: 'FAILED', failureCode: failure }]);
    }
  };
}

/**
 * DescribeImageReplicationStatus's list: the outcome recorded for each destination the image was queued for, in
 * queue order. An image pushed before any rule matched it has none recorded; it reports the destinations the
 * rules name now, COMPLETE where the image is there and FAILED otherwise.
 */
export function replicationStatusesOf(
  dependencies: { documents: RegistryDocuments; images: Pick<ImageService, 'details'> },
  source: Scope,
  repository: string,
  digest: string,
): ImageReplicationStatus[] {
  const recorded = dependencies.documents.get('replication-status', source, statusKey(repository, digest));
  if (recorded !== undefined) return recorded.map((status) => ({ ...status }));
  const configuration = dependencies.documents.get('replication-configuration', source, 'configuration');
  return replicationDestinationsOf(configuration, source, repository).map((destination) =>
    isReplicatedTo(dependencies.images, destination, repository, digest)
      ? { region: destination.region, registryId: destination.accountId, status: 'COMPLETE' }
      : { region: destination.region, registryId: destination.accountId, status: 'FAILED', failureCode: 'The image was pushed before the replication rule existed; ECR replicates images pushed after it' },
  );
}

function isReplicatedTo(images: Pick<ImageService, 'details'>, destination: Scope, repository: string, digest: string): boolean {
  try {
    return images.details(destination, repository, digest) !== undefined;
  } catch {
    // The destination repository does not exist.
    return false;
  }
}
