// An error as the AWS JSON 1.1 protocol puts it on the wire: a `__type` from the model's exceptions (or one of the
// protocol's own), a message, and the status that belongs to the type. Thrown by the protocol layer and by handlers;
// renderAwsError is the one place that turns it into a response.
import type { EcrExceptionName } from './ecr-types.generated';
import { ecrModel } from './model';

/** Errors of the protocol and of authentication, which no service model lists, with the status AWS gives each. */
const PROTOCOL_ERRORS = {
  UnknownOperationException: 400,
  SerializationException: 400,
  AccessDeniedException: 400,
  InvalidSignatureException: 400,
  UnrecognizedClientException: 400,
  ExpiredTokenException: 400,
  MissingAuthenticationTokenException: 400,
  IncompleteSignatureException: 400,
  // The emulator's answer for a model operation it does not serve.
  UnsupportedOperationException: 400,
} as const satisfies Record<string, number>;

export type AwsErrorType = EcrExceptionName | keyof typeof PROTOCOL_ERRORS;

/** A model exception's status comes from its `fault` flag: 500 for server faults, 400 for the caller's errors. */
function statusOf(type: AwsErrorType): number {
  if (Object.hasOwn(PROTOCOL_ERRORS, type)) return PROTOCOL_ERRORS[type as keyof typeof PROTOCOL_ERRORS];
  return ecrModel.shapes[type]?.fault === true ? 500 : 400;
}

export class AwsError extends Error {
  readonly statusCode: number;

  constructor(
    readonly type: AwsErrorType,
    message: string,
  ) {
    super(message);
    this.name = 'AwsError';
    this.statusCode = statusOf(type);
  }
}

/** `InvalidParameterException` worded as ECR words constraint failures. */
export function invalidParameter(message: string): AwsError {
  return new AwsError('InvalidParameterException', message);
}

export const JSON_CONTENT_TYPE = 'application/x-amz-json-1.1';

export interface AwsErrorResponse {
  statusCode: number;
  headers: Record<string, string>;
  body: string;
}

/** The wire form of an error: status, `x-amzn-ErrorType`, `x-amzn-RequestId`, and `{"__type", "message"}`. */
export function renderAwsError(error: AwsError, requestId: string): AwsErrorResponse {
  return {
    statusCode: error.statusCode,
    headers: { 'content-type': JSON_CONTENT_TYPE, 'x-amzn-requestid': requestId, 'x-amzn-errortype': error.type },
    body: JSON.stringify({ __type: error.type, message: error.message }),
  };
}
