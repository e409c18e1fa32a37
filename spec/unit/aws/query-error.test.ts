// QueryError: the status and fault side belong to the code (the IAM and STS models' `error`, or the protocol's own
// table), never the call site; renderQueryError writes the <ErrorResponse> the SDKs map to their exception classes.
import { IAMClient, GetUserCommand, NoSuchEntityException, ServiceFailureException } from '@aws-sdk/client-iam';
import { STSClient, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { iamModel, stsModel } from '../../../src/aws/model';
import { QueryError, renderQueryError, type QueryErrorCode } from '../../../src/aws/query-error';

describe('QueryError', () => {
  test.each([
    ['NoSuchEntity', 404],
    ['EntityAlreadyExists', 409],
    ['DeleteConflict', 409],
    ['MalformedPolicyDocument', 400],
    ['LimitExceeded', 409],
    ['InvalidInput', 400],
    ['ReportExpired', 410],
    ['ServiceFailure', 500],
    ['ExpiredTokenException', 400],
    ['RegionDisabledException', 403],
    ['AccountNotManagementOrDelegatedAdministratorException', 400],
  ] as [QueryErrorCode, number][])('gives the model error %s the status %d its model gives it', (code, status) => {
    expect(new QueryError(code, 'm').statusCode).toBe(status);
  });

  test.each([
    ['InvalidClientTokenId', 403],
    ['SignatureDoesNotMatch', 403],
    ['IncompleteSignature', 400],
    ['MissingAuthenticationToken', 403],
    ['ExpiredToken', 403],
    ['AccessDenied', 403],
    ['InvalidAction', 400],
    ['ValidationError', 400],
    ['MissingParameter', 400],
    ['InvalidParameterValue', 400],
    ['MalformedQueryString', 404],
    ['InternalFailure', 500],
    ['OptInRequired', 403],
  ] as [QueryErrorCode, number][])('gives the protocol error %s the status %d', (code, status) => {
    expect(new QueryError(code, 'm').statusCode).toBe(status);
  });

  test.each([
    ['NoSuchEntity', true],
    ['ServiceFailure', false],
    ['PolicyEvaluation', false],
    ['ValidationError', true],
    ['InternalFailure', false],
  ] as [QueryErrorCode, boolean][])('puts %s on the sender side: %s', (code, isSenderFault) => {
    expect(new QueryError(code, 'm').senderFault).toBe(isSenderFault);
  });

  test('names no protocol error with a code a model already uses', () => {
    const modelCodes = [iamModel, stsModel].flatMap((model) => Object.entries(model.shapes).flatMap(([name, shape]) => (shape.exception === true ? [shape.error?.code ?? name] : [])));
    const protocolCodes: QueryErrorCode[] = ['InvalidClientTokenId', 'SignatureDoesNotMatch', 'IncompleteSignature', 'MissingAuthenticationToken', 'ExpiredToken', 'AccessDenied', 'InvalidAction', 'ValidationError', 'MissingParameter', 'InvalidParameterValue', 'MalformedQueryString', 'InternalFailure', 'OptInRequired'];
    expect(protocolCodes.filter((code) => modelCodes.includes(code))).toEqual([]);
  });
});

describe('renderQueryError', () => {
  const namespace = 'https://iam.amazonaws.com/doc/2010-05-08/';

  test('writes the ErrorResponse with type, code, message and request id, and the status of the code', () => {
    expect(renderQueryError(new QueryError('NoSuchEntity', 'The user with name bob cannot be found.'), 'req-1', namespace)).toEqual({
      statusCode: 404,
      headers: { 'content-type': 'text/xml', 'x-amzn-requestid': 'req-1' },
      body:
        '<ErrorResponse xmlns="https://iam.amazonaws.com/doc/2010-05-08/"><Error><Type>Sender</Type><Code>NoSuchEntity</Code>' +
        '<Message>The user with name bob cannot be found.</Message></Error><RequestId>req-1</RequestId></ErrorResponse>',
    });
  });

  test('names the service as at fault with Receiver', () => {
    expect(renderQueryError(new QueryError('InternalFailure', 'oops'), 'r', namespace).body).toContain('<Type>Receiver</Type>');
  });

  test('escapes the message', () => {
    expect(renderQueryError(new QueryError('ValidationError', `Value 'a<b&c' at "x"`), 'r', namespace).body).toContain('<Message>Value &apos;a&lt;b&amp;c&apos; at &quot;x&quot;</Message>');
  });
});

/** A client whose every request is answered with `answer`. */
function answeringWith(answer: { statusCode: number; headers: Record<string, string>; body: string }) {
  return {
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'secret' },
    maxAttempts: 1,
    requestHandler: {
      async handle() {
        return { response: { statusCode: answer.statusCode, headers: answer.headers, body: Buffer.from(answer.body) } };
      },
      updateHttpClientConfig() {},
      httpHandlerConfigs: () => ({}),
    },
  };
}

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('the call succeeded');
}

describe('what the AWS SDK makes of a rendered error', () => {
  test('a modelled IAM code becomes its exception class, with message, status, request id and fault', async () => {
    const rendered = renderQueryError(new QueryError('NoSuchEntity', 'The user with name bob cannot be found.'), 'req-9', iamModel.metadata.xmlNamespace);
    const error = await rejectionOf(new IAMClient(answeringWith(rendered)).send(new GetUserCommand({ UserName: 'bob' })));
    expect(error).toBeInstanceOf(NoSuchEntityException);
    const { message, $fault, $metadata } = error as NoSuchEntityException;
    expect({ message, $fault, status: $metadata.httpStatusCode, requestId: $metadata.requestId }).toEqual({
      message: 'The user with name bob cannot be found.',
      $fault: 'client',
      status: 404,
      requestId: 'req-9',
    });
  });

  test('a service fault becomes its exception class on the server side', async () => {
    const rendered = renderQueryError(new QueryError('ServiceFailure', 'try again'), 'r', iamModel.metadata.xmlNamespace);
    const error = await rejectionOf(new IAMClient(answeringWith(rendered)).send(new GetUserCommand({})));
    expect([error instanceof ServiceFailureException, (error as ServiceFailureException).$fault]).toEqual([true, 'server']);
  });

  test('a protocol code no model lists keeps its code as the error name', async () => {
    const rendered = renderQueryError(new QueryError('InvalidClientTokenId', 'The security token included in the request is invalid.'), 'r', stsModel.metadata.xmlNamespace);
    const error = await rejectionOf(new STSClient(answeringWith(rendered)).send(new GetCallerIdentityCommand({})));
    expect({ name: (error as Error).name, message: (error as Error).message }).toEqual({ name: 'InvalidClientTokenId', message: 'The security token included in the request is invalid.' });
  });
});
