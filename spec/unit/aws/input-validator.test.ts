import { AwsError } from '../../../src/aws/aws-error';
import { awsErrorFor, createInputValidator, createModelAjv } from '../../../src/aws/input-validator';

const validator = createInputValidator();

function errorOf(operationName: string, input: Record<string, unknown>): { type: string; message: string } {
  try {
    validator.validate(operationName, input);
  } catch (error) {
    if (error instanceof AwsError) return { type: error.type, message: error.message };
    throw error;
  }
  throw new Error(`${operationName} accepted ${JSON.stringify(input)}`);
}

function invalidParameter(path: string, constraint: string): { type: string; message: string } {
  return { type: 'InvalidParameterException', message: `Invalid parameter at '${path}' failed to satisfy constraint: '${constraint}'` };
}

const FILTER_PATTERN = '^[a-z0-9*](?:[._\\-/a-z0-9*]?[a-z0-9*]+)*$';
const REPOSITORY_NAME_PATTERN = '[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(\\/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*';
const scanningFilter = (filter: string) => ({ scanType: 'BASIC', rules: [{ scanFrequency: 'SCAN_ON_PUSH', repositoryFilters: [{ filter, filterType: 'WILDCARD' }] }] });

describe('the words of a broken model constraint', () => {
  test.each([
    ['a string under its minimum length', 'PutAccountSetting', { name: '', value: 'V2' }, 'name', 'Member must have length greater than or equal to 1'],
    ['a string over its maximum length', 'PutAccountSetting', { name: 'N'.repeat(65), value: 'V2' }, 'name', 'Member must have length less than or equal to 64'],
    ['an integer under its minimum', 'DescribeRepositories', { maxResults: 0 }, 'maxResults', 'Member must have value greater than or equal to 1'],
    ['an integer over its maximum', 'DescribeRepositories', { maxResults: 1001 }, 'maxResults', 'Member must have value less than or equal to 1000'],
    ['a list under its minimum size', 'BatchDeleteImage', { repositoryName: 'app', imageIds: [] }, 'imageIds', 'Member must have length greater than or equal to 1'],
    [
      'a list over its maximum size',
      'BatchDeleteImage',
      { repositoryName: 'app', imageIds: Array.from({ length: 101 }, (_unused, index) => ({ imageTag: `t${index}` })) },
      'imageIds',
      'Member must have length less than or equal to 100',
    ],
    [
      'a value outside its enum',
      'PutImageTagMutability',
      { repositoryName: 'app', imageTagMutability: 'invalid' },
      'imageTagMutability',
      'Member must satisfy enum value set: [MUTABLE, IMMUTABLE, IMMUTABLE_WITH_EXCLUSION, MUTABLE_WITH_EXCLUSION]',
    ],
    [
      'a value its pattern rejects (the model pattern as written)',
      'PutRegistryScanningConfiguration',
      scanningFilter('Team'),
      'rules.1.member.repositoryFilters.1.member.filter',
      `Member must satisfy regular expression pattern: ${FILTER_PATTERN}`,
    ],
    ['a member of a structure in a list (at its member path)', 'BatchDeleteImage', { repositoryName: 'app', imageIds: [{ imageTag: '' }] }, 'imageIds.1.member.imageTag', 'Member must have length greater than or equal to 1'],
    ['a blob over its maximum size (in bytes)', 'UploadLayerPart', { repositoryName: 'app', uploadId: '0a1b2c3d-0a1b-0a1b-0a1b-0a1b2c3d4e5f', partFirstByte: 0, partLastByte: 0, layerPartBlob: 'A'.repeat(27962036) }, 'layerPartBlob', 'Member must have length less than or equal to 20971520'],
  ])("answers %s with InvalidParameterException in Coral's sentence", (_case, operationName, input, path, constraint) => {
    expect(errorOf(operationName, input)).toEqual(invalidParameter(path, constraint));
  });

  test.each([
    ['a pattern', 'GetAuthorizationToken', { registryIds: ['12345678901'] }, 'registryIds', '[Member must satisfy regular expression pattern: [0-9]{12}]'],
    [
      'an enum',
      'CreateRepositoryCreationTemplate',
      { prefix: 'team', appliedFor: ['REPLICATION', 'EVERYTHING'] },
      'appliedFor',
      '[Member must satisfy enum value set: [REPLICATION, PULL_THROUGH_CACHE, CREATE_ON_PUSH]]',
    ],
  ])('reports an element of a list of scalars that breaks %s at the list, with every constraint of the element', (_case, operationName, input, path, constraints) => {
    expect(errorOf(operationName, input)).toEqual(invalidParameter(path, `Member must satisfy constraint: ${constraints}`));
  });

  test('reports an element of a list of scalars with every length and pattern constraint of the element, maximum first', () => {
    expect(errorOf('DescribePullThroughCacheRules', { ecrRepositoryPrefixes: ['A'] })).toEqual(
      invalidParameter(
        'ecrRepositoryPrefixes',
        'Member must satisfy constraint: [Member must have length less than or equal to 30, Member must have length greater than or equal to 2, ' +
          'Member must satisfy regular expression pattern: ^([a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(\\/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*\\/?|ROOT)$]',
      ),
    );
  });

  test.each([
    ['too short', 'CreateRepository', { repositoryName: 'a' }, 'must have length greater than or equal to 2'],
    ['too long', 'CreateRepository', { repositoryName: 'a'.repeat(257) }, 'must have length less than or equal to 256'],
    ['off its pattern', 'CreateRepository', { repositoryName: 'UPPER' }, `must satisfy regular expression '${REPOSITORY_NAME_PATTERN}'`],
    ['off its pattern in a list of names', 'DescribeRepositories', { repositoryNames: ['app', 'UPPER'] }, `must satisfy regular expression '${REPOSITORY_NAME_PATTERN}'`],
  ])("words a repository name %s in ECR's own words, at 'repositoryName'", (_case, operationName, input, constraint) => {
    expect(errorOf(operationName, input)).toEqual(invalidParameter('repositoryName', constraint));
  });

  test('reports only the first broken constraint, in model member order, without a count', () => {
    expect(errorOf('DescribeRepositories', { maxResults: 0, registryId: 'x' })).toEqual(invalidParameter('registryId', 'Member must satisfy regular expression pattern: [0-9]{12}'));
  });

  test('words a map key off its enum and a map value under its minimum at the map', () => {
    const validate = createModelAjv().compile({ $ref: 'ecr#/definitions/ImageScanFindingsSummary' });
    const errorFor = (input: unknown) => (validate(input) ? undefined : awsErrorFor('ImageScanFindingsSummary', input, validate.errors ?? [])?.message);
    expect(errorFor({ findingSeverityCounts: { BOGUS: 1 } })).toBe(
      "Invalid parameter at 'findingSeverityCounts' failed to satisfy constraint: " +
        "'Map keys must satisfy constraint: [Member must satisfy enum value set: [INFORMATIONAL, LOW, MEDIUM, HIGH, CRITICAL, UNDEFINED]]'",
    );
    expect(errorFor({ findingSeverityCounts: { HIGH: -1 } })).toBe(
      "Invalid parameter at 'findingSeverityCounts' failed to satisfy constraint: 'Map value must satisfy constraint: [Member must have value greater than or equal to 0]'",
    );
  });
});

describe('absent required members', () => {
  test('answer ValidationException for the one member absent', () => {
    expect(errorOf('CreateRepository', {})).toEqual({
      type: 'ValidationException',
      message: "1 validation error detected: Value null at 'repositoryName' failed to satisfy constraint: Member must not be null",
    });
  });

  test('are all counted and listed, in model order, joined by semicolons', () => {
    expect(errorOf('PutImage', {})).toEqual({
      type: 'ValidationException',
      message:
        "2 validation errors detected: Value null at 'repositoryName' failed to satisfy constraint: Member must not be null; " +
        "Value null at 'imageManifest' failed to satisfy constraint: Member must not be null",
    });
  });

  test('are named by their member path inside lists', () => {
    expect(errorOf('PutRegistryScanningConfiguration', { rules: [{}] }).message).toBe(
      "2 validation errors detected: Value null at 'rules.1.member.scanFrequency' failed to satisfy constraint: Member must not be null; " +
        "Value null at 'rules.1.member.repositoryFilters' failed to satisfy constraint: Member must not be null",
    );
  });

  test('come before a broken constraint elsewhere in the input', () => {
    expect(errorOf('PutImage', { repositoryName: 'a' })).toEqual({
      type: 'ValidationException',
      message: "1 validation error detected: Value null at 'imageManifest' failed to satisfy constraint: Member must not be null",
    });
  });
});

test('a value of the wrong JSON type fails deserialisation with SerializationException', () => {
  expect(errorOf('DescribeRepositories', { maxResults: 'ten' })).toEqual({ type: 'SerializationException', message: "Unexpected value type at 'maxResults': expected integer" });
});
