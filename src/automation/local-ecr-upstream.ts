// An upstream client for Amazon ECR private upstreams that are registries of this emulator: a rule naming
// `<account>.dkr.ecr.<region>.amazonaws.com` reads that account's images and blobs through the core services, not
// over HTTP. Every other upstream goes to the remote client. It reads only; it never writes either registry.
import type { Scope } from '../kernel/scope';
import type { BlobService } from '../images/blob-service';
import { DomainError } from '../images/domain-error';
import { parseSha256Digest } from '../images/image-reference';
import type { ImageService } from '../images/image-service';
import { UpstreamError, type UpstreamClient, type UpstreamTarget } from './upstream-client';

// API reference, CreatePullThroughCacheRule: an Amazon ECR private upstream is `<account>.dkr.ecr.<region>.amazonaws.com`.
const PRIVATE_ECR = /^https:\/\/(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com\/?$/i;

/** The account and Region a target's base URL names when it is an ECR private registry, else undefined. */
export function localEcrScopeOf(target: UpstreamTarget): Scope | undefined {
  const match = PRIVATE_ECR.exec(target.baseUrl);
  return match === null ? undefined : { accountId: match[1]!, region: match[2]!.toLowerCase() };
}

/** What the upstream's core answered, in the words the remote client uses: absent is NotFound, the rest is a bug. */
function asUpstreamError(error: unknown, what: string): unknown {
  if (!(error instanceof DomainError)) return error;
  if (['RepositoryNotFound', 'ImageNotFound', 'BlobUnknown', 'ReferenceInvalid', 'DigestInvalid'].includes(error.kind)) {
    return new UpstreamError('NotFound', `${what} not found in the upstream registry`);
  }
  // An archived image cannot be pulled until it is restored, in its own registry as through a cache.
  if (error.kind === 'ImageArchived') return new UpstreamError('NotFound', `${what} is archived in the upstream registry`);
  return error;
}

export function createLocalEcrUpstreamClient(dependencies: { images: ImageService; blobs: BlobService; remote: UpstreamClient }): UpstreamClient {
  const { images, blobs, remote } = dependencies;
  return {
    async checkAccess(target, repository) {
      // Every account of the emulator exists: a local registry always answers.
      if (localEcrScopeOf(target) === undefined) await remote.checkAccess(target, repository);
    },

    async getManifest(target, repository, reference) {
      const scope = localEcrScopeOf(target);
      if (scope === undefined) return remote.getManifest(target, repository, reference);
      try {
        // Not a pull of the upstream image: ECR's cache reads its upstream without touching lastRecordedPullTime there.
        const stored = images.getManifest(scope, repository, reference);
        return { digest: parseSha256Digest(stored.digest), mediaType: stored.mediaType, bytes: stored.manifest };
      } catch (error) {
        throw asUpstreamError(error, `manifest ${repository}:${reference}`);
      }
    },

    async getBlob(target, repository, digest) {
      const scope = localEcrScopeOf(target);
      if (scope === undefined) return remote.getBlob(target, repository, digest);
      try {
        const blob = blobs.stat(scope, repository, digest);
        return { sizeInBytes: blob.sizeInBytes, body: blobs.read(blob) };
      } catch (error) {
        throw asUpstreamError(error, `blob ${digest}`);
      }
    },
  };
}
