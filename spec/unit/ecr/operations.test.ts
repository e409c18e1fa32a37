// The operation table: model operations only, each defined by one domain module, joined without silent overrides.
import { operationNames } from '../../../src/aws/model';
import type { OperationHandlers } from '../../../src/ecr/ecr-context';
import { domainHandlers, joinHandlers, operationHandlers } from '../../../src/ecr/operations';

describe('operation table', () => {
  it('holds the 58 operations of the vendored ECR model', () => {
    expect(operationNames()).toHaveLength(58);
  });

  it('serves only model operations', () => {
    const model = new Set(operationNames());
    expect(Object.keys(operationHandlers).filter((name) => !model.has(name))).toEqual([]);
  });

  it('has no operation defined by two domain handler modules', () => {
    const modulesOf = new Map<string, string[]>();
    for (const [module, handlers] of Object.entries(domainHandlers)) {
      for (const operation of Object.keys(handlers)) modulesOf.set(operation, [...(modulesOf.get(operation) ?? []), module]);
    }
    expect([...modulesOf].filter(([, modules]) => modules.length > 1)).toEqual([]);
  });

  it('serves each operation with the handler of the module that defines it', () => {
    for (const handlers of Object.values(domainHandlers)) {
      for (const [operation, handler] of Object.entries(handlers)) expect(operationHandlers[operation as keyof OperationHandlers]).toBe(handler);
    }
  });
});

describe('joinHandlers', () => {
  const describeRegistry: OperationHandlers = { DescribeRegistry: (_input, context) => ({ registryId: context.scope.accountId }) };

  it('joins modules that define different operations', () => {
    const getAuthorizationToken: OperationHandlers = { GetAuthorizationToken: () => ({ authorizationData: [] }) };
    expect(Object.keys(joinHandlers({ describeRegistry, getAuthorizationToken })).sort()).toEqual(['DescribeRegistry', 'GetAuthorizationToken']);
  });

  it('throws, naming both modules, when two modules define the same operation', () => {
    const again: OperationHandlers = { DescribeRegistry: (_input, context) => ({ registryId: context.scope.accountId }) };
    expect(() => joinHandlers({ describeRegistry, again })).toThrow('DescribeRegistry is defined by both describeRegistry and again');
  });
});
