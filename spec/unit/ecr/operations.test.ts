// The operation table covers the model exactly: each operation is served or listed as not implemented, never both.
import { operationNames } from '../../../src/aws/model';
import { notImplementedOperations, operationHandlers } from '../../../src/ecr/operations';

describe('operation table', () => {
  it('holds the 58 operations of the vendored ECR model', () => {
    expect(operationNames()).toHaveLength(58);
  });

  it('serves only model operations', () => {
    const model = new Set(operationNames());
    expect(Object.keys(operationHandlers).filter((name) => !model.has(name))).toEqual([]);
  });

  it('lists every model operation in exactly one of served and not implemented', () => {
    const served = Object.keys(operationHandlers);
    const missing = notImplementedOperations();
    expect(served.filter((name) => missing.includes(name))).toEqual([]);
    expect([...served, ...missing].sort()).toEqual(operationNames());
  });
});
