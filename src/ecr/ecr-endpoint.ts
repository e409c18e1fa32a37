// The control plane as a function of a request: the request as it arrived in (X-Amz-Target, body, signature);
// status, headers and JSON out. Used by the HTTP server and by the in-process SDK mock alike, so both answer identically.
import { randomUUID } from 'node:crypto';
import { AwsError, JSON_CONTENT_TYPE, renderAwsError, type AwsErrorType } from '../aws/aws-error';
import type { AccessPolicy } from '../auth/access';
import { AuthenticationError, type AuthenticationFailure, type Authenticator, type Caller, type SignedRequest } from '../auth/authentication';
import type { Principal } from '../auth/principal';
import type { ConditionContext } from '../auth/policy-conditions';
import type { InputValidator } from '../aws/input-validator';
import { deserializeInput, operationFromTarget, parseRequestBody, serializeOutput } from '../aws/json-protocol';
import { ecrModel } from '../aws/model';
import { DomainError } from '../images/domain-error';
import type { EcrContext, EcrServices } from './ecr-context';
import { awsErrorFromDomain } from './ecr-errors';
import { handlerFor } from './operations';
import { requestTargets } from './request-target';

export type EcrRequest = SignedRequest;

export interface EcrResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
  /** The operation, when the target named one: for the request log. */
  operation?: string;
  /** The input's `repositoryName`, when it has one: for the request log. */
  repository?: string;
  /** Who called, once known: for the request log. */
  principal?: Principal;
  /** A fault that is not a modelled error, for the log. */
  fault?: unknown;
}

export interface EcrEndpoint {
  handle(request: EcrRequest): Promise<EcrResponse>;
}

/** The service name ECR's credentials are scoped to (the model's signingName). */
const SIGNING_NAME = ecrModel.metadata.signingName ?? ecrModel.metadata.endpointPrefix;

/** The JSON protocol's error for each way authentication fails, as AWS's JSON services answer them. */
const AUTHENTICATION_ERRORS: Record<AuthenticationFailure, AwsErrorType> = {
  'unknown-key': 'UnrecognizedClientException',
  'inactive-key': 'UnrecognizedClientException',
  'expired-token': 'ExpiredTokenException',
  'signature-mismatch': 'InvalidSignatureException',
  'signature-expired': 'InvalidSignatureException',
  'malformed-signature': 'IncompleteSignatureException',
  'invalid-region': 'InvalidSignatureException',
};

interface Logged {
  operation?: string;
  repository?: string;
  principal?: Principal;
}

function errorResponse(error: AwsError, requestId: string, { operation, repository, principal }: Logged, fault?: unknown): EcrResponse {
  return {
    ...renderAwsError(error, requestId),
    ...(operation !== undefined ? { operation } : {}),
    ...(repository !== undefined ? { repository } : {}),
    ...(principal !== undefined ? { principal } : {}),
    ...(fault !== undefined ? { fault } : {}),
  };
}

/** DescribeRepositories without names lists what the caller may describe, as ECR does, rather than refusing. */
function listsRepositoriesItMayDescribe(operation: string, input: Record<string, unknown>): boolean {
  return operation === 'DescribeRepositories' && input.repositoryNames === undefined;
}

/** The condition keys of the request itself: where it came from, and the tags it sets or removes. */
function requestContext(request: SignedRequest, input: Record<string, unknown>): ConditionContext {
  const context: Record<string, string[]> = { 'aws:SecureTransport': [String(request.isSecureTransport === true)] };
  if (request.sourceIp !== undefined) context['aws:SourceIp'] = [request.sourceIp];
  const tags = Array.isArray(input.tags) ? (input.tags as { Key?: unknown; Value?: unknown }[]) : [];
  for (const tag of tags) if (typeof tag.Key === 'string' && typeof tag.Value === 'string') context[`aws:RequestTag/${tag.Key}`] = [tag.Value];
  const tagKeys = [...tags.flatMap((tag) => (typeof tag.Key === 'string' ? [tag.Key] : [])), ...(Array.isArray(input.tagKeys) ? input.tagKeys.filter((key): key is string => typeof key === 'string') : [])];
  if (tagKeys.length > 0) context['aws:TagKeys'] = tagKeys;
  return context;
}

function headerOf(request: SignedRequest, name: string): string | undefined {
  const value = request.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

async function authenticate(authenticator: Authenticator, request: SignedRequest): Promise<Caller> {
  try {
    return await authenticator.authenticate(request);
  } catch (error) {
    if (error instanceof AuthenticationError) throw new AwsError(AUTHENTICATION_ERRORS[error.failure], error.message);
    throw error;
  }
}

export function createEcrEndpoint(options: {
  services: EcrServices;
  validator: InputValidator;
  authenticator: Authenticator;
  access: AccessPolicy;
  /** The store's commit barrier: an answer waits until what its request wrote is on the disk. */
  durable?: () => Promise<void> | undefined;
}): EcrEndpoint {
  return {
    async handle(request) {
      const requestId = randomUUID();
      let operation: string | undefined;
      let repository: string | undefined;
      let caller: Caller | undefined;
      try {
        operation = operationFromTarget(headerOf(request, 'x-amz-target'));
        // Who is calling is settled before the input is read, as AWS authenticates before it validates.
        caller = await authenticate(options.authenticator, request);
        // A credential scoped to another service (`iam`, `sts`) is refused before the input is read, as AWS does.
        if (caller.service !== undefined && caller.service !== SIGNING_NAME) {
          throw new AwsError('InvalidSignatureException', `Credential should be scoped to correct service: '${SIGNING_NAME}'. `);
        }
        const input = parseRequestBody(request.body);
        if (typeof input.repositoryName === 'string') repository = input.repositoryName;
        options.validator.validate(operation, input);
        const handler = handlerFor(operation);
        if (handler === undefined) {
          throw new AwsError('UnsupportedOperationException', `The operation ${operation} is not implemented by the ECR emulator yet.`);
        }
        const scope = { accountId: caller.principal.accountId, region: caller.region };
        const conditionKeys = requestContext(request, input);
        // A listing of every repository asks per repository instead: it shows only what the caller may describe.
        if (!listsRepositoriesItMayDescribe(operation, input)) {
          for (const resource of requestTargets(input, scope)) {
            const access = options.access.decide({ principal: caller.principal, action: `ecr:${operation}`, resource, context: conditionKeys });
            if (!access.isAllowed) throw new AwsError('AccessDeniedException', access.message);
          }
        }
        const context: EcrContext = { scope, principal: caller.principal, services: options.services, access: options.access, requestContext: conditionKeys };
        const output = await handler(deserializeInput(operation, input) as never, context);
        // A write is reported only once it is on the disk; a flush the disk refused is a fault, not a success.
        const flushing = options.durable?.();
        if (flushing !== undefined) await flushing;
        return {
          statusCode: 200,
          headers: { 'content-type': JSON_CONTENT_TYPE, 'x-amzn-requestid': requestId },
          body: JSON.stringify(serializeOutput(operation, output)),
          operation,
          ...(repository !== undefined ? { repository } : {}),
          principal: caller.principal,
        };
      } catch (error) {
        const logged: Logged = { operation, repository, ...(caller !== undefined ? { principal: caller.principal } : {}) };
        if (error instanceof AwsError) return errorResponse(error, requestId, logged);
        if (error instanceof DomainError) return errorResponse(awsErrorFromDomain(error), requestId, logged);
        return errorResponse(new AwsError('ServerException', `Internal error (request ${requestId})`), requestId, logged, error);
      }
    },
  };
}
