// IAM's check of identity and trust policy documents: what it accepts (and evaluation can then parse), and the
// first problem it names, in IAM's MalformedPolicyDocument wording.
import { IDENTITY_POLICY_RULES, parsePolicyDocument, TRUST_POLICY_RULES } from '../../../src/auth/iam-policy';
import { QueryError } from '../../../src/aws/query-error';
import { checkPolicyDocument, policySizeInCharacters, type PolicyDocumentKind } from '../../../src/iam/identity-policy';

const ALLOW_LIST = { Effect: 'Allow', Action: 's3:ListBucket', Resource: 'arn:aws:s3:::example_bucket' };
const TRUST = { Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' };

function text(document: unknown): string {
  return typeof document === 'string' ? document : JSON.stringify(document);
}

function withStatement(statement: unknown, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statement, ...extra });
}

function problemOf(document: string, kind: PolicyDocumentKind = 'identity'): string {
  try {
    checkPolicyDocument(document, kind);
  } catch (error) {
    if (error instanceof QueryError && error.code === 'MalformedPolicyDocument') return error.message;
    throw error;
  }
  throw new Error('the policy was accepted');
}

describe('checkPolicyDocument for identity policies', () => {
  it.each([
    ['one statement object', withStatement({ ...ALLOW_LIST, Resource: ['arn:aws:s3:::example_bucket'] })],
    ['an action IAM does not know', withStatement({ ...ALLOW_LIST, Action: 'fsx:ListBucket' })],
    ['the "*" action and resource', withStatement({ Effect: 'Allow', Action: '*', Resource: '*' })],
    ['NotAction and NotResource', withStatement({ Effect: 'Deny', NotAction: 'iam:*', NotResource: 'arn:aws:iam::123456789012:user/admin' })],
    ['an IAM resource with a path', withStatement({ ...ALLOW_LIST, Resource: 'arn:aws:iam:::user/example_bucket' })],
    ['a regional resource of another service', withStatement({ ...ALLOW_LIST, Resource: 'arn:aws:ec2:us-east-1::example_bucket' })],
    ['an empty Condition', withStatement({ ...ALLOW_LIST, Condition: {} })],
    ['set operators and IfExists', withStatement({ ...ALLOW_LIST, Condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': 'Department' }, StringLikeIfExists: { 's3:prefix': ['home/*'] } } })],
    ['boolean and number condition values', withStatement({ ...ALLOW_LIST, Condition: { Bool: { 'aws:SecureTransport': false }, NumericLessThan: { 's3:max-keys': 10 } } })],
    ['statements with distinct Sids', withStatement([{ ...ALLOW_LIST, Sid: 'one' }, { ...ALLOW_LIST, Sid: 'two' }])],
  ])('accepts %s, which evaluation can then parse', (_label, document) => {
    expect(() => checkPolicyDocument(document, 'identity')).not.toThrow();
    expect(() => parsePolicyDocument(document, IDENTITY_POLICY_RULES)).not.toThrow();
  });

  // The cases and wordings of moto's test_iam_policies.py, which mirror what IAM answers.
  it.each([
    ['text that is not JSON', 'This is not a json document', 'Syntax errors in policy.'],
    ['no Version', text({ Statement: ALLOW_LIST }), 'Policy document must be version 2012-10-17 or greater.'],
    ['Version 2008-10-17', withStatement(ALLOW_LIST, { Version: '2008-10-17' }), 'Policy document must be version 2012-10-17 or greater.'],
    ['an unknown Version', withStatement(ALLOW_LIST, { Version: '2013-10-17' }), 'Syntax errors in policy.'],
    ['no Statement', text({ Version: '2012-10-17' }), 'Syntax errors in policy.'],
    ['an empty Statement list', withStatement([]), 'Syntax errors in policy.'],
    ['a statement that is a string', withStatement(['afd']), 'Syntax errors in policy.'],
    ['an unknown top-level element', withStatement(ALLOW_LIST, { 'Extra field': 'value' }), 'Syntax errors in policy.'],
    ['an unknown statement element', withStatement({ ...ALLOW_LIST, 'Extra field': 'value' }), 'Syntax errors in policy.'],
    ['an Id that is a list', withStatement(ALLOW_LIST, { Id: ['x'] }), 'Syntax errors in policy.'],
    ['a missing Effect', withStatement({ Action: 's3:ListBucket', Resource: 'arn:aws:s3:::example_bucket' }), 'Syntax errors in policy.'],
    ['an invalid Effect', withStatement({ ...ALLOW_LIST, Effect: 'invalid' }), 'Syntax errors in policy.'],
    ['an Effect in the wrong case', withStatement({ ...ALLOW_LIST, Effect: 'denY' }), 'The policy failed legacy parsing'],
    ['Action and NotAction together', withStatement({ ...ALLOW_LIST, NotAction: 'iam:dsf' }), 'Syntax errors in policy.'],
    ['Resource and NotResource together', withStatement({ ...ALLOW_LIST, NotResource: '*' }), 'Syntax errors in policy.'],
    ['a Resource that is an object', withStatement({ ...ALLOW_LIST, Resource: { a: 'arn:aws:s3:::example_bucket' } }), 'Syntax errors in policy.'],
    ['a Condition that is a list', withStatement({ ...ALLOW_LIST, Condition: [] }), 'Syntax errors in policy.'],
    ['an unknown condition operator', withStatement({ ...ALLOW_LIST, Condition: { x: { a: '1' } } }), 'Syntax errors in policy.'],
    ['a Sid that is an object', withStatement({ ...ALLOW_LIST, Sid: {} }), 'Syntax errors in policy.'],
    ['a Principal', withStatement({ ...ALLOW_LIST, Principal: { AWS: '123456789012' } }), 'Policy document should not specify a principal.'],
    ['a NotPrincipal', withStatement({ ...ALLOW_LIST, NotPrincipal: '*' }), 'Policy document should not specify a principal.'],
    ['duplicate Sids', withStatement([{ ...ALLOW_LIST, Sid: 'sdf' }, { Sid: 'sdf', Effect: 'Allow' }]), 'Statement IDs (SID) in a single policy must be unique.'],
    ['a statement without actions', withStatement({ Effect: 'Allow', Resource: 'arn:aws:s3:::example_bucket' }), 'Policy statement must contain actions.'],
    ['an empty action list', withStatement({ ...ALLOW_LIST, Action: [] }), 'Policy statement must contain actions.'],
    ['a statement without resources', withStatement({ Effect: 'Allow', Action: 's3:ListBucket' }), 'Policy statement must contain resources.'],
    ['an empty resource list', withStatement({ ...ALLOW_LIST, Resource: [] }), 'Policy statement must contain resources.'],
    ['an action without a vendor', withStatement({ ...ALLOW_LIST, Action: 'invalid' }), 'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.'],
    ['an action with two colons', withStatement({ ...ALLOW_LIST, Action: 's3:List:Bucket' }), 'Actions/Condition can contain only one colon.'],
    ['a vendor with a space', withStatement({ ...ALLOW_LIST, Action: 'a a:ListBucket' }), 'Vendor a a is not valid'],
    ['a resource that is no ARN', withStatement({ ...ALLOW_LIST, Resource: 'invalid resource' }), 'Resource invalid resource must be in ARN format or "*".'],
    ['an empty resource', withStatement({ ...ALLOW_LIST, Resource: '' }), 'Resource  must be in ARN format or "*".'],
    ['an unknown partition', withStatement({ ...ALLOW_LIST, Resource: 'arn:b:c:d:e:f:g:h' }), 'Partition "b" is not valid for resource "arn:b:c:d:e:f:g:h".'],
    ['the last of two bad partitions', withStatement({ ...ALLOW_LIST, Resource: ['arn:error:s3:::example_bucket', 'arn:error:s3::example_bucket'] }), 'Partition "error" is not valid for resource "arn:error:s3:::example_bucket".'],
    ['an ARN without a service', withStatement({ ...ALLOW_LIST, Resource: 'arn:aws' }), 'Resource vendor must be fully qualified and cannot contain regexes.'],
    ['an IAM resource with a region', withStatement({ ...ALLOW_LIST, Resource: 'arn:aws:iam:us-east-1::example_bucket' }), 'IAM resource arn:aws:iam:us-east-1::example_bucket cannot contain region information.'],
    ['an S3 resource with a region', withStatement({ ...ALLOW_LIST, Resource: 'arn:aws:s3:us-east-1::example_bucket' }), 'Resource arn:aws:s3:us-east-1::example_bucket can not contain region information.'],
    ['an IAM resource of no IAM kind', withStatement({ ...ALLOW_LIST, Resource: 'arn:aws:iam:::example_bucket' }), 'IAM resource path must either be "*" or start with user/, federated-user/, role/, group/, instance-profile/, mfa/, server-certificate/, policy/, sms-mfa/, saml-provider/, oidc-provider/, report/, access-report/.'],
    ['a short ARN with "::"', withStatement({ ...ALLOW_LIST, Resource: 'arn:aws:s3::example_bucket' }), 'The policy failed legacy parsing'],
    ['an ARN with an empty service', withStatement({ ...ALLOW_LIST, Resource: 'arn:aws::::example_bucket' }), 'The policy failed legacy parsing'],
  ])('rejects %s with IAM\'s message', (_label, document, message) => {
    expect(problemOf(document)).toBe(message);
  });
});

describe('checkPolicyDocument for trust policies', () => {
  it.each([
    ['a service principal', withStatement(TRUST)],
    ['Version 2008-10-17', withStatement(TRUST, { Version: '2008-10-17' })],
    ['an account, a role and a user', withStatement({ ...TRUST, Principal: { AWS: ['123456789012', 'arn:aws:iam::123456789012:role/ci', 'arn:aws:iam::123456789012:user/path/bob'] } })],
    ['everyone, with a condition', withStatement({ ...TRUST, Principal: '*', Condition: { StringEquals: { 'sts:ExternalId': 'x' } } })],
    ['a federated principal with two actions', withStatement({ ...TRUST, Principal: { Federated: 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com' }, Action: ['sts:AssumeRoleWithWebIdentity', 'sts:TagSession'] })],
  ])('accepts %s, which evaluation can then parse', (_label, document) => {
    expect(() => checkPolicyDocument(document, 'trust')).not.toThrow();
    expect(() => parsePolicyDocument(document, TRUST_POLICY_RULES)).not.toThrow();
  });

  it.each([
    ['a Resource', withStatement({ ...TRUST, Resource: '*' }), 'Has prohibited field Resource'],
    ['a NotResource', withStatement({ ...TRUST, NotResource: '*' }), 'Has prohibited field NotResource'],
    ['no principal', withStatement({ Effect: 'Allow', Action: 'sts:AssumeRole' }), 'Invalid principal in policy: com.amazon.balsa.error.InvalidPolicyException: The passed in policy has a statement with no principals!'],
    ['an AWS principal that is no account or ARN', withStatement({ ...TRUST, Principal: { AWS: 'bob' } }), 'Invalid principal in policy: "AWS":"bob"'],
    ['a service principal of no service', withStatement({ ...TRUST, Principal: { Service: 'ec2' } }), 'Invalid principal in policy: "Service":"ec2"'],
    ['a canonical user', withStatement({ ...TRUST, Principal: { CanonicalUser: 'abc' } }), 'Invalid principal in policy: "CanonicalUser":"abc"'],
    ['an action of another service', withStatement({ ...TRUST, Action: 's3:GetObject' }), 'AssumeRole policy may only specify STS AssumeRole actions.'],
    ['no action', withStatement({ Effect: 'Allow', Principal: '*' }), 'Policy statement must contain actions.'],
    ['bad JSON', '{"Version": ', 'Syntax errors in policy.'],
  ])('rejects %s with IAM\'s message', (_label, document, message) => {
    expect(problemOf(document, 'trust')).toBe(message);
  });
});

describe('policySizeInCharacters', () => {
  it('counts the document without the whitespace between JSON tokens, keeping spaces inside strings', () => {
    expect(policySizeInCharacters('{\n  "Sid" : "a b"\n}')).toBe('{"Sid":"a b"}'.length);
  });
});
