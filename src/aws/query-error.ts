// An error as the AWS query protocol (IAM, STS) puts it on the wire: a `<Code>` from the models' exceptions (or one
// of the protocol's own), a message, and the status and fault side that belong to the code. Thrown by the query
// protocol layer and by handlers; renderQueryError is the one place that turns it into a response.
import type { IamErrorCode } from './iam-types.generated';
import { iamModel, stsModel, type QueryServiceModel } from './model';
import { lazy } from '../kernel/lazy';
import type { StsErrorCode } from './sts-types.generated';
import { escapeXml } from './xml-text';

/** Errors of the protocol and of authentication, which no service model lists, with the status AWS gives each. */
const QUERY_PROTOCOL_ERRORS = {
  InvalidClientTokenId: 403,
  SignatureDoesNotMatch: 403,
  IncompleteSignature: 400,
  MissingAuthenticationToken: 403,
  ExpiredToken: 403,
  AccessDenied: 403,
  InvalidAction: 400,
  ValidationError: 400,
  MissingParameter: 400,
  InvalidParameterValue: 400,
  // AWS answers a query string it cannot parse with 404, not 400.
  MalformedQueryString: 404,
  InternalFailure: 500,
  OptInRequired: 403,
} as const satisfies Record<string, number>;

export type QueryProtocolErrorCode = keyof typeof QUERY_PROTOCOL_ERRORS;
export type QueryErrorCode = IamErrorCode | StsErrorCode | QueryProtocolErrorCode;

interface ErrorSide {
  statusCode: number;
  isSenderFault: boolean;
}

/**
 * Every model exception by its wire code. A shape without `error` is named on the wire by its shape name, with
 * botocore's defaults (400, the sender's fault). IAM and STS share codes (MalformedPolicyDocument) with one status.
 */
function modelErrors(models: QueryServiceModel[]): Map<string, ErrorSide> {
  const errors = new Map<string, ErrorSide>();
  for (const model of models) {
    for (const [name, shape] of Object.entries(model.shapes)) {
      if (shape.exception !== true) continue;
      const error = shape.error;
      errors.set(error?.code ?? name, { statusCode: error?.httpStatusCode ?? 400, isSenderFault: error === undefined || error.senderFault === true });
    }
  }
  return errors;
}

/** Read from the models on the first error answered, not at import (the models load on first use). */
const modelErrorSides = lazy(() => modelErrors([iamModel, stsModel]));

function sideOf(code: QueryErrorCode): ErrorSide {
  if (Object.hasOwn(QUERY_PROTOCOL_ERRORS, code)) {
    const statusCode: number = QUERY_PROTOCOL_ERRORS[code as QueryProtocolErrorCode];
    return { statusCode, isSenderFault: statusCode < 500 };
  }
  const side = modelErrorSides().get(code);
  if (side === undefined) throw new Error(`no status for the query error code ${code}`);
  return side;
}

export class QueryError extends Error {
  readonly statusCode: number;
  /** `<Type>Sender</Type>` when true, `Receiver` when the service is at fault. */
  readonly senderFault: boolean;

  constructor(
    readonly code: QueryErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'QueryError';
    const side = sideOf(code);
    this.statusCode = side.statusCode;
    this.senderFault = side.isSenderFault;
  }
}

export const XML_CONTENT_TYPE = 'text/xml';

export interface QueryErrorResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * The wire form of an error, as IAM and STS send it: `<ErrorResponse>` in the service's namespace, with the
 * request id both in the body and in `x-amzn-RequestId`. SDKs map `<Code>` to their exception classes. Header
 * names are lower case, as in renderAwsError: the SDK reads `x-amzn-requestid` from the headers it is handed,
 * which only Node's HTTP parser lower-cases, not an in-process request handler.
 */
export function renderQueryError(error: QueryError, requestId: string, xmlNamespace: string): QueryErrorResponse {
  const body =
    `<ErrorResponse xmlns="${escapeXml(xmlNamespace)}"><Error><Type>${error.senderFault ? 'Sender' : 'Receiver'}</Type>` +
    `<Code>${error.code}</Code><Message>${escapeXml(error.message)}</Message></Error>` +
    `<RequestId>${escapeXml(requestId)}</RequestId></ErrorResponse>`;
  return { statusCode: error.statusCode, headers: { 'content-type': XML_CONTENT_TYPE, 'x-amzn-requestid': requestId }, body };
}
