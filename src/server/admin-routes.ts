// The emulator's own endpoints: GET /_emulator/health and POST /_emulator/reset. Never part of the AWS surface.
import { Router } from 'express';

export function adminRoutes(options: { version: string; storeKind: string; startedAt: Date; reset: () => Promise<void> }): Router {
  const router = Router();
  router.get('/_emulator/health', (_request, response) => {
    response.json({
      status: 'ok',
      version: options.version,
      store: options.storeKind,
      uptimeSeconds: Math.round((Date.now() - options.startedAt.getTime()) / 1000),
    });
  });
  router.post('/_emulator/reset', async (_request, response) => {
    await options.reset();
    response.json({ status: 'reset' });
  });
  return router;
}
