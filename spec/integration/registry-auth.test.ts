// Data-plane authentication and routing: ECR's Basic "AWS:<token>" credentials, the challenge, expiry, the scope
// a token grants, and the answers for unknown paths and methods.
import { CreateRepositoryCommand } from '@aws-sdk/client-ecr';
import { basicAuthorization, errorsOf, getWithHost } from '../helpers/registry-client';
import { testClock } from '../helpers/test-clock';
import { useTestEmulator } from '../helpers/test-emulator';

const clock = testClock(new Date('2030-01-01T00:00:00Z'));
const env = useTestEmulator({ clock, startOptions: { tokenTtlSeconds: 3600 }, repositories: ['app'] });

const get = (path: string, headers: Record<string, string> = {}): Promise<Response> => fetch(`${env.emulator.endpoint}${path}`, { headers });

const getAtHost = (path: string, host: string) => getWithHost(env.emulator.endpoint, path, host, env.authorization);

describe('GET /v2/', () => {
  it('answers 200 with the API version header to a valid token', async () => {
    const response = await get('/v2/', { authorization: env.authorization });
    expect(response.status).toBe(200);
    expect(response.headers.get('docker-distribution-api-version')).toBe('registry/2.0');
  });

  it('challenges a request without credentials with 401 and ECR\'s Basic realm', async () => {
    const response = await get('/v2/');
    expect(response.status).toBe(401);
    const host = new URL(env.emulator.endpoint).host;
    expect(response.headers.get('www-authenticate')).toBe(`Basic realm="http://${host}/",service="ecr.amazonaws.com"`);
    expect(response.headers.get('docker-distribution-api-version')).toBe('registry/2.0');
    expect((await errorsOf(response))[0]!.code).toBe('UNAUTHORIZED');
  });

  it.each([
    ['a forged token', `Basic ${Buffer.from('AWS:eyJhIjoiMSJ9.bad').toString('base64')}`],
    ['a user other than AWS', `Basic ${Buffer.from('admin:secret').toString('base64')}`],
    ['a Bearer scheme', 'Bearer whatever'],
    ['garbage', 'Basic !!!'],
  ])('rejects %s with 401', async (_case, header) => {
    const response = await get('/v2/', { authorization: header });
    expect(response.status).toBe(401);
    expect(response.headers.get('www-authenticate')).toMatch(/^Basic realm=/);
  });

  it('refuses an expired token with 403 DENIED in ECR\'s words, without a challenge', async () => {
    clock.advance(3601 * 1000);
    const response = await get('/v2/', { authorization: env.authorization });
    expect(response.status).toBe(403);
    expect(response.headers.get('www-authenticate')).toBeNull();
    expect(await errorsOf(response)).toEqual([{ code: 'DENIED', message: 'Your authorization token has expired. Reauthenticate and try again.', detail: {} }]);
  });
});

describe('scope', () => {
  it('refuses a token of one account on a Host naming another with 403 DENIED, saying why', async () => {
    const response = await getAtHost('/v2/app/tags/list', '111122223333.dkr.ecr.us-east-1.localhost');
    expect(response.status).toBe(403);
    expect(JSON.parse(response.body)).toMatchObject({
      errors: [
        {
          code: 'DENIED',
          message:
            'User: arn:aws:iam::000000000000:root is not authorized to perform: ecr:ListImages on resource: arn:aws:ecr:us-east-1:111122223333:repository/app because no resource-based policy allows the ecr:ListImages action',
        },
      ],
    });
  });

  it.each([
    ['a manifest pull', '/v2/app/manifests/latest', 'ecr:BatchGetImage'],
    ['a blob pull', `/v2/app/blobs/sha256:${'a'.repeat(64)}`, 'ecr:GetDownloadUrlForLayer'],
    ['the catalog', '/v2/_catalog', 'ecr:DescribeRepositories'],
  ])('names the action of %s in a cross-account denial', async (_what, path, action) => {
    const response = await getAtHost(path, '111122223333.dkr.ecr.us-east-1.localhost');
    expect(response.status).toBe(403);
    expect(JSON.parse(response.body).errors[0].message).toContain(`perform: ${action} on resource: arn:aws:ecr:us-east-1:111122223333:`);
  });

  it('lets a token prove itself at another account\'s registry host (docker login), refusing only what it acts on', async () => {
    expect((await getAtHost('/v2/', '111122223333.dkr.ecr.us-east-1.localhost')).status).toBe(200);
  });

  it('answers a token shown to a registry of another region with 400, as ECR does', async () => {
    const response = await getAtHost('/v2/', '000000000000.dkr.ecr.eu-west-1.localhost');
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body)).toMatchObject({ errors: [{ code: 'BAD_REQUEST', message: expect.stringContaining('us-east-1') }] });
  });

  it('accepts a Host naming the token\'s own account and region', async () => {
    const response = await getAtHost('/v2/app/tags/list', '000000000000.dkr.ecr.us-east-1.localhost');
    expect(response.status).toBe(200);
  });

  it('never shows another account\'s repositories: its name is unknown', async () => {
    const other = env.ecrClient({ accountId: '111122223333' });
    await other.send(new CreateRepositoryCommand({ repositoryName: 'private' }));
    const otherClient = await env.loginRegistry(other);
    await otherClient.pushImage('private', 'v1');
    const response = await get('/v2/private/manifests/v1', { authorization: env.authorization });
    expect(response.status).toBe(404);
    expect((await errorsOf(response))[0]).toMatchObject({
      code: 'NAME_UNKNOWN',
      message: "The repository with name 'private' does not exist in the registry with id '000000000000'",
    });
    expect(await (await get('/v2/_catalog', { authorization: env.authorization })).json()).toEqual({ repositories: ['app'] });
  });

  it('does not let a token for another region reach the repository', async () => {
    const west = await basicAuthorization(env.ecrClient({ region: 'us-west-2' }));
    const response = await get('/v2/app/tags/list', { authorization: west });
    expect(response.status).toBe(404);
    expect((await errorsOf(response))[0]!.code).toBe('NAME_UNKNOWN');
  });
});

describe('routing', () => {
  it('answers an unknown path with 404', async () => {
    const response = await get('/v2/app/unknown/thing', { authorization: env.authorization });
    expect(response.status).toBe(404);
    expect(response.headers.get('docker-distribution-api-version')).toBe('registry/2.0');
  });

  it('answers a wrong method with 405 UNSUPPORTED', async () => {
    const response = await fetch(`${env.emulator.endpoint}/v2/app/tags/list`, { method: 'DELETE', headers: { authorization: env.authorization } });
    expect(response.status).toBe(405);
    expect((await errorsOf(response))[0]!.code).toBe('UNSUPPORTED');
  });

  it('routes repository names with several path segments', async () => {
    await env.ecr.send(new CreateRepositoryCommand({ repositoryName: 'team/app/api' }));
    const { digest } = await env.registry.pushImage('team/app/api', 'latest');
    const response = await env.registry.fetch('/v2/team/app/api/manifests/latest');
    expect(response.status).toBe(200);
    expect(response.headers.get('docker-content-digest')).toBe(digest);
  });

  it('answers NAME_UNKNOWN with ECR\'s wording for a repository that does not exist', async () => {
    const response = await get('/v2/missing/tags/list', { authorization: env.authorization });
    expect(response.status).toBe(404);
    expect((await errorsOf(response))[0]).toMatchObject({
      code: 'NAME_UNKNOWN',
      message: "The repository with name 'missing' does not exist in the registry with id '000000000000'",
    });
  });
});
