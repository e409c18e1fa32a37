// The control plane as a function of a request: target, body and Authorization in; status, headers and JSON out.
// Used by the HTTP server and by the in-process SDK mock alike, so both answer identically.
import { v4 as uuidv4 } from 'uuid';
import { AwsError, JSON_CONTENT_TYPE, renderAwsError } from '../aws/aws-error';
import { accountRoot, decideAccess } from '../auth/access';
import { callerIdentity } from '../aws/identity';
import type { InputValidator } from '../aws/input-validator';
import { deserializeInput, operationFromTarget, parseRequestBody, serializeOutput } from '../aws/json-protocol';
import { invalidRegionMessage, isKnownRegion } from '../aws/regions';
import { DomainError } from '../images/domain-error';
import type { EcrContext, EcrServices } from './ecr-context';
import { awsErrorFromDomain } from './ecr-errors';
import { handlerFor } from './operations';
import { requestTarget } from './request-target';

export interface EcrRequest {
  target: string | undefined;
  body: Buffer | string | undefined;
  authorization: string | undefined;
}

export interface EcrResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
  /** The operation, when the target named one: for the request log. */
  operation?: string;
  /** The input's `repositoryName`, when it has one: for the request log. */
  repository?: string;
  /** A fault that is not a modelled error, for the log. */
  fault?: unknown;
}

export interface EcrEndpoint {
  handle(request: EcrRequest): Promise<EcrResponse>;
}

function errorResponse(error: AwsError, requestId: string, { operation, repository }: { operation?: string; repository?: string }, fault?: unknown): EcrResponse {
  return {
    ...renderAwsError(error, requestId),
    ...(operation !== undefined ? { operation } : {}),
    ...(repository !== undefined ? { repository } : {}),
    ...(fault !== undefined ? { fault } : {}),
  };
}

export function createEcrEndpoint(options: {
  services: EcrServices;
  validator: InputValidator;
  defaults: { accountId: string; region: string };
}): EcrEndpoint {
  return {
    async handle(request) {
      const requestId = uuidv4();
      let operation: string | undefined;
      let repository: string | undefined;
      try {
        operation = operationFromTarget(request.target);
        // Who is calling is settled before the input is read, as AWS authenticates before it validates.
        const identity = callerIdentity(request.authorization, options.defaults);
        if (!isKnownRegion(identity.region)) throw new AwsError('InvalidSignatureException', invalidRegionMessage(identity.region));
        const input = parseRequestBody(request.body);
        if (typeof input.repositoryName === 'string') repository = input.repositoryName;
        options.validator.validate(operation, input);
        const handler = handlerFor(operation);
        if (handler === undefined) {
          throw new AwsError('UnsupportedOperationException', `The operation ${operation} is not implemented by the ECR emulator yet.`);
        }
        const caller = { accountId: identity.accountId, region: identity.region };
        const access = decideAccess({ principal: accountRoot(identity.accountId), action: `ecr:${operation}`, resource: requestTarget(input, caller) });
        if (!access.isAllowed) throw new AwsError('AccessDeniedException', access.message);
        const context: EcrContext = { scope: caller, services: options.services };
        const output = await handler(deserializeInput(operation, input) as never, context);
        return {
          statusCode: 200,
          headers: { 'content-type': JSON_CONTENT_TYPE, 'x-amzn-requestid': requestId },
          body: JSON.stringify(serializeOutput(operation, output)),
          operation,
          ...(repository !== undefined ? { repository } : {}),
        };
      } catch (error) {
        const logged = { operation, repository };
        if (error instanceof AwsError) return errorResponse(error, requestId, logged);
        if (error instanceof DomainError) return errorResponse(awsErrorFromDomain(error), requestId, logged);
        return errorResponse(new AwsError('ServerException', `Internal error (request ${requestId})`), requestId, logged, error);
      }
    },
  };
}
