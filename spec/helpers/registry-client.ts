// A small fetch-based client of the emulator's data plane for integration tests: a token from
// GetAuthorizationToken, authenticated requests, and blob and manifest pushes in the shapes real clients use.
import { createHash } from 'node:crypto';
import http from 'node:http';
import { GetAuthorizationTokenCommand, type ECRClient } from '@aws-sdk/client-ecr';

export const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
export const DOCKER_MANIFEST_LIST = 'application/vnd.docker.distribution.manifest.list.v2+json';
export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const DOCKER_CONFIG = 'application/vnd.docker.container.image.v1+json';
export const DOCKER_LAYER = 'application/vnd.docker.image.rootfs.diff.tar.gzip';

export function sha256(bytes: Buffer | string): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/** `Basic base64("AWS:" + token)`: the authorizationToken as GetAuthorizationToken returns it. */
export async function basicAuthorization(client: ECRClient): Promise<string> {
  const { authorizationData } = await client.send(new GetAuthorizationTokenCommand({}));
  return `Basic ${authorizationData![0]!.authorizationToken!}`;
}

export interface RegistryClient {
  fetch(path: string, init?: RequestInit & { headers?: Record<string, string> }): Promise<Response>;
  /** Monolithic push: POST ?digest= with the bytes. Returns the digest. */
  pushBlob(repository: string, bytes: Buffer | string): Promise<string>;
  /** Pushes a config and layers, then a Docker schema 2 manifest referencing them under `reference`. */
  pushImage(repository: string, reference: string, options?: { layers?: string[]; mediaType?: string }): Promise<{ digest: string; manifest: string }>;
  putManifest(repository: string, reference: string, manifest: string | Buffer, mediaType: string): Promise<Response>;
}

export function registryClient(endpoint: string, authorization: string): RegistryClient {
  const client: RegistryClient = {
    fetch: (path, init = {}) => fetch(`${endpoint}${path}`, { ...init, headers: { authorization, ...(init.headers ?? {}) } }),
    async pushBlob(repository, bytes) {
      const digest = sha256(bytes);
      const response = await client.fetch(`/v2/${repository}/blobs/uploads/?digest=${digest}`, { method: 'POST', body: bytes });
      if (response.status !== 201) throw new Error(`blob push failed: ${response.status} ${await response.text()}`);
      return digest;
    },
    async pushImage(repository, reference, options = {}) {
      const config = JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] } });
      const layers = options.layers ?? ['layer one'];
      const configDigest = await client.pushBlob(repository, config);
      const layerDescriptors = [];
      for (const layer of layers) layerDescriptors.push({ mediaType: DOCKER_LAYER, digest: await client.pushBlob(repository, layer), size: Buffer.byteLength(layer) });
      const mediaType = options.mediaType ?? DOCKER_MANIFEST;
      const manifest = JSON.stringify({
        schemaVersion: 2,
        mediaType,
        config: { mediaType: DOCKER_CONFIG, digest: configDigest, size: Buffer.byteLength(config) },
        layers: layerDescriptors,
      });
      const response = await client.putManifest(repository, reference, manifest, mediaType);
      if (response.status !== 201) throw new Error(`manifest push failed: ${response.status} ${await response.text()}`);
      return { digest: sha256(manifest), manifest };
    },
    putManifest: (repository, reference, manifest, mediaType) =>
      client.fetch(`/v2/${repository}/manifests/${reference}`, { method: 'PUT', body: manifest, headers: { 'content-type': mediaType } }),
  };
  return client;
}

/** The parsed `{"errors":[...]}` body of a data-plane error. */
export async function errorsOf(response: Response): Promise<{ code: string; message: string; detail?: unknown }[]> {
  return ((await response.json()) as { errors: { code: string; message: string }[] }).errors;
}

/** A data-plane GET with a Host header of the caller's choosing (fetch will not set Host; node's http does). */
export function getWithHost(endpoint: string, path: string, host: string, authorization: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = http.get(`${endpoint}${path}`, { headers: { authorization, host } }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.on('error', reject);
  });
}
