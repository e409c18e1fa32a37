// Pull-through cache: before a pull is served, fills the repository from the upstream registry a rule names when
// the image is not cached (or a tag is due for its daily re-check). Stores through the same upload and image
// services a push uses; it never serves bytes itself, and a cached image outlives an unreachable upstream.
import { Readable } from 'node:stream';
import type { Clock } from '../kernel/clock';
import type { Scope } from '../kernel/scope';
import { DomainError } from '../images/domain-error';
import type { ImageService } from '../images/image-service';
import { parseImageReference } from '../images/image-reference';
import { isForeignLayer, parseManifest } from '../images/manifest';
import type { RegistryDocuments, StoredPullThroughCacheRule } from '../images/registry-documents';
import { newRepositoryRecord } from '../images/repository-defaults';
import type { RepositoryService } from '../images/repository-service';
import { repositoryFromTemplate, templateFor } from '../images/repository-templates';
import type { UploadService } from '../images/upload-service';
import type { BlobLinkStore } from '../store/blob-link-store';
import { UpstreamError, type UpstreamClient, type UpstreamCredentials, type UpstreamManifest, type UpstreamTarget } from './upstream-client';

/** User guide, "Pull through cache": ECR checks the upstream for a newer version of a tag at most once every 24 hours. */
export const TAG_RECHECK_INTERVAL_MS = 24 * 60 * 60 * 1000;
const ROOT = 'ROOT';

export interface PullThroughCache {
  /**
   * Makes `reference` of `repository` servable from the store when a rule covers the name: fetches it (an index
   * with its children, and every blob) from the upstream unless cached and, for a tag, checked in the last 24
   * hours. A name no rule covers is left alone. Throws ImageNotFound when the upstream has no such image or cannot
   * be reached and nothing is cached; an unreachable upstream with the image cached is not an error.
   */
  prepare(scope: Scope, repository: string, reference: string): Promise<void>;
  /** The rule that covers a repository name, with the upstream repository it maps to, or undefined. */
  ruleFor(scope: Scope, repository: string): CoveredRepository | undefined;
}

export interface CoveredRepository {
  rule: StoredPullThroughCacheRule;
  upstreamRepository: string;
}

export interface PullThroughCacheDependencies {
  documents: RegistryDocuments;
  repositories: RepositoryService;
  images: ImageService;
  uploads: UploadService;
  links: BlobLinkStore;
  client: UpstreamClient;
  clock: Clock;
  /** Upstream registry host (as in upstreamRegistryUrl) → base URL it is reached at instead (`--upstream`). */
  upstreams?: Readonly<Record<string, string>>;
  /** The username and password a rule's credentialArn names, if the emulator knows the secret. */
  credentialsFor?: (scope: Scope, credentialArn: string) => UpstreamCredentials | undefined;
}

/**
 * User guide, "Customizing repository prefixes": the longest `<ecrRepositoryPrefix>/` the name starts with wins, and
 * a ROOT rule covers every name no other rule does. The cache namespace is replaced by the upstream repository
 * prefix (none by default). Docker Hub official images keep their `library/` in the name the client pulls.
 */
export function coveringRule(documents: RegistryDocuments, scope: Scope, repository: string): CoveredRepository | undefined {
  let best: { key: string; rule: StoredPullThroughCacheRule } | undefined;
  let root: StoredPullThroughCacheRule | undefined;
  for (const { key, value } of documents.list('pull-through-cache-rule', scope)) {
    if (key === ROOT) root = value;
    else if (repository.startsWith(`${key}/`) && (best === undefined || key.length > best.key.length)) best = { key, rule: value };
  }
  const rest = best === undefined ? repository : repository.slice(best.key.length + 1);
  const rule = best?.rule ?? root;
  if (rule === undefined) return undefined;
  const upstreamPrefix = rule.upstreamRepositoryPrefix === undefined || rule.upstreamRepositoryPrefix === ROOT ? '' : rule.upstreamRepositoryPrefix.replace(/\/$/, '');
  return { rule, upstreamRepository: upstreamPrefix === '' ? rest : `${upstreamPrefix}/${rest}` };
}

/** The base URL of an upstream: what `--upstream` maps its host to, else HTTPS to the host itself. */
export function upstreamBaseUrl(upstreamRegistryUrl: string, upstreams: Readonly<Record<string, string>>): string {
  const host = upstreamRegistryUrl.replace(/^https?:\/\//, '').replace(/\/$/, '').toLowerCase();
  const mapped = Object.entries(upstreams).find(([name]) => name.toLowerCase() === host)?.[1];
  return mapped ?? `https://${host}`;
}

function imageNotFound(repository: string, reference: string, reason: string): DomainError {
  return new DomainError('ImageNotFound', `Requested image not found: ${reason}`, { repository, reference });
}

export function createPullThroughCache(dependencies: PullThroughCacheDependencies): PullThroughCache {
  const { documents, repositories, images, uploads, links, client, clock, upstreams = {}, credentialsFor } = dependencies;
  // When each cached tag was last compared with the upstream. In memory: after a restart a tag is re-checked once.
  const tagCheckedAt = new Map<string, number>();
  // One fetch per image at a time: concurrent pulls of an uncached image wait for the same fetch.
  const inFlight = new Map<string, Promise<void>>();

  function targetOf(scope: Scope, rule: StoredPullThroughCacheRule): UpstreamTarget {
    const credentials = rule.credentialArn === undefined ? undefined : credentialsFor?.(scope, rule.credentialArn);
    return { baseUrl: upstreamBaseUrl(rule.upstreamRegistryUrl, upstreams), ...(credentials !== undefined ? { credentials } : {}) };
  }

  /** Whether the store can answer without asking the upstream. */
  function isFresh(scope: Scope, repository: string, reference: string, key: string): boolean {
    if (repositories.find(scope, repository) === undefined) return false;
    const digest = images.resolve(scope, repository, reference);
    if (digest === undefined) return false;
    // Digests are content: a cached one never changes.
    if (parseImageReference(reference).kind === 'digest') return true;
    const checkedAt = tagCheckedAt.get(key);
    return checkedAt !== undefined && clock.now().getTime() - checkedAt < TAG_RECHECK_INTERVAL_MS;
  }

  /** The manifest and, for an index, its children, all fetched before anything is stored. */
  async function fetchImage(target: UpstreamTarget, upstreamRepository: string, reference: string): Promise<{ root: UpstreamManifest; children: UpstreamManifest[] }> {
    const root = await client.getManifest(target, upstreamRepository, reference);
    const parsed = parseManifest(root.bytes, root.mediaType || undefined);
    const children: UpstreamManifest[] = [];
    if (parsed.kind === 'index') {
      for (const child of parsed.manifests) children.push(await client.getManifest(target, upstreamRepository, child.digest));
    }
    return { root, children };
  }

  /** Each blob a manifest needs that the repository lacks, streamed from the upstream into the store, digest-checked. */
  async function storeBlobs(scope: Scope, repository: string, target: UpstreamTarget, upstreamRepository: string, manifest: UpstreamManifest): Promise<void> {
    const parsed = parseManifest(manifest.bytes, manifest.mediaType || undefined);
    if (parsed.kind === 'index') return;
    for (const blob of [parsed.config, ...parsed.layers.filter((layer) => !isForeignLayer(layer))]) {
      if (links.find(scope, repository, blob.digest) !== undefined) continue;
      const { body } = await client.getBlob(target, upstreamRepository, blob.digest);
      await uploads.push(scope, repository, blob.digest, Readable.from(body));
    }
  }

  async function storeManifest(scope: Scope, repository: string, manifest: UpstreamManifest, reference: string): Promise<void> {
    await images.putManifest({ scope, repository, reference, manifest: manifest.bytes, ...(manifest.mediaType !== '' ? { mediaType: manifest.mediaType } : {}) });
  }

  /** User guide: the repository is created on the first pull, from a PULL_THROUGH_CACHE creation template if one applies. */
  function ensureRepository(scope: Scope, repository: string): void {
    if (repositories.find(scope, repository) !== undefined) return;
    const now = clock.now();
    const template = templateFor(documents, scope, repository, 'PULL_THROUGH_CACHE');
    repositories.ensure(scope, template === undefined ? newRepositoryRecord(repository, now) : repositoryFromTemplate(template, scope, repository, now));
  }

  async function fill(scope: Scope, repository: string, reference: string, covered: CoveredRepository, key: string): Promise<void> {
    const target = targetOf(scope, covered.rule);
    let fetched: Awaited<ReturnType<typeof fetchImage>>;
    try {
      fetched = await fetchImage(target, covered.upstreamRepository, reference);
    } catch (error) {
      if (!(error instanceof UpstreamError)) throw error;
      const isCached = repositories.find(scope, repository) !== undefined && images.resolve(scope, repository, reference) !== undefined;
      // An upstream that cannot answer leaves the cache as it is; the tag is asked about again on the next pull.
      if (isCached) return;
      throw imageNotFound(repository, reference, error.message);
    }
    ensureRepository(scope, repository);
    for (const child of fetched.children) {
      await storeBlobs(scope, repository, target, covered.upstreamRepository, child);
      await storeManifest(scope, repository, child, child.digest);
    }
    await storeBlobs(scope, repository, target, covered.upstreamRepository, fetched.root);
    // Stored under the upstream's digest, and under the tag when pulled by one.
    await storeManifest(scope, repository, fetched.root, reference);
    if (parseImageReference(reference).kind === 'tag') tagCheckedAt.set(key, clock.now().getTime());
  }

  return {
    ruleFor: (scope, repository) => coveringRule(documents, scope, repository),

    async prepare(scope, repository, reference) {
      const covered = coveringRule(documents, scope, repository);
      if (covered === undefined) return;
      parseImageReference(reference);
      const key = `${scope.accountId}/${scope.region}/${repository}@${reference}`;
      if (isFresh(scope, repository, reference, key)) return;
      const running = inFlight.get(key);
      if (running !== undefined) return running;
      const work = fill(scope, repository, reference, covered, key).finally(() => inFlight.delete(key));
      inFlight.set(key, work);
      return work;
    },
  };
}
