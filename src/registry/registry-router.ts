// The data plane's HTTP entry on plain node req/res (no body parsers: blobs stream): matches the route table,
// authenticates, sets the common header, renders errors in the OCI shape and logs one line per request.
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DomainError } from '../images/domain-error';
import { authenticate, registryScope, requireAccess } from './registry-auth';
import { errorBody, OciError, ociErrorFor, statusOf } from './oci-errors';
import type { RegistryServices, RouteParams } from './registry-request';
import { REGISTRY_ROUTES, type RegistryRoute } from './routes';

/** The slice of the server's logger the data plane writes to. */
export interface RegistryLogger {
  log(level: 'debug' | 'info' | 'warn' | 'error', message: string, fields?: Record<string, unknown>): void;
  request(entry: { method: string; path?: string; repository?: string; principal?: string; status: number; durationMs: number; requestId?: string; error?: string }): void;
}

export interface RegistryRouterOptions {
  services: RegistryServices;
  scheme: () => 'http' | 'https';
  logger: RegistryLogger;
}

export type RegistryRouter = (request: IncomingMessage, response: ServerResponse) => Promise<void>;

/** Whether a request URL belongs to the data plane. */
export function isRegistryPath(url: string | undefined): boolean {
  return url !== undefined && (url === '/v2' || url.startsWith('/v2/') || url.startsWith('/v2?'));
}

// The status a request gets in the log when the client went away before its answer (nginx's convention).
const CLIENT_CLOSED = 499;

interface Match {
  route: RegistryRoute;
  params: Partial<RouteParams>;
}

function decodeParams(groups: Record<string, string> | undefined): Partial<RouteParams> {
  const params: Partial<RouteParams> = {};
  for (const [key, value] of Object.entries(groups ?? {})) {
    try {
      params[key as keyof RouteParams] = decodeURIComponent(value);
    } catch {
      params[key as keyof RouteParams] = value;
    }
  }
  return params;
}

/** The route for the path and method; throws NOT_FOUND (no such path) or UNSUPPORTED (405, with Allow). */
function matchRoute(path: string, method: string): Match {
  const allowed: string[] = [];
  for (const route of REGISTRY_ROUTES) {
    const found = route.path.exec(path);
    if (found === null) continue;
    if (route.method === method) return { route, params: decodeParams(found.groups) };
    allowed.push(route.method === 'GET' ? 'GET, HEAD' : route.method);
  }
  if (allowed.length === 0) throw new OciError('NOT_FOUND', `no route for ${path}`);
  throw new OciError('UNSUPPORTED', `The operation is unsupported: ${method} is not allowed on ${path}`, undefined, { Allow: allowed.join(', ') });
}

function isClientGone(request: IncomingMessage, error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  return (request.destroyed && !request.complete) || code === 'ECONNRESET' || code === 'ERR_STREAM_PREMATURE_CLOSE' || code === 'EPIPE';
}

export function createRegistryRouter(options: RegistryRouterOptions): RegistryRouter {
  const { services, logger } = options;

  /** Answers an error; returns the status and code for the log. */
  function render(request: IncomingMessage, response: ServerResponse, error: unknown, requestId: string): { status: number; code: string } {
    if (response.headersSent || isClientGone(request, error)) {
      if (!isClientGone(request, error)) logger.log('error', 'registry response failed', { requestId, error: String((error as Error).stack ?? error) });
      response.destroy();
      return { status: isClientGone(request, error) ? CLIENT_CLOSED : 500, code: 'ABORTED' };
    }
    let oci: OciError;
    if (error instanceof OciError) oci = error;
    else if (error instanceof DomainError) oci = ociErrorFor(error);
    else {
      logger.log('error', 'registry request failed', { requestId, error: String((error as Error).stack ?? error) });
      oci = new OciError('UNKNOWN', `internal error, request id ${requestId}`);
    }
    const status = statusOf(oci.code);
    const body = Buffer.from(errorBody(oci));
    // OCI distribution spec: HEAD responses carry headers only.
    response.writeHead(status, { ...oci.headers, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': body.length });
    response.end(request.method === 'HEAD' ? undefined : body);
    return { status, code: oci.code };
  }

  return async (request, response) => {
    const started = process.hrtime.bigint();
    const requestId = randomUUID();
    response.setHeader('Docker-Distribution-API-Version', 'registry/2.0');
    const url = new URL(request.url ?? '/', 'http://registry.invalid');
    const path = url.pathname === '/v2' ? '/v2/' : url.pathname;
    const method = request.method === 'HEAD' ? 'GET' : (request.method ?? 'GET');
    let repository: string | undefined;
    let principal: string | undefined;
    let errorCode: string | undefined;
    let status: number;
    try {
      const { route, params } = matchRoute(path, method);
      repository = params.name;
      const caller = authenticate(services.tokens, {
        authorization: request.headers.authorization,
        host: request.headers.host,
        scheme: options.scheme(),
        now: services.clock.now(),
      });
      principal = caller.principal.arn;
      const action = request.method === 'HEAD' ? (route.headAction ?? route.action) : route.action;
      const scope = registryScope(caller, request.headers.host);
      const origin = { isSecureTransport: options.scheme() === 'https', ...(request.socket.remoteAddress !== undefined ? { sourceIp: request.socket.remoteAddress.replace(/^::ffff:/, '') } : {}) };
      if (action !== undefined) requireAccess(services.access, caller, scope, action, repository, origin);
      const alsoRequire = (also: string, otherRepository: string) => requireAccess(services.access, caller, scope, also, otherRepository, origin);
      await route.handler({ raw: request, isHead: request.method === 'HEAD', scope, principal: caller.principal, requireAccess: alsoRequire, params, query: url.searchParams, services }, response);
      status = response.statusCode;
    } catch (error) {
      ({ status, code: errorCode } = render(request, response, error, requestId));
    }
    const durationMs = Number((process.hrtime.bigint() - started) / 1_000_000n);
    logger.request({ method: request.method ?? 'GET', path, repository, principal, status, durationMs, requestId, error: errorCode });
  };
}
