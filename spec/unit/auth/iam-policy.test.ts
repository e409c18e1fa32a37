// Policy document grammar: what parses, the typed document it gives, the first problem it names, and the lock-out check.
import {
  actionMatches,
  deniesUnconditionally,
  parsePolicyDocument,
  REGISTRY_POLICY_RULES,
  REPOSITORY_POLICY_RULES,
  type PolicyDocument,
} from '../../../src/auth/iam-policy';
import { DomainError } from '../../../src/images/domain-error';

const ACCOUNT = '123456789012';

function statementText(statement: Record<string, unknown>, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: [statement], ...extra });
}

const PULL = { Sid: 'Pull', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'] };

function problemOf(text: string, rules = REPOSITORY_POLICY_RULES): string {
  try {
    parsePolicyDocument(text, rules);
  } catch (error) {
    if (error instanceof DomainError && error.kind === 'InvalidParameter') return error.message;
    throw error;
  }
  throw new Error('the policy was accepted');
}

describe('parsePolicyDocument', () => {
  it('parses a repository policy into statements with lists for single values', () => {
    const document = parsePolicyDocument(
      statementText({ ...PULL, Action: 'ecr:*', Condition: { StringEquals: { 'aws:PrincipalOrgID': 'o-1' }, Bool: { 'aws:SecureTransport': true } } }),
      REPOSITORY_POLICY_RULES,
    );
    expect(document).toEqual<PolicyDocument>({
      version: '2012-10-17',
      statements: [
        {
          sid: 'Pull',
          effect: 'Allow',
          principal: { AWS: [`arn:aws:iam::${ACCOUNT}:root`] },
          actions: ['ecr:*'],
          conditions: { StringEquals: { 'aws:PrincipalOrgID': ['o-1'] }, Bool: { 'aws:SecureTransport': ['true'] } },
        },
      ],
    });
  });

  it.each([
    ['a single statement object', { Version: '2008-10-17', Statement: PULL }],
    ['Principal "*"', { Statement: [{ ...PULL, Principal: '*' }] }],
    ['a service principal', { Statement: [{ ...PULL, Principal: { Service: 'codebuild.amazonaws.com' } }] }],
    ['an account id principal', { Statement: [{ ...PULL, Principal: { AWS: [ACCOUNT, '*'] } }] }],
    ['NotPrincipal and NotAction', { Statement: [{ Effect: 'Deny', NotPrincipal: { AWS: ACCOUNT }, NotAction: 'ecr:Describe*' }] }],
    ['the "*" action and a lower-case service prefix', { Statement: [{ ...PULL, Action: ['*', 'ECR:batchgetimage', 'ecr:Get?ownload*'] }] }],
    ['an Id', { Id: 'policy-1', Statement: [PULL] }],
  ])('accepts %s', (_label, document) => {
    expect(() => parsePolicyDocument(JSON.stringify(document), REPOSITORY_POLICY_RULES)).not.toThrow();
  });

  it('accepts a Resource in a registry policy', () => {
    const document = parsePolicyDocument(statementText({ ...PULL, Resource: `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/*` }), REGISTRY_POLICY_RULES);
    expect(document.statements[0]!.resources).toEqual([`arn:aws:ecr:us-east-1:${ACCOUNT}:repository/*`]);
  });

  it.each([
    ['text that is not JSON', 'not a policy', 'policy: is not valid JSON'],
    ['a JSON array', '[]', 'policy: must be a JSON object'],
    ['an unknown top-level element', JSON.stringify({ Statement: [PULL], Extra: 1 }), 'policy: unknown element Extra'],
    ['an unknown Version', JSON.stringify({ Version: '2020-01-01', Statement: [PULL] }), 'Version: must be one of 2012-10-17, 2008-10-17'],
    ['a missing Statement', JSON.stringify({ Version: '2012-10-17' }), 'policy: Statement is required'],
    ['an empty Statement list', JSON.stringify({ Statement: [] }), 'Statement: must not be an empty list'],
    ['a statement that is not an object', JSON.stringify({ Statement: ['Allow'] }), 'Statement[0]: must be an object'],
    ['an unknown statement element', statementText({ ...PULL, Effects: 'Allow' }), 'Statement[0]: unknown element Effects'],
    ['an Effect other than Allow and Deny', statementText({ ...PULL, Effect: 'allow' }), "Statement[0].Effect: must be 'Allow' or 'Deny'"],
    ['a missing Effect', statementText({ Principal: '*', Action: 'ecr:*' }), "Statement[0].Effect: must be 'Allow' or 'Deny'"],
    ['a missing Principal', statementText({ Effect: 'Allow', Action: 'ecr:*' }), 'Statement[0]: Principal or NotPrincipal is required'],
    ['both Principal and NotPrincipal', statementText({ ...PULL, NotPrincipal: '*' }), 'Statement[0]: Principal and NotPrincipal cannot both be given'],
    ['a principal that is a plain string', statementText({ ...PULL, Principal: ACCOUNT }), "Statement[0].Principal: must be '*' or an object of principal types"],
    ['an unknown principal type', statementText({ ...PULL, Principal: { User: 'me' } }), 'Statement[0].Principal: unknown element User'],
    ['a malformed AWS principal', statementText({ ...PULL, Principal: { AWS: 'bob' } }), "Statement[0].Principal.AWS: 'bob' is not '*', an account id or an IAM ARN"],
    ['a missing Action', statementText({ Effect: 'Allow', Principal: '*' }), 'Statement[0]: Action or NotAction is required'],
    ['both Action and NotAction', statementText({ ...PULL, NotAction: 'ecr:*' }), 'Statement[0]: Action and NotAction cannot both be given'],
    ['an action of another service', statementText({ ...PULL, Action: 's3:GetObject' }), "Statement[0].Action: 's3:GetObject' is not '*' or an ecr: action"],
    ['an empty action list', statementText({ ...PULL, Action: [] }), 'Statement[0].Action: must not be an empty list'],
    ['an action that is not a string', statementText({ ...PULL, Action: [1] }), 'Statement[0].Action[0]: must be a non-empty string'],
    ['a Sid that is not a string', statementText({ ...PULL, Sid: 7 }), 'Statement[0].Sid: must be a string'],
    ['a Resource in a repository policy', statementText({ ...PULL, Resource: '*' }), 'Statement[0]: Resource is not allowed in this policy'],
    ['a Condition that is not an object', statementText({ ...PULL, Condition: 'yes' }), 'Statement[0].Condition: must be an object of condition operators'],
    ['a condition value that is an object', statementText({ ...PULL, Condition: { StringEquals: { k: { a: 1 } } } }), 'Statement[0].Condition.StringEquals.k: condition values must be strings, numbers or booleans'],
  ])('rejects %s with the problem named', (_label, text, problem) => {
    expect(problemOf(text)).toBe(problem);
  });

  it('rejects a registry policy Resource that is not an ARN', () => {
    expect(problemOf(statementText({ ...PULL, Resource: 'repository/*' }), REGISTRY_POLICY_RULES)).toBe("Statement[0].Resource: 'repository/*' is not '*' or an ARN");
  });
});

describe('actionMatches', () => {
  it.each([
    ['ecr:*', 'ecr:SetRepositoryPolicy', true],
    ['*', 'ecr:SetRepositoryPolicy', true],
    ['ECR:setrepositorypolicy', 'ecr:SetRepositoryPolicy', true],
    ['ecr:Set*', 'ecr:SetRepositoryPolicy', true],
    ['ecr:SetRepositoryPolic?', 'ecr:SetRepositoryPolicy', true],
    ['ecr:Get*', 'ecr:SetRepositoryPolicy', false],
    ['ecr:SetRepository', 'ecr:SetRepositoryPolicy', false],
  ])('matches %s against %s: %s', (pattern, action, expected) => {
    expect(actionMatches(pattern, action)).toBe(expected);
  });
});

describe('deniesUnconditionally', () => {
  const denySet = { Effect: 'Deny', Principal: '*', Action: 'ecr:SetRepositoryPolicy' };
  const parse = (statement: Record<string, unknown>): PolicyDocument => parsePolicyDocument(statementText(statement), REPOSITORY_POLICY_RULES);

  it.each([
    ['a Deny of the action to everyone', true, denySet],
    ['a Deny by wildcard action to the account', true, { ...denySet, Principal: { AWS: ACCOUNT }, Action: 'ecr:*' }],
    ['a Deny to the account root ARN', true, { ...denySet, Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` } }],
    ['a Deny of every action but reads', true, { Effect: 'Deny', Principal: '*', NotAction: 'ecr:Get*' }],
    ['a Deny to everyone but another account', true, { ...denySet, Principal: undefined, NotPrincipal: { AWS: '999999999999' } }],
    ['an Allow', false, { ...denySet, Effect: 'Allow' }],
    ['a Deny of other actions', false, { ...denySet, Action: 'ecr:DeleteRepository' }],
    ['a Deny to another account', false, { ...denySet, Principal: { AWS: '999999999999' } }],
    ['a Deny of every action but this one', false, { Effect: 'Deny', Principal: '*', NotAction: 'ecr:Set*' }],
    ['a Deny to everyone but the account', false, { ...denySet, Principal: undefined, NotPrincipal: { AWS: ACCOUNT } }],
    ['a Deny under a condition', false, { ...denySet, Condition: { Bool: { 'aws:SecureTransport': 'false' } } }],
  ])('reports %s as a lock-out: %s', (_label, expected, statement) => {
    expect(deniesUnconditionally(parse(statement), 'ecr:SetRepositoryPolicy', ACCOUNT)).toBe(expected);
  });
});
