// IAM's policy evaluation logic as AWS documents it ("Policy evaluation logic", "Cross-account policy evaluation
// logic", "Permissions boundaries", "Session policies"): explicit denies, identity and resource policies in one account
// and across accounts, boundaries and session policies intersecting, roots, the Not… elements, wildcards, policy
// variables, conditions, `--iam off`, and AWS's AccessDenied wording for each reason.
import { IDENTITY_POLICY_RULES, parsePolicyDocument, REGISTRY_POLICY_RULES, REPOSITORY_POLICY_RULES } from '../../../src/auth/iam-policy';
import { denialMessage, evaluate, statementCovers, type ApplicablePolicy, type DecisionReason, type EvaluationRequest, type PolicyKind } from '../../../src/auth/policy-evaluation';
import { principalContext } from '../../../src/auth/principal-match';
import { accountRoot, type Principal } from '../../../src/auth/principal';

const ACCOUNT = '111111111111';
const OTHER = '222222222222';
const REPO = `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/app`;
const SECRET_REPO = `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/secret`;
const OTHER_REPO = `arn:aws:ecr:us-east-1:${OTHER}:repository/app`;

function user(accountId: string, name: string, tags: Record<string, string> = {}): Principal {
  const arn = `arn:aws:iam::${accountId}:user/${name}`;
  return { kind: 'user', arn, accountId, userId: `AIDA${name.toUpperCase()}EXAMPLE`, tags, identityArn: arn };
}

function session(accountId: string, role: string, name: string, tags: Record<string, string> = {}): Principal {
  return {
    kind: 'assumed-role',
    arn: `arn:aws:sts::${accountId}:assumed-role/${role}/${name}`,
    accountId,
    userId: `AROA${role.toUpperCase()}EXAMPLE:${name}`,
    tags,
    identityArn: `arn:aws:iam::${accountId}:role/${role}`,
  };
}

const ALICE = user(ACCOUNT, 'alice', { team: 'build' });
const BOB = user(ACCOUNT, 'bob', { team: 'ops' });
const DEPLOYER = session(ACCOUNT, 'deployer', 'run-7');
const DEPLOYER_ROLE = `arn:aws:iam::${ACCOUNT}:role/deployer`;
const CAROL: Principal = {
  kind: 'federated-user',
  arn: `arn:aws:sts::${ACCOUNT}:federated-user/carol`,
  accountId: ACCOUNT,
  userId: `${ACCOUNT}:carol`,
  tags: {},
  identityArn: `arn:aws:iam::${ACCOUNT}:user/carol`,
};
const ROOT = accountRoot(ACCOUNT);
const PARTNER = user(OTHER, 'partner');
const PARTNER_SESSION = session(OTHER, 'puller', 'ci');
const PARTNER_ROOT = accountRoot(OTHER);

type Statement = Record<string, unknown>;

function allow(action: string | string[], resource: string | string[] = '*', extra: Statement = {}): Statement {
  return { Effect: 'Allow', Action: action, Resource: resource, ...extra };
}
function deny(action: string | string[], resource: string | string[] = '*', extra: Statement = {}): Statement {
  return { Effect: 'Deny', Action: action, Resource: resource, ...extra };
}
/** A repository policy statement: no Resource, a Principal. */
function grant(principal: unknown, action: string | string[] = 'ecr:BatchGetImage', extra: Statement = {}): Statement {
  return { Effect: 'Allow', Principal: principal, Action: action, ...extra };
}
function refuse(principal: unknown, action: string | string[] = 'ecr:BatchGetImage', extra: Statement = {}): Statement {
  return { Effect: 'Deny', Principal: principal, Action: action, ...extra };
}

function document(statements: Statement[], version = '2012-10-17'): string {
  return JSON.stringify({ Version: version, Statement: statements });
}

function identityPolicy(kind: PolicyKind, name: string, statements: Statement[], version?: string): ApplicablePolicy {
  return { kind, name, document: parsePolicyDocument(document(statements, version), IDENTITY_POLICY_RULES) };
}

interface Scenario {
  principal?: Principal;
  action?: string;
  resource?: string;
  resourceAccountId?: string;
  /** Each inner list is one identity policy. */
  identity?: Statement[][];
  boundary?: Statement[];
  /** Each inner list is one session policy. */
  session?: Statement[][];
  repositoryPolicy?: Statement[];
  registryPolicy?: Statement[];
  context?: Record<string, string[]>;
  iam?: 'enforce' | 'off';
  version?: string;
}

function request(scenario: Scenario): EvaluationRequest {
  const principal = scenario.principal ?? ALICE;
  const resource = scenario.resource ?? REPO;
  const resourcePolicy: ApplicablePolicy | undefined = scenario.repositoryPolicy !== undefined
    ? { kind: 'resource', name: 'repository policy of app', document: parsePolicyDocument(document(scenario.repositoryPolicy), REPOSITORY_POLICY_RULES) }
    : scenario.registryPolicy !== undefined
      ? { kind: 'resource', name: 'registry policy', document: parsePolicyDocument(document(scenario.registryPolicy), REGISTRY_POLICY_RULES) }
      : undefined;
  return {
    principal,
    action: scenario.action ?? 'ecr:BatchGetImage',
    resource,
    resourceAccountId: scenario.resourceAccountId ?? (resource === '*' ? principal.accountId : resource.split(':')[4]!),
    context: { ...principalContext(principal), ...scenario.context },
    identityPolicies: (scenario.identity ?? []).map((statements, index) => identityPolicy('identity', `identity-${index + 1}`, statements, scenario.version)),
    ...(scenario.boundary !== undefined ? { permissionsBoundary: identityPolicy('permissions-boundary', 'boundary', scenario.boundary) } : {}),
    ...(scenario.session !== undefined ? { sessionPolicies: scenario.session.map((statements, index) => identityPolicy('session', `session-${index + 1}`, statements)) } : {}),
    ...(resourcePolicy !== undefined ? { resourcePolicy } : {}),
    evaluatesIdentityPolicies: scenario.iam !== 'off',
  };
}

function reasonOf(scenario: Scenario): DecisionReason {
  return evaluate(request(scenario)).reason;
}

type Case = [string, Scenario, DecisionReason];

describe('evaluate', () => {
  describe('an explicit Deny wins over any Allow', () => {
    test.each<Case>([
      ['a Deny in the same identity policy as the Allow', { identity: [[allow('ecr:*'), deny('ecr:BatchGetImage')]] }, 'explicit-deny-identity'],
      ['a Deny in another identity policy (a group policy, say)', { identity: [[allow('ecr:*')], [deny('ecr:*', REPO)]] }, 'explicit-deny-identity'],
      ['an identity Deny over a resource policy naming the user', { identity: [[deny('ecr:BatchGetImage')]], repositoryPolicy: [grant({ AWS: ALICE.arn })] }, 'explicit-deny-identity'],
      ['a resource policy Deny naming the user over an identity Allow', { identity: [[allow('ecr:*')]], repositoryPolicy: [refuse({ AWS: ALICE.arn })] }, 'explicit-deny-resource'],
      ['a resource policy Deny naming the account applies to its users', { identity: [[allow('ecr:*')]], repositoryPolicy: [refuse({ AWS: ACCOUNT })] }, 'explicit-deny-resource'],
      ["a resource policy Deny to '*'", { identity: [[allow('ecr:*')]], repositoryPolicy: [refuse('*')] }, 'explicit-deny-resource'],
      ['a resource policy Deny beside its own Allow', { repositoryPolicy: [grant({ AWS: ALICE.arn }), refuse({ AWS: ALICE.arn })] }, 'explicit-deny-resource'],
      ['a Deny in the permissions boundary', { identity: [[allow('ecr:*')]], boundary: [allow('ecr:*'), deny('ecr:BatchGetImage')] }, 'explicit-deny-boundary'],
      ['a boundary Deny over a resource policy naming the user', { boundary: [deny('ecr:*')], repositoryPolicy: [grant({ AWS: ALICE.arn })] }, 'explicit-deny-boundary'],
      ['a Deny in a session policy', { principal: DEPLOYER, identity: [[allow('ecr:*')]], session: [[allow('ecr:*'), deny('ecr:BatchGetImage')]] }, 'explicit-deny-session'],
      ['a session policy Deny over a resource policy naming the session', { principal: DEPLOYER, session: [[deny('ecr:*')]], repositoryPolicy: [grant({ AWS: DEPLOYER.arn })] }, 'explicit-deny-session'],
      ['a resource policy Deny naming the root ARN applies to the root', { principal: ROOT, repositoryPolicy: [refuse({ AWS: `arn:aws:iam::${ACCOUNT}:root` })] }, 'explicit-deny-resource'],
      ['a cross-account identity Deny over the resource account grant', { principal: PARTNER, resource: OTHER_REPO.replace(OTHER, ACCOUNT), identity: [[allow('ecr:*'), deny('ecr:*')]], repositoryPolicy: [grant({ AWS: OTHER })] }, 'explicit-deny-identity'],
      ['a cross-account resource Deny over a partner grant', { principal: PARTNER, identity: [[allow('ecr:*')]], repositoryPolicy: [grant({ AWS: OTHER }), refuse({ AWS: PARTNER.arn })] }, 'explicit-deny-resource'],
      ['a Deny NotAction denies every action it does not list', { action: 'ecr:PutImage', identity: [[allow('ecr:*'), { Effect: 'Deny', NotAction: 'ecr:BatchGetImage', Resource: '*' }]] }, 'explicit-deny-identity'],
      ['a Deny whose condition holds', { identity: [[allow('ecr:*'), deny('ecr:*', '*', { Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]], context: { 'aws:SecureTransport': ['false'] } }, 'explicit-deny-identity'],
    ])('%s', (_case, scenario, reason) => {
      expect(reasonOf(scenario)).toBe(reason);
    });

    test.each<Case>([
      ['a Deny whose condition does not hold', { identity: [[allow('ecr:*'), deny('ecr:*', '*', { Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]], context: { 'aws:SecureTransport': ['true'] } }, 'allowed'],
      ['a Deny of another action', { identity: [[allow('ecr:*'), deny('ecr:PutImage')]] }, 'allowed'],
      ['a Deny of another repository', { identity: [[allow('ecr:*'), deny('ecr:*', SECRET_REPO)]] }, 'allowed'],
      ['a resource policy Deny naming another user', { identity: [[allow('ecr:*')]], repositoryPolicy: [refuse({ AWS: BOB.arn })] }, 'allowed'],
      ['a resource policy Deny naming another account', { identity: [[allow('ecr:*')]], repositoryPolicy: [refuse({ AWS: OTHER })] }, 'allowed'],
    ])('an Allow stands beside %s', (_case, scenario, reason) => {
      expect(reasonOf(scenario)).toBe(reason);
    });
  });

  describe('within one account', () => {
    test.each<Case>([
      ['an identity policy allowing the action on the repository', { identity: [[allow('ecr:BatchGetImage', REPO)]] }, 'allowed'],
      ["an identity policy allowing ecr:* on '*'", { identity: [[allow('ecr:*')]] }, 'allowed'],
      ["an identity policy allowing '*' on '*'", { identity: [[allow('*')]] }, 'allowed'],
      ['an identity policy allowing every repository of the account', { identity: [[allow('ecr:BatchGetImage', `arn:aws:ecr:*:${ACCOUNT}:repository/*`)]] }, 'allowed'],
      ['the second of two identity policies allowing', { identity: [[allow('ecr:PutImage')], [allow('ecr:BatchGetImage')]] }, 'allowed'],
      ['a list of actions including it', { identity: [[allow(['ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'])]] }, 'allowed'],
      ['no identity policy at all', {}, 'no-identity-allow'],
      ['an identity policy allowing another action', { identity: [[allow('ecr:PutImage')]] }, 'no-identity-allow'],
      ['an identity policy allowing another repository', { identity: [[allow('ecr:*', SECRET_REPO)]] }, 'no-identity-allow'],
      ['an identity policy allowing another service', { identity: [[allow('s3:*')]] }, 'no-identity-allow'],
      ['an identity policy allowing the repository in another account', { identity: [[allow('ecr:*', OTHER_REPO)]] }, 'no-identity-allow'],
    ])('%s', (_case, scenario, reason) => {
      expect(reasonOf(scenario)).toBe(reason);
    });

    test.each<Case>([
      ["the user's ARN", { repositoryPolicy: [grant({ AWS: ALICE.arn })] }, 'allowed'],
      ["the user's ARN among others", { repositoryPolicy: [grant({ AWS: [BOB.arn, ALICE.arn] })] }, 'allowed'],
      ["the role's ARN, for a session of the role", { principal: DEPLOYER, repositoryPolicy: [grant({ AWS: DEPLOYER_ROLE })] }, 'allowed'],
      ["the session's own ARN", { principal: DEPLOYER, repositoryPolicy: [grant({ AWS: DEPLOYER.arn })] }, 'allowed'],
      ["the federated user's session ARN", { principal: CAROL, repositoryPolicy: [grant({ AWS: CAROL.arn })] }, 'allowed'],
      ["the IAM user who federated the session", { principal: CAROL, repositoryPolicy: [grant({ AWS: CAROL.identityArn })] }, 'allowed'],
      ["'*'", { repositoryPolicy: [grant('*')] }, 'allowed'],
      ["{ AWS: '*' }", { repositoryPolicy: [grant({ AWS: '*' })] }, 'allowed'],
      ['a registry policy with a Resource covering the repository', { registryPolicy: [grant({ AWS: ALICE.arn }, 'ecr:BatchGetImage', { Resource: `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/*` })] }, 'allowed'],
    ])('a resource policy naming %s allows without an identity policy', (_case, scenario, reason) => {
      expect(reasonOf(scenario)).toBe(reason);
    });

    test.each<Case>([
      ['only the account id: it delegates to the identity policies', { repositoryPolicy: [grant({ AWS: ACCOUNT })] }, 'no-identity-allow'],
      ['only the account root ARN', { repositoryPolicy: [grant({ AWS: `arn:aws:iam::${ACCOUNT}:root` })] }, 'no-identity-allow'],
      ['another user', { repositoryPolicy: [grant({ AWS: BOB.arn })] }, 'no-identity-allow'],
      ['another role, for a session', { principal: DEPLOYER, repositoryPolicy: [grant({ AWS: `arn:aws:iam::${ACCOUNT}:role/other` })] }, 'no-identity-allow'],
      ['another account', { repositoryPolicy: [grant({ AWS: OTHER })] }, 'no-identity-allow'],
      ['a service principal', { repositoryPolicy: [grant({ Service: 'codebuild.amazonaws.com' })] }, 'no-identity-allow'],
      ['the user, for another action', { action: 'ecr:PutImage', repositoryPolicy: [grant({ AWS: ALICE.arn })] }, 'no-identity-allow'],
      ['the user, with a registry Resource for other repositories', { registryPolicy: [grant({ AWS: ALICE.arn }, 'ecr:BatchGetImage', { Resource: SECRET_REPO })] }, 'no-identity-allow'],
    ])('a resource policy naming %s does not allow by itself', (_case, scenario, reason) => {
      expect(reasonOf(scenario)).toBe(reason);
    });

    test('a resource policy naming only the account lets an identity policy allow', () => {
      expect(reasonOf({ identity: [[allow('ecr:BatchGetImage')]], repositoryPolicy: [grant({ AWS: ACCOUNT })] })).toBe('allowed');
    });
  });

  describe('account roots', () => {
    test.each<Case>([
      ['its own account with no policy at all', { principal: ROOT }, 'allowed'],
      ['its own account with a resource policy granting others', { principal: ROOT, repositoryPolicy: [grant({ AWS: BOB.arn })] }, 'allowed'],
      ['its own account for an action on no resource', { principal: ROOT, resource: '*', action: 'ecr:GetAuthorizationToken' }, 'allowed'],
      ['its own account with a resource Deny of the account', { principal: ROOT, repositoryPolicy: [refuse({ AWS: ACCOUNT })] }, 'explicit-deny-resource'],
      ['another account with no resource policy', { principal: PARTNER_ROOT }, 'no-resource-allow'],
      ['another account whose policy names it by account id', { principal: PARTNER_ROOT, repositoryPolicy: [grant({ AWS: OTHER })] }, 'allowed'],
      ['another account whose policy names its root ARN', { principal: PARTNER_ROOT, repositoryPolicy: [grant({ AWS: `arn:aws:iam::${OTHER}:root` })] }, 'allowed'],
      ["another account whose policy names '*'", { principal: PARTNER_ROOT, repositoryPolicy: [grant('*')] }, 'allowed'],
      ['another account whose policy names a third account', { principal: PARTNER_ROOT, repositoryPolicy: [grant({ AWS: '333333333333' })] }, 'no-resource-allow'],
      ['another account whose policy denies it', { principal: PARTNER_ROOT, repositoryPolicy: [grant({ AWS: OTHER }), refuse({ AWS: OTHER })] }, 'explicit-deny-resource'],
    ])('a root in %s', (_case, scenario, reason) => {
      expect(reasonOf(scenario)).toBe(reason);
    });
  });

  describe('across accounts both sides must allow', () => {
    test.each<Case>([
      ['an identity allow and no resource policy', { principal: PARTNER, identity: [[allow('ecr:*')]] }, 'no-resource-allow'],
      ['an identity allow and a policy naming the account', { principal: PARTNER, identity: [[allow('ecr:*')]], repositoryPolicy: [grant({ AWS: OTHER })] }, 'allowed'],
      ['an identity allow and a policy naming the account root', { principal: PARTNER, identity: [[allow('ecr:*')]], repositoryPolicy: [grant({ AWS: `arn:aws:iam::${OTHER}:root` })] }, 'allowed'],
      ['an identity allow and a policy naming the user', { principal: PARTNER, identity: [[allow('ecr:*', REPO)]], repositoryPolicy: [grant({ AWS: PARTNER.arn })] }, 'allowed'],
      ["an identity allow and a policy naming '*'", { principal: PARTNER, identity: [[allow('ecr:*')]], repositoryPolicy: [grant('*')] }, 'allowed'],
      ['a policy naming the account and no identity allow', { principal: PARTNER, repositoryPolicy: [grant({ AWS: OTHER })] }, 'no-identity-allow'],
      ['a policy naming the user and no identity allow', { principal: PARTNER, repositoryPolicy: [grant({ AWS: PARTNER.arn })] }, 'no-identity-allow'],
      ['an identity allow and a policy naming a third account', { principal: PARTNER, identity: [[allow('ecr:*')]], repositoryPolicy: [grant({ AWS: '333333333333' })] }, 'no-resource-allow'],
      ['an identity allow and a policy granting another action', { principal: PARTNER, identity: [[allow('ecr:*')]], repositoryPolicy: [grant({ AWS: OTHER }, 'ecr:PutImage')] }, 'no-resource-allow'],
      ['neither side: the resource side is reported', { principal: PARTNER }, 'no-resource-allow'],
      ["a session whose role's policy allows, and a policy naming the role", { principal: PARTNER_SESSION, identity: [[allow('ecr:*')]], repositoryPolicy: [grant({ AWS: `arn:aws:iam::${OTHER}:role/puller` })] }, 'allowed'],
      ['a session whose role allows, and a policy naming the session', { principal: PARTNER_SESSION, identity: [[allow('ecr:*')]], repositoryPolicy: [grant({ AWS: PARTNER_SESSION.arn })] }, 'allowed'],
      ['a session named by the policy, but no role policy allowing', { principal: PARTNER_SESSION, repositoryPolicy: [grant({ AWS: PARTNER_SESSION.arn })] }, 'no-identity-allow'],
      ['an identity allow the boundary does not share', { principal: PARTNER, identity: [[allow('ecr:*')]], boundary: [allow('s3:*')], repositoryPolicy: [grant({ AWS: OTHER })] }, 'no-boundary-allow'],
      ['a session whose session policy does not allow', { principal: PARTNER_SESSION, identity: [[allow('ecr:*')]], session: [[allow('s3:*')]], repositoryPolicy: [grant({ AWS: OTHER })] }, 'no-session-allow'],
      ['a registry policy naming the account for every repository', { principal: PARTNER, identity: [[allow('ecr:*')]], registryPolicy: [grant({ AWS: OTHER }, 'ecr:*', { Resource: `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/*` })] }, 'allowed'],
    ])('%s', (_case, scenario, reason) => {
      expect(reasonOf(scenario)).toBe(reason);
    });
  });

  describe('permissions boundaries intersect with identity policies', () => {
    test.each<Case>([
      ['identity and boundary both allow', { identity: [[allow('ecr:*')]], boundary: [allow('ecr:BatchGetImage')] }, 'allowed'],
      ['identity allows, the boundary allows another action', { identity: [[allow('ecr:*')]], boundary: [allow('ecr:PutImage')] }, 'no-boundary-allow'],
      ['identity allows, the boundary allows other services only', { identity: [[allow('ecr:*')]], boundary: [allow(['s3:*', 'cloudwatch:*', 'ec2:*'])] }, 'no-boundary-allow'],
      ['the boundary allows but grants nothing by itself', { boundary: [allow('ecr:*')] }, 'no-identity-allow'],
      ['neither allows: the identity side is reported', { boundary: [allow('s3:*')] }, 'no-identity-allow'],
      ['the boundary allows only when its condition holds', { identity: [[allow('ecr:*')]], boundary: [allow('ecr:*', '*', { Condition: { StringEquals: { 'aws:RequestedRegion': 'us-east-1' } } })], context: { 'aws:RequestedRegion': ['eu-west-1'] } }, 'no-boundary-allow'],
      ['a resource policy naming the user is not limited by the boundary', { boundary: [allow('s3:*')], repositoryPolicy: [grant({ AWS: ALICE.arn })] }, 'allowed'],
      ["a resource policy naming the session is not limited by the role's boundary", { principal: DEPLOYER, boundary: [allow('s3:*')], repositoryPolicy: [grant({ AWS: DEPLOYER.arn })] }, 'allowed'],
      ['a resource policy naming the role is limited by the boundary', { principal: DEPLOYER, boundary: [allow('s3:*')], repositoryPolicy: [grant({ AWS: DEPLOYER_ROLE })] }, 'no-boundary-allow'],
      ['a resource policy naming the role, within the boundary', { principal: DEPLOYER, boundary: [allow('ecr:*')], repositoryPolicy: [grant({ AWS: DEPLOYER_ROLE })] }, 'allowed'],
      ['a resource policy naming the user who federated is limited by the boundary', { principal: CAROL, boundary: [allow('s3:*')], repositoryPolicy: [grant({ AWS: CAROL.identityArn })] }, 'no-boundary-allow'],
      ['a resource policy naming only the account, identity allows, boundary does not', { identity: [[allow('ecr:*')]], boundary: [allow('s3:*')], repositoryPolicy: [grant({ AWS: ACCOUNT })] }, 'no-boundary-allow'],
      ['a resource policy Deny with NotPrincipal excluding the user denies a user with a boundary', { identity: [[allow('ecr:*')]], boundary: [allow('ecr:*')], repositoryPolicy: [{ Effect: 'Deny', NotPrincipal: { AWS: [ALICE.arn, ACCOUNT] }, Action: 'ecr:*' }] }, 'explicit-deny-resource'],
      ['the same NotPrincipal Deny spares the user without a boundary', { identity: [[allow('ecr:*')]], repositoryPolicy: [{ Effect: 'Deny', NotPrincipal: { AWS: [ALICE.arn, ACCOUNT] }, Action: 'ecr:*' }] }, 'allowed'],
    ])('%s', (_case, scenario, reason) => {
      expect(reasonOf(scenario)).toBe(reason);
    });
  });

  describe('session policies intersect with the role policies', () => {
    test.each<Case>([
      ['role and session policy both allow', { principal: DEPLOYER, identity: [[allow('ecr:*')]], session: [[allow('ecr:BatchGetImage', REPO)]] }, 'allowed'],
      ['the role allows, the session policy does not', { principal: DEPLOYER, identity: [[allow('ecr:*')]], session: [[allow('ecr:PutImage')]] }, 'no-session-allow'],
      ['the session policy allows, the role does not', { principal: DEPLOYER, identity: [[allow('ecr:PutImage')]], session: [[allow('ecr:*')]] }, 'no-identity-allow'],
      ['one of two session policies (inline and managed) allows', { principal: DEPLOYER, identity: [[allow('ecr:*')]], session: [[allow('s3:*')], [allow('ecr:BatchGetImage')]] }, 'allowed'],
      ['an empty list of session policies limits nothing', { principal: DEPLOYER, identity: [[allow('ecr:*')]], session: [] }, 'allowed'],
      ['role, boundary and session policy all allow', { principal: DEPLOYER, identity: [[allow('ecr:*')]], boundary: [allow('ecr:*')], session: [[allow('ecr:*')]] }, 'allowed'],
      ['role and session allow, the boundary does not', { principal: DEPLOYER, identity: [[allow('ecr:*')]], boundary: [allow('s3:*')], session: [[allow('ecr:*')]] }, 'no-boundary-allow'],
      ['role and boundary allow, the session policy does not', { principal: DEPLOYER, identity: [[allow('ecr:*')]], boundary: [allow('ecr:*')], session: [[allow('s3:*')]] }, 'no-session-allow'],
      ['a resource policy naming the session is not limited by the session policy', { principal: DEPLOYER, session: [[allow('s3:*')]], repositoryPolicy: [grant({ AWS: DEPLOYER.arn })] }, 'allowed'],
      ['a resource policy naming the role is limited by the session policy', { principal: DEPLOYER, session: [[allow('s3:*')]], repositoryPolicy: [grant({ AWS: DEPLOYER_ROLE })] }, 'no-session-allow'],
      ['a federated session limited by its session policy', { principal: CAROL, identity: [[allow('ecr:*')]], session: [[allow('s3:*')]] }, 'no-session-allow'],
      ['a federated session named by the resource policy', { principal: CAROL, session: [[allow('s3:*')]], repositoryPolicy: [grant({ AWS: CAROL.arn })] }, 'allowed'],
    ])('%s', (_case, scenario, reason) => {
      expect(reasonOf(scenario)).toBe(reason);
    });
  });

  describe('NotAction, NotResource and NotPrincipal', () => {
    test.each<Case>([
      ['Allow NotAction covers an action it does not list', { identity: [[{ Effect: 'Allow', NotAction: 'ecr:Delete*', Resource: '*' }]] }, 'allowed'],
      ['Allow NotAction leaves out an action it lists', { action: 'ecr:DeleteRepository', identity: [[{ Effect: 'Allow', NotAction: 'ecr:Delete*', Resource: '*' }]] }, 'no-identity-allow'],
      ['Deny NotAction spares the action it lists', { identity: [[allow('ecr:*'), { Effect: 'Deny', NotAction: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'], Resource: '*' }]] }, 'allowed'],
      ['Allow NotResource covers another repository', { identity: [[{ Effect: 'Allow', Action: 'ecr:*', NotResource: SECRET_REPO }]] }, 'allowed'],
      ['Allow NotResource leaves out the repository it lists', { resource: SECRET_REPO, identity: [[{ Effect: 'Allow', Action: 'ecr:*', NotResource: SECRET_REPO }]] }, 'no-identity-allow'],
      ['Deny NotResource denies every repository but one', { resource: SECRET_REPO, identity: [[allow('ecr:*'), { Effect: 'Deny', Action: 'ecr:*', NotResource: REPO }]] }, 'explicit-deny-identity'],
      ['Deny NotResource spares the repository it lists', { identity: [[allow('ecr:*'), { Effect: 'Deny', Action: 'ecr:*', NotResource: REPO }]] }, 'allowed'],
      ['Allow NotPrincipal names everyone it does not list', { repositoryPolicy: [{ Effect: 'Allow', NotPrincipal: { AWS: BOB.arn }, Action: 'ecr:BatchGetImage' }] }, 'allowed'],
      ['Allow NotPrincipal leaves out the user it lists', { repositoryPolicy: [{ Effect: 'Allow', NotPrincipal: { AWS: ALICE.arn }, Action: 'ecr:BatchGetImage' }] }, 'no-identity-allow'],
      ['Deny NotPrincipal denies a user it does not list', { principal: BOB, identity: [[allow('ecr:*')]], repositoryPolicy: [{ Effect: 'Deny', NotPrincipal: { AWS: [ALICE.arn, ACCOUNT] }, Action: 'ecr:*' }] }, 'explicit-deny-resource'],
      ['Deny NotPrincipal spares the user it lists with its account', { identity: [[allow('ecr:*')]], repositoryPolicy: [{ Effect: 'Deny', NotPrincipal: { AWS: [ALICE.arn, `arn:aws:iam::${ACCOUNT}:root`] }, Action: 'ecr:*' }] }, 'allowed'],
      ['Deny NotPrincipal listing the user but not its account denies it at the account level', { identity: [[allow('ecr:*')]], repositoryPolicy: [{ Effect: 'Deny', NotPrincipal: { AWS: [ALICE.arn] }, Action: 'ecr:*' }] }, 'explicit-deny-resource'],
      ['Deny NotPrincipal spares a session listed with its role and account', { principal: DEPLOYER, identity: [[allow('ecr:*')]], repositoryPolicy: [{ Effect: 'Deny', NotPrincipal: { AWS: [DEPLOYER.arn, DEPLOYER_ROLE, ACCOUNT] }, Action: 'ecr:*' }] }, 'allowed'],
      ['Deny NotPrincipal listing only the role denies its session', { principal: DEPLOYER, identity: [[allow('ecr:*')]], repositoryPolicy: [{ Effect: 'Deny', NotPrincipal: { AWS: [DEPLOYER_ROLE, ACCOUNT] }, Action: 'ecr:*' }] }, 'explicit-deny-resource'],
      ["Deny NotPrincipal '*' denies nobody", { identity: [[allow('ecr:*')]], repositoryPolicy: [{ Effect: 'Deny', NotPrincipal: { AWS: '*' }, Action: 'ecr:*' }] }, 'allowed'],
    ])('%s', (_case, scenario, reason) => {
      expect(reasonOf(scenario)).toBe(reason);
    });
  });

  describe('wildcards: actions case-insensitively, resources case-sensitively', () => {
    test.each<Case>([
      ['an action in another case', { identity: [[allow('ECR:batchgetimage')]] }, 'allowed'],
      ['an action prefix with *', { identity: [[allow('ecr:Batch*')]] }, 'allowed'],
      ['an action with ? for one character', { identity: [[allow('ecr:Batch?etImage')]] }, 'allowed'],
      ['an action suffix with *', { identity: [[allow('ecr:*Image')]] }, 'allowed'],
      ['an action pattern that does not cover it', { identity: [[allow('ecr:Get*')]] }, 'no-identity-allow'],
      ['a ? that must match exactly one character', { identity: [[allow('ecr:BatchGet?Image')]] }, 'no-identity-allow'],
      ['a service wildcard of another service', { identity: [[allow('ecr-public:*')]] }, 'no-identity-allow'],
      ['a resource in another case', { identity: [[allow('ecr:*', `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/APP`)]] }, 'no-identity-allow'],
      ['a resource with * for the region', { identity: [[allow('ecr:*', `arn:aws:ecr:*:${ACCOUNT}:repository/app`)]] }, 'allowed'],
      ['a resource with ? for one character', { identity: [[allow('ecr:*', `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/a?p`)]] }, 'allowed'],
      ['a namespace pattern covering a nested repository', { resource: `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/team/app`, identity: [[allow('ecr:*', `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/team/*`)]] }, 'allowed'],
      ['a namespace pattern not covering a top-level repository', { identity: [[allow('ecr:*', `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/team/*`)]] }, 'no-identity-allow'],
      ["an action on no resource under Resource '*'", { action: 'ecr:GetAuthorizationToken', resource: '*', identity: [[allow('ecr:GetAuthorizationToken')]] }, 'allowed'],
      ['an action on no resource under a repository pattern', { action: 'ecr:GetAuthorizationToken', resource: '*', identity: [[allow('ecr:GetAuthorizationToken', `arn:aws:ecr:*:${ACCOUNT}:repository/*`)]] }, 'no-identity-allow'],
    ])('%s', (_case, scenario, reason) => {
      expect(reasonOf(scenario)).toBe(reason);
    });
  });

  describe('policy variables in Resource', () => {
    const ownNamespace = allow('ecr:*', `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/\${aws:username}/*`);
    test.each<Case>([
      ["${aws:username} for the user's own namespace", { resource: `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/alice/app`, identity: [[ownNamespace]] }, 'allowed'],
      ["${aws:username} for another user's namespace", { resource: `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/bob/app`, identity: [[ownNamespace]] }, 'no-identity-allow'],
      ['${aws:username} for a session, which has none', { principal: DEPLOYER, resource: `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/deployer/app`, identity: [[ownNamespace]] }, 'no-identity-allow'],
      ['${aws:PrincipalTag/team}', { resource: `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/build/app`, identity: [[allow('ecr:*', `arn:aws:ecr:*:*:repository/\${aws:PrincipalTag/team}/*`)]] }, 'allowed'],
      ['a variable with a default value', { resource: `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/shared/app`, identity: [[allow('ecr:*', `arn:aws:ecr:*:*:repository/\${aws:PrincipalTag/project,'shared'}/*`)]] }, 'allowed'],
      ['a variable in a 2008-10-17 document, read literally', { resource: `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/alice/app`, identity: [[ownNamespace]], version: '2008-10-17' }, 'no-identity-allow'],
      ['a variable in NotResource', { resource: `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/alice/app`, identity: [[allow('ecr:*'), { Effect: 'Deny', Action: 'ecr:*', NotResource: `arn:aws:ecr:*:*:repository/\${aws:username}/*` }]] }, 'allowed'],
    ])('%s', (_case, scenario, reason) => {
      expect(reasonOf(scenario)).toBe(reason);
    });
  });

  describe('conditions on the request context', () => {
    const onTeam = (team: string) => allow('ecr:*', '*', { Condition: { StringEquals: { 'aws:PrincipalTag/team': team } } });
    const onProd = allow('ecr:*', '*', { Condition: { StringEquals: { 'aws:ResourceTag/env': 'prod' } } });
    const fromOffice = allow('ecr:*', '*', { Condition: { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } } });
    const denyInsecure = deny('ecr:*', '*', { Condition: { Bool: { 'aws:SecureTransport': 'false' } } });
    const inRegion = allow('ecr:*', '*', { Condition: { StringEquals: { 'aws:RequestedRegion': ['us-east-1', 'us-west-2'] } } });
    test.each<Case>([
      ['aws:PrincipalTag on the caller’s tag', { identity: [[onTeam('build')]] }, 'allowed'],
      ['aws:PrincipalTag on another team', { identity: [[onTeam('ops')]] }, 'no-identity-allow'],
      ['aws:PrincipalTag of a caller without tags', { principal: DEPLOYER, identity: [[onTeam('build')]] }, 'no-identity-allow'],
      ['aws:ResourceTag on the repository’s tag', { identity: [[onProd]], context: { 'aws:ResourceTag/env': ['prod'] } }, 'allowed'],
      ['aws:ResourceTag on another value', { identity: [[onProd]], context: { 'aws:ResourceTag/env': ['dev'] } }, 'no-identity-allow'],
      ['aws:ResourceTag on an untagged repository', { identity: [[onProd]] }, 'no-identity-allow'],
      ['aws:SourceIp inside the range', { identity: [[fromOffice]], context: { 'aws:SourceIp': ['203.0.113.9'] } }, 'allowed'],
      ['aws:SourceIp outside the range', { identity: [[fromOffice]], context: { 'aws:SourceIp': ['198.51.100.9'] } }, 'no-identity-allow'],
      ['aws:SecureTransport false under a Deny', { identity: [[allow('ecr:*'), denyInsecure]], context: { 'aws:SecureTransport': ['false'] } }, 'explicit-deny-identity'],
      ['aws:SecureTransport true under the same Deny', { identity: [[allow('ecr:*'), denyInsecure]], context: { 'aws:SecureTransport': ['true'] } }, 'allowed'],
      ['aws:RequestedRegion among the regions', { identity: [[inRegion]], context: { 'aws:RequestedRegion': ['us-west-2'] } }, 'allowed'],
      ['aws:RequestedRegion outside them', { identity: [[inRegion]], context: { 'aws:RequestedRegion': ['eu-west-1'] } }, 'no-identity-allow'],
      ['a Null Deny of untagged repositories', { identity: [[allow('ecr:*'), deny('ecr:*', '*', { Condition: { Null: { 'aws:ResourceTag/env': 'true' } } })]] }, 'explicit-deny-identity'],
      ["aws:PrincipalArn in a resource policy granting '*'", { repositoryPolicy: [grant('*', 'ecr:BatchGetImage', { Condition: { ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${ACCOUNT}:user/a*` } } })] }, 'allowed'],
      ["aws:PrincipalArn of a session's role in a resource policy granting '*'", { principal: DEPLOYER, repositoryPolicy: [grant('*', 'ecr:BatchGetImage', { Condition: { ArnEquals: { 'aws:PrincipalArn': DEPLOYER_ROLE } } })] }, 'allowed'],
      ["aws:PrincipalAccount in a resource policy granting '*' across accounts", { principal: PARTNER, identity: [[allow('ecr:*')]], repositoryPolicy: [grant('*', 'ecr:BatchGetImage', { Condition: { StringEquals: { 'aws:PrincipalAccount': '333333333333' } } })] }, 'no-resource-allow'],
    ])('%s', (_case, scenario, reason) => {
      expect(reasonOf(scenario)).toBe(reason);
    });
  });

  describe('with identity policies off (--iam off)', () => {
    test.each<Case>([
      ['a user without policies acts with its account’s rights', { iam: 'off' }, 'allowed'],
      ['an identity Deny is not evaluated', { iam: 'off', identity: [[deny('ecr:*')]] }, 'allowed'],
      ['a boundary allowing nothing is not evaluated', { iam: 'off', boundary: [allow('s3:*')] }, 'allowed'],
      ['a session policy allowing nothing is not evaluated', { iam: 'off', principal: DEPLOYER, session: [[allow('s3:*')]] }, 'allowed'],
      ['a resource policy Deny still applies', { iam: 'off', repositoryPolicy: [refuse({ AWS: ACCOUNT })] }, 'explicit-deny-resource'],
      ['a NotPrincipal Deny does not see the boundary', { iam: 'off', boundary: [allow('ecr:*')], repositoryPolicy: [{ Effect: 'Deny', NotPrincipal: { AWS: [ALICE.arn, ACCOUNT] }, Action: 'ecr:*' }] }, 'allowed'],
      ['another account without a resource policy is still refused', { iam: 'off', principal: PARTNER }, 'no-resource-allow'],
      ['another account named by the resource policy is allowed', { iam: 'off', principal: PARTNER, repositoryPolicy: [grant({ AWS: OTHER })] }, 'allowed'],
      ['another account’s resource policy Deny still applies', { iam: 'off', principal: PARTNER, repositoryPolicy: [grant({ AWS: OTHER }), refuse({ AWS: PARTNER.arn })] }, 'explicit-deny-resource'],
    ])('%s', (_case, scenario, reason) => {
      expect(reasonOf(scenario)).toBe(reason);
    });

    test('identity statements are not matched', () => {
      const decision = evaluate(request({ iam: 'off', identity: [[allow('ecr:*')]], repositoryPolicy: [grant({ AWS: ALICE.arn })] }));
      expect(decision.matched.map((statement) => statement.kind)).toEqual(['resource']);
    });
  });

  describe('the statements that decided', () => {
    test('an explicit deny names its policy and Sid', () => {
      const decision = evaluate(request({ identity: [[allow('ecr:*', '*', { Sid: 'Pull' })], [deny('ecr:*', REPO, { Sid: 'NoApp' })]] }));
      expect(decision).toMatchObject({ isAllowed: false, deciding: { policy: 'identity-2', kind: 'identity', statement: 'NoApp', effect: 'Deny', index: 0 } });
    });

    test('a statement without a Sid is named by its index', () => {
      const decision = evaluate(request({ identity: [[allow('s3:*'), allow('ecr:BatchGetImage')]] }));
      expect(decision.deciding).toEqual({ policy: 'identity-1', kind: 'identity', statement: 'Statement[1]', effect: 'Allow', index: 1 });
    });

    test('an empty Sid counts as none', () => {
      expect(evaluate(request({ identity: [[allow('ecr:*', '*', { Sid: '' })]] })).deciding?.statement).toBe('Statement[0]');
    });

    test('an implicit deny has no deciding statement', () => {
      const decision = evaluate(request({ identity: [[allow('ecr:*')]], boundary: [allow('s3:*')] }));
      expect([decision.reason, decision.deciding]).toEqual(['no-boundary-allow', undefined]);
    });

    test('an allow by a resource policy naming the user is decided by that statement', () => {
      const decision = evaluate(request({ identity: [[allow('ecr:*')]], repositoryPolicy: [grant({ AWS: ALICE.arn }, 'ecr:*', { Sid: 'AliceReads' })] }));
      expect(decision.deciding).toMatchObject({ kind: 'resource', policy: 'repository policy of app', statement: 'AliceReads' });
    });

    test('an allow across accounts is decided by the resource policy grant', () => {
      const decision = evaluate(request({ principal: PARTNER, identity: [[allow('ecr:*')]], repositoryPolicy: [grant({ AWS: OTHER }, 'ecr:*', { Sid: 'Partner' })] }));
      expect(decision.deciding).toMatchObject({ kind: 'resource', statement: 'Partner' });
    });

    test("a root's allow in its own account is decided by no statement", () => {
      expect(evaluate(request({ principal: ROOT })).deciding).toBeUndefined();
    });

    test('matched lists every applying statement of every kind, in evaluation order', () => {
      const decision = evaluate(request({
        principal: DEPLOYER,
        identity: [[allow('ecr:*', '*', { Sid: 'Role' }), allow('s3:*', '*', { Sid: 'Buckets' })]],
        boundary: [allow('ecr:*', '*', { Sid: 'Bound' })],
        session: [[allow('ecr:BatchGetImage', REPO, { Sid: 'Narrow' })]],
        repositoryPolicy: [grant({ AWS: ACCOUNT }, 'ecr:*', { Sid: 'Account' }), refuse({ AWS: BOB.arn }, 'ecr:*', { Sid: 'NotBob' })],
      }));
      expect(decision.matched.map(({ kind, statement, effect }) => `${kind}:${statement}:${effect}`)).toEqual([
        'resource:Account:Allow',
        'identity:Role:Allow',
        'permissions-boundary:Bound:Allow',
        'session:Narrow:Allow',
      ]);
    });

    test('an explicit deny decides even when an earlier kind allowed, and both are matched', () => {
      const decision = evaluate(request({ identity: [[allow('ecr:*', '*', { Sid: 'All' })]], repositoryPolicy: [refuse('*', 'ecr:*', { Sid: 'Nobody' })] }));
      expect([decision.reason, decision.deciding?.statement, decision.matched.length]).toEqual(['explicit-deny-resource', 'Nobody', 2]);
    });

    test.each<[string, Scenario, Record<string, string>]>([
      ['identity allowed, boundary not', { identity: [[allow('ecr:*')]], boundary: [allow('s3:*')] }, { identity: 'allowed', 'permissions-boundary': 'implicit-deny' }],
      ['resource denies, identity allows', { identity: [[allow('ecr:*')]], repositoryPolicy: [refuse('*')] }, { identity: 'allowed', resource: 'explicit-deny' }],
      ['a session policy allows, nothing else', { principal: DEPLOYER, session: [[allow('ecr:*')]] }, { identity: 'implicit-deny', session: 'allowed' }],
      ['a root with a resource policy', { principal: ROOT, repositoryPolicy: [grant({ AWS: BOB.arn })] }, { resource: 'implicit-deny' }],
      ['identity off', { iam: 'off', identity: [[allow('ecr:*')]], repositoryPolicy: [grant({ AWS: ACCOUNT })] }, { resource: 'allowed' }],
    ])('verdicts per kind of policy: %s', (_case, scenario, verdicts) => {
      expect(evaluate(request(scenario)).verdicts).toEqual(verdicts);
    });
  });
});

describe('statementCovers', () => {
  const policy = identityPolicy('identity', 'p', [allow('ecr:*', REPO, { Condition: { StringEquals: { 'aws:RequestedRegion': 'eu-west-1' } } }), allow('s3:*')]);

  test('covers a statement whose action and resource match, whatever its conditions', () => {
    expect(statementCovers(policy.document.statements[0]!, policy, request({}))).toBe(true);
  });

  test('does not cover a statement of another action', () => {
    expect(statementCovers(policy.document.statements[1]!, policy, request({}))).toBe(false);
  });

  test('does not cover a resource policy statement naming someone else', () => {
    const resourcePolicy = request({ repositoryPolicy: [grant({ AWS: BOB.arn })] }).resourcePolicy!;
    expect(statementCovers(resourcePolicy.document.statements[0]!, resourcePolicy, request({}))).toBe(false);
  });
});

describe('denialMessage', () => {
  const words = (reason: DecisionReason) => denialMessage({ principal: ALICE, action: 'ecr:BatchGetImage', resource: REPO }, { reason });
  const prefix = `User: ${ALICE.arn} is not authorized to perform: ecr:BatchGetImage on resource: ${REPO}`;

  test.each<[DecisionReason, string]>([
    ['no-identity-allow', 'because no identity-based policy allows the ecr:BatchGetImage action'],
    ['no-resource-allow', 'because no resource-based policy allows the ecr:BatchGetImage action'],
    ['no-boundary-allow', 'because no permissions boundary allows the ecr:BatchGetImage action'],
    ['no-session-allow', 'because no session policy allows the ecr:BatchGetImage action'],
    ['explicit-deny-identity', 'with an explicit deny in an identity-based policy'],
    ['explicit-deny-resource', 'with an explicit deny in a resource-based policy'],
    ['explicit-deny-boundary', 'with an explicit deny in a permissions boundary'],
    ['explicit-deny-session', 'with an explicit deny in a session policy'],
  ])('words %s as AWS does', (reason, ending) => {
    expect(words(reason)).toBe(`${prefix} ${ending}`);
  });

  test("names a session by its session ARN and an action on no resource by '*'", () => {
    const decision = evaluate(request({ principal: DEPLOYER, action: 'ecr:GetAuthorizationToken', resource: '*' }));
    expect(denialMessage({ principal: DEPLOYER, action: 'ecr:GetAuthorizationToken', resource: '*' }, decision)).toBe(
      `User: ${DEPLOYER.arn} is not authorized to perform: ecr:GetAuthorizationToken on resource: * because no identity-based policy allows the ecr:GetAuthorizationToken action`,
    );
  });

  test('refuses to word an allowed decision', () => {
    expect(() => words('allowed')).toThrow('was allowed');
  });
});

describe('evaluation cost', () => {
  test('a policy of 100 statements none of which applies is scanned whole and decides an implicit deny', () => {
    const statements = Array.from({ length: 100 }, (_, index) => allow(`ecr:Action${index}*`, `arn:aws:ecr:*:${ACCOUNT}:repository/team-${index}/*`));
    const decision = evaluate(request({ identity: [statements] }));
    expect([decision.reason, decision.matched]).toEqual(['no-identity-allow', []]);
  });
});
