// Trust policies decide who may assume a role: principals by ARN, account and `*`, role sessions by their role,
// conditions on the request context, and an explicit Deny over any Allow.
import type { PolicyDocument, PolicyStatement } from '../../../src/auth/iam-policy';
import { principalContext, principalMatches } from '../../../src/auth/principal-match';
import { accountRoot, type Principal } from '../../../src/auth/principal';
import { trustAllows } from '../../../src/auth/trust-policy';

const ALICE: Principal = {
  kind: 'user',
  arn: 'arn:aws:iam::111111111111:user/ci/alice',
  accountId: '111111111111',
  userId: 'AIDAEXAMPLEEXAMPLE22',
  tags: { team: 'build' },
  identityArn: 'arn:aws:iam::111111111111:user/ci/alice',
};
const SESSION: Principal = {
  kind: 'assumed-role',
  arn: 'arn:aws:sts::111111111111:assumed-role/deployer/run-7',
  accountId: '111111111111',
  userId: 'AROAEXAMPLEEXAMPLE33:run-7',
  tags: {},
  identityArn: 'arn:aws:iam::111111111111:role/deployer',
};

function allow(principal: PolicyStatement['principal'], extra: Partial<PolicyStatement> = {}): PolicyStatement {
  return { effect: 'Allow', principal, actions: ['sts:AssumeRole'], ...extra };
}

function decide(statements: PolicyStatement[], principal: Principal, context: Record<string, string[]> = {}, action = 'sts:AssumeRole'): boolean {
  const document: PolicyDocument = { version: '2012-10-17', statements };
  return trustAllows(document, { principal, action, context: { ...principalContext(principal), ...context } });
}

describe('principalMatches', () => {
  test.each([
    ["'*'", '*' as const, ALICE, true],
    ['the account id', { AWS: ['111111111111'] }, ALICE, true],
    ['the account root ARN', { AWS: ['arn:aws:iam::111111111111:root'] }, ALICE, true],
    ['another account', { AWS: ['222222222222'] }, ALICE, false],
    ["the user's ARN", { AWS: [ALICE.arn] }, ALICE, true],
    ["another user's ARN", { AWS: ['arn:aws:iam::111111111111:user/bob'] }, ALICE, false],
    ["a role's ARN, for a session of that role", { AWS: ['arn:aws:iam::111111111111:role/deployer'] }, SESSION, true],
    ["the session's own ARN", { AWS: [SESSION.arn] }, SESSION, true],
    ['a service principal', { Service: ['ec2.amazonaws.com'] }, ALICE, false],
    ['an account root, by its account id', { AWS: ['111111111111'] }, accountRoot('111111111111'), true],
  ])('%s', (_case, policyPrincipal, principal, expected) => {
    expect(principalMatches(policyPrincipal, principal)).toBe(expected);
  });
});

describe('principalContext', () => {
  test("names a session's role as aws:PrincipalArn, and its type", () => {
    expect(principalContext(SESSION)).toMatchObject({ 'aws:PrincipalArn': ['arn:aws:iam::111111111111:role/deployer'], 'aws:PrincipalType': ['AssumedRole'] });
  });

  test("carries a user's name and tags", () => {
    expect(principalContext(ALICE)).toMatchObject({ 'aws:username': ['alice'], 'aws:PrincipalTag/team': ['build'], 'aws:PrincipalType': ['User'] });
  });
});

describe('trustAllows', () => {
  test('allows a principal an Allow names', () => {
    expect(decide([allow({ AWS: [ALICE.arn] })], ALICE)).toBe(true);
  });

  test('refuses a principal no statement names', () => {
    expect(decide([allow({ AWS: ['arn:aws:iam::111111111111:user/bob'] })], ALICE)).toBe(false);
  });

  test('refuses an action the statement does not grant', () => {
    expect(decide([allow({ AWS: [ALICE.arn] })], ALICE, {}, 'sts:TagSession')).toBe(false);
  });

  test("allows '*' when aws:PrincipalArn satisfies the condition", () => {
    const statement = allow('*', { conditions: { ArnLike: { 'aws:PrincipalArn': ['arn:aws:iam::111111111111:user/ci/*'] } } });
    expect(decide([statement], ALICE)).toBe(true);
  });

  test("refuses '*' when the condition does not hold", () => {
    const statement = allow('*', { conditions: { StringEquals: { 'aws:PrincipalAccount': ['222222222222'] } } });
    expect(decide([statement], ALICE)).toBe(false);
  });

  test('requires the external id the statement names', () => {
    const statement = allow({ AWS: ['111111111111'] }, { conditions: { StringEquals: { 'sts:ExternalId': ['s3cret'] } } });
    expect([decide([statement], ALICE, { 'sts:ExternalId': ['s3cret'] }), decide([statement], ALICE, { 'sts:ExternalId': ['guess'] }), decide([statement], ALICE)]).toEqual([true, false, false]);
  });

  test('lets an explicit Deny win over an Allow', () => {
    const deny: PolicyStatement = { effect: 'Deny', principal: { AWS: [ALICE.arn] }, actions: ['sts:*'] };
    expect(decide([allow({ AWS: ['111111111111'] }), deny], ALICE)).toBe(false);
  });

  test('reads NotPrincipal as everyone but those it names', () => {
    const statement: PolicyStatement = { effect: 'Allow', notPrincipal: { AWS: ['arn:aws:iam::111111111111:user/bob'] }, actions: ['sts:AssumeRole'] };
    expect(decide([statement], ALICE)).toBe(true);
  });
});
