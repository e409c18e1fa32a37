// An error as the AWS JSON 1.1 protocol puts it on the wire: a `__type` and a message, with its HTTP status.
// Thrown by the protocol layer and by control-plane handlers; the server renders it, nothing else knows HTTP.

export class AwsError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly statusCode: number = 400,
  ) {
    super(message);
    this.name = 'AwsError';
  }
}

/** `InvalidParameterException` worded as ECR words constraint failures. */
export function invalidParameter(message: string): AwsError {
  return new AwsError('InvalidParameterException', message);
}
