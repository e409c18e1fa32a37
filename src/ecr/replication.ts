// Private image replication within the emulator. Every account and region lives in this one store, so a replication
// rule can do what ECR does: after an image lands in a repository its rules match (PREFIX_MATCH filters, none
// meaning all), the image and its tag are copied to each destination registry, creating the repository there with
// default settings when absent. Blobs are content-addressed and shared, so a copy links them; no bytes move.
import type { ReplicationConfiguration } from '../aws/ecr-types.generated';
import type { Clock } from '../images/clock';
import type { PushedImage } from '../images/image-service';
import { isForeignLayer, parseManifest } from '../images/manifest';
import type { BlobLinkStore } from '../store/blob-link-store';
import type { ImageStore } from '../store/image-store';
import type { RegistryDocumentStore } from '../store/registry-document-store';
import type { RepositoryStore } from '../store/repository-store';
import type { Scope } from '../store/scope';

// Where registry.ts keeps PutReplicationConfiguration's document.
const KIND = 'replication-configuration';
const KEY = 'configuration';

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

export interface ReplicationStores {
  repositories: RepositoryStore;
  documents: RegistryDocumentStore;
  images: ImageStore;
  links: BlobLinkStore;
  clock: Clock;
}

/** The push observer: copies a pushed image, or the tag moved onto one, to every destination the rules name. */
export function replicateOnPush(stores: ReplicationStores): (image: PushedImage) => void {
  const { repositories, documents, images, links, clock } = stores;
  return ({ scope, repository, digest, tag }) => {
    const destinations = replicationDestinationsOf(documents.get<ReplicationConfiguration>(scope, KIND, KEY), scope, repository);
    if (destinations.length === 0) return;
    const image = images.find(scope, repository, digest);
    if (image === undefined) return;
    const parsed = parseManifest(image.manifest, image.mediaType);
    const blobs = parsed.kind === 'image' ? [parsed.config, ...parsed.layers.filter((layer) => !isForeignLayer(layer))] : [];
    const now = clock.now();
    for (const destination of destinations) {
      if (repositories.find(destination, repository) === undefined) {
        try {
          repositories.create(destination, {
            name: repository,
            createdAt: now,
            imageTagMutability: 'MUTABLE',
            imageScanningConfiguration: { scanOnPush: false },
            encryptionConfiguration: { encryptionType: 'AES256' },
            tags: [],
          });
        } catch {
          // Created concurrently: fine, it exists now.
        }
      }
      for (const blob of blobs) {
        const link = links.find(scope, repository, blob.digest);
        if (link !== undefined) links.link(destination, repository, link, now);
      }
      images.put(destination, repository, { ...image, pushedAt: now }, tag);
    }
  };
}
