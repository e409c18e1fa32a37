// The manifest media types the registry stores and the one type a blob defaults to.

export const MediaType = {
  dockerManifest: 'application/vnd.docker.distribution.manifest.v2+json',
  dockerManifestList: 'application/vnd.docker.distribution.manifest.list.v2+json',
  ociManifest: 'application/vnd.oci.image.manifest.v1+json',
  ociIndex: 'application/vnd.oci.image.index.v1+json',
  octetStream: 'application/octet-stream',
} as const;

export const MANIFEST_MEDIA_TYPES: readonly string[] = [MediaType.dockerManifest, MediaType.dockerManifestList, MediaType.ociManifest, MediaType.ociIndex];

export function isIndexMediaType(mediaType: string): boolean {
  return mediaType === MediaType.dockerManifestList || mediaType === MediaType.ociIndex;
}
