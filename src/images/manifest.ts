// Manifest parsing: JSON and schema checks for Docker schema 2 manifests and lists, OCI manifests, indexes and
// artifacts. Pure: knows nothing of stores; which referenced blobs exist is the image service's question.
import { isDigest } from '../kernel/digest';
import { DomainError } from './domain-error';
import { MediaType, MANIFEST_MEDIA_TYPES } from './media-types';

/** OCI distribution spec: registries may limit manifest size; 4 MiB is what ECR and distribution accept. */
export const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;

export interface Descriptor {
  mediaType: string;
  digest: string;
  sizeInBytes: number;
  urls?: string[];
  artifactType?: string;
  annotations?: Record<string, string>;
}

interface ManifestCommon {
  mediaType: string;
  subject?: Descriptor;
  /** artifactType, else the config's media type (OCI: what the referrers API reports). */
  artifactType?: string;
  annotations?: Record<string, string>;
}

export type ParsedManifest =
  | (ManifestCommon & { kind: 'image'; config: Descriptor; layers: Descriptor[] })
  | (ManifestCommon & { kind: 'index'; manifests: Descriptor[] });

// Layers a registry must not require: distributed from their `urls` (Docker foreign, OCI non-distributable).
const FOREIGN_LAYER = /^application\/vnd\.(docker\.image\.rootfs\.foreign\.diff\.tar\.gzip|oci\.image\.layer\.nondistributable\.v1\.tar.*)$/;

export function isForeignLayer(descriptor: Descriptor): boolean {
  return FOREIGN_LAYER.test(descriptor.mediaType) && (descriptor.urls?.length ?? 0) > 0;
}

function invalid(message: string): DomainError {
  return new DomainError('ManifestInvalid', `manifest invalid: ${message}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalString(object: Record<string, unknown>, key: string, where: string): string | undefined {
  const value = object[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw invalid(`${where}.${key} must be a string`);
  return value;
}

function annotationsOf(object: Record<string, unknown>, where: string): Record<string, string> | undefined {
  const value = object.annotations;
  if (value === undefined || value === null) return undefined;
  if (!isRecord(value) || Object.values(value).some((entry) => typeof entry !== 'string')) {
    throw invalid(`${where}.annotations must map strings to strings`);
  }
  return value as Record<string, string>;
}

function descriptor(value: unknown, where: string, isMediaTypeRequired = true): Descriptor {
  if (!isRecord(value)) throw invalid(`${where} must be a descriptor object`);
  const mediaType = optionalString(value, 'mediaType', where);
  if (mediaType === undefined && isMediaTypeRequired) throw invalid(`${where}.mediaType is required`);
  if (typeof value.digest !== 'string' || !isDigest(value.digest)) throw invalid(`${where}.digest is not a valid digest`);
  const size = value.size;
  if (typeof size !== 'number' || !Number.isSafeInteger(size) || size < 0) throw invalid(`${where}.size must be a non-negative integer`);
  const urls = value.urls;
  if (urls !== undefined && (!Array.isArray(urls) || urls.some((url) => typeof url !== 'string'))) throw invalid(`${where}.urls must be strings`);
  const artifactType = optionalString(value, 'artifactType', where);
  const annotations = annotationsOf(value, where);
  return {
    mediaType: mediaType ?? MediaType.octetStream,
    digest: value.digest,
    sizeInBytes: size,
    ...(urls !== undefined ? { urls: urls as string[] } : {}),
    ...(artifactType !== undefined ? { artifactType } : {}),
    ...(annotations !== undefined ? { annotations } : {}),
  };
}

function descriptors(value: unknown, where: string): Descriptor[] {
  if (!Array.isArray(value)) throw invalid(`${where} must be an array`);
  return value.map((entry, index) => descriptor(entry, `${where}[${index}]`));
}

/** The body's own mediaType, else the Content-Type, else inferred from its shape (OCI makes mediaType optional). */
function resolveMediaType(document: Record<string, unknown>, declared: string | undefined): string {
  const own = optionalString(document, 'mediaType', 'manifest');
  if (own !== undefined && declared !== undefined && MANIFEST_MEDIA_TYPES.includes(declared) && own !== declared) {
    throw invalid(`mediaType '${own}' does not match Content-Type '${declared}'`);
  }
  const mediaType = own ?? (declared !== undefined && MANIFEST_MEDIA_TYPES.includes(declared) ? declared : undefined);
  if (mediaType !== undefined) {
    if (!MANIFEST_MEDIA_TYPES.includes(mediaType)) {
      throw new DomainError('UnsupportedMediaType', `manifest invalid: unsupported manifest media type '${mediaType}'`);
    }
    return mediaType;
  }
  if (Array.isArray(document.manifests)) return MediaType.ociIndex;
  if (isRecord(document.config)) return MediaType.ociManifest;
  throw invalid('cannot tell the manifest type: no mediaType, config or manifests');
}

/**
 * Parses manifest bytes. `declaredMediaType` is the request's Content-Type, if any. Throws DomainError
 * ManifestTooLarge, ManifestInvalid (not JSON, not schema 2, malformed descriptors) or UnsupportedMediaType.
 */
export function parseManifest(bytes: Uint8Array, declaredMediaType?: string): ParsedManifest {
  if (bytes.length > MAX_MANIFEST_BYTES) {
    throw new DomainError('ManifestTooLarge', `manifest too large: ${bytes.length} bytes exceeds the limit of ${MAX_MANIFEST_BYTES}`);
  }
  let document: unknown;
  try {
    document = JSON.parse(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
  } catch {
    throw invalid('not valid JSON');
  }
  if (!isRecord(document)) throw invalid('not a JSON object');
  if (document.schemaVersion !== 2) throw invalid('schemaVersion must be 2');
  const mediaType = resolveMediaType(document, declaredMediaType?.split(';')[0]?.trim());
  const subject = document.subject === undefined ? undefined : descriptor(document.subject, 'subject');
  const ownArtifactType = optionalString(document, 'artifactType', 'manifest');
  const annotations = annotationsOf(document, 'manifest');
  const common = {
    mediaType,
    ...(subject !== undefined ? { subject } : {}),
    ...(annotations !== undefined ? { annotations } : {}),
  };
  if (mediaType === MediaType.ociIndex || mediaType === MediaType.dockerManifestList) {
    return { ...common, kind: 'index', manifests: descriptors(document.manifests, 'manifests'), ...(ownArtifactType !== undefined ? { artifactType: ownArtifactType } : {}) };
  }
  const config = descriptor(document.config, 'config');
  const artifactType = ownArtifactType ?? config.mediaType;
  return { ...common, kind: 'image', config, layers: descriptors(document.layers, 'layers'), artifactType };
}
