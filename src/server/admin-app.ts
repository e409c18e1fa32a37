// The emulator's own routes on express: admin (reset, lifecycle runs, scan findings, secrets, layer downloads, IAM
// decisions) and the console. Loaded by create-app.ts on the first request that needs one, not at start: express
// and its body parsers are half of what node loads for the emulator, and neither plane uses them.
import { randomUUID } from 'node:crypto';
import express, { type Express, type Request, type Response } from 'express';
import { AwsError, renderAwsError } from '../aws/aws-error';
import { createLayerDownloadUrls } from '../auth/layer-download-url';
import { createRegistryTokens } from '../auth/registry-token';
import { createConsoleApi } from '../console/console-api';
import { createConsoleAssets } from '../console/console-assets';
import type { Clock } from '../kernel/clock';
import { createRegistryAddresses } from '../kernel/registry-address';
import { runLifecyclePolicies } from '../lifecycle/lifecycle-runner';
import { adminRoutes } from './admin-routes';
import { consoleRoutes } from './console-routes';
import type { AppOptions, IdentityServices, ImageCore } from './create-app';
import { iamAdminRoutes } from './iam-admin-routes';
import { layerDownloadRoutes } from './layer-download-routes';
import { scanFindingsRoutes } from './scan-findings-routes';
import { upstreamSecretsRoutes } from './upstream-secrets-routes';

export function createAdminApp(options: AppOptions, core: ImageCore, identity: IdentityServices, clock: Clock): Express {
  const { logger } = options;
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.set('query parser', 'simple');

  app.use(layerDownloadRoutes({ urls: createLayerDownloadUrls(options.storage.tokenSecret), blobs: core.blobs, clock, logger }));
  app.use(scanFindingsRoutes({ documents: core.documents, durable: core.durable }));
  app.use(upstreamSecretsRoutes({ secrets: core.secrets }));
  const isConsoleEnabled = options.config.isConsoleEnabled;
  app.use(iamAdminRoutes({ decisions: identity.decisions, ...(isConsoleEnabled ? { alsoUnder: '/_emulator/api' } : {}) }));
  if (isConsoleEnabled) {
    const api = createConsoleApi({
      ...core,
      addresses: createRegistryAddresses({ advertisedHost: options.advertisedHost, scheme: options.scheme }),
      access: identity.access,
      tokens: createRegistryTokens(options.storage.tokenSecret),
      clock,
      iamMode: options.config.iamMode,
      defaults: { accountId: options.config.accountId, region: options.config.region },
    });
    app.use(consoleRoutes({ api, assets: createConsoleAssets(), logger, durable: core.durable }));
  }
  app.use(
    adminRoutes({
      reset:
        options.reset ??
        (async () => {
          await options.storage.reset();
          identity.afterReset();
          core.secrets.reset();
        }),
      runLifecyclePolicies: () => runLifecyclePolicies({ repositories: core.repositories, images: core.images, clock }),
      durable: core.durable,
    }),
  );

  // Body too large, malformed transfer: answer in the control plane's error shape rather than express's HTML.
  app.use((error: unknown, _request: Request, response: Response, _next: () => void) => {
    const requestId = randomUUID();
    const status = (error as { status?: number }).status ?? 500;
    const message = error instanceof Error ? error.message : String(error);
    const answer = renderAwsError(
      new AwsError(status === 413 ? 'InvalidParameterException' : status < 500 ? 'SerializationException' : 'ServerException', message),
      requestId,
    );
    if (status >= 500) logger.log('error', 'unhandled error', { requestId, error: String((error as Error).stack ?? error) });
    response.status(answer.statusCode).set(answer.headers).end(answer.body);
  });
  return app;
}
