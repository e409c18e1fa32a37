// What the console shows of images: a page of a repository's images, and one image with its manifest, config,
// layers, an index's platforms, referrers and scan findings. Read through the core services only; the manifest is
// parsed by the core's parser, the config read through the repository's blob link like any pull.
import type { Readable } from 'node:stream';
import type { AccessPolicy } from '../auth/access';
import type { BlobService } from '../images/blob-service';
import { DomainError } from '../images/domain-error';
import type { ImageService } from '../images/image-service';
import { isForeignLayer, parseManifest } from '../images/manifest';
import type { RegistryDocuments } from '../images/registry-documents';
import type { RegistryAddresses } from '../kernel/registry-address';
import type { Scope } from '../kernel/scope';
import { imageScanOf } from '../scanning/image-scans';
import type { ImageDetails, PushPosition } from '../store/image-store';
import { authorize, mayPerform, type ConsoleCaller } from './console-caller';
import { ConsoleError } from './console-error';

export interface ImageViewDependencies {
  images: ImageService;
  blobs: BlobService;
  documents: RegistryDocuments;
  addresses: RegistryAddresses;
  access: AccessPolicy;
}

/** Image configs are a few kilobytes; one past this is shown by size only, never read into memory. */
export const MAX_CONFIG_BYTES = 1024 * 1024;
/** How many findings one image view lists; the severity counts cover all of them. */
export const FINDING_LIMIT = 1000;

const IMAGE_CONFIG_TYPES = new Set(['application/vnd.docker.container.image.v1+json', 'application/vnd.oci.image.config.v1+json']);

/** `linux/arm64/v8` from an OCI platform object; undefined when there is none. */
function platformName(platform: unknown): string | undefined {
  if (platform === null || typeof platform !== 'object') return undefined;
  const { os, architecture, variant } = platform as Record<string, unknown>;
  const parts = [os, architecture, variant].filter((part): part is string => typeof part === 'string' && part !== '');
  return parts.length === 0 ? undefined : parts.join('/');
}

/** The raw JSON of a stored manifest: the core validated it when it was pushed. */
function manifestJson(manifest: Buffer): Record<string, unknown> {
  return JSON.parse(manifest.toString('utf8')) as Record<string, unknown>;
}

/** The platforms an index lists, in its order; empty for an image manifest. */
function indexPlatforms(image: ImageDetails): string[] {
  const manifests = manifestJson(image.manifest).manifests;
  if (!Array.isArray(manifests)) return [];
  return manifests.flatMap((child: unknown) => platformName((child as { platform?: unknown }).platform) ?? []);
}

function scanSummary(documents: RegistryDocuments, scope: Scope, repository: string, digest: string) {
  const scan = imageScanOf(documents, scope, repository, digest);
  return scan === undefined ? undefined : { completedAt: scan.completedAt.toISOString(), severityCounts: scan.findingSeverityCounts };
}

function imageRowView(dependencies: ImageViewDependencies, scope: Scope, repository: string, image: ImageDetails, mayReadFindings: boolean) {
  const isIndex = parseManifest(image.manifest, image.mediaType).kind === 'index';
  const scan = mayReadFindings ? scanSummary(dependencies.documents, scope, repository, image.digest) : undefined;
  return {
    digest: image.digest,
    tags: image.tags,
    sizeInBytes: image.sizeInBytes,
    pushedAt: image.pushedAt.toISOString(),
    ...(image.lastPulledAt !== undefined ? { lastPulledAt: image.lastPulledAt.toISOString() } : {}),
    mediaType: image.mediaType,
    ...(image.artifactType !== undefined ? { artifactType: image.artifactType } : {}),
    storageClass: image.storageClass,
    isIndex,
    ...(isIndex ? { platforms: indexPlatforms(image) } : {}),
    ...(image.subjectDigest !== undefined ? { subjectDigest: image.subjectDigest } : {}),
    ...(scan !== undefined ? { scan } : {}),
  };
}

/** The two orders a page of images comes in: by digest (DescribeImages' order), or newest push first. */
export type ImageOrder = 'digest' | 'pushedAt';

/** The `next` of a newest-first page: where it stopped, opaque to the client. */
function pushCursor(image: ImageDetails): string {
  return Buffer.from(JSON.stringify([image.pushedAt.getTime(), image.digest])).toString('base64url');
}

/** Throws ConsoleError 400 for a cursor this API did not give out. */
export function parsePushCursor(text: string): PushPosition {
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(text, 'base64url').toString('utf8'));
  } catch {
    parsed = undefined;
  }
  if (!Array.isArray(parsed) || parsed.length !== 2 || !Number.isSafeInteger(parsed[0]) || typeof parsed[1] !== 'string' || !/^sha256:[a-f0-9]{64}$/.test(parsed[1])) {
    throw new ConsoleError(400, 'after must be the next of a previous page of the same order');
  }
  return { pushedAt: new Date(parsed[0] as number), digest: parsed[1] };
}

/**
 * A page of the repository's images, by digest (after a digest) or newest first (after a cursor); both read with
 * indexes, so O(page) at any repository size.
 */
export function imagesView(
  dependencies: ImageViewDependencies,
  caller: ConsoleCaller,
  scope: Scope,
  repository: string,
  options: { limit: number; order: ImageOrder; after?: string; tagStatus?: 'TAGGED' | 'UNTAGGED' },
) {
  authorize(dependencies.access, caller, scope, 'ecr:DescribeImages', repository);
  const listing = { limit: options.limit, ...(options.tagStatus !== undefined ? { tagStatus: options.tagStatus } : {}) };
  const page =
    options.order === 'digest'
      ? dependencies.images.page(scope, repository, { ...listing, ...(options.after !== undefined ? { afterDigest: options.after } : {}) })
      : dependencies.images.newestFirst(scope, repository, { ...listing, ...(options.after !== undefined ? { before: parsePushCursor(options.after) } : {}) });
  const mayReadFindings = mayPerform(dependencies.access, caller, scope, 'ecr:DescribeImageScanFindings', repository);
  const images = page.images.map((image) => imageRowView(dependencies, scope, repository, image, mayReadFindings));
  if (!page.hasMore) return { sort: options.order, images };
  const last = page.images[page.images.length - 1]!;
  return { sort: options.order, images, next: options.order === 'digest' ? last.digest : pushCursor(last) };
}

async function readAll(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** The config blob's JSON when it is an image config this repository links and small enough; else undefined. */
async function imageConfig(dependencies: ImageViewDependencies, scope: Scope, repository: string, config: { digest: string; mediaType: string; sizeInBytes: number }) {
  if (!IMAGE_CONFIG_TYPES.has(config.mediaType) || config.sizeInBytes > MAX_CONFIG_BYTES) return undefined;
  let bytes: Buffer;
  try {
    bytes = await readAll(dependencies.blobs.read(dependencies.blobs.stat(scope, repository, config.digest)));
  } catch (error) {
    // A pull-through layer not fetched yet, or a blob unlinked since: the page shows the image without it.
    if (error instanceof DomainError && error.kind === 'BlobUnknown') return undefined;
    throw error;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
  if (parsed === null || typeof parsed !== 'object') return undefined;
  const document = parsed as Record<string, unknown>;
  const container = (document.config ?? {}) as Record<string, unknown>;
  const history = Array.isArray(document.history) ? (document.history as Record<string, unknown>[]) : [];
  return {
    platform: platformName(document) ?? null,
    created: typeof document.created === 'string' ? document.created : null,
    entrypoint: Array.isArray(container.Entrypoint) ? container.Entrypoint : null,
    cmd: Array.isArray(container.Cmd) ? container.Cmd : null,
    env: Array.isArray(container.Env) ? container.Env : [],
    workingDir: typeof container.WorkingDir === 'string' && container.WorkingDir !== '' ? container.WorkingDir : null,
    user: typeof container.User === 'string' && container.User !== '' ? container.User : null,
    labels: container.Labels !== null && typeof container.Labels === 'object' ? container.Labels : {},
    history: history.map((step) => ({
      created: typeof step.created === 'string' ? step.created : null,
      createdBy: typeof step.created_by === 'string' ? step.created_by : '',
      isEmptyLayer: step.empty_layer === true,
      ...(typeof step.comment === 'string' ? { comment: step.comment } : {}),
    })),
  };
}

function findingsView(dependencies: ImageViewDependencies, scope: Scope, repository: string, digest: string) {
  const scan = imageScanOf(dependencies.documents, scope, repository, digest);
  if (scan === undefined) return null;
  return {
    completedAt: scan.completedAt.toISOString(),
    vulnerabilitySourceUpdatedAt: scan.vulnerabilitySourceUpdatedAt.toISOString(),
    severityCounts: scan.findingSeverityCounts,
    totalCount: scan.findings.length,
    findings: scan.findings.slice(0, FINDING_LIMIT).map((finding) => ({
      name: finding.name ?? '',
      severity: finding.severity ?? 'UNDEFINED',
      ...(finding.uri !== undefined ? { uri: finding.uri } : {}),
      ...(finding.description !== undefined ? { description: finding.description } : {}),
      attributes: Object.fromEntries((finding.attributes ?? []).map(({ key, value }) => [key, value ?? ''])),
    })),
    ...(scan.enhancedFindings !== undefined ? { enhancedFindingCount: scan.enhancedFindings.length } : {}),
  };
}

/** The image's details. Throws DomainError RepositoryNotFound, and ImageNotFound when the repository has no such image. */
export function existingImage(images: ImageService, scope: Scope, repository: string, digest: string): ImageDetails {
  const image = images.details(scope, repository, digest);
  if (image === undefined) throw new DomainError('ImageNotFound', `The image with digest '${digest}' does not exist in the repository '${repository}'.`);
  return image;
}

/**
 * One image by digest. Throws DomainError RepositoryNotFound and ImageNotFound; ConsoleError 403 when the caller may
 * not BatchGetImage it. Findings are null when the image was never scanned, and hidden when the caller may not read them.
 */
export async function imageView(dependencies: ImageViewDependencies, caller: ConsoleCaller, scope: Scope, repository: string, digest: string) {
  authorize(dependencies.access, caller, scope, 'ecr:BatchGetImage', repository);
  const image = existingImage(dependencies.images, scope, repository, digest);
  const parsed = parseManifest(image.manifest, image.mediaType);
  const uri = dependencies.addresses.repositoryUri(scope, repository);
  const mayReadFindings = mayPerform(dependencies.access, caller, scope, 'ecr:DescribeImageScanFindings', repository);
  const base = {
    ...imageRowView(dependencies, scope, repository, image, mayReadFindings),
    repository,
    pullCommand: `docker pull ${uri}${image.tags[0] !== undefined ? `:${image.tags[0]}` : `@${image.digest}`}`,
    manifest: manifestJson(image.manifest),
    referrers: dependencies.images.referrers(scope, repository, image.digest).descriptors.map((descriptor) => ({
      digest: descriptor.digest,
      mediaType: descriptor.mediaType,
      ...(descriptor.artifactType !== undefined ? { artifactType: descriptor.artifactType } : {}),
      sizeInBytes: descriptor.sizeInBytes,
    })),
    findings: mayReadFindings ? findingsView(dependencies, scope, repository, image.digest) : { isHidden: true },
  };
  if (parsed.kind === 'index') {
    const children = (manifestJson(image.manifest).manifests as { platform?: unknown }[]).map((child, position) => {
      const descriptor = parsed.manifests[position]!;
      const platform = platformName(child.platform);
      const childImage = dependencies.images.details(scope, repository, descriptor.digest);
      return {
        digest: descriptor.digest,
        mediaType: descriptor.mediaType,
        /** The child manifest's own size, as the index lists it. */
        sizeInBytes: descriptor.sizeInBytes,
        ...(platform !== undefined ? { platform } : {}),
        isPresent: childImage !== undefined,
        ...(childImage !== undefined ? { imageSizeInBytes: childImage.sizeInBytes } : {}),
      };
    });
    return { ...base, kind: 'index' as const, children };
  }
  return {
    ...base,
    kind: 'image' as const,
    config: { digest: parsed.config.digest, mediaType: parsed.config.mediaType, sizeInBytes: parsed.config.sizeInBytes, ...((await imageConfig(dependencies, scope, repository, parsed.config)) ?? {}) },
    layers: parsed.layers.map((layer) => ({ digest: layer.digest, mediaType: layer.mediaType, sizeInBytes: layer.sizeInBytes, isForeign: isForeignLayer(layer) })),
  };
}
