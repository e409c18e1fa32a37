// GET /_emulator/health, on node's own request and response: what scripts and the Docker HEALTHCHECK poll while the
// emulator starts, answered before anything else is loaded. Never part of the AWS surface.
import type { IncomingMessage, ServerResponse } from 'node:http';

export interface HealthOptions {
  version: string;
  storeKind: string;
  startedAt: Date;
}

/** Answers a GET or HEAD of /_emulator/health (with or without a query) and returns true; false for anything else. */
export function healthRoute(options: HealthOptions): (request: IncomingMessage, response: ServerResponse) => boolean {
  return (request, response) => {
    const path = (request.url ?? '').split('?', 1)[0];
    if (path !== '/_emulator/health' || (request.method !== 'GET' && request.method !== 'HEAD')) return false;
    const body = JSON.stringify({
      status: 'ok',
      version: options.version,
      store: options.storeKind,
      uptimeSeconds: Math.round((Date.now() - options.startedAt.getTime()) / 1000),
    });
    response.writeHead(200, { 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(body) });
    response.end(request.method === 'HEAD' ? undefined : body);
    return true;
  };
}
