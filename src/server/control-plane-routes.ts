// The control plane's HTTP door at `/`: ECR's JSON (an X-Amz-Target header) or IAM's and STS's query protocol (a
// form body, or a GET with `Action=` as presigned STS URLs are), each answered by its endpoint and logged with
// the principal it resolved. Knows the request's shape only, never a service's rules. Served on node's own request
// and response, before express: a profile of CreateRepository put express's router and body parser at a tenth of
// the server's CPU per call, for a request whose whole body is read into memory anyway.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import { gunzipSync, inflateSync } from 'node:zlib';
import { randomUUID } from 'node:crypto';
import { AwsError, renderAwsError } from '../aws/aws-error';
import type { SignedRequest } from '../auth/authentication';
import type { Principal } from '../auth/principal';
import type { EcrEndpoint } from '../ecr/ecr-endpoint';
import type { IamEndpoint } from '../iam/iam-endpoint';
import { readBodyUpTo } from '../kernel/read-body';
import type { Logger } from './logger';

/** UploadLayerPart carries up to 20 MiB base64-encoded in JSON. */
const CONTROL_PLANE_BODY_LIMIT = 32 * 1024 * 1024;

function elapsedMs(started: bigint): number {
  return Number((process.hrtime.bigint() - started) / 1_000_000n);
}

function isSecure(request: IncomingMessage): boolean {
  return (request.socket as TLSSocket).encrypted === true;
}

function signedRequestOf(request: IncomingMessage, body: Buffer): SignedRequest {
  const sourceIp = request.socket.remoteAddress?.replace(/^::ffff:/, '');
  return { method: request.method ?? 'GET', url: request.url ?? '/', headers: request.headers, body, isSecureTransport: isSecure(request), ...(sourceIp !== undefined ? { sourceIp } : {}) };
}

/** A query-protocol request: a form body without an X-Amz-Target (the SDKs send one for JSON services only). */
function isQueryRequest(request: IncomingMessage): boolean {
  if (request.headers['x-amz-target'] !== undefined) return false;
  return (request.headers['content-type'] ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');
}

/** Whether a request is for the control plane's one path, `/` (ECR and IAM POSTs, presigned STS GETs). */
export function isControlPlanePath(url: string | undefined): boolean {
  return url === '/' || (url !== undefined && url.startsWith('/?'));
}

/** The body as sent, decoded when it came compressed (no AWS SDK compresses these, but HTTP allows it). */
function decoded(request: IncomingMessage, body: Buffer): Buffer {
  const encoding = (request.headers['content-encoding'] ?? 'identity').toLowerCase().trim();
  const options = { maxOutputLength: CONTROL_PLANE_BODY_LIMIT };
  try {
    if (encoding === 'identity') return body;
    if (encoding === 'gzip' || encoding === 'x-gzip') return gunzipSync(body, options);
    if (encoding === 'deflate') return inflateSync(body, options);
  } catch {
    throw new AwsError('SerializationException', `The request body is not valid ${encoding} data, or inflates past ${CONTROL_PLANE_BODY_LIMIT} bytes.`);
  }
  throw new AwsError('SerializationException', `Content-Encoding ${encoding} is not supported.`);
}

export type ControlPlaneHandler = (request: IncomingMessage, response: ServerResponse, next: () => void) => void;

/**
 * Writes an answer with its Content-Length, as AWS answers. Headers written before the body would otherwise make
 * node send it chunked: three more pieces per answer, and a framing no AWS endpoint uses.
 */
function sendAnswer(response: ServerResponse, answer: { statusCode: number; headers: Record<string, string>; body: string }): void {
  response.writeHead(answer.statusCode, { ...answer.headers, 'content-length': Buffer.byteLength(answer.body) }).end(answer.body);
}

export function controlPlaneRoutes(options: { ecr: EcrEndpoint; iam: IamEndpoint; logger: Logger }): ControlPlaneHandler {
  const { ecr, iam, logger } = options;

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

  async function answerQuery(request: IncomingMessage, response: ServerResponse, body: Buffer, started: bigint) {
    const answer = await iam.handle(signedRequestOf(request, body), { isSecureTransport: isSecure(request) });
    const requestId = answer.headers['x-amzn-requestid']!;
    sendAnswer(response, answer);
    logRequest(request.method ?? 'GET', answer, requestId, started, { ...(answer.errorCode !== undefined ? { error: answer.errorCode } : {}) });
  }

  async function answerPost(request: IncomingMessage, response: ServerResponse, started: bigint) {
    let body: Buffer;
    try {
      body = decoded(request, await readBodyUpTo(request, CONTROL_PLANE_BODY_LIMIT, () => new AwsError('InvalidParameterException', 'request entity too large')));
    } catch (error) {
      // The client went away mid-body: there is nobody to answer.
      if (!(error instanceof AwsError)) return;
      const answer = renderAwsError(error, randomUUID());
      sendAnswer(response, answer);
      logRequest('POST', { statusCode: answer.statusCode }, answer.headers['x-amzn-requestid'], started, { error: error.type });
      return;
    }
    if (isQueryRequest(request)) return answerQuery(request, response, body, started);
    const answer = await ecr.handle(signedRequestOf(request, body));
    const requestId = answer.headers['x-amzn-requestid']!;
    sendAnswer(response, answer);
    logRequest('POST', answer, requestId, started, { repository: answer.repository, error: answer.headers['x-amzn-errortype'] });
  }

  return (request, response, next) => {
    const started = process.hrtime.bigint();
    const failed = (error: unknown) => {
      logger.log('error', 'unhandled control-plane error', { error: String((error as Error).stack ?? error) });
      if (!response.headersSent) sendAnswer(response, { statusCode: 500, headers: { 'content-type': 'application/x-amz-json-1.1' }, body: JSON.stringify({ __type: 'ServerException', message: 'Internal error' }) });
    };
    if (request.method === 'POST') {
      answerPost(request, response, started).catch(failed);
      return;
    }
    // Presigned STS URLs (`GET /?Action=GetCallerIdentity&X-Amz-Signature=…`), as `aws eks get-token` and its kin make.
    if (request.method === 'GET' && /[?&]Action=/.test(request.url ?? '')) {
      answerQuery(request, response, Buffer.alloc(0), started).catch(failed);
      return;
    }
    next();
  };
}
