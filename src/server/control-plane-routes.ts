// The control plane's HTTP door at `/`: ECR's JSON (an X-Amz-Target header) or IAM's and STS's query protocol (a
// form body, or a GET with `Action=` as presigned STS URLs are), each answered by its endpoint and logged with
// the principal it resolved. Knows the request's shape only, never a service's rules.
import express, { type Request, type Response, type Router } from 'express';
import type { SignedRequest } from '../auth/authentication';
import type { Principal } from '../auth/principal';
import type { EcrEndpoint } from '../ecr/ecr-endpoint';
import type { IamEndpoint } from '../iam/iam-endpoint';
import type { Logger } from './logger';

// UploadLayerPart carries up to 20 MiB base64-encoded in JSON.
const CONTROL_PLANE_BODY_LIMIT = '32mb';

function elapsedMs(started: bigint): number {
  return Number((process.hrtime.bigint() - started) / 1_000_000n);
}

function signedRequestOf(request: Request, body: Buffer): SignedRequest {
  const sourceIp = request.socket.remoteAddress?.replace(/^::ffff:/, '');
  return { method: request.method, url: request.originalUrl, headers: request.headers, body, isSecureTransport: request.secure, ...(sourceIp !== undefined ? { sourceIp } : {}) };
}

/** A query-protocol request: a form body without an X-Amz-Target (the SDKs send one for JSON services only). */
function isQueryRequest(request: Request): boolean {
  if (request.header('x-amz-target') !== undefined) return false;
  return (request.header('content-type') ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');
}

/** Whether a request is for the control plane's one path, `/` (ECR and IAM POSTs, presigned STS GETs). */
export function isControlPlanePath(url: string | undefined): boolean {
  return url === '/' || (url !== undefined && url.startsWith('/?'));
}

export function controlPlaneRoutes(options: { ecr: EcrEndpoint; iam: IamEndpoint; logger: Logger }): Router {
  const { ecr, iam, logger } = options;
  const router = express.Router();

  function logRequest(method: string, answer: { statusCode: number; operation?: string; principal?: Principal; fault?: unknown }, requestId: string, started: bigint, extra: { repository?: string; error?: string }) {
    if (answer.fault !== undefined) logger.log('error', 'control-plane fault', { operation: answer.operation, requestId, error: answer.fault });
    logger.request({
      method,
      path: '/',
      operation: answer.operation,
      ...extra,
      principal: answer.principal?.arn,
      status: answer.statusCode,
      durationMs: elapsedMs(started),
      requestId,
    });
  }

  async function answerQuery(request: Request, response: Response, body: Buffer, started: bigint) {
    const answer = await iam.handle(signedRequestOf(request, body), { isSecureTransport: request.secure });
    const requestId = answer.headers['x-amzn-requestid']!;
    response.status(answer.statusCode).set(answer.headers).end(answer.body);
    logRequest(request.method, answer, requestId, started, { ...(answer.errorCode !== undefined ? { error: answer.errorCode } : {}) });
  }

  router.post('/', express.raw({ type: () => true, limit: CONTROL_PLANE_BODY_LIMIT }), async (request: Request, response: Response) => {
    const started = process.hrtime.bigint();
    const body = Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
    if (isQueryRequest(request)) return answerQuery(request, response, body, started);
    const answer = await ecr.handle(signedRequestOf(request, body));
    const requestId = answer.headers['x-amzn-requestid']!;
    // end(), not send(): express would add `; charset=utf-8` to the content type, which AWS never sends.
    response.status(answer.statusCode).set(answer.headers).end(answer.body);
    logRequest('POST', answer, requestId, started, { repository: answer.repository, error: answer.headers['x-amzn-errortype'] });
  });

  // Presigned STS URLs (`GET /?Action=GetCallerIdentity&X-Amz-Signature=…`), as `aws eks get-token` and its kin make.
  router.get('/', async (request: Request, response: Response, next: () => void) => {
    if (!/[?&]Action=/.test(request.originalUrl)) return next();
    return answerQuery(request, response, Buffer.alloc(0), process.hrtime.bigint());
  });
  return router;
}
