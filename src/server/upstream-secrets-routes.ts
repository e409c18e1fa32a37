// PUT and DELETE /_emulator/secrets/<url-encoded secret ARN>: the Secrets Manager secrets pull-through cache rules
// name, set or removed at run time. An emulator endpoint, never part of the AWS surface; the body is the secret
// value ECR reads, {"username": …, "accessToken": …}. Values are never echoed back.
import express, { Router, type Request, type Response } from 'express';
import { isCredentialArn, parseSecretValue, SecretValueError, type UpstreamSecrets } from '../automation/upstream-secrets';

// Secrets Manager caps a secret value at 65,536 bytes; a little more leaves room for the JSON around it.
const BODY_LIMIT = '80kb';

function arnOf(request: Request, response: Response): string | undefined {
  const arn = String(request.params.arn);
  if (isCredentialArn(arn)) return arn;
  response.status(400).json({ message: `'${arn}' is not a Secrets Manager ARN of a secret named ecr-pullthroughcache/…` });
  return undefined;
}

export function upstreamSecretsRoutes(options: { secrets: UpstreamSecrets }): Router {
  const router = Router();
  // Read as text and parsed here, so malformed JSON gets this route's 400 rather than the control plane's error shape.
  router.put('/_emulator/secrets/:arn', express.text({ type: () => true, limit: BODY_LIMIT }), (request: Request, response: Response) => {
    const arn = arnOf(request, response);
    if (arn === undefined) return;
    try {
      let value: unknown;
      try {
        value = JSON.parse(typeof request.body === 'string' ? request.body : '') as unknown;
      } catch {
        throw new SecretValueError('the body is not JSON');
      }
      options.secrets.put(arn, parseSecretValue(value));
      response.json({ arn });
    } catch (error) {
      if (!(error instanceof SecretValueError)) throw error;
      response.status(400).json({ message: `secret ${arn}: ${error.message}` });
    }
  });
  router.delete('/_emulator/secrets/:arn', (request: Request, response: Response) => {
    const arn = arnOf(request, response);
    if (arn === undefined) return;
    if (options.secrets.delete(arn)) response.json({ arn });
    else response.status(404).json({ message: `no secret ${arn}` });
  });
  return router;
}
