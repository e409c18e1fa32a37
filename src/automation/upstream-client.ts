// A client of an upstream registry over the OCI distribution API: manifests (size-capped, digest-checked) and blobs
// (streamed), with the token dance Docker Hub, GHCR and Quay use and Basic where asked. It stores nothing; what it
// fetched is the pull-through cache's to verify and keep.
import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { sha256Of, type Sha256Digest } from '../kernel/digest';
import { MAX_MANIFEST_BYTES } from '../images/manifest';
import { MANIFEST_MEDIA_TYPES } from '../images/media-types';

/** Where an upstream registry is reached and who to sign in as. */
export interface UpstreamTarget {
  /** Scheme, host and port: `https://quay.io`, or `http://127.0.0.1:5001` for one `--upstream` points at. */
  baseUrl: string;
  credentials?: UpstreamCredentials;
}

export interface UpstreamCredentials {
  username: string;
  password: string;
}

export interface UpstreamManifest {
  digest: Sha256Digest;
  mediaType: string;
  bytes: Buffer;
}

export interface UpstreamBlob {
  sizeInBytes: number | undefined;
  body: Readable;
}

/** Why an upstream did not give what was asked: absent, refused sign-in, unreachable, or an answer that is no manifest. */
export type UpstreamFailure = 'NotFound' | 'Unauthorized' | 'Unreachable' | 'Invalid';

export class UpstreamError extends Error {
  constructor(
    readonly failure: UpstreamFailure,
    message: string,
  ) {
    super(message);
    this.name = 'UpstreamError';
  }
}

export interface UpstreamClient {
  /** GET /v2/: proves the upstream answers and the credentials sign in. Throws UpstreamError. */
  checkAccess(target: UpstreamTarget, repository: string): Promise<void>;
  /**
   * The manifest `reference` names, at most MAX_MANIFEST_BYTES, its digest computed from the bytes and checked
   * against a digest reference and the upstream's Docker-Content-Digest. Throws UpstreamError.
   */
  getManifest(target: UpstreamTarget, repository: string, reference: string): Promise<UpstreamManifest>;
  /** The blob's bytes as a stream; the caller verifies the digest while storing them. Throws UpstreamError. */
  getBlob(target: UpstreamTarget, repository: string, digest: string): Promise<UpstreamBlob>;
}

export interface UpstreamClientOptions {
  fetch?: typeof fetch;
  /** How long to wait for an upstream's response headers (not for a blob's body to finish). Default 30 s. */
  timeoutMs?: number;
}

// The media types a pull asks for, index types included, as docker and containerd ask (docker/distribution
// manifest negotiation); an upstream answers a schema-1-only registry's types never.
const ACCEPT = MANIFEST_MEDIA_TYPES.join(', ');
const DEFAULT_TIMEOUT_MS = 30_000;

/** The parameters of a `WWW-Authenticate` challenge: `Bearer realm="…",service="…",scope="…"`. */
export function parseChallenge(header: string): { scheme: string; parameters: Record<string, string> } {
  const [scheme = '', ...rest] = header.trim().split(/\s+/);
  const parameters: Record<string, string> = {};
  for (const match of rest.join(' ').matchAll(/([A-Za-z_]+)="([^"]*)"/g)) parameters[match[1]!.toLowerCase()] = match[2]!;
  return { scheme: scheme.toLowerCase(), parameters };
}

function basic(credentials: UpstreamCredentials): string {
  return `Basic ${Buffer.from(`${credentials.username}:${credentials.password}`).toString('base64')}`;
}

/** Reads at most `limit` bytes of a body; more is Invalid, the rest is not read. */
async function readCapped(body: WebReadableStream<Uint8Array> | null, limit: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let total = 0;
  if (body === null) return Buffer.alloc(0);
  for await (const chunk of body) {
    total += chunk.length;
    if (total > limit) throw new UpstreamError('Invalid', `the upstream manifest is larger than ${limit} bytes`);
    chunks.push(Buffer.from(chunk));
  }
  return Buffer.concat(chunks);
}

export function createUpstreamClient(options: UpstreamClientOptions = {}): UpstreamClient {
  const fetchFn = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  // The Authorization that last worked per upstream, repository and credentials (a changed secret must sign in
  // anew, never ride on what the old one earned): a 401 replaces it.
  const authorizations = new Map<string, string>();

  async function send(url: string, headers: Record<string, string>): Promise<Response> {
    // The timer covers the wait for headers only: a large blob may take longer to stream than any sane timeout.
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      return await fetchFn(url, { headers, signal: controller.signal, redirect: 'follow' });
    } catch (error) {
      throw new UpstreamError('Unreachable', `the upstream registry at ${new URL(url).origin} did not answer: ${(error as Error).message}`);
    } finally {
      clearTimeout(timer);
    }
  }

  /** The Authorization a challenge asks for: Basic with the credentials, or a Bearer token from the realm. */
  async function answerChallenge(target: UpstreamTarget, challenge: string): Promise<string> {
    const { scheme, parameters } = parseChallenge(challenge);
    if (scheme === 'basic') {
      if (target.credentials === undefined) throw new UpstreamError('Unauthorized', 'the upstream registry requires credentials and the rule has none');
      return basic(target.credentials);
    }
    if (scheme !== 'bearer' || parameters.realm === undefined) throw new UpstreamError('Unauthorized', `the upstream registry's challenge '${challenge}' is not one this client answers`);
    const realm = new URL(parameters.realm);
    if (parameters.service !== undefined) realm.searchParams.set('service', parameters.service);
    if (parameters.scope !== undefined) realm.searchParams.set('scope', parameters.scope);
    const response = await send(realm.toString(), target.credentials === undefined ? {} : { authorization: basic(target.credentials) });
    if (!response.ok) throw new UpstreamError('Unauthorized', `the upstream registry's token service refused the sign-in (${response.status})`);
    const body = JSON.parse((await readCapped(response.body as WebReadableStream<Uint8Array> | null, 64 * 1024)).toString('utf8')) as { token?: unknown; access_token?: unknown };
    // Docker's token spec: `token`, with `access_token` as the OAuth 2 spelling of the same.
    const token = typeof body.token === 'string' ? body.token : typeof body.access_token === 'string' ? body.access_token : undefined;
    if (token === undefined) throw new UpstreamError('Unauthorized', "the upstream registry's token service answered no token");
    return `Bearer ${token}`;
  }

  /** GET with the remembered Authorization; on a 401, answers the challenge once and retries. */
  async function get(target: UpstreamTarget, repository: string, path: string, headers: Record<string, string> = {}): Promise<Response> {
    const key = `${target.baseUrl} ${repository} ${target.credentials === undefined ? '' : sha256Of(Buffer.from(basic(target.credentials)))}`;
    const url = `${target.baseUrl.replace(/\/$/, '')}${path}`;
    const remembered = authorizations.get(key);
    let response = await send(url, { ...headers, ...(remembered !== undefined ? { authorization: remembered } : {}) });
    if (response.status !== 401) return response;
    await response.body?.cancel();
    const authorization = await answerChallenge(target, response.headers.get('www-authenticate') ?? '');
    response = await send(url, { ...headers, authorization });
    if (response.status === 401 || response.status === 403) {
      await response.body?.cancel();
      throw new UpstreamError('Unauthorized', 'the authentication to the upstream registry failed');
    }
    authorizations.set(key, authorization);
    return response;
  }

  async function failureOf(response: Response, what: string): Promise<UpstreamError> {
    await response.body?.cancel();
    if (response.status === 404) return new UpstreamError('NotFound', `${what} not found in the upstream registry`);
    if (response.status === 403) return new UpstreamError('Unauthorized', 'the upstream registry refused access');
    return new UpstreamError('Unreachable', `the upstream registry answered ${response.status} for ${what}`);
  }

  return {
    async checkAccess(target, repository) {
      const response = await get(target, repository, '/v2/');
      if (!response.ok) throw await failureOf(response, 'the API base');
      await response.body?.cancel();
    },

    async getManifest(target, repository, reference) {
      const response = await get(target, repository, `/v2/${repository}/manifests/${reference}`, { accept: ACCEPT });
      if (!response.ok) throw await failureOf(response, `manifest ${repository}:${reference}`);
      const bytes = await readCapped(response.body as WebReadableStream<Uint8Array> | null, MAX_MANIFEST_BYTES);
      const digest = sha256Of(bytes);
      const announced = response.headers.get('docker-content-digest');
      if ((reference.includes(':') && reference !== digest) || (announced !== null && announced.startsWith('sha256:') && announced !== digest)) {
        throw new UpstreamError('Invalid', `the upstream manifest's bytes hash to ${digest}, not to the digest asked for or announced`);
      }
      const mediaType = (response.headers.get('content-type') ?? '').split(';')[0]!.trim();
      return { digest, mediaType, bytes };
    },

    async getBlob(target, repository, digest) {
      const response = await get(target, repository, `/v2/${repository}/blobs/${digest}`);
      if (!response.ok) throw await failureOf(response, `blob ${digest}`);
      const length = response.headers.get('content-length');
      const body = response.body === null ? Readable.from([]) : Readable.fromWeb(response.body as WebReadableStream<Uint8Array>);
      return { sizeInBytes: length === null ? undefined : Number(length), body };
    },
  };
}
