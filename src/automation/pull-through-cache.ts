// Pull-through cache: before a pull is served, fills the repository from the upstream registry a rule names when
// the image is not cached (or a tag is due for its daily re-check). Stores the manifest at once and leaves its
// blobs pending, to be streamed from the upstream on their first pull (pending-upstream-blobs.ts); a cached image
// outlives an unreachable upstream.
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
import { createPendingUpstreamBlobs, type PendingBlob, type PendingUpstreamBlobs } from './pending-upstream-blobs';
import { UpstreamError, type UpstreamClient, type UpstreamCredentials, type UpstreamManifest, type UpstreamTarget } from './upstream-client';

/** User guide, "Pull through cache": ECR checks the upstream for a newer version of a tag at most once every 24 hours. */
export const TAG_RECHECK_INTERVAL_MS = 24 * 60 * 60 * 1000;
const ROOT = 'ROOT';

export interface PullThroughCache {
  /**
   * Makes `reference` of `repository` servable when a rule covers the name: fetches its manifest (an index with
   * its children) from the upstream unless cached and, for a tag, checked in the last 24 hours, and leaves the
   * blobs the repository lacks pending in `pendingBlobs`, fetched when first pulled. A name no rule covers is
   * left alone. Throws ImageNotFound when the upstream has no such image or cannot be reached and nothing is
   * cached, UpstreamUnauthorized when it refuses the rule's credentials and nothing is cached; an upstream that
   * cannot answer with the image cached is not an error.
   */
  prepare(scope: Scope, repository: string, reference: string): Promise<void>;
  /** ValidatePullThroughCacheRule: signs in to the rule's upstream with its credentials. The upstream's answer is the result, never thrown. */
  validate(scope: Scope, rule: StoredPullThroughCacheRule): Promise<UpstreamValidation>;
  /** The rule that covers a repository name, with the upstream repository it maps to, or undefined. */
  ruleFor(scope: Scope, repository: string): CoveredRepository | undefined;
  /** The blobs of cached manifests still to come from their upstream: the data plane's blob reads ask it first. */
  pendingBlobs: PendingUpstreamBlobs;
}

export type UpstreamValidation = { isValid: true } | { isValid: false; failure: string };

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

/** Why the upstream refused: the secret the rule names is unknown, or the upstream turned its credentials down. */
function credentialProblem(rule: StoredPullThroughCacheRule, hasCredentials: boolean, reason: string): string {
  if (rule.credentialArn !== undefined && !hasCredentials) {
    return `the secret '${rule.credentialArn}' of the pull through cache rule was not found (give it with --secrets-file or PUT /_emulator/secrets/<arn>)`;
  }
  return `the authentication to the upstream registry failed (${reason}); check the credentials in the Secrets Manager secret of the pull through cache rule`;
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
  const pendingBlobs = createPendingUpstreamBlobs({ repositories, uploads, links, client });

  function targetOf(scope: Scope, rule: StoredPullThroughCacheRule): UpstreamTarget {
    const credentials = rule.credentialArn === undefined ? undefined : credentialsFor?.(scope, rule.credentialArn);
    return { baseUrl: upstreamBaseUrl(rule.upstreamRegistryUrl, upstreams), ...(credentials !== undefined ? { credentials } : {}) };
  }

  /** Whether the store can answer without asking the upstream. */
  function isFresh(scope: Scope, repository: string, reference: string, key: string): boolean {
    if (repositories.find(scope, repository) === undefined) return false;
    const digest = images.resolve(scope, repository, reference);
    if (digest === undefined || !hasEveryBlob(scope, repository, digest)) return false;
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

  /** The config and layers of a manifest that the repository does not link (stored or not); none for an index. */
  function unlinkedBlobs(scope: Scope, repository: string, manifest: Buffer, mediaType: string | undefined): PendingBlob[] {
    const parsed = parseManifest(manifest, mediaType);
    if (parsed.kind === 'index') return [];
    return [parsed.config, ...parsed.layers.filter((layer) => !isForeignLayer(layer))]
      .filter((blob) => links.find(scope, repository, blob.digest) === undefined)
      .map(({ digest, sizeInBytes, mediaType: blobMediaType }) => ({ digest, sizeInBytes, mediaType: blobMediaType }));
  }

  /**
   * Whether every blob the cached image (and, for an index, each child) needs is linked or pending. Pending records
   * live in memory: after a restart a cached image whose blobs never came is fetched again to make them pending.
   */
  function hasEveryBlob(scope: Scope, repository: string, digest: string): boolean {
    let stored: { mediaType: string; manifest: Buffer };
    try {
      stored = images.getManifest(scope, repository, digest);
    } catch (error) {
      // An archived image is not pulled at all; the pull answers that, not the upstream.
      if (error instanceof DomainError && error.kind === 'ImageArchived') return true;
      throw error;
    }
    const parsed = parseManifest(stored.manifest, stored.mediaType);
    if (parsed.kind === 'index') return parsed.manifests.every((child) => images.resolve(scope, repository, child.digest) === undefined || hasEveryBlob(scope, repository, child.digest));
    return unlinkedBlobs(scope, repository, stored.manifest, stored.mediaType).every((blob) => pendingBlobs.find(scope, repository, blob.digest) !== undefined);
  }

  /**
   * Stores the manifest without its blobs: those the repository lacks are accepted as pending and remembered, with
   * the descriptor's size and media type, to be streamed from the upstream when first pulled (ECR answers the
   * manifest and caches each layer as it serves it). Image sizes come from the descriptors, so DescribeImages is right.
   */
  async function storeManifest(scope: Scope, repository: string, source: { target: UpstreamTarget; upstreamRepository: string }, manifest: UpstreamManifest, reference: string): Promise<void> {
    const mediaType = manifest.mediaType !== '' ? manifest.mediaType : undefined;
    // Every unlinked blob, pending already (a layer another cached image shares) or not: its source is the latest.
    const missing = unlinkedBlobs(scope, repository, manifest.bytes, mediaType);
    await images.putManifest({
      scope,
      repository,
      reference,
      manifest: manifest.bytes,
      ...(mediaType !== undefined ? { mediaType } : {}),
      pendingBlobs: missing.map((blob) => blob.digest),
    });
    pendingBlobs.expect(scope, repository, missing, source);
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
      if (error.failure === 'Unauthorized') {
        const problem = credentialProblem(covered.rule, target.credentials !== undefined, error.message);
        throw new DomainError('UpstreamUnauthorized', `Unable to pull the image from the upstream registry: ${problem}`, { repository, reference });
      }
      throw imageNotFound(repository, reference, error.message);
    }
    ensureRepository(scope, repository);
    const source = { target, upstreamRepository: covered.upstreamRepository };
    for (const child of fetched.children) await storeManifest(scope, repository, source, child, child.digest);
    // Stored under the upstream's digest, and under the tag when pulled by one.
    await storeManifest(scope, repository, source, fetched.root, reference);
    if (parseImageReference(reference).kind === 'tag') tagCheckedAt.set(key, clock.now().getTime());
  }

  return {
    ruleFor: (scope, repository) => coveringRule(documents, scope, repository),
    pendingBlobs,

    async validate(scope, rule) {
      const target = targetOf(scope, rule);
      try {
        // The API base, as docker's login checks credentials: no repository of the upstream needs to exist.
        await client.checkAccess(target, '');
        return { isValid: true };
      } catch (error) {
        if (!(error instanceof UpstreamError)) throw error;
        const failure = error.failure === 'Unauthorized' ? credentialProblem(rule, target.credentials !== undefined, error.message) : error.message;
        return { isValid: false, failure: `${failure.charAt(0).toUpperCase()}${failure.slice(1)}` };
      }
    },

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
