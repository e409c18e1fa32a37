// The precompiled ECR validators: what `npm run codegen` makes from the committed model, one per operation input,
// and judging every input as validators compiled at run time from the same schema do.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createModelAjv, createShapeValidators } from '../../../src/aws/input-validator';
import { ecrModel } from '../../../src/aws/model';
import { modelSchema, schemaIdOf } from '../../../src/aws/shape-schema';
import { standaloneValidatorsSource } from '../../../src/aws/validator-codegen';

const GENERATED = join(__dirname, '../../../src/aws/ecr-validators.generated.ts');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const precompiled = require('../../../src/aws/ecr-validators.generated') as Record<string, ((input: unknown) => boolean) & { errors?: unknown }>;
const compiledNow = createShapeValidators(() => createModelAjv(modelSchema(ecrModel)), schemaIdOf(ecrModel));

describe('the precompiled ECR validators', () => {
  test('are what `npm run codegen` makes from the committed model', () => {
    expect(readFileSync(GENERATED, 'utf8') === standaloneValidatorsSource(ecrModel)).toBe(true);
  });

  test('cover the input shape of every operation', () => {
    const inputs = Object.values(ecrModel.operations).flatMap((operation) => (operation.input === undefined ? [] : [operation.input.shape]));
    expect(inputs.filter((shape) => typeof precompiled[shape] !== 'function')).toEqual([]);
  });

  const samples: [string, unknown][] = [
    ['CreateRepositoryRequest', { repositoryName: 'team/app' }],
    ['CreateRepositoryRequest', { repositoryName: 'Team/App' }],
    ['CreateRepositoryRequest', { repositoryName: 'a'.repeat(257) }],
    ['CreateRepositoryRequest', {}],
    ['CreateRepositoryRequest', { repositoryName: 'app', imageTagMutability: 'SOMETIMES' }],
    ['CreateRepositoryRequest', { repositoryName: 'app', tags: [{ Key: 'k', Value: 'v' }], encryptionConfiguration: { encryptionType: 'KMS', kmsKey: 'x' } }],
    ['CreateRepositoryRequest', { repositoryName: 'app', tags: [{ Key: 'k' }] }],
    ['PutImageRequest', { repositoryName: 'app', imageManifest: '{}', imageTag: 'v1' }],
    ['PutImageRequest', { repositoryName: 'app', imageManifest: '', imageTag: 'v1' }],
    ['PutImageRequest', { repositoryName: 'app', imageManifest: '{}', imageTag: 'x'.repeat(301) }],
    ['BatchGetImageRequest', { repositoryName: 'app', imageIds: [{ imageTag: 'v1' }, { imageDigest: 'sha256:abc' }] }],
    ['BatchGetImageRequest', { repositoryName: 'app', imageIds: [] }],
    ['BatchGetImageRequest', { repositoryName: 'app', imageIds: 'v1' }],
    ['DescribeImagesRequest', { repositoryName: 'app', maxResults: 0 }],
    ['DescribeImagesRequest', { repositoryName: 'app', maxResults: 1000, filter: { tagStatus: 'TAGGED' } }],
    ['DescribeRepositoriesRequest', { registryId: '12345678901', repositoryNames: ['app'] }],
    ['SetRepositoryPolicyRequest', { repositoryName: 'app', policyText: '{}', force: 'yes' }],
    ['PutLifecyclePolicyRequest', { repositoryName: 'app', lifecyclePolicyText: 'x'.repeat(100) }],
  ];

  test.each(samples)('judge a %s as the run-time compiled validator does: %j', (shape, input) => {
    const now = compiledNow(shape);
    const verdict = now(input);
    expect({ valid: precompiled[shape]!(input), errors: precompiled[shape]!.errors ?? null }).toEqual({ valid: verdict, errors: now.errors ?? null });
  });
});
