// auth/iam-policy.ts's rules for the documents IAM keeps: identity policies name any service's actions and their
// resources and no principal; trust policies name principals, STS actions and no resource.
import { IDENTITY_POLICY_RULES, parsePolicyDocument, TRUST_POLICY_RULES, type PolicyRules } from '../../../src/auth/iam-policy';
import { DomainError } from '../../../src/images/domain-error';

function problemOf(statement: Record<string, unknown>, rules: PolicyRules): string {
  try {
    parsePolicyDocument(JSON.stringify({ Version: '2012-10-17', Statement: [statement] }), rules);
  } catch (error) {
    if (error instanceof DomainError) return error.message;
    throw error;
  }
  throw new Error('the policy was accepted');
}

describe('IDENTITY_POLICY_RULES', () => {
  it('parses actions of any service with their resources', () => {
    const document = parsePolicyDocument(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 'iam:*', 'sts:AssumeRole'], Resource: 'arn:aws:s3:::b/*' }] }), IDENTITY_POLICY_RULES);
    expect(document.statements[0]).toEqual({ effect: 'Allow', actions: ['s3:GetObject', 'iam:*', 'sts:AssumeRole'], resources: ['arn:aws:s3:::b/*'] });
  });

  it.each([
    ['a Principal', { Effect: 'Allow', Principal: '*', Action: 'ecr:*', Resource: '*' }, 'Statement[0]: Principal is not allowed in this policy'],
    ['no Resource', { Effect: 'Allow', Action: 'ecr:*' }, 'Statement[0]: Resource or NotResource is required'],
    ['an action without a service', { Effect: 'Allow', Action: 'GetObject', Resource: '*' }, "Statement[0].Action: 'GetObject' is not '*' or a service:action"],
  ])('refuses %s', (_label, statement, problem) => {
    expect(problemOf(statement, IDENTITY_POLICY_RULES)).toBe(problem);
  });
});

describe('TRUST_POLICY_RULES', () => {
  it('parses principals and STS actions', () => {
    const document = parsePolicyDocument(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: '111111111111' }, Action: ['sts:AssumeRole', 'sts:TagSession'] }] }), TRUST_POLICY_RULES);
    expect(document.statements[0]).toEqual({ effect: 'Allow', principal: { AWS: ['111111111111'] }, actions: ['sts:AssumeRole', 'sts:TagSession'] });
  });

  it.each([
    ['no Principal', { Effect: 'Allow', Action: 'sts:AssumeRole' }, 'Statement[0]: Principal or NotPrincipal is required'],
    ['a Resource', { Effect: 'Allow', Principal: '*', Action: 'sts:AssumeRole', Resource: '*' }, 'Statement[0]: Resource is not allowed in this policy'],
    ['an action of another service', { Effect: 'Allow', Principal: '*', Action: 'ecr:GetAuthorizationToken' }, "Statement[0].Action: 'ecr:GetAuthorizationToken' is not '*' or an sts: action"],
  ])('refuses %s', (_label, statement, problem) => {
    expect(problemOf(statement, TRUST_POLICY_RULES)).toBe(problem);
  });
});
