// The control plane's edges an attacker or a misconfigured client reaches: operation names that are properties of
// every object, credentials scoped to regions that do not exist, and bodies shaped to be slow.
import { CreateRepositoryCommand, DescribeRepositoriesCommand } from '@aws-sdk/client-ecr';
import { deflateSync, gzipSync } from 'node:zlib';
import { rawEcrCall, useTestEmulator } from '../helpers/test-emulator';

const PREFIX = 'AmazonEC2ContainerRegistry_V20150921';
const env = useTestEmulator();

/** The Authorization header of a SigV4 request scoped to `region` (its signature is not checked for roots). */
function signedFor(region: string, service = 'ecr'): Record<string, string> {
  return {
    authorization: `AWS4-HMAC-SHA256 Credential=test/20261201/${region}/${service}/aws4_request, SignedHeaders=host;x-amz-date, Signature=${'0'.repeat(64)}`,
    'x-amz-date': '20261201T000000Z',
  };
}

describe('operation names', () => {
  it.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', '__defineGetter__'])(
    'answers the target %s with UnknownOperationException, 400',
    async (name) => {
      const answer = await rawEcrCall(env.emulator.endpoint, `${PREFIX}.${name}`, '{}');
      expect(answer.status).toBe(400);
      expect(answer.json).toEqual({ __type: 'UnknownOperationException', message: `Operation ${PREFIX}.${name} is not supported.` });
    },
  );
});

describe('regions', () => {
  it.each(['mars-1', 'US-EAST-1', 'aws-global', 'us-east-99'])('refuses a credential scoped to %p with InvalidSignatureException naming it', async (region) => {
    const answer = await rawEcrCall(env.emulator.endpoint, `${PREFIX}.CreateRepository`, '{"repositoryName":"app"}', signedFor(region));
    expect(answer.status).toBe(400);
    expect(answer.json).toEqual({ __type: 'InvalidSignatureException', message: `Credential should be scoped to a valid region, not '${region}'.` });
  });

  it('refuses an ECR request whose credential is scoped to another service, as AWS words it', async () => {
    const answer = await rawEcrCall(env.emulator.endpoint, `${PREFIX}.CreateRepository`, '{"repositoryName":"app"}', signedFor('us-east-1', 'sts'));
    expect([answer.status, answer.json]).toEqual([400, { __type: 'InvalidSignatureException', message: "Credential should be scoped to correct service: 'ecr'. " }]);
  });

  it('creates no state under a refused region', async () => {
    await rawEcrCall(env.emulator.endpoint, `${PREFIX}.CreateRepository`, '{"repositoryName":"app"}', signedFor('mars-1'));
    const answer = await rawEcrCall(env.emulator.endpoint, `${PREFIX}.DescribeRepositories`, '{}', signedFor('mars-1'));
    expect(answer.json.__type).toBe('InvalidSignatureException');
  });

  it.each(['eu-central-1', 'us-gov-west-1', 'cn-north-1', 'ap-southeast-7'])('serves the partition region %s', async (region) => {
    const client = env.ecrClient({ region });
    await client.send(new CreateRepositoryCommand({ repositoryName: 'app' }));
    expect((await client.send(new DescribeRepositoriesCommand({}))).repositories![0]!.repositoryArn).toContain(`:${region}:`);
  });
});

describe('STS on the same endpoint', () => {
  it('refuses GetCallerIdentity scoped to a region that does not exist with SignatureDoesNotMatch', async () => {
    const response = await fetch(`${env.emulator.endpoint}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...signedFor('mars-1') },
      body: 'Action=GetCallerIdentity&Version=2011-06-15',
    });
    expect(response.status).toBe(403);
    const text = await response.text();
    expect(text).toContain('<Code>SignatureDoesNotMatch</Code>');
    expect(text).toContain('Credential should be scoped to a valid region, not &apos;mars-1&apos;.');
  });
});

describe('bodies the server refuses before the protocol reads them', () => {
  it('answers a body over the size limit in the JSON 1.1 error shape, with a request id', async () => {
    const answer = await rawEcrCall(env.emulator.endpoint, `${PREFIX}.DescribeRepositories`, `{"x":"${'a'.repeat(33 * 1024 * 1024)}"}`);
    expect(answer.status).toBe(400);
    expect(answer.json.__type).toBe('InvalidParameterException');
    expect(answer.headers.get('x-amzn-errortype')).toBe('InvalidParameterException');
    expect(answer.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
    expect(answer.headers.get('content-type')).toBe('application/x-amz-json-1.1');
  });

  it('refuses a body nested 100,000 levels deep with SerializationException', async () => {
    const depth = 100_000;
    const answer = await rawEcrCall(env.emulator.endpoint, `${PREFIX}.DescribeRepositories`, `{"x":${'['.repeat(depth)}${']'.repeat(depth)}}`);
    expect(answer.status).toBe(400);
    expect(answer.json.__type).toBe('SerializationException');
  });
});

describe('request bodies', () => {
  async function post(body: Buffer, headers: Record<string, string>): Promise<{ status: number; json: Record<string, unknown> }> {
    const response = await fetch(`${env.emulator.endpoint}/`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `${PREFIX}.CreateRepository`, ...signedFor('us-east-1'), ...headers },
      body,
    });
    return { status: response.status, json: (await response.json()) as Record<string, unknown> };
  }

  it.each([
    ['gzip', gzipSync],
    ['deflate', deflateSync],
  ])('reads a %s-encoded body as HTTP allows', async (encoding, compress) => {
    const answer = await post(compress(Buffer.from('{"repositoryName":"compressed"}')), { 'content-encoding': encoding });
    expect([answer.status, (answer.json.repository as { repositoryName: string }).repositoryName]).toEqual([200, 'compressed']);
  });

  it('refuses a body that does not decode as its Content-Encoding says, with SerializationException', async () => {
    const answer = await post(Buffer.from('{"repositoryName":"plain"}'), { 'content-encoding': 'gzip' });
    expect(answer).toEqual({ status: 400, json: { __type: 'SerializationException', message: 'The request body is not valid gzip data, or inflates past 33554432 bytes.' } });
  });

  it('refuses an unknown Content-Encoding with SerializationException', async () => {
    const answer = await post(Buffer.from('{}'), { 'content-encoding': 'br' });
    expect(answer).toEqual({ status: 400, json: { __type: 'SerializationException', message: 'Content-Encoding br is not supported.' } });
  });

  it('refuses a body over 32 MiB with InvalidParameterException, and keeps serving', async () => {
    const answer = await post(Buffer.alloc(32 * 1024 * 1024 + 1, 0x20), {});
    expect(answer).toEqual({ status: 400, json: { __type: 'InvalidParameterException', message: 'request entity too large' } });
    const after = await rawEcrCall(env.emulator.endpoint, `${PREFIX}.CreateRepository`, '{"repositoryName":"after"}');
    expect(after.status).toBe(200);
  });
});
