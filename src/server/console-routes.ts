// The web console on the emulator's port: its page at /_emulator/console and its JSON API at /_emulator/api/,
// adapted to express here (src/console/ knows no HTTP framework). Mounted unless --no-console.
import express, { Router, type Request, type Response } from 'express';
import type { ConsoleApi } from '../console/console-api';
import type { ConsoleAsset } from '../console/console-assets';
import type { Logger } from './logger';

/** The page's scripts and styles come from this origin only; nothing inline, nothing from elsewhere. */
const CONTENT_SECURITY_POLICY = "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; connect-src 'self'; frame-ancestors 'none'";

/** Console API bodies are a few identifiers. */
const MAX_BODY = '16kb';

export interface ConsoleRouteOptions {
  api: ConsoleApi;
  assets: (relativePath: string) => ConsoleAsset | undefined;
  logger: Logger;
  /** The store's commit barrier: an action's answer waits until what it changed is on the disk. */
  durable: () => Promise<void> | undefined;
}

export function consoleRoutes(options: ConsoleRouteOptions): Router {
  const router = Router();
  router.get(/^\/_emulator\/console$/, (_request, response) => response.redirect(301, '/_emulator/console/'));
  router.get(/^\/_emulator\/console\/(.*)$/, (request: Request, response: Response) => {
    let asset: ConsoleAsset | undefined;
    try {
      asset = options.assets(decodeURIComponent(request.path.slice('/_emulator/console/'.length)));
    } catch (error) {
      // A broken install (the page's files missing): say so in words, not in the control plane's error shape.
      options.logger.log('error', 'console files unreadable', { error: String((error as Error).stack ?? error) });
      response.status(500).type('text/plain').send('The console files cannot be read; see the emulator log.');
      return;
    }
    if (asset === undefined) {
      response.status(404).type('text/plain').send('Not found');
      return;
    }
    response
      .status(200)
      .set({ 'Content-Type': asset.contentType, 'Cache-Control': 'no-cache', 'X-Content-Type-Options': 'nosniff', 'Content-Security-Policy': CONTENT_SECURITY_POLICY })
      .send(asset.body);
  });
  const parseJson = express.json({ limit: MAX_BODY, type: () => true });
  router.all(/^\/_emulator\/api(\/.*)?$/, (request: Request, response: Response, next: (error?: unknown) => void) => {
    // Only a JSON POST has its body read; the API answers anything else without one.
    const isJsonPost = request.method === 'POST' && typeof request.is('application/json') === 'string';
    if (isJsonPost) parseJson(request, response, (error?: unknown) => (error === undefined ? answer(request, response) : answerBodyError(response, error)));
    else answer(request, response);
    function answer(httpRequest: Request, httpResponse: Response): void {
      options.api
        .handle({
          method: httpRequest.method,
          path: httpRequest.path.slice('/_emulator/api'.length),
          query: httpRequest.query as Record<string, unknown>,
          body: httpRequest.method === 'POST' ? (httpRequest.body as unknown) : undefined,
          ...(httpRequest.headers['content-type'] !== undefined ? { contentType: httpRequest.headers['content-type'] } : {}),
          ...(httpRequest.headers.authorization !== undefined ? { authorization: httpRequest.headers.authorization } : {}),
          ...(httpRequest.socket.remoteAddress !== undefined ? { sourceIp: httpRequest.socket.remoteAddress.replace(/^::ffff:/, '') } : {}),
          isSecureTransport: httpRequest.protocol === 'https',
        })
        .then(async (result) => {
          await options.durable();
          httpResponse.status(result.status).set('Cache-Control', 'no-store').json(result.body);
        })
        .catch(next);
    }
  });
  return router;

  function answerBodyError(response: Response, error: unknown): void {
    const status = (error as { status?: number }).status ?? 400;
    const message = status === 413 ? `The body is larger than ${MAX_BODY}.` : 'The body is not valid JSON.';
    options.logger.log('debug', 'console API body refused', { error: String(error) });
    response.status(status === 413 ? 413 : 400).json({ message });
  }
}
