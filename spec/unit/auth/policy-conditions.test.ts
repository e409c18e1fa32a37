// IAM condition operators against a request context: each operator family, IfExists, the set qualifiers, Null,
// missing keys, case-insensitive key names and policy variables.
import { conditionsHold, expandPolicyVariables, isConditionOperator } from '../../../src/auth/policy-conditions';

const CONTEXT = {
  'aws:PrincipalArn': ['arn:aws:iam::111111111111:user/ci/alice'],
  'aws:PrincipalAccount': ['111111111111'],
  'aws:username': ['alice'],
  'aws:EpochTime': ['1800000000'],
  'aws:CurrentTime': ['2027-01-15T08:00:00Z'],
  'aws:SecureTransport': ['false'],
  'aws:SourceIp': ['203.0.113.7'],
  'aws:TagKeys': ['team', 'env'],
  'sts:ExternalId': ['s3cret'],
};

describe('conditionsHold', () => {
  test.each([
    ['StringEquals on an equal value', { StringEquals: { 'sts:ExternalId': ['s3cret'] } }, true],
    ['StringEquals on another value', { StringEquals: { 'sts:ExternalId': ['other'] } }, false],
    ['StringEquals with one of several values', { StringEquals: { 'sts:ExternalId': ['a', 's3cret'] } }, true],
    ['StringEquals is case-sensitive in values', { StringEquals: { 'sts:ExternalId': ['S3CRET'] } }, false],
    ['StringEqualsIgnoreCase', { StringEqualsIgnoreCase: { 'sts:ExternalId': ['S3CRET'] } }, true],
    ['StringNotEquals on another value', { StringNotEquals: { 'sts:ExternalId': ['other'] } }, true],
    ['StringLike with *', { StringLike: { 'aws:PrincipalArn': ['arn:aws:iam::111111111111:user/ci/*'] } }, true],
    ['StringLike with ?', { StringLike: { 'aws:username': ['al?ce'] } }, true],
    ['StringNotLike', { StringNotLike: { 'aws:username': ['bo*'] } }, true],
    ['ArnLike', { ArnLike: { 'aws:PrincipalArn': ['arn:aws:iam::*:user/ci/*'] } }, true],
    ['ArnNotLike on a match', { ArnNotLike: { 'aws:PrincipalArn': ['arn:aws:iam::*:user/*'] } }, false],
    ['NumericLessThan', { NumericLessThan: { 'aws:EpochTime': ['1900000000'] } }, true],
    ['NumericGreaterThanEquals on a smaller value', { NumericGreaterThanEquals: { 'aws:EpochTime': ['1900000000'] } }, false],
    ['NumericEquals on text that is no number', { NumericEquals: { 'aws:username': ['1'] } }, false],
    ['DateGreaterThan in ISO 8601', { DateGreaterThan: { 'aws:CurrentTime': ['2027-01-01T00:00:00Z'] } }, true],
    ['DateLessThan in epoch seconds', { DateLessThan: { 'aws:CurrentTime': ['1700000000'] } }, false],
    ['Bool', { Bool: { 'aws:SecureTransport': ['false'] } }, true],
    ['IpAddress in a CIDR', { IpAddress: { 'aws:SourceIp': ['203.0.113.0/24'] } }, true],
    ['NotIpAddress outside a CIDR', { NotIpAddress: { 'aws:SourceIp': ['198.51.100.0/24'] } }, true],
    ['keys are case-insensitive', { StringEquals: { 'STS:EXTERNALID': ['s3cret'] } }, true],
    ['every operator must hold', { StringEquals: { 'sts:ExternalId': ['s3cret'] }, Bool: { 'aws:SecureTransport': ['true'] } }, false],
    ['every key of an operator must hold', { StringEquals: { 'sts:ExternalId': ['s3cret'], 'aws:username': ['bob'] } }, false],
  ])('%s', (_case, conditions, expected) => {
    expect(conditionsHold(conditions, CONTEXT)).toBe(expected);
  });

  test.each([
    ['a positive operator on a missing key does not hold', { StringEquals: { 'aws:RequestTag/team': ['a'] } }, false],
    ['IfExists on a missing key holds', { StringEqualsIfExists: { 'aws:RequestTag/team': ['a'] } }, true],
    ['IfExists on a present key compares', { StringEqualsIfExists: { 'sts:ExternalId': ['other'] } }, false],
    ['a negated operator on a missing key holds', { StringNotEquals: { 'aws:RequestTag/team': ['a'] } }, true],
    ['Null true on a missing key', { Null: { 'aws:RequestTag/team': ['true'] } }, true],
    ['Null false on a present key', { Null: { 'sts:ExternalId': ['false'] } }, true],
    ['Null true on a present key', { Null: { 'sts:ExternalId': ['true'] } }, false],
  ])('%s', (_case, conditions, expected) => {
    expect(conditionsHold(conditions, CONTEXT)).toBe(expected);
  });

  test.each([
    ['ForAllValues when every value is allowed', { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['team', 'env', 'owner'] } }, true],
    ['ForAllValues when one value is not', { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['team'] } }, false],
    ['ForAllValues over a missing key', { 'ForAllValues:StringEquals': { 'aws:RequestTag/x': ['team'] } }, true],
    ['ForAnyValue when one value matches', { 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['env'] } }, true],
    ['ForAnyValue when none does', { 'ForAnyValue:StringEquals': { 'aws:TagKeys': ['owner'] } }, false],
  ])('%s', (_case, conditions, expected) => {
    expect(conditionsHold(conditions, CONTEXT)).toBe(expected);
  });

  test('an unknown operator never holds', () => {
    expect(conditionsHold({ StringSortOf: { 'sts:ExternalId': ['s3cret'] } }, CONTEXT)).toBe(false);
  });

  test('no conditions hold', () => {
    expect(conditionsHold(undefined, CONTEXT)).toBe(true);
  });

  test('policy variables are replaced by the context value', () => {
    expect(conditionsHold({ StringLike: { 'aws:PrincipalArn': ['arn:aws:iam::*:user/ci/${aws:username}'] } }, CONTEXT)).toBe(true);
  });

  test('a wildcard pattern of many stars answers at once on a long value', () => {
    const value = 'a'.repeat(4096);
    expect(conditionsHold({ StringLike: { 'aws:username': ['*a*a*a*a*a*a*a*a*a*a*b'] } }, { 'aws:username': [value] })).toBe(false);
  });
});

describe('expandPolicyVariables', () => {
  test.each([
    ['a present key', 'home/${aws:username}/*', 'home/alice/*'],
    ['the escapes', '${*}${?}${$}', '*?$'],
    ['a default for a missing key', "${aws:RequestTag/team, 'none'}", 'none'],
  ])('replaces %s', (_case, value, expected) => {
    expect(expandPolicyVariables(value, CONTEXT)).toBe(expected);
  });

  test('leaves a value with a missing key and no default unmatched', () => {
    expect(expandPolicyVariables('${aws:RequestTag/team}', CONTEXT)).toBeUndefined();
  });
});

describe('isConditionOperator', () => {
  test.each(['StringEquals', 'ArnLikeIfExists', 'ForAllValues:StringLike', 'ForAnyValue:NumericEqualsIfExists', 'Null'])('knows %s', (name) => {
    expect(isConditionOperator(name)).toBe(true);
  });

  test.each(['StringEqual', 'ForSomeValues:StringEquals', 'NullIfExists', 'IfExists', 'toString', '__proto__'])('refuses %s', (name) => {
    expect(isConditionOperator(name)).toBe(false);
  });
});
