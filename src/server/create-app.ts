// The composition root: builds services from storage and configuration and mounts both planes and the admin
// routes on one express app. The only module that constructs stores and services.
import express, { type Express, type Request, type Response } from 'express';
import { v4 as uuidv4 } from 'uuid';
import { callerIdentity } from '../aws/identity';
import { createInputValidator } from '../aws/input-validator';
import { isStsQuery, stsResponse } from '../aws/sts-caller-identity';
import { createRegistryTokens } from '../auth/registry-token';
import type { EmulatorConfig } from '../config';
import { createEcrEndpoint } from '../ecr/ecr-endpoint';
import type { EcrServices } from '../ecr/ecr-context';
import { systemClock, type Clock } from '../images/clock';
import { createRegistryAddresses } from '../images/registry-address';
import { packageVersion } from '../version';
import { adminRoutes } from './admin-routes';
import type { Logger } from './logger';
import type { Storage } from './storage';

export interface AppOptions {
  config: EmulatorConfig;
  storage: Storage;
  logger: Logger;
  /** host:port the registry is reached at; known only once the server listens. */
  advertisedHost: () => string;
  scheme: () => 'http' | 'https';
  clock?: Clock;
}

// UploadLayerPart carries up to 20 MiB base64-encoded in JSON.
const CONTROL_PLANE_BODY_LIMIT = '32mb';

export function createEcrServices(options: AppOptions): EcrServices {
  return {
    repositories: options.storage.repositories,
    documents: options.storage.documents,
    tokens: createRegistryTokens(options.storage.tokenSecret),
    addresses: createRegistryAddresses({ advertisedHost: options.advertisedHost, scheme: options.scheme }),
    clock: options.clock ?? systemClock,
    tokenTtlSeconds: options.config.tokenTtlSeconds,
  };
}

export function createApp(options: AppOptions): Express {
  const { config, logger } = options;
  const services = createEcrServices(options);
  const defaults = { accountId: config.accountId, region: config.region };
  const ecr = createEcrEndpoint({ services, validator: createInputValidator(), defaults });

  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');
  app.set('query parser', 'simple');

  app.use(adminRoutes({ version: packageVersion, storeKind: options.storage.kind, startedAt: new Date(), reset: () => options.storage.reset() }));

  app.post('/', express.raw({ type: () => true, limit: CONTROL_PLANE_BODY_LIMIT }), async (request: Request, response: Response) => {
    const started = process.hrtime.bigint();
    const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    const authorization = request.header('authorization');
    if (isStsQuery(request.header('content-type'), body.toString())) {
      const requestId = uuidv4();
      const answer = stsResponse(body.toString(), callerIdentity(authorization, defaults), requestId);
      response.status(answer.statusCode).type('text/xml').set('x-amzn-requestid', requestId).send(answer.body);
      return;
    }
    const answer = await ecr.handle({ target: request.header('x-amz-target'), body, authorization });
    if (answer.fault !== undefined) logger.log('error', 'control-plane fault', { operation: answer.operation, error: String((answer.fault as Error).stack ?? answer.fault) });
    // end(), not send(): express would add `; charset=utf-8` to the content type, which AWS never sends.
    response.status(answer.statusCode).set(answer.headers).end(answer.body);
    logger.log('info', `POST / ${answer.operation ?? '-'}`, {
      status: answer.statusCode,
      error: answer.headers['x-amzn-errortype'],
      ms: Number((process.hrtime.bigint() - started) / 1000000n),
    });
  });

  // Body too large, malformed transfer: answer in the control plane's error shape rather than express's HTML.
  app.use((error: unknown, _request: Request, response: Response, _next: () => void) => {
    const status = (error as { status?: number }).status ?? 500;
    const type = status === 413 ? 'InvalidParameterException' : status < 500 ? 'SerializationException' : 'ServerException';
    if (status >= 500) logger.log('error', 'unhandled error', { error: String((error as Error).stack ?? error) });
    response.status(status === 413 ? 400 : status).set({ 'x-amzn-errortype': type }).type('application/x-amz-json-1.1').send(JSON.stringify({ __type: type, message: (error as Error).message }));
  });
  return app;
}
