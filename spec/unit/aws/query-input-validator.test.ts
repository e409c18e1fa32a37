// The words of IAM's and STS's ValidationError: every failure counted and listed, each with its value and its
// member path in lowerCamel, in Coral's sentences (as real answers quote them, e.g. CreateRole's "Value '...' at
// 'roleName' failed to satisfy constraint: Member must have length less than or equal to 64").
import { iamModel, stsModel, type QueryServiceModel } from '../../../src/aws/model';
import { QueryError } from '../../../src/aws/query-error';
import { createQueryInputValidator } from '../../../src/aws/query-input-validator';

const validators = new Map([iamModel, stsModel].map((model) => [model, createQueryInputValidator(model)]));

function errorOf(model: QueryServiceModel, operationName: string, input: Record<string, unknown>): { code: string; message: string } {
  try {
    validators.get(model)!.validate(operationName, input);
  } catch (error) {
    if (error instanceof QueryError) return { code: error.code, message: error.message };
    throw error;
  }
  throw new Error(`${operationName} accepted ${JSON.stringify(input)}`);
}

const one = (failure: string): string => `1 validation error detected: ${failure}`;
const ARN_PATTERN = '[\\u0009\\u000A\\u000D\\u0020-\\u007E\\u0085\\u00A0-\\uD7FF\\uE000-\\uFFFD\\u10000-\\u10FFFF]+';

describe('one broken constraint', () => {
  test.each([
    ['a name its pattern rejects', iamModel, 'CreateUser', { UserName: 'bad name!' }, "Value 'bad name!' at 'userName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+"],
    ['a name over its maximum length', iamModel, 'CreateRole', { RoleName: 'r'.repeat(65), AssumeRolePolicyDocument: '{}' }, `Value '${'r'.repeat(65)}' at 'roleName' failed to satisfy constraint: Member must have length less than or equal to 64`],
    ['a number over its maximum', stsModel, 'AssumeRole', { RoleArn: 'arn:aws:iam::123456789012:role/r', RoleSessionName: 'session', DurationSeconds: 43201 }, "Value '43201' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to 43200"],
    ['a number under its minimum', iamModel, 'ListUsers', { MaxItems: 0 }, "Value '0' at 'maxItems' failed to satisfy constraint: Member must have value greater than or equal to 1"],
    ['a value outside its enum', iamModel, 'UpdateAccessKey', { AccessKeyId: 'AKIAIOSFODNN7EXAMPLE', Status: 'On' }, "Value 'On' at 'status' failed to satisfy constraint: Member must satisfy enum value set: [Active, Inactive, Expired]"],
    ['a path its \\u pattern rejects, quoted as the model writes it', iamModel, 'CreateUser', { UserName: 'bob', Path: 'team' }, "Value 'team' at 'path' failed to satisfy constraint: Member must satisfy regular expression pattern: (\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)"],
    ['a description with characters past Latin-1', iamModel, 'CreateRole', { RoleName: 'r', AssumeRolePolicyDocument: '{}', Description: 'アイアム' }, "Value 'アイアム' at 'description' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\u0009\\u000A\\u000D\\u0020-\\u007E\\u00A1-\\u00FF]*"],
    ['an account alias with a double hyphen (the lookahead pattern)', iamModel, 'CreateAccountAlias', { AccountAlias: 'my--alias' }, "Value 'my--alias' at 'accountAlias' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$"],
    ['a member of a structure in a list, at its member path', iamModel, 'TagUser', { UserName: 'bob', Tags: [{ Key: 'ok', Value: 'v' }, { Key: 'k!', Value: 'v' }] }, "Value 'k!' at 'tags.2.member.key' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+"],
    ['a list over its maximum size', stsModel, 'AssumeRole', { RoleArn: 'arn:aws:iam::123456789012:role/r', RoleSessionName: 'session', TransitiveTagKeys: Array.from({ length: 51 }, () => 'k') }, `Value '[${Array.from({ length: 51 }, () => 'k').join(', ')}]' at 'transitiveTagKeys' failed to satisfy constraint: Member must have length less than or equal to 50`],
  ])('words %s', (_case, model, operationName, input, failure) => {
    expect(errorOf(model, operationName, input)).toEqual({ code: 'ValidationError', message: one(failure) });
  });

  test('words an element of a list of scalars at the list, with every constraint of the element', () => {
    expect(errorOf(iamModel, 'CreateOpenIDConnectProvider', { Url: 'https://example.com', ThumbprintList: ['abc'] }).message).toBe(
      one("Value '[abc]' at 'thumbprintList' failed to satisfy constraint: Member must satisfy constraint: [Member must have length less than or equal to 40, Member must have length greater than or equal to 40]"),
    );
  });

  test('leaves the value of a sensitive member out', () => {
    expect(errorOf(iamModel, 'CreateLoginProfile', { UserName: 'bob', Password: 'p\u0100ss' }).message).toBe(
      one("Value at 'password' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\u0009\\u000A\\u000D\\u0020-\\u00FF]+"),
    );
  });
});

describe('absent required members', () => {
  test('are worded as null', () => {
    expect(errorOf(iamModel, 'CreateUser', {}).message).toBe(one("Value null at 'userName' failed to satisfy constraint: Member must not be null"));
  });

  test('are named by their member path inside lists', () => {
    expect(errorOf(iamModel, 'TagUser', { UserName: 'bob', Tags: [{ Key: 'k' }] }).message).toBe(one("Value null at 'tags.1.member.value' failed to satisfy constraint: Member must not be null"));
  });
});

describe('several failures', () => {
  test('are counted and joined by semicolons: absent members first, then broken constraints', () => {
    expect(errorOf(iamModel, 'PutUserPolicy', { PolicyName: 'bad name!' }).message).toBe(
      '3 validation errors detected: ' +
        "Value null at 'userName' failed to satisfy constraint: Member must not be null; " +
        "Value null at 'policyDocument' failed to satisfy constraint: Member must not be null; " +
        "Value 'bad name!' at 'policyName' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+",
    );
  });

  test('of one member list its pattern before its length, as STS answers an empty role ARN', () => {
    expect(errorOf(stsModel, 'AssumeRole', { RoleArn: '', RoleSessionName: 'session' }).message).toBe(
      '2 validation errors detected: ' +
        `Value '' at 'roleArn' failed to satisfy constraint: Member must satisfy regular expression pattern: ${ARN_PATTERN}; ` +
        "Value '' at 'roleArn' failed to satisfy constraint: Member must have length greater than or equal to 20",
    );
  });

  test('of elements of one list of scalars are one failure of the list', () => {
    expect(errorOf(iamModel, 'CreateOpenIDConnectProvider', { Url: 'https://example.com', ThumbprintList: ['a', 'b'] }).message).toMatch(/^1 validation error detected: Value '\[a, b\]' at 'thumbprintList'/);
  });
});

describe('what passes', () => {
  test.each([
    ['a valid CreateUser with tags', iamModel, 'CreateUser', { UserName: 'bob+ci@example.com', Path: '/team/', Tags: [{ Key: 'env', Value: '' }] }],
    ['members the shape does not name', iamModel, 'GetUser', { UserName: 'bob', Bogus: 'x' }],
    ['an operation without input members', stsModel, 'GetCallerIdentity', {}],
    ['an operation the model does not have', iamModel, 'Nonexistent', { anything: 1 }],
    ['an account alias of single hyphens', iamModel, 'CreateAccountAlias', { AccountAlias: 'my-alias-1' }],
    ['a role ARN of 20 characters', stsModel, 'AssumeRole', { RoleArn: 'arn:aws:iam::1:role/', RoleSessionName: 'ab' }],
  ])('accepts %s', (_case, model, operationName, input) => {
    expect(() => validators.get(model)!.validate(operationName, input)).not.toThrow();
  });
});
