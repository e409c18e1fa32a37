// Registry tokens: self-verifying HMAC-SHA256 tokens over principal, region and expiry. What a check answers for a
// good token, an expired one, a foreign or tampered one, and every malformed shape.
import { createHmac } from 'node:crypto';
import { accountRoot, type Principal } from '../../../src/auth/principal';
import { createRegistryTokens } from '../../../src/auth/registry-token';

const SECRET = Buffer.from('0123456789abcdef0123456789abcdef');
const SCOPE = { accountId: '123456789012', region: 'eu-west-1' };
const ROOT = accountRoot(SCOPE.accountId);
const SESSION: Principal = {
  kind: 'assumed-role',
  arn: `arn:aws:sts::${SCOPE.accountId}:assumed-role/pusher/ci`,
  accountId: SCOPE.accountId,
  userId: 'AROAEXAMPLEEXAMPLE234:ci',
  tags: {},
  identityArn: `arn:aws:iam::${SCOPE.accountId}:role/pusher`,
  accessKeyId: 'ASIAEXAMPLEEXAMPLE23',
};
const EXPIRES_AT = new Date('2030-01-01T12:00:00Z');
const BEFORE_EXPIRY = new Date(EXPIRES_AT.getTime() - 1);
const ROOT_CLAIMS = { principal: ROOT, region: SCOPE.region, expiresAt: EXPIRES_AT };

/** A token signed as the module signs: base64url JSON payload, a dot, base64url HMAC-SHA256 of the payload text. */
function signedToken(payloadText: string, secret = SECRET): string {
  const payload = Buffer.from(payloadText).toString('base64url');
  return `${payload}.${createHmac('sha256', secret).update(payload).digest('base64url')}`;
}

describe('createRegistryTokens', () => {
  const tokens = createRegistryTokens(SECRET);

  test('checks a token it issued as valid, with its principal, region and expiry', () => {
    expect(tokens.check(tokens.issue(ROOT, SCOPE.region, EXPIRES_AT), BEFORE_EXPIRY)).toEqual({ isValid: true, claims: ROOT_CLAIMS });
  });

  test("names a session's principal: its ARN, user id, role and access key", () => {
    const check = tokens.check(tokens.issue(SESSION, SCOPE.region, EXPIRES_AT), BEFORE_EXPIRY);
    expect(check).toEqual({ isValid: true, claims: { principal: SESSION, region: SCOPE.region, expiresAt: EXPIRES_AT } });
  });

  test('reads a token of an earlier version, without a principal, as the account root', () => {
    const token = signedToken(JSON.stringify({ a: SCOPE.accountId, r: SCOPE.region, e: EXPIRES_AT.getTime() / 1000 }));
    expect(tokens.check(token, BEFORE_EXPIRY)).toEqual({ isValid: true, claims: ROOT_CLAIMS });
  });

  test('is checked by another instance holding the same secret, as after a restart', () => {
    expect(createRegistryTokens(Buffer.from(SECRET)).check(tokens.issue(ROOT, SCOPE.region, EXPIRES_AT), BEFORE_EXPIRY).isValid).toBe(true);
  });

  test('keeps the expiry to the whole second at or before it', () => {
    const check = tokens.check(tokens.issue(ROOT, SCOPE.region, new Date(EXPIRES_AT.getTime() + 999)), BEFORE_EXPIRY);
    expect(check.claims?.expiresAt).toEqual(EXPIRES_AT);
  });

  test('answers expired, with the claims, at the instant of expiry', () => {
    expect(tokens.check(tokens.issue(ROOT, SCOPE.region, EXPIRES_AT), EXPIRES_AT)).toEqual({ isValid: false, reason: 'expired', claims: ROOT_CLAIMS });
  });

  test('answers expired after the expiry', () => {
    expect(tokens.check(tokens.issue(ROOT, SCOPE.region, EXPIRES_AT), new Date(EXPIRES_AT.getTime() + 1))).toMatchObject({ isValid: false, reason: 'expired' });
  });

  test('answers signature for a token issued with another secret', () => {
    const foreign = createRegistryTokens(Buffer.from('another secret of thirty-two by.')).issue(ROOT, SCOPE.region, EXPIRES_AT);
    expect(tokens.check(foreign, BEFORE_EXPIRY)).toEqual({ isValid: false, reason: 'signature' });
  });

  test('answers signature for a payload changed after signing', () => {
    const [, signature] = tokens.issue(ROOT, SCOPE.region, EXPIRES_AT).split('.');
    const otherAccount = Buffer.from(JSON.stringify({ a: '999999999999', r: SCOPE.region, e: EXPIRES_AT.getTime() / 1000 })).toString('base64url');
    expect(tokens.check(`${otherAccount}.${signature}`, BEFORE_EXPIRY)).toEqual({ isValid: false, reason: 'signature' });
  });

  test.each([
    ['a signature one character short', (signature: string) => signature.slice(0, -1)],
    ['a signature with one character changed', (signature: string) => `${signature.slice(0, -1)}${signature.endsWith('A') ? 'B' : 'A'}`],
    ['an empty signature', () => ''],
  ])('answers signature for %s', (_case, change) => {
    const [payload, signature] = tokens.issue(ROOT, SCOPE.region, EXPIRES_AT).split('.');
    expect(tokens.check(`${payload}.${change(signature!)}`, BEFORE_EXPIRY)).toEqual({ isValid: false, reason: 'signature' });
  });

  test.each([
    ['no dot', () => 'abcdef'],
    ['the empty string', () => ''],
    ['three parts', (token: string) => `${token}.extra`],
  ])('answers malformed for a token with %s', (_case, build) => {
    expect(tokens.check(build(tokens.issue(ROOT, SCOPE.region, EXPIRES_AT)), BEFORE_EXPIRY)).toEqual({ isValid: false, reason: 'malformed' });
  });

  test('answers malformed for a correctly signed payload that is not JSON', () => {
    expect(tokens.check(signedToken('not json'), BEFORE_EXPIRY)).toEqual({ isValid: false, reason: 'malformed' });
  });

  test.each([
    ['an account that is a number', { a: 123456789012, r: SCOPE.region, e: 1_900_000_000 }],
    ['no account', { r: SCOPE.region, e: 1_900_000_000 }],
    ['a region that is not a string', { a: SCOPE.accountId, r: ['eu-west-1'], e: 1_900_000_000 }],
    ['an expiry that is a string', { a: SCOPE.accountId, r: SCOPE.region, e: '1900000000' }],
    ['no expiry', { a: SCOPE.accountId, r: SCOPE.region }],
    ['a JSON array', ['123456789012', 'eu-west-1', 1_900_000_000]],
    ['a JSON number', 42],
    ['a principal of an unknown kind', { a: SCOPE.accountId, r: SCOPE.region, e: 1_900_000_000, p: { k: 'robot', n: 'arn', u: 'id' } }],
    ['a principal without an ARN', { a: SCOPE.accountId, r: SCOPE.region, e: 1_900_000_000, p: { k: 'user', u: 'AIDA' } }],
    ['a principal that is null', { a: SCOPE.accountId, r: SCOPE.region, e: 1_900_000_000, p: null }],
  ])('answers malformed for a correctly signed payload with %s', (_case, payload) => {
    expect(tokens.check(signedToken(JSON.stringify(payload)), BEFORE_EXPIRY)).toEqual({ isValid: false, reason: 'malformed' });
  });

  test('answers malformed for a correctly signed payload that is JSON null', () => {
    expect(tokens.check(signedToken('null'), BEFORE_EXPIRY)).toEqual({ isValid: false, reason: 'malformed' });
  });
});
