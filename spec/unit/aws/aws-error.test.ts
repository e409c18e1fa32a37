// AwsError: the status belongs to the type (the model's fault flag, or the protocol's own table), never the call site.
import { AwsError, renderAwsError } from '../../../src/aws/aws-error';

describe('AwsError', () => {
  it.each([
    ['RepositoryNotFoundException', 400],
    ['ServerException', 500],
    ['ValidationException', 400],
    ['UnknownOperationException', 400],
    ['AccessDeniedException', 400],
  ] as const)('gives %s the status %d', (type, status) => {
    expect(new AwsError(type, 'm').statusCode).toBe(status);
  });

  it('renders the JSON 1.1 error shape with the request id and error type headers', () => {
    expect(renderAwsError(new AwsError('RepositoryNotFoundException', 'gone'), 'req-1')).toEqual({
      statusCode: 400,
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': 'req-1', 'x-amzn-errortype': 'RepositoryNotFoundException' },
      body: '{"__type":"RepositoryNotFoundException","message":"gone"}',
    });
  });
});
