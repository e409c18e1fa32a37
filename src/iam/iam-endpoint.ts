// IAM and STS as functions of a request (AWS query protocol): the request as it arrived in, status, headers and
// XML out. The service is the credential scope's (`iam`, `sts`), or for an unsigned request the model that has the
// action. Authentication comes first, then the action, the input and the handler, as AWS orders its answers.
import { AuthenticationError, type AuthenticationFailure, type Authenticator, type Caller, type SignedRequest } from '../auth/authentication';
import type { Principal } from '../auth/principal';
import type { AccessPolicy } from '../auth/access';
import { findOperationIn, iamModel, stsModel, type QueryServiceModel } from '../aws/model';
import { createQueryInputValidator, deserializeQueryInput, QueryError, readQueryRequest, renderQueryError, serializeQueryResult, type QueryErrorCode } from '../aws/query-protocol';
import type { Clock } from '../kernel/clock';
import type { IamDirectory } from './iam-directory';
import { iamHandlerFor } from './iam-operations';
import type { Sessions } from './sessions';
import { stsHandlerFor, type StsContext } from './sts-handlers';
import { randomUUID } from 'node:crypto';

export interface QueryResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
  /** `iam:CreateUser`, `sts:AssumeRole`: for the request log. */
  operation?: string;
  principal?: Principal;
  /** The error code the answer carries, for the log. */
  errorCode?: string;
  /** A fault that is not a modelled error, for the log. */
  fault?: unknown;
}

export interface IamEndpoint {
  handle(request: SignedRequest, options: { isSecureTransport: boolean }): Promise<QueryResponse>;
}

/** The query protocol's code for each way authentication fails, as IAM and STS answer them. */
const AUTHENTICATION_ERRORS: Record<AuthenticationFailure, QueryErrorCode> = {
  'unknown-key': 'InvalidClientTokenId',
  'inactive-key': 'InvalidClientTokenId',
  'expired-token': 'ExpiredToken',
  'signature-mismatch': 'SignatureDoesNotMatch',
  'signature-expired': 'SignatureDoesNotMatch',
  'malformed-signature': 'IncompleteSignature',
  'invalid-region': 'SignatureDoesNotMatch',
};

type Service = 'iam' | 'sts';
const MODELS: Record<Service, QueryServiceModel> = { iam: iamModel, sts: stsModel };

function serviceOf(caller: Caller, action: string | undefined): Service {
  if (caller.service === 'iam' || caller.service === 'sts') return caller.service;
  return action !== undefined && findOperationIn(stsModel, action) !== undefined ? 'sts' : 'iam';
}

/** `/?Action=…` → `?Action=…`; a URL without a query has none. */
function queryStringOf(url: string): string {
  const start = url.indexOf('?');
  return start < 0 ? '' : url.slice(start);
}

export function createIamEndpoint(options: {
  authenticator: Authenticator;
  directory: IamDirectory;
  sessions: Sessions;
  clock: Clock;
  access: AccessPolicy;
  /** The store's commit barrier: an answer waits until what its request wrote is on the disk. */
  durable?: () => Promise<void> | undefined;
}): IamEndpoint {
  const validators = { iam: createQueryInputValidator(iamModel), sts: createQueryInputValidator(stsModel) };

  async function authenticate(request: SignedRequest): Promise<Caller> {
    try {
      return await options.authenticator.authenticate(request);
    } catch (error) {
      if (error instanceof AuthenticationError) throw new QueryError(AUTHENTICATION_ERRORS[error.failure], error.message);
      throw error;
    }
  }

  return {
    async handle(request, { isSecureTransport }) {
      const requestId = randomUUID();
      const { action, params } = readQueryRequest(request.method === 'GET' ? queryStringOf(request.url) : request.body);
      let service: Service = action !== undefined && findOperationIn(stsModel, action) !== undefined ? 'sts' : 'iam';
      let principal: Principal | undefined;
      const logged = () => ({ ...(action !== undefined ? { operation: `${service}:${action}` } : {}), ...(principal !== undefined ? { principal } : {}) });
      try {
        const caller = await authenticate(request);
        principal = caller.principal;
        service = serviceOf(caller, action);
        const model = MODELS[service];
        if (action === undefined || findOperationIn(model, action) === undefined) {
          throw new QueryError('InvalidAction', `Could not find operation ${action ?? ''} for version ${model.metadata.apiVersion}`);
        }
        const input = deserializeQueryInput(model, action, params);
        validators[service].validate(action, input);
        const context = { principal, directory: options.directory, sessions: options.sessions, clock: options.clock, isSecureTransport, region: caller.region, access: options.access };
        const output = await invoke(service, action, input, context);
        // A write is reported only once it is on the disk; a flush the disk refused is a fault, not a success.
        const flushing = options.durable?.();
        if (flushing !== undefined) await flushing;
        return { statusCode: 200, headers: { 'content-type': 'text/xml', 'x-amzn-requestid': requestId }, body: serializeQueryResult(model, action, output, requestId), ...logged() };
      } catch (error) {
        const namespace = MODELS[service].metadata.xmlNamespace;
        const failure = error instanceof QueryError ? error : new QueryError('InternalFailure', `Internal error (request ${requestId})`);
        return { ...renderQueryError(failure, requestId, namespace), ...logged(), errorCode: failure.code, ...(error instanceof QueryError ? {} : { fault: error }) };
      }
    },
  };
}

/** What every IAM and STS handler may read: STS's context is the wider of the two. */
type HandlerContext = StsContext;

async function invoke(service: Service, action: string, input: Record<string, unknown>, context: HandlerContext): Promise<unknown> {
  const handler = service === 'sts' ? stsHandlerFor(action) : iamHandlerFor(action);
  if (handler === undefined) {
    throw new QueryError('InvalidAction', `The ${service.toUpperCase()} operation ${action} is not served by the ECR emulator.`);
  }
  return (handler as (input: unknown, context: HandlerContext) => unknown)(input, context);
}
