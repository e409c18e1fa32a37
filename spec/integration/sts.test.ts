// STS on the emulator's endpoint with @aws-sdk/client-sts: GetCallerIdentity names the real principal,
// AssumeRole checks the role's trust policy and issues sessions that expire, GetSessionToken issues credentials
// acting as their caller, and what the sessions can do in ECR and its registry.
import { CreateRepositoryCommand, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';
import { AssumeRoleCommand, GetCallerIdentityCommand, GetSessionTokenCommand } from '@aws-sdk/client-sts';
import { createRole, createUserWithKey, ecrClientWith, iamClient, rootKeys, sessionKeys, stsClient, trustPolicy, type KeyPair } from '../helpers/identity-clients';
import { registryClient } from '../helpers/registry-client';
import { rejection } from '../helpers/rejection';
import { testClock } from '../helpers/test-clock';
import { useTestEmulator } from '../helpers/test-emulator';

const HOME = '111111111111';
const OTHER = '222222222222';
const HOUR_MS = 60 * 60 * 1000;

// Whole seconds: STS expirations are.
const clock = testClock(new Date(Math.floor(Date.now() / 1000) * 1000));
const env = useTestEmulator({ clock });

async function callerOf(keys: KeyPair) {
  return stsClient(env.emulator.endpoint, keys).send(new GetCallerIdentityCommand({}));
}

/** A user `alice` in HOME with a key, and a role `deployer` in OTHER trusting `principals` (default alice). */
async function aliceAndRole(policy?: string, maxSessionDuration?: number) {
  const alice = await createUserWithKey(iamClient(env.emulator.endpoint, rootKeys(HOME)), 'alice');
  const roleArn = await createRole(iamClient(env.emulator.endpoint, rootKeys(OTHER)), 'deployer', policy ?? trustPolicy([alice.arn]), maxSessionDuration);
  return { alice, roleArn, sts: stsClient(env.emulator.endpoint, alice.keys) };
}

describe('GetCallerIdentity', () => {
  test('names an account root by its account id', async () => {
    expect(await callerOf(rootKeys(HOME))).toMatchObject({ Arn: `arn:aws:iam::${HOME}:root`, Account: HOME, UserId: HOME });
  });

  test('names an IAM user signing with its own key', async () => {
    const alice = await createUserWithKey(iamClient(env.emulator.endpoint, rootKeys(HOME)), 'alice');
    const identity = await callerOf(alice.keys);
    expect(identity).toMatchObject({ Arn: `arn:aws:iam::${HOME}:user/alice`, Account: HOME });
    expect(identity.UserId).toMatch(/^AIDA[A-Z2-7]{17}$/);
  });
});

describe('AssumeRole', () => {
  test("issues a session of a role in another account whose trust policy names the caller", async () => {
    const { roleArn, sts } = await aliceAndRole();
    const { Credentials, AssumedRoleUser } = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'ci' }));
    expect(Credentials!.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/);
    expect(AssumedRoleUser!.Arn).toBe(`arn:aws:sts::${OTHER}:assumed-role/deployer/ci`);
    const identity = await callerOf(sessionKeys(Credentials));
    expect(identity).toMatchObject({ Arn: `arn:aws:sts::${OTHER}:assumed-role/deployer/ci`, Account: OTHER });
    expect(identity.UserId).toMatch(/^AROA[A-Z2-7]{17}:ci$/);
  });

  test('lasts an hour by default, and DurationSeconds up to the role maximum', async () => {
    const { roleArn, sts } = await aliceAndRole(undefined, 7200);
    const byDefault = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'first' }));
    const longer = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'second', DurationSeconds: 7200 }));
    expect(byDefault.Credentials!.Expiration!.getTime() - clock.now().getTime()).toBe(HOUR_MS);
    expect(longer.Credentials!.Expiration!.getTime() - clock.now().getTime()).toBe(2 * HOUR_MS);
  });

  test("refuses DurationSeconds past the role's MaxSessionDuration", async () => {
    const { roleArn, sts } = await aliceAndRole();
    expect(await rejection(sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'ci', DurationSeconds: 7200 })))).toEqual({
      name: 'ValidationError',
      message: 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.',
    });
  });

  test('refuses a caller the trust policy does not name', async () => {
    const { roleArn } = await aliceAndRole(trustPolicy([`arn:aws:iam::${HOME}:user/bob`]));
    const sts = stsClient(env.emulator.endpoint, rootKeys(HOME));
    expect(await rejection(sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'ci' })))).toEqual({
      name: 'AccessDenied',
      message: `User: arn:aws:iam::${HOME}:root is not authorized to perform: sts:AssumeRole on resource: ${roleArn}`,
    });
  });

  test('refuses a role that does not exist as AccessDenied, as STS does', async () => {
    const sts = stsClient(env.emulator.endpoint, rootKeys(HOME));
    const missing = `arn:aws:iam::${OTHER}:role/nobody`;
    expect(await rejection(sts.send(new AssumeRoleCommand({ RoleArn: missing, RoleSessionName: 'ci' })))).toMatchObject({ name: 'AccessDenied' });
  });

  test('lets the trusted account in: any of its principals', async () => {
    const { roleArn, sts } = await aliceAndRole(trustPolicy([HOME]));
    await expect(sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'ci' }))).resolves.toHaveProperty('Credentials');
  });

  test("checks sts:ExternalId", async () => {
    const { roleArn, sts } = await aliceAndRole(trustPolicy([HOME], { StringEquals: { 'sts:ExternalId': 'shared-secret' } }));
    const without = await rejection(sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'ci' })));
    const wrong = await rejection(sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'ci', ExternalId: 'guess' })));
    expect([without.name, wrong.name]).toEqual(['AccessDenied', 'AccessDenied']);
    await expect(sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'ci', ExternalId: 'shared-secret' }))).resolves.toHaveProperty('Credentials');
  });

  test("lets '*' in when aws:PrincipalArn satisfies the condition", async () => {
    const { roleArn, sts } = await aliceAndRole(trustPolicy('*', { ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${HOME}:user/a*` } }));
    await expect(sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'ci' }))).resolves.toHaveProperty('Credentials');
    const root = stsClient(env.emulator.endpoint, rootKeys(HOME));
    expect((await rejection(root.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'ci' })))).name).toBe('AccessDenied');
  });

  test('needs sts:TagSession in the trust policy for session tags', async () => {
    const { roleArn, sts } = await aliceAndRole();
    const tagged = await rejection(sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'ci', Tags: [{ Key: 'team', Value: 'build' }] })));
    expect(tagged).toEqual({ name: 'AccessDenied', message: `User: arn:aws:iam::${HOME}:user/alice is not authorized to perform: sts:TagSession on resource: ${roleArn}` });
  });

  test('refuses a malformed inline session policy', async () => {
    const { roleArn, sts } = await aliceAndRole();
    expect((await rejection(sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'ci', Policy: '{not json' })))).name).toBe('MalformedPolicyDocumentException');
  });

  test('refuses a session name outside the model pattern with ValidationError', async () => {
    const { roleArn, sts } = await aliceAndRole();
    expect((await rejection(sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'has space' })))).name).toBe('ValidationError');
  });

  test('ends the session at its expiry: the key then answers ExpiredToken, and ECR ExpiredTokenException', async () => {
    const { roleArn, sts } = await aliceAndRole();
    const { Credentials } = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'ci', DurationSeconds: 900 }));
    clock.advance(900 * 1000);
    expect((await rejection(callerOf(sessionKeys(Credentials)))).name).toBe('ExpiredToken');
    const ecr = ecrClientWith(env.emulator.endpoint, sessionKeys(Credentials));
    expect(await rejection(ecr.send(new CreateRepositoryCommand({ repositoryName: 'late' })))).toEqual({
      name: 'ExpiredTokenException',
      message: 'The security token included in the request is expired',
    });
  });

  test('refuses a session key presented with another session token', async () => {
    const { roleArn, sts } = await aliceAndRole();
    const { Credentials } = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'ci' }));
    const forged = { ...sessionKeys(Credentials), sessionToken: 'forged' };
    expect((await rejection(callerOf(forged))).name).toBe('InvalidClientTokenId');
  });
});

describe('GetSessionToken', () => {
  test("issues credentials that act as the calling user", async () => {
    const alice = await createUserWithKey(iamClient(env.emulator.endpoint, rootKeys(HOME)), 'alice');
    const { Credentials } = await stsClient(env.emulator.endpoint, alice.keys).send(new GetSessionTokenCommand({ DurationSeconds: 900 }));
    expect(Credentials!.Expiration!.getTime() - clock.now().getTime()).toBe(900 * 1000);
    expect(await callerOf(sessionKeys(Credentials))).toMatchObject({ Arn: alice.arn, Account: HOME });
  });

  test('refuses session credentials as the caller', async () => {
    const alice = await createUserWithKey(iamClient(env.emulator.endpoint, rootKeys(HOME)), 'alice');
    const { Credentials } = await stsClient(env.emulator.endpoint, alice.keys).send(new GetSessionTokenCommand({}));
    expect(await rejection(stsClient(env.emulator.endpoint, sessionKeys(Credentials)).send(new GetSessionTokenCommand({})))).toEqual({
      name: 'AccessDenied',
      message: 'Cannot call GetSessionToken with session credentials',
    });
  });
});

describe('sessions in ECR and its registry', () => {
  test("act in the role's account", async () => {
    const { roleArn, sts } = await aliceAndRole();
    const { Credentials } = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'ci' }));
    const { repository } = await ecrClientWith(env.emulator.endpoint, sessionKeys(Credentials)).send(new CreateRepositoryCommand({ repositoryName: 'app' }));
    expect(repository!.registryId).toBe(OTHER);
  });

  test("get a registry token that names the session and expires with it", async () => {
    const { roleArn, sts } = await aliceAndRole();
    const { Credentials } = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'ci', DurationSeconds: 900 }));
    const ecr = ecrClientWith(env.emulator.endpoint, sessionKeys(Credentials));
    const { authorizationData } = await ecr.send(new GetAuthorizationTokenCommand({}));
    expect(authorizationData![0]!.expiresAt!.getTime()).toBe(Credentials!.Expiration!.getTime());
    const token = Buffer.from(authorizationData![0]!.authorizationToken!, 'base64').toString().slice('AWS:'.length);
    const claims = JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString()) as { a: string; p: { n: string } };
    expect(claims).toMatchObject({ a: OTHER, p: { n: `arn:aws:sts::${OTHER}:assumed-role/deployer/ci` } });
  });

  test("push to the role account's registry with the session's token", async () => {
    const { roleArn, sts } = await aliceAndRole();
    const { Credentials } = await sts.send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'ci' }));
    const ecr = ecrClientWith(env.emulator.endpoint, sessionKeys(Credentials));
    await ecr.send(new CreateRepositoryCommand({ repositoryName: 'app' }));
    const { authorizationData } = await ecr.send(new GetAuthorizationTokenCommand({}));
    const registry = registryClient(env.emulator.endpoint, `Basic ${authorizationData![0]!.authorizationToken!}`);
    const { digest } = await registry.pushImage('app', 'v1');
    const pulled = await registry.fetch(`/v2/app/manifests/v1`, { headers: { accept: 'application/vnd.docker.distribution.manifest.v2+json' } });
    expect([pulled.status, pulled.headers.get('docker-content-digest')]).toEqual([200, digest]);
  });
});
