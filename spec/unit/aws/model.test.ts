// Typed access to the vendored models: lookups by own keys only, the query metadata IAM and STS answer with, and
// the ECR helpers unchanged for ECR callers.
import { ecrModel, findOperation, findOperationIn, iamModel, iamPaginators, operationNamesIn, shapeIn, shapeNamed, stsModel } from '../../../src/aws/model';

describe('findOperationIn', () => {
  test.each([
    ['IAM', iamModel, 'CreateUser'],
    ['STS', stsModel, 'AssumeRole'],
    ['ECR', ecrModel, 'CreateRepository'],
  ] as const)('finds a %s operation by name', (_service, model, name) => {
    expect(findOperationIn(model, name)?.name).toBe(name);
  });

  test.each(['__proto__', 'constructor', 'toString', 'hasOwnProperty'])('finds no operation named %s', (name) => {
    expect(findOperationIn(iamModel, name)).toBeUndefined();
  });

  test('finds an operation of one model only in that model', () => {
    expect([findOperationIn(stsModel, 'CreateUser'), findOperationIn(iamModel, 'AssumeRole')]).toEqual([undefined, undefined]);
  });
});

describe('shapeIn', () => {
  test('gives the shape of that name', () => {
    expect(shapeIn(iamModel, 'userNameType')).toMatchObject({ type: 'string', min: 1, max: 64, pattern: '[\\w+=,.@-]+' });
  });

  test('throws an Error naming the model for a shape it does not have', () => {
    expect(() => shapeIn(stsModel, '__proto__')).toThrow('shape __proto__ is not in the STS model');
  });
});

describe('the query models', () => {
  test.each([
    [iamModel, 'https://iam.amazonaws.com/doc/2010-05-08/', '2010-05-08'],
    [stsModel, 'https://sts.amazonaws.com/doc/2011-06-15/', '2011-06-15'],
  ])('speak the query protocol in their XML namespace', (model, xmlNamespace, apiVersion) => {
    expect(model.metadata).toMatchObject({ protocol: 'query', xmlNamespace, apiVersion });
  });

  test('give each output its result wrapper', () => {
    expect(findOperationIn(iamModel, 'ListUsers')?.output).toEqual({ shape: 'ListUsersResponse', resultWrapper: 'ListUsersResult' });
  });

  test('give a model exception its wire code and status', () => {
    expect(shapeIn(iamModel, 'NoSuchEntityException').error).toEqual({ code: 'NoSuchEntity', httpStatusCode: 404, senderFault: true });
  });

  test('list the IAM operations sorted', () => {
    const names = operationNamesIn(iamModel);
    expect(names).toEqual([...names].sort());
  });
});

test('iamPaginators pages ListUsers by Marker and MaxItems, truncation in IsTruncated', () => {
  expect(iamPaginators.ListUsers).toEqual({ input_token: 'Marker', output_token: 'Marker', limit_key: 'MaxItems', more_results: 'IsTruncated', result_key: 'Users' });
});

test('the ECR helpers read the ECR model', () => {
  expect([findOperation('PutImage')?.name, shapeNamed('RepositoryName').type]).toEqual(['PutImage', 'string']);
});
