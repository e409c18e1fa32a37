// The AWS JSON 1.1 protocol edge: targets, bodies, validation wording, error headers, identity and scoping.
import { CreateRepositoryCommand, DescribeRepositoriesCommand, ECRServiceException } from '@aws-sdk/client-ecr';
import { operationNames } from '../../src/aws/model';
import { rawEcrCall, useTestEmulator } from '../helpers/test-emulator';

const PREFIX = 'AmazonEC2ContainerRegistry_V20150921';
const env = useTestEmulator();

describe('AWS JSON 1.1 protocol', () => {
  it('answers an unknown target with UnknownOperationException and the error headers', async () => {
    const answer = await rawEcrCall(env.emulator.endpoint, `${PREFIX}.NoSuchThing`, '{}');
    expect(answer.status).toBe(400);
    expect(answer.json.__type).toBe('UnknownOperationException');
    expect(answer.headers.get('x-amzn-errortype')).toBe('UnknownOperationException');
    expect(answer.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(answer.headers.get('content-type')).toBe('application/x-amz-json-1.1');
  });

  // As AWS answers: a Content-Length, not a chunked body, for a success, an error, and the query protocol.
  it.each([
    ['an ECR success', { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `${PREFIX}.DescribeRegistry` }, '{}'],
    ['an ECR error', { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `${PREFIX}.NoSuchThing` }, '{}'],
    ['an STS answer', { 'content-type': 'application/x-www-form-urlencoded' }, 'Action=GetCallerIdentity&Version=2011-06-15'],
  ])('sends %s with the Content-Length of its body', async (_case, headers, body) => {
    const answer = await fetch(`${env.emulator.endpoint}/`, { method: 'POST', headers, body });
    const text = await answer.text();
    expect(text.length).toBeGreaterThan(0);
    expect(answer.headers.get('transfer-encoding')).toBeNull();
    expect(Number(answer.headers.get('content-length'))).toBe(Buffer.byteLength(text));
  });

  it('answers a request without X-Amz-Target with UnknownOperationException', async () => {
    const answer = await rawEcrCall(env.emulator.endpoint, undefined, '{}');
    expect(answer.json.__type).toBe('UnknownOperationException');
  });

  it.each(['{not json', '[]', '"text"', 'null'])('answers the body %s with SerializationException', async (body) => {
    const answer = await rawEcrCall(env.emulator.endpoint, `${PREFIX}.DescribeRepositories`, body);
    expect(answer.status).toBe(400);
    expect(answer.json.__type).toBe('SerializationException');
  });

  it('answers a member of the wrong type with SerializationException', async () => {
    const answer = await rawEcrCall(env.emulator.endpoint, `${PREFIX}.CreateRepository`, '{"repositoryName": 5}');
    expect(answer.json.__type).toBe('SerializationException');
  });

  it.each(operationNames())('answers a bare {} to %s with a JSON error or success, never a 500', async (operation) => {
    const answer = await rawEcrCall(env.emulator.endpoint, `${PREFIX}.${operation}`, '{}');
    expect(answer.status).toBeLessThan(500);
    if (answer.status !== 200) expect(typeof answer.json.__type).toBe('string');
  });

  it('words a missing required member as ValidationException', async () => {
    const answer = await rawEcrCall(env.emulator.endpoint, `${PREFIX}.CreateRepository`, '{}');
    expect(answer.json).toEqual({
      __type: 'ValidationException',
      message: "1 validation error detected: Value null at 'repositoryName' failed to satisfy constraint: Member must not be null",
    });
  });

  it.each([
    ['a', "Invalid parameter at 'repositoryName' failed to satisfy constraint: 'must have length greater than or equal to 2'"],
    ['UPPER', "Invalid parameter at 'repositoryName' failed to satisfy constraint: 'must satisfy regular expression '[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(\\/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*''"],
  ])('words a constraint failure on %s as ECR does', async (name, message) => {
    const client = env.ecrClient();
    await expect(client.send(new CreateRepositoryCommand({ repositoryName: name }))).rejects.toMatchObject({ name: 'InvalidParameterException', message });
  });

  it('rejects an enum value outside the model with InvalidParameterException', async () => {
    const answer = await rawEcrCall(env.emulator.endpoint, `${PREFIX}.CreateRepository`, '{"repositoryName":"abc","imageTagMutability":"SOMETIMES"}');
    expect(answer.json.__type).toBe('InvalidParameterException');
    expect(answer.json.message).toContain("'imageTagMutability'");
  });

  it('rejects maxResults outside its range', async () => {
    const answer = await rawEcrCall(env.emulator.endpoint, `${PREFIX}.DescribeRepositories`, '{"maxResults":0}');
    expect(answer.json.__type).toBe('InvalidParameterException');
  });
});

describe('identity and scoping', () => {
  it('takes the account from a 12-digit access key and the region from the credential scope', async () => {
    const client = env.ecrClient({ accountId: '123456789012', region: 'eu-west-1' });
    const { repository } = await client.send(new CreateRepositoryCommand({ repositoryName: 'scoped' }));
    expect(repository?.registryId).toBe('123456789012');
    expect(repository?.repositoryArn).toBe('arn:aws:ecr:eu-west-1:123456789012:repository/scoped');
  });

  it('uses the default account for other access keys', async () => {
    const { repository } = await env.ecr.send(new CreateRepositoryCommand({ repositoryName: 'default-account' }));
    expect(repository?.registryId).toBe('000000000000');
  });

  it('keeps accounts and regions apart', async () => {
    await env.ecrClient({ accountId: '111111111111' }).send(new CreateRepositoryCommand({ repositoryName: 'only-here' }));
    for (const client of [env.ecrClient({ accountId: '222222222222' }), env.ecrClient({ accountId: '111111111111', region: 'us-west-2' })]) {
      const { repositories } = await client.send(new DescribeRepositoriesCommand({}));
      expect(repositories).toEqual([]);
    }
  });

  it('surfaces errors to the SDK as modelled exceptions', async () => {
    const client = env.ecrClient();
    await client.send(new CreateRepositoryCommand({ repositoryName: 'twice' }));
    const error = await client.send(new CreateRepositoryCommand({ repositoryName: 'twice' })).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ECRServiceException);
    expect((error as ECRServiceException).name).toBe('RepositoryAlreadyExistsException');
    expect((error as ECRServiceException).$metadata.httpStatusCode).toBe(400);
  });
});
