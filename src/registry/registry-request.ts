// What a data-plane handler receives and how it answers: the authenticated scope, route parameters, and small
// writers for node's ServerResponse. Handlers never see express.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { RegistryTokens } from '../auth/registry-token';
import type { AccountSettings } from '../images/account-settings';
import type { BlobService } from '../images/blob-service';
import type { Clock } from '../kernel/clock';
import type { ImageService } from '../images/image-service';
import type { UploadService } from '../images/upload-service';
import type { RepositoryService } from '../images/repository-service';
import type { Scope } from '../kernel/scope';
import type { AccessPolicy } from '../auth/access';
import type { Principal } from '../auth/principal';
import type { RegistryDocuments } from '../images/registry-documents';
import type { PullThroughCache } from '../automation/pull-through-cache';

export interface RegistryServices {
  images: ImageService;
  /** Registry documents: pull-time update exclusions. */
  documents: RegistryDocuments;
  /** Who may do what: the router asks before each route, handlers for what a route also touches (a mount's source). */
  access: AccessPolicy;
  blobs: BlobService;
  uploads: UploadService;
  accountSettings: AccountSettings;
  repositories: RepositoryService;
  /** Fills a repository a pull-through cache rule covers from its upstream before a manifest pull is served. */
  pullThroughCache: PullThroughCache;
  tokens: RegistryTokens;
  clock: Clock;
  /** The store's commit barrier: an answer that reports a write waits until it is on the disk. */
  durable: () => Promise<void> | undefined;
}

export interface RouteParams {
  name: string;
  reference: string;
  digest: string;
  uploadId: string;
}

export interface RegistryRequest {
  raw: IncomingMessage;
  isHead: boolean;
  scope: Scope;
  /** Who is calling, from the registry token. */
  principal: Principal;
  /** Asks for a second permission a route needs (pull rights on a mount's source); throws DENIED. */
  requireAccess(action: string, repository: string): void;
  params: Partial<RouteParams>;
  query: URLSearchParams;
  services: RegistryServices;
}

export type RegistryHandler = (request: RegistryRequest, response: ServerResponse) => Promise<void>;

export function header(request: RegistryRequest, name: string): string | undefined {
  const value = request.raw.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** Route parameters the route's pattern guarantees. */
export function param(request: RegistryRequest, key: keyof RouteParams): string {
  const value = request.params[key];
  if (value === undefined) throw new Error(`route has no '${key}' parameter`);
  return value;
}

/** Answers with headers and an optional small body; HEAD answers carry the length but no body. */
export function reply(response: ServerResponse, status: number, headers: Record<string, string | number>, body?: Buffer | string): void {
  const bytes = body === undefined ? undefined : typeof body === 'string' ? Buffer.from(body) : body;
  response.writeHead(status, { ...headers, 'Content-Length': headers['Content-Length'] ?? bytes?.length ?? 0 });
  response.end(bytes);
}

/** `reply` for an answer that reports a write (a blob linked, a manifest stored or deleted): once it is on the disk. */
export async function replyStored(request: RegistryRequest, response: ServerResponse, status: number, headers: Record<string, string | number>): Promise<void> {
  const flushing = request.services.durable();
  if (flushing !== undefined) await flushing;
  reply(response, status, headers);
}

export function replyJson(response: ServerResponse, status: number, value: unknown, headers: Record<string, string> = {}): void {
  reply(response, status, { 'Content-Type': 'application/json', ...headers }, JSON.stringify(value));
}

export function repositoryPath(name: string): string {
  return `/v2/${name}`;
}
