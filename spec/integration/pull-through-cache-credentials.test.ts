// Pull-through cache rules with a credentialArn: Debian's docker-registry with htpasswd auth stands in for Docker Hub,
// the secret comes from --secrets-file or PUT /_emulator/secrets/<arn>, and a refused sign-in is answered as such.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { BatchGetImageCommand, CreatePullThroughCacheRuleCommand, ValidatePullThroughCacheRuleCommand } from '@aws-sdk/client-ecr';
import { startEmulator } from '../../src/index';
import { errorsOf } from '../helpers/registry-client';
import { pushToRegistry, startReferenceRegistry, type ReferenceRegistry } from '../helpers/reference-registry';
import { rejection } from '../helpers/rejection';
import { useTestEmulator } from '../helpers/test-emulator';

const USER = { username: 'mirror', password: 'correct horse battery staple' };
const FILE_ARN = 'arn:aws:secretsmanager:us-east-1:000000000000:secret:ecr-pullthroughcache/hub-AbCdEf';
const PUT_ARN = 'arn:aws:secretsmanager:us-east-1:000000000000:secret:ecr-pullthroughcache/other-GhIjKl';
let upstream: ReferenceRegistry;
let secretsFile: string;
let pushed: { digest: string; manifest: string };

beforeAll(async () => {
  upstream = await startReferenceRegistry({ user: USER });
  pushed = await pushToRegistry(upstream.url, 'team/app', '1.0', ['private layer'], upstream.headers);
  secretsFile = path.join(mkdtempSync(path.join(tmpdir(), 'secrets-file-')), 'secrets.json');
  writeFileSync(secretsFile, JSON.stringify({ [FILE_ARN]: { username: USER.username, accessToken: USER.password } }));
}, 30_000);

afterAll(async () => {
  await upstream.stop();
});

const env = useTestEmulator({ startOptions: () => ({ upstreams: { 'registry-1.docker.io': upstream.url }, secretsFile }) });

const pull = (repository: string) => env.registry.fetch(`/v2/${repository}/manifests/1.0`);
const createRule = (ecrRepositoryPrefix: string, credentialArn: string) =>
  env.ecr.send(new CreatePullThroughCacheRuleCommand({ ecrRepositoryPrefix, upstreamRegistryUrl: 'registry-1.docker.io', credentialArn }));
const putSecret = (arn: string, body: string) => fetch(`${env.emulator.endpoint}/_emulator/secrets/${encodeURIComponent(arn)}`, { method: 'PUT', body });
const deleteSecret = (arn: string) => fetch(`${env.emulator.endpoint}/_emulator/secrets/${encodeURIComponent(arn)}`, { method: 'DELETE' });

describe('a pull under a rule whose secret the emulator knows', () => {
  it('signs in to the upstream with the secret of the secrets file and serves the image', async () => {
    await createRule('hub', FILE_ARN);
    const response = await pull('hub/team/app');
    expect(response.status).toBe(200);
    expect(response.headers.get('docker-content-digest')).toBe(pushed.digest);
  });

  it('signs in with a secret PUT at run time', async () => {
    await createRule('other', PUT_ARN);
    expect((await putSecret(PUT_ARN, JSON.stringify({ username: USER.username, accessToken: USER.password }))).status).toBe(200);
    expect((await pull('other/team/app')).status).toBe(200);
  });
});

describe('a pull the upstream refuses to sign in', () => {
  it('answers 403 DENIED naming the unknown secret when the emulator has none for the ARN', async () => {
    await createRule('other', PUT_ARN);
    const response = await pull('other/team/app');
    expect(response.status).toBe(403);
    const [error] = await errorsOf(response);
    expect(error?.code).toBe('DENIED');
    expect(error?.message).toContain(`the secret '${PUT_ARN}' of the pull through cache rule was not found`);
  });

  it('answers 403 DENIED saying the authentication failed when the secret is wrong', async () => {
    await createRule('other', PUT_ARN);
    await putSecret(PUT_ARN, JSON.stringify({ username: USER.username, password: 'wrong' }));
    const response = await pull('other/team/app');
    expect(response.status).toBe(403);
    expect((await errorsOf(response))[0]?.message).toContain('the authentication to the upstream registry failed');
  });

  it('fails BatchGetImage with UnableToGetUpstreamImageException', async () => {
    await createRule('other', PUT_ARN);
    const error = await rejection(env.ecr.send(new BatchGetImageCommand({ repositoryName: 'other/team/app', imageIds: [{ imageTag: '1.0' }] })));
    expect(error.name).toBe('UnableToGetUpstreamImageException');
  });

  it('signs in anew after the secret changes, never on what the old one earned', async () => {
    await createRule('other', PUT_ARN);
    await putSecret(PUT_ARN, JSON.stringify({ username: USER.username, accessToken: USER.password }));
    expect((await pull('other/team/app')).status).toBe(200);
    await putSecret(PUT_ARN, JSON.stringify({ username: USER.username, accessToken: 'wrong' }));
    const absent = await env.registry.fetch('/v2/other/team/app/manifests/2.0');
    expect(absent.status).toBe(403);
  });
});

describe('ValidatePullThroughCacheRule', () => {
  it('answers valid when the upstream takes the secret', async () => {
    await createRule('hub', FILE_ARN);
    const answer = await env.ecr.send(new ValidatePullThroughCacheRuleCommand({ ecrRepositoryPrefix: 'hub' }));
    expect(answer).toMatchObject({ ecrRepositoryPrefix: 'hub', credentialArn: FILE_ARN, isValid: true });
    expect(answer.failure).toBeUndefined();
  });

  it('answers invalid with the failure when the upstream refuses the secret', async () => {
    await createRule('other', PUT_ARN);
    await putSecret(PUT_ARN, JSON.stringify({ username: 'someone', accessToken: 'wrong' }));
    const answer = await env.ecr.send(new ValidatePullThroughCacheRuleCommand({ ecrRepositoryPrefix: 'other' }));
    expect(answer.isValid).toBe(false);
    expect(answer.failure).toMatch(/^The authentication to the upstream registry failed/);
  });

  it('answers invalid naming the secret when the emulator has none for the ARN', async () => {
    await createRule('other', PUT_ARN);
    const answer = await env.ecr.send(new ValidatePullThroughCacheRuleCommand({ ecrRepositoryPrefix: 'other' }));
    expect(answer).toMatchObject({ isValid: false, failure: expect.stringContaining(`The secret '${PUT_ARN}'`) as unknown });
  });
});

describe('PUT and DELETE /_emulator/secrets/<arn>', () => {
  it.each([
    ['not JSON', '{', 'the body is not JSON'],
    ['no accessToken', JSON.stringify({ username: 'ci' }), 'accessToken is missing'],
  ])('refuses a body with %s with 400', async (_case, body, message) => {
    const response = await putSecret(PUT_ARN, body);
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toBe(`secret ${PUT_ARN}: ${message}`);
  });

  it('refuses an ARN that names no ecr-pullthroughcache/ secret with 400', async () => {
    const response = await putSecret('arn:aws:secretsmanager:us-east-1:000000000000:secret:hub', JSON.stringify({ username: 'ci', accessToken: 't' }));
    expect(response.status).toBe(400);
  });

  it('deletes a secret, and answers 404 for one it does not have', async () => {
    await putSecret(PUT_ARN, JSON.stringify({ username: 'ci', accessToken: 't' }));
    expect((await deleteSecret(PUT_ARN)).status).toBe(200);
    expect((await deleteSecret(PUT_ARN)).status).toBe(404);
  });

  it("answers no secret's value back", async () => {
    const response = await putSecret(PUT_ARN, JSON.stringify({ username: 'ci', accessToken: 'do-not-echo' }));
    expect(await response.text()).not.toContain('do-not-echo');
  });

  it("brings the file's secrets back after a reset, over one PUT in their place", async () => {
    await putSecret(FILE_ARN, JSON.stringify({ username: USER.username, accessToken: 'wrong' }));
    await env.emulator.reset();
    await createRule('hub', FILE_ARN);
    const answer = await env.ecr.send(new ValidatePullThroughCacheRuleCommand({ ecrRepositoryPrefix: 'hub' }));
    expect(answer.isValid).toBe(true);
  });
});

describe('an emulator started with a bad --secrets-file', () => {
  it('does not start, and says which entry is wrong in one line', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'secrets-file-')), 'secrets.json');
    writeFileSync(file, JSON.stringify({ [FILE_ARN]: { username: 'ci' } }));
    await expect(startEmulator({ host: '127.0.0.1', port: 0, memory: true, logLevel: 'silent', secretsFile: file })).rejects.toThrow(
      `secrets file ${file}: ["${FILE_ARN}"]: accessToken is missing`,
    );
  });
});
