// Repositories through the SDK: creation settings and their rules, describing and paging, deleting with and without
// force, tag mutability and scanning settings, and the modelled errors of each.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CreateRepositoryCommand,
  DeleteRepositoryCommand,
  DescribeRepositoriesCommand,
  ListTagsForResourceCommand,
  PutImageScanningConfigurationCommand,
  PutImageTagMutabilityCommand,
  type CreateRepositoryCommandInput,
  ListImagesCommand,
} from '@aws-sdk/client-ecr';
import { testClock } from '../helpers/test-clock';
import { useTestEmulator } from '../helpers/test-emulator';

const ACCOUNT = '000000000000';
const REGION = 'us-east-1';
const START = new Date('2026-02-01T09:30:00.250Z');
const env = useTestEmulator({ clock: testClock(START) });

async function create(input: Omit<CreateRepositoryCommandInput, 'repositoryName'> & { repositoryName?: string } = {}) {
  const { repository } = await env.ecr.send(new CreateRepositoryCommand({ repositoryName: 'app', ...input }));
  return repository!;
}

describe('CreateRepository', () => {
  it('creates a repository with ECR defaults and its ARN, URI and creation time', async () => {
    const repository = await create({ repositoryName: 'team/app' });
    expect(repository).toMatchObject({
      repositoryArn: `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/team/app`,
      registryId: ACCOUNT,
      repositoryName: 'team/app',
      repositoryUri: `${env.emulator.registryHost}/team/app`,
      imageTagMutability: 'MUTABLE',
      imageScanningConfiguration: { scanOnPush: false },
      encryptionConfiguration: { encryptionType: 'AES256' },
    });
    expect(repository.imageTagMutabilityExclusionFilters).toBeUndefined();
    expect(repository.createdAt).toEqual(START);
  });

  it('keeps the settings it was created with and reports them on describe', async () => {
    await create({ imageTagMutability: 'IMMUTABLE', imageScanningConfiguration: { scanOnPush: true } });
    const { repositories } = await env.ecr.send(new DescribeRepositoriesCommand({}));
    expect(repositories).toHaveLength(1);
    expect(repositories![0]).toMatchObject({ imageTagMutability: 'IMMUTABLE', imageScanningConfiguration: { scanOnPush: true } });
  });

  it('creates the repository in the registry named by registryId when that is the caller\'s own', async () => {
    const own = env.ecrClient({ accountId: '123456789012' });
    const { repository } = await own.send(new CreateRepositoryCommand({ repositoryName: 'app', registryId: '123456789012' }));
    expect(repository!.repositoryArn).toBe(`arn:aws:ecr:${REGION}:123456789012:repository/app`);
  });

  it('refuses to create a repository in another account\'s registry with AccessDeniedException', async () => {
    await expect(create({ registryId: '123456789012' })).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: `User: arn:aws:iam::${ACCOUNT}:root is not authorized to perform: ecr:CreateRepository on resource: arn:aws:ecr:${REGION}:123456789012:repository/app because no resource-based policy allows the ecr:CreateRepository action`,
      $metadata: { httpStatusCode: 400 },
    });
    const { repositories } = await env.ecrClient({ accountId: '123456789012' }).send(new DescribeRepositoriesCommand({}));
    expect(repositories).toEqual([]);
  });

  it('stores the tags it is given', async () => {
    const tags = [{ Key: 'team', Value: 'infra' }, { Key: 'env', Value: '' }];
    const repository = await create({ tags });
    const listed = await env.ecr.send(new ListTagsForResourceCommand({ resourceArn: repository.repositoryArn }));
    expect(listed.tags).toEqual(tags);
  });

  it('accepts 50 tags', async () => {
    const tags = Array.from({ length: 50 }, (_, index) => ({ Key: `key-${index}`, Value: `${index}` }));
    const repository = await create({ tags });
    const listed = await env.ecr.send(new ListTagsForResourceCommand({ resourceArn: repository.repositoryArn }));
    expect(listed.tags).toHaveLength(50);
  });

  it('rejects 51 tags with TooManyTagsException and creates nothing', async () => {
    const tags = Array.from({ length: 51 }, (_, index) => ({ Key: `key-${index}`, Value: `${index}` }));
    await expect(create({ tags })).rejects.toMatchObject({ name: 'TooManyTagsException', message: '51 tags were given; a repository can have at most 50 tags' });
    expect((await env.ecr.send(new DescribeRepositoriesCommand({}))).repositories).toEqual([]);
  });

  it.each([
    ['an empty key', { Key: '', Value: 'x' }, "The tag key '' is invalid: tag keys must be 1 to 128 characters long"],
    ['a key of 129 characters', { Key: 'k'.repeat(129), Value: 'x' }, `The tag key '${'k'.repeat(129)}' is invalid: tag keys must be 1 to 128 characters long`],
    ['a key with a forbidden character', { Key: 'team!', Value: 'x' }, "The tag key 'team!' is invalid: tag keys may contain only letters, digits, spaces and _ . : / = + - @"],
    ['a key with the aws: prefix', { Key: 'AWS:owner', Value: 'x' }, "The tag key 'AWS:owner' is invalid: the aws: prefix is reserved for AWS use"],
    ['a value of 257 characters', { Key: 'team', Value: 'v'.repeat(257) }, "The value of tag 'team' is invalid: tag values can be at most 256 characters long"],
    ['a value with a forbidden character', { Key: 'team', Value: 'a|b' }, "The value of tag 'team' is invalid: tag values may contain only letters, digits, spaces and _ . : / = + - @"],
  ])('rejects a tag with %s with InvalidTagParameterException', async (_label, tag, message) => {
    await expect(create({ tags: [tag] })).rejects.toMatchObject({ name: 'InvalidTagParameterException', message });
  });

  it('accepts keys and values of letters of any script, spaces and the allowed symbols at the length limits', async () => {
    const tags = [{ Key: `Équipe ${'k'.repeat(121)}`, Value: `_.:/=+-@ ${'é'.repeat(247)}` }];
    expect([...tags[0]!.Key]).toHaveLength(128);
    expect([...tags[0]!.Value]).toHaveLength(256);
    await expect(create({ tags })).resolves.toBeDefined();
  });

  it('rejects a key given twice with InvalidTagParameterException', async () => {
    await expect(create({ tags: [{ Key: 'env', Value: 'a' }, { Key: 'env', Value: 'b' }] })).rejects.toMatchObject({
      name: 'InvalidTagParameterException',
      message: "The tag key 'env' is given more than once: tag keys must be unique",
    });
  });

  it.each(['IMMUTABLE_WITH_EXCLUSION', 'MUTABLE_WITH_EXCLUSION'] as const)('creates %s with its exclusion filters', async (imageTagMutability) => {
    const filters = [{ filterType: 'WILDCARD' as const, filter: 'dev-*' }, { filterType: 'WILDCARD' as const, filter: 'latest' }];
    const repository = await create({ imageTagMutability, imageTagMutabilityExclusionFilters: filters });
    expect(repository).toMatchObject({ imageTagMutability, imageTagMutabilityExclusionFilters: filters });
    const { repositories } = await env.ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ['app'] }));
    expect(repositories![0]!.imageTagMutabilityExclusionFilters).toEqual(filters);
  });

  it.each(['IMMUTABLE_WITH_EXCLUSION', 'MUTABLE_WITH_EXCLUSION'] as const)('rejects %s without exclusion filters with InvalidParameterException', async (imageTagMutability) => {
    await expect(create({ imageTagMutability })).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: `Invalid parameter at 'imageTagMutabilityExclusionFilters' failed to satisfy constraint: 'ImageTagMutabilityExclusionFilters can't be null when imageTagMutability is set as ${imageTagMutability}'`,
    });
  });

  it.each([
    ['MUTABLE', 'MUTABLE'],
    ['IMMUTABLE', 'IMMUTABLE'],
    ['no mutability', undefined],
  ] as const)('rejects exclusion filters with %s with InvalidParameterException', async (_label, imageTagMutability) => {
    await expect(create({ imageTagMutability, imageTagMutabilityExclusionFilters: [{ filterType: 'WILDCARD', filter: 'dev-*' }] })).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: `Invalid parameter at 'imageTagMutabilityExclusionFilters' failed to satisfy constraint: 'ImageTagMutabilityExclusionFilters must be null when imageTagMutability is set as ${imageTagMutability ?? 'MUTABLE'}'`,
    });
  });

  it.each([
    ['a filter with a forbidden character', [{ filterType: 'WILDCARD' as const, filter: 'dev/*' }]],
    ['six filters', Array.from({ length: 6 }, (_, index) => ({ filterType: 'WILDCARD' as const, filter: `f${index}` }))],
  ])('rejects %s with InvalidParameterException', async (_label, filters) => {
    await expect(create({ imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION', imageTagMutabilityExclusionFilters: filters })).rejects.toMatchObject({ name: 'InvalidParameterException' });
  });

  it.each([
    ['KMS with a key', { encryptionType: 'KMS' as const, kmsKey: 'arn:aws:kms:us-east-1:000000000000:key/1234' }, { encryptionType: 'KMS', kmsKey: 'arn:aws:kms:us-east-1:000000000000:key/1234' }],
    [
      'KMS without a key, which uses the AWS managed key',
      { encryptionType: 'KMS' as const },
      { encryptionType: 'KMS', kmsKey: expect.stringMatching(new RegExp(`^arn:aws:kms:${REGION}:${ACCOUNT}:key/[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)) },
    ],
    ['KMS_DSSE with a key alias', { encryptionType: 'KMS_DSSE' as const, kmsKey: 'alias/mine' }, { encryptionType: 'KMS_DSSE', kmsKey: 'alias/mine' }],
    ['AES256', { encryptionType: 'AES256' as const }, { encryptionType: 'AES256' }],
  ])('creates a repository encrypted with %s', async (_label, encryptionConfiguration, expected) => {
    const repository = await create({ encryptionConfiguration });
    expect(repository.encryptionConfiguration).toEqual(expected);
    const { repositories } = await env.ecr.send(new DescribeRepositoriesCommand({}));
    expect(repositories![0]!.encryptionConfiguration).toEqual(expected);
  });

  it('reports one AWS managed key per account and region, whatever the repository', async () => {
    const keyOf = async (repositoryName: string, accountId?: string): Promise<string | undefined> => {
      const ecr = env.ecrClient(accountId !== undefined ? { accountId } : {});
      const { repository } = await ecr.send(new CreateRepositoryCommand({ repositoryName, encryptionConfiguration: { encryptionType: 'KMS' } }));
      return repository!.encryptionConfiguration!.kmsKey;
    };
    const first = await keyOf('one');
    expect(await keyOf('two')).toBe(first);
    expect(await keyOf('one', '123456789012')).not.toBe(first);
  });

  it('rejects AES256 with a KMS key with InvalidParameterException', async () => {
    await expect(create({ encryptionConfiguration: { encryptionType: 'AES256', kmsKey: 'alias/mine' } })).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: "Invalid parameter at 'encryptionConfiguration' failed to satisfy constraint: 'kmsKey can only be specified when encryptionType is KMS or KMS_DSSE'",
    });
  });

  it('rejects a second repository of the same name with RepositoryAlreadyExistsException', async () => {
    await create();
    await expect(create()).rejects.toMatchObject({
      name: 'RepositoryAlreadyExistsException',
      message: `The repository with name 'app' already exists in the registry with id '${ACCOUNT}'`,
    });
  });

  it('lets exactly one of 20 concurrent creates of one name succeed', async () => {
    const outcomes = await Promise.allSettled(Array.from({ length: 20 }, () => create({ repositoryName: 'contended' })));
    const failures = outcomes.filter((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
    expect(outcomes.filter((outcome) => outcome.status === 'fulfilled')).toHaveLength(1);
    expect(failures).toHaveLength(19);
    for (const failure of failures) expect((failure.reason as Error).name).toBe('RepositoryAlreadyExistsException');
  });
});

describe('DescribeRepositories', () => {
  const NAMES = ['alpha', 'bravo', 'charlie', 'delta', 'echo'];

  beforeEach(async () => {
    for (const repositoryName of [...NAMES].reverse()) await create({ repositoryName });
  });

  it('lists every repository ordered by name', async () => {
    const { repositories, nextToken } = await env.ecr.send(new DescribeRepositoriesCommand({}));
    expect(repositories!.map((repository) => repository.repositoryName)).toEqual(NAMES);
    expect(nextToken).toBeUndefined();
  });

  it('pages with maxResults and nextToken until no token is returned', async () => {
    const seen: string[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const page = await env.ecr.send(new DescribeRepositoriesCommand({ maxResults: 2, ...(nextToken !== undefined ? { nextToken } : {}) }));
      seen.push(...page.repositories!.map((repository) => repository.repositoryName!));
      nextToken = page.nextToken;
      pages += 1;
    } while (nextToken !== undefined);
    expect(seen).toEqual(NAMES);
    expect(pages).toBe(3);
  });

  it('describes the repositories it names', async () => {
    const { repositories } = await env.ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ['delta', 'bravo'] }));
    expect(repositories!.map((repository) => repository.repositoryName).sort()).toEqual(['bravo', 'delta']);
  });

  it('answers a named repository that does not exist with RepositoryNotFoundException', async () => {
    await expect(env.ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ['alpha', 'missing'] }))).rejects.toMatchObject({
      name: 'RepositoryNotFoundException',
      message: `The repository with name 'missing' does not exist in the registry with id '${ACCOUNT}'`,
    });
  });

  it.each([
    ['maxResults', { maxResults: 2 }],
    ['nextToken', { nextToken: 'eyJwIjoiYWxwaGEifQ' }],
  ])('rejects repositoryNames with %s with InvalidParameterException', async (_label, paging) => {
    await expect(env.ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ['alpha'], ...paging }))).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: "Invalid parameter at 'repositoryNames' failed to satisfy constraint: 'maxResults and nextToken cannot be used together with repositoryNames'",
    });
  });

  it('rejects a forged nextToken with InvalidParameterException', async () => {
    await expect(env.ecr.send(new DescribeRepositoriesCommand({ nextToken: 'not-a-token' }))).rejects.toMatchObject({ name: 'InvalidParameterException' });
  });
});

describe('DeleteRepository', () => {
  it('deletes an empty repository and returns it', async () => {
    await create({ tags: [{ Key: 'env', Value: 'dev' }] });
    const { repository } = await env.ecr.send(new DeleteRepositoryCommand({ repositoryName: 'app' }));
    expect(repository).toMatchObject({ repositoryName: 'app', registryId: ACCOUNT });
    expect((await env.ecr.send(new DescribeRepositoriesCommand({}))).repositories).toEqual([]);
  });

  it('answers a missing repository with RepositoryNotFoundException', async () => {
    await expect(env.ecr.send(new DeleteRepositoryCommand({ repositoryName: 'missing', force: true }))).rejects.toMatchObject({
      name: 'RepositoryNotFoundException',
      message: `The repository with name 'missing' does not exist in the registry with id '${ACCOUNT}'`,
    });
  });

  it('forgets everything about a deleted repository, so a new one of that name starts clean', async () => {
    await create({ tags: [{ Key: 'env', Value: 'dev' }], imageTagMutability: 'IMMUTABLE' });
    await env.ecr.send(new DeleteRepositoryCommand({ repositoryName: 'app' }));
    const repository = await create();
    expect(repository.imageTagMutability).toBe('MUTABLE');
    expect((await env.ecr.send(new ListTagsForResourceCommand({ resourceArn: repository.repositoryArn }))).tags).toEqual([]);
  });
});

describe('DeleteRepository of a repository with images', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'ecr-repositories-'));
  });
  const disk = useTestEmulator({ startOptions: () => ({ memory: false, dataDir }), repositories: ['full'] });
  afterAll(() => {
    rmSync(dataDir, { recursive: true, force: true });
  });

  async function imageCount(repository: string): Promise<number> {
    return (await disk.ecr.send(new ListImagesCommand({ repositoryName: repository }))).imageIds!.length;
  }

  beforeEach(async () => {
    // A real push through the data plane: a config, a layer and a manifest.
    await disk.registry.pushImage('full', 'v1');
  });

  it('refuses without force with RepositoryNotEmptyException and keeps the repository', async () => {
    await expect(disk.ecr.send(new DeleteRepositoryCommand({ repositoryName: 'full' }))).rejects.toMatchObject({
      name: 'RepositoryNotEmptyException',
      message: `The repository with name 'full' in registry with id '${ACCOUNT}' cannot be deleted because it still contains images`,
    });
    expect((await disk.ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ['full'] }))).repositories).toHaveLength(1);
    expect(await imageCount('full')).toBe(1);
  });

  it('deletes with force, images included', async () => {
    const { repository } = await disk.ecr.send(new DeleteRepositoryCommand({ repositoryName: 'full', force: true }));
    expect(repository!.repositoryName).toBe('full');
    await expect(disk.ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ['full'] }))).rejects.toMatchObject({ name: 'RepositoryNotFoundException' });
    // Recreated, the name starts empty: the forced delete took the images with it.
    await disk.ecr.send(new CreateRepositoryCommand({ repositoryName: 'full' }));
    expect(await imageCount('full')).toBe(0);
  });
});

describe('PutImageTagMutability', () => {
  it.each([
    ['IMMUTABLE', undefined],
    ['MUTABLE', undefined],
    ['IMMUTABLE_WITH_EXCLUSION', [{ filterType: 'WILDCARD' as const, filter: 'latest' }]],
    ['MUTABLE_WITH_EXCLUSION', [{ filterType: 'WILDCARD' as const, filter: 'release-*' }]],
  ] as const)('sets %s and reports it', async (imageTagMutability, filters) => {
    await create({ imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION', imageTagMutabilityExclusionFilters: [{ filterType: 'WILDCARD', filter: 'old-*' }] });
    const answer = await env.ecr.send(new PutImageTagMutabilityCommand({
      repositoryName: 'app',
      imageTagMutability,
      ...(filters !== undefined ? { imageTagMutabilityExclusionFilters: [...filters] } : {}),
    }));
    expect(answer).toMatchObject({ registryId: ACCOUNT, repositoryName: 'app', imageTagMutability });
    expect(answer.imageTagMutabilityExclusionFilters).toEqual(filters);
    const { repositories } = await env.ecr.send(new DescribeRepositoriesCommand({}));
    expect(repositories![0]).toMatchObject({ imageTagMutability });
    expect(repositories![0]!.imageTagMutabilityExclusionFilters).toEqual(filters);
  });

  it('rejects a *_WITH_EXCLUSION setting without filters with InvalidParameterException and keeps the old setting', async () => {
    await create({ imageTagMutability: 'IMMUTABLE' });
    await expect(env.ecr.send(new PutImageTagMutabilityCommand({ repositoryName: 'app', imageTagMutability: 'MUTABLE_WITH_EXCLUSION' }))).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: "Invalid parameter at 'imageTagMutabilityExclusionFilters' failed to satisfy constraint: 'ImageTagMutabilityExclusionFilters can't be null when imageTagMutability is set as MUTABLE_WITH_EXCLUSION'",
    });
    expect((await env.ecr.send(new DescribeRepositoriesCommand({}))).repositories![0]!.imageTagMutability).toBe('IMMUTABLE');
  });

  it('rejects filters with MUTABLE with InvalidParameterException', async () => {
    await create();
    await expect(env.ecr.send(new PutImageTagMutabilityCommand({
      repositoryName: 'app',
      imageTagMutability: 'MUTABLE',
      imageTagMutabilityExclusionFilters: [{ filterType: 'WILDCARD', filter: 'x' }],
    }))).rejects.toMatchObject({ name: 'InvalidParameterException' });
  });

  it('rejects a value outside the model with InvalidParameterException', async () => {
    await create();
    await expect(env.ecr.send(new PutImageTagMutabilityCommand({ repositoryName: 'app', imageTagMutability: 'SOMETIMES' as 'MUTABLE' }))).rejects.toMatchObject({ name: 'InvalidParameterException' });
  });

  it('answers a missing repository with RepositoryNotFoundException', async () => {
    await expect(env.ecr.send(new PutImageTagMutabilityCommand({ repositoryName: 'missing', imageTagMutability: 'MUTABLE' }))).rejects.toMatchObject({
      name: 'RepositoryNotFoundException',
      message: `The repository with name 'missing' does not exist in the registry with id '${ACCOUNT}'`,
    });
  });
});

describe('PutImageScanningConfiguration', () => {
  it.each([true, false])('sets scanOnPush to %s and reports it', async (scanOnPush) => {
    await create({ imageScanningConfiguration: { scanOnPush: !scanOnPush } });
    const answer = await env.ecr.send(new PutImageScanningConfigurationCommand({ repositoryName: 'app', imageScanningConfiguration: { scanOnPush } }));
    expect(answer).toEqual(expect.objectContaining({ registryId: ACCOUNT, repositoryName: 'app', imageScanningConfiguration: { scanOnPush } }));
    const { repositories } = await env.ecr.send(new DescribeRepositoriesCommand({}));
    expect(repositories![0]!.imageScanningConfiguration).toEqual({ scanOnPush });
  });

  it('answers a missing repository with RepositoryNotFoundException', async () => {
    await expect(env.ecr.send(new PutImageScanningConfigurationCommand({ repositoryName: 'missing', imageScanningConfiguration: { scanOnPush: true } }))).rejects.toMatchObject({
      name: 'RepositoryNotFoundException',
    });
  });

  it('rejects a request without imageScanningConfiguration with ValidationException', async () => {
    await create();
    await expect(env.ecr.send(new PutImageScanningConfigurationCommand({ repositoryName: 'app' } as never))).rejects.toMatchObject({ name: 'ValidationException' });
  });
});
