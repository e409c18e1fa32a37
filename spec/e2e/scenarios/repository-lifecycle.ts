// The journey of a repository, its policies and a registry token through one real client, written once and run
// by each client's test file (aws CLI v1, aws CLI v2, boto3). Every call is a process against the built CLI.
import {
  expectFailure,
  expectSuccess,
  timestampOf,
  type ClientOutput,
  type DriverFactory,
  type EcrClientDriver,
} from '../../helpers/ecr-client-drivers';
import { startEmulatorProcess, type EmulatorProcess } from '../../helpers/emulator-process';

const DEFAULT_ACCOUNT = '000000000000';
const OTHER_ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const TWELVE_HOURS_MS = 12 * 60 * 60 * 1000;
const TEST_TIMEOUT_MS = 180_000;

interface Tag {
  Key: string;
  Value: string;
}

const CREATION_TAGS: Tag[] = [
  { Key: 'team', Value: 'infra' },
  { Key: 'env', Value: 'dev' },
];

const REPOSITORY_POLICY = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'AllowPull',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${DEFAULT_ACCOUNT}:root` },
      Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
    },
  ],
};

const REGISTRY_POLICY = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'ReplicationAccess',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${DEFAULT_ACCOUNT}:root` },
      Action: ['ecr:CreateRepository', 'ecr:ReplicateImage'],
      Resource: `arn:aws:ecr:${REGION}:${DEFAULT_ACCOUNT}:repository/*`,
    },
  ],
};

const LIFECYCLE_POLICY = {
  rules: [
    {
      rulePriority: 1,
      description: 'keep the last five release images',
      selection: { tagStatus: 'tagged', tagPrefixList: ['release'], countType: 'imageCountMoreThan', countNumber: 5 },
      action: { type: 'expire' },
    },
    {
      rulePriority: 2,
      description: 'expire untagged images after 14 days',
      selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 14 },
      action: { type: 'expire' },
    },
  ],
};

const INVALID_REPOSITORY_POLICIES: [string, string][] = [
  ['text that is not JSON', 'this is not a policy'],
  ['a policy without statements', JSON.stringify({ Version: '2012-10-17' })],
];

const INVALID_LIFECYCLE_POLICIES: [string, string][] = [
  // Longer than the model's minimum of 100 characters, so the clients send it rather than refuse it themselves.
  ['text that is not JSON', `rules: ${'keep the last five release images and expire untagged ones after two weeks; '.repeat(2)}`],
  [
    'a tagged rule without tag prefixes or patterns',
    JSON.stringify({ rules: [{ rulePriority: 1, selection: { tagStatus: 'tagged', countType: 'imageCountMoreThan', countNumber: 1 }, action: { type: 'expire' } }] }),
  ],
  [
    'two rules with the same priority',
    JSON.stringify({ rules: [LIFECYCLE_POLICY.rules[1], { ...LIFECYCLE_POLICY.rules[1], description: 'again' }] }),
  ],
];

function sortedTags(tags: unknown): Tag[] {
  return [...(tags as Tag[])].sort((left, right) => left.Key.localeCompare(right.Key));
}

function repositoryArn(name: string, accountId = DEFAULT_ACCOUNT): string {
  return `arn:aws:ecr:${REGION}:${accountId}:repository/${name}`;
}

function parsedPolicy(output: ClientOutput, member: string): unknown {
  const text = output[member];
  if (typeof text !== 'string') throw new Error(`${member} is not a string in ${JSON.stringify(output)}`);
  return JSON.parse(text) as unknown;
}

export interface ScenarioOptions {
  driver: DriverFactory;
  /** What `--version` must print, so a test never runs another client than it names. */
  expectedVersion: RegExp;
}

export function repositoryLifecycleScenario({ driver, expectedVersion }: ScenarioOptions): void {
  let emulator: EmulatorProcess;
  let client: EcrClientDriver;

  beforeAll(async () => {
    emulator = await startEmulatorProcess({ memory: true });
    client = driver(emulator.endpoint);
  }, 60_000);
  afterAll(async () => {
    await emulator?.stop();
  });
  beforeEach(async () => {
    await emulator.reset();
  });

  const createRepository = async (repositoryName: string, extra: Record<string, unknown> = {}): Promise<ClientOutput> =>
    expectSuccess(await client.call('CreateRepository', { repositoryName, ...extra })).repository as ClientOutput;

  it('runs the client version it names', async () => {
    expect(await client.version()).toMatch(expectedVersion);
  }, TEST_TIMEOUT_MS);

  describe('repositories', () => {
    it('creates a repository with tags, scan on push and IMMUTABLE tags', async () => {
      const before = Date.now();
      const repository = await createRepository('team/app', { tags: CREATION_TAGS, imageScanningConfiguration: { scanOnPush: true }, imageTagMutability: 'IMMUTABLE' });
      expect(repository).toMatchObject({
        repositoryName: 'team/app',
        registryId: DEFAULT_ACCOUNT,
        repositoryArn: repositoryArn('team/app'),
        repositoryUri: `${emulator.registryHost}/team/app`,
        imageTagMutability: 'IMMUTABLE',
        imageScanningConfiguration: { scanOnPush: true },
        encryptionConfiguration: { encryptionType: 'AES256' },
      });
      const createdAt = timestampOf(repository.createdAt).getTime();
      expect(createdAt).toBeGreaterThanOrEqual(before - 2000);
      expect(createdAt).toBeLessThanOrEqual(Date.now() + 2000);
    }, TEST_TIMEOUT_MS);

    it('describes a created repository by name exactly as create-repository returned it', async () => {
      const created = await createRepository('team/app', { imageScanningConfiguration: { scanOnPush: true }, imageTagMutability: 'IMMUTABLE' });
      await createRepository('team/other');
      const { repositories } = expectSuccess(await client.call('DescribeRepositories', { repositoryNames: ['team/app'] }));
      expect(repositories).toEqual([created]);
    }, TEST_TIMEOUT_MS);

    it('lists the tags given at creation with list-tags-for-resource', async () => {
      await createRepository('tagged', { tags: CREATION_TAGS });
      const { tags } = expectSuccess(await client.call('ListTagsForResource', { resourceArn: repositoryArn('tagged') }));
      expect(sortedTags(tags)).toEqual(sortedTags(CREATION_TAGS));
    }, TEST_TIMEOUT_MS);

    it('pages describe-repositories client-side with max-items and a starting token', async () => {
      for (const name of ['page-a', 'page-b', 'page-c']) await createRepository(name);
      const first = expectSuccess(await client.paginate('DescribeRepositories', {}, { maxItems: 2 }));
      expect(first.repositories).toHaveLength(2);
      expect(typeof first.NextToken).toBe('string');
      const second = expectSuccess(await client.paginate('DescribeRepositories', {}, { maxItems: 2, startingToken: first.NextToken as string }));
      expect(second.repositories).toHaveLength(1);
      expect(second.NextToken).toBeUndefined();
      const names = [...(first.repositories as ClientOutput[]), ...(second.repositories as ClientOutput[])].map((repository) => repository.repositoryName);
      expect(names.sort()).toEqual(['page-a', 'page-b', 'page-c']);
    }, TEST_TIMEOUT_MS);

    it('pages describe-repositories server-side with max-results and next-token', async () => {
      for (const name of ['page-a', 'page-b']) await createRepository(name);
      const first = expectSuccess(await client.call('DescribeRepositories', { maxResults: 1 }));
      expect(first.repositories).toHaveLength(1);
      expect(typeof first.nextToken).toBe('string');
      const second = expectSuccess(await client.call('DescribeRepositories', { maxResults: 1, nextToken: first.nextToken }));
      expect(second.repositories).toHaveLength(1);
      const names = [first, second].map((page) => (page.repositories as ClientOutput[])[0]!.repositoryName);
      expect(names.sort()).toEqual(['page-a', 'page-b']);
    }, TEST_TIMEOUT_MS);

    it('adds and overwrites tags with tag-resource and removes them with untag-resource', async () => {
      await createRepository('retagged', { tags: CREATION_TAGS });
      expectSuccess(await client.call('TagResource', { resourceArn: repositoryArn('retagged'), tags: [{ Key: 'env', Value: 'prod' }, { Key: 'cost-center', Value: '42' }] }));
      expectSuccess(await client.call('UntagResource', { resourceArn: repositoryArn('retagged'), tagKeys: ['team'] }));
      const { tags } = expectSuccess(await client.call('ListTagsForResource', { resourceArn: repositoryArn('retagged') }));
      expect(sortedTags(tags)).toEqual([
        { Key: 'cost-center', Value: '42' },
        { Key: 'env', Value: 'prod' },
      ]);
    }, TEST_TIMEOUT_MS);

    it('switches tag mutability with put-image-tag-mutability', async () => {
      await createRepository('switching', { imageTagMutability: 'IMMUTABLE' });
      const answer = expectSuccess(await client.call('PutImageTagMutability', { repositoryName: 'switching', imageTagMutability: 'MUTABLE' }));
      expect(answer).toEqual({ registryId: DEFAULT_ACCOUNT, repositoryName: 'switching', imageTagMutability: 'MUTABLE' });
      const { repositories } = expectSuccess(await client.call('DescribeRepositories', { repositoryNames: ['switching'] }));
      expect((repositories as ClientOutput[])[0]!.imageTagMutability).toBe('MUTABLE');
    }, TEST_TIMEOUT_MS);

    it('deletes an empty repository without --force', async () => {
      await createRepository('empty');
      const { repository } = expectSuccess(await client.call('DeleteRepository', { repositoryName: 'empty' }));
      expect(repository).toMatchObject({ repositoryName: 'empty', registryId: DEFAULT_ACCOUNT, repositoryArn: repositoryArn('empty') });
    }, TEST_TIMEOUT_MS);

    it('deletes a repository with --force, and a second delete fails with RepositoryNotFoundException', async () => {
      await createRepository('doomed', { tags: CREATION_TAGS });
      const { repository } = expectSuccess(await client.call('DeleteRepository', { repositoryName: 'doomed', force: true }));
      expect(repository).toMatchObject({ repositoryName: 'doomed', repositoryArn: repositoryArn('doomed') });
      const again = expectFailure(await client.call('DeleteRepository', { repositoryName: 'doomed', force: true }));
      expect(again).toEqual({
        errorCode: 'RepositoryNotFoundException',
        message: `The repository with name 'doomed' does not exist in the registry with id '${DEFAULT_ACCOUNT}'`,
        exitCode: client.serviceErrorExitCode,
      });
      const { repositories } = expectSuccess(await client.call('DescribeRepositories', {}));
      expect(repositories).toEqual([]);
    }, TEST_TIMEOUT_MS);
  });

  describe('repository policies', () => {
    it('sets, gets and deletes a repository policy, then get-repository-policy fails with RepositoryPolicyNotFoundException', async () => {
      await createRepository('guarded');
      const set = expectSuccess(await client.call('SetRepositoryPolicy', { repositoryName: 'guarded', policyText: JSON.stringify(REPOSITORY_POLICY) }));
      expect(set).toMatchObject({ registryId: DEFAULT_ACCOUNT, repositoryName: 'guarded' });
      expect(parsedPolicy(set, 'policyText')).toEqual(REPOSITORY_POLICY);
      const got = expectSuccess(await client.call('GetRepositoryPolicy', { repositoryName: 'guarded' }));
      expect(got).toMatchObject({ registryId: DEFAULT_ACCOUNT, repositoryName: 'guarded' });
      expect(parsedPolicy(got, 'policyText')).toEqual(REPOSITORY_POLICY);
      const deleted = expectSuccess(await client.call('DeleteRepositoryPolicy', { repositoryName: 'guarded' }));
      expect(parsedPolicy(deleted, 'policyText')).toEqual(REPOSITORY_POLICY);
      const after = expectFailure(await client.call('GetRepositoryPolicy', { repositoryName: 'guarded' }));
      expect(after.errorCode).toBe('RepositoryPolicyNotFoundException');
      expect(after.message).toContain("'guarded'");
      expect(after.exitCode).toBe(client.serviceErrorExitCode);
    }, TEST_TIMEOUT_MS);

    it.each(INVALID_REPOSITORY_POLICIES)('rejects %s as a repository policy with InvalidParameterException', async (_label, policyText) => {
      await createRepository('guarded');
      const failure = expectFailure(await client.call('SetRepositoryPolicy', { repositoryName: 'guarded', policyText }));
      expect(failure.errorCode).toBe('InvalidParameterException');
      expect(failure.message).not.toBe('');
      expect(expectFailure(await client.call('GetRepositoryPolicy', { repositoryName: 'guarded' })).errorCode).toBe('RepositoryPolicyNotFoundException');
    }, TEST_TIMEOUT_MS);

    it('puts, gets and deletes a lifecycle policy, then get-lifecycle-policy fails with LifecyclePolicyNotFoundException', async () => {
      await createRepository('pruned');
      const text = JSON.stringify(LIFECYCLE_POLICY);
      const put = expectSuccess(await client.call('PutLifecyclePolicy', { repositoryName: 'pruned', lifecyclePolicyText: text }));
      expect(put).toMatchObject({ registryId: DEFAULT_ACCOUNT, repositoryName: 'pruned' });
      expect(parsedPolicy(put, 'lifecyclePolicyText')).toEqual(LIFECYCLE_POLICY);
      const got = expectSuccess(await client.call('GetLifecyclePolicy', { repositoryName: 'pruned' }));
      expect(got).toMatchObject({ registryId: DEFAULT_ACCOUNT, repositoryName: 'pruned' });
      expect(parsedPolicy(got, 'lifecyclePolicyText')).toEqual(LIFECYCLE_POLICY);
      const deleted = expectSuccess(await client.call('DeleteLifecyclePolicy', { repositoryName: 'pruned' }));
      expect(parsedPolicy(deleted, 'lifecyclePolicyText')).toEqual(LIFECYCLE_POLICY);
      const after = expectFailure(await client.call('GetLifecyclePolicy', { repositoryName: 'pruned' }));
      expect(after.errorCode).toBe('LifecyclePolicyNotFoundException');
      expect(after.message).toContain("'pruned'");
    }, TEST_TIMEOUT_MS);

    it.each(INVALID_LIFECYCLE_POLICIES)('rejects %s as a lifecycle policy with InvalidParameterException', async (_label, lifecyclePolicyText) => {
      await createRepository('pruned');
      const failure = expectFailure(await client.call('PutLifecyclePolicy', { repositoryName: 'pruned', lifecyclePolicyText }));
      expect(failure.errorCode).toBe('InvalidParameterException');
      expect(failure.message).not.toBe('');
      expect(expectFailure(await client.call('GetLifecyclePolicy', { repositoryName: 'pruned' })).errorCode).toBe('LifecyclePolicyNotFoundException');
    }, TEST_TIMEOUT_MS);

    it('puts, gets and deletes the registry policy, then get-registry-policy fails with RegistryPolicyNotFoundException', async () => {
      const put = expectSuccess(await client.call('PutRegistryPolicy', { policyText: JSON.stringify(REGISTRY_POLICY) }));
      expect(put.registryId).toBe(DEFAULT_ACCOUNT);
      expect(parsedPolicy(put, 'policyText')).toEqual(REGISTRY_POLICY);
      const got = expectSuccess(await client.call('GetRegistryPolicy', {}));
      expect(got.registryId).toBe(DEFAULT_ACCOUNT);
      expect(parsedPolicy(got, 'policyText')).toEqual(REGISTRY_POLICY);
      const deleted = expectSuccess(await client.call('DeleteRegistryPolicy', {}));
      expect(deleted.registryId).toBe(DEFAULT_ACCOUNT);
      expect(parsedPolicy(deleted, 'policyText')).toEqual(REGISTRY_POLICY);
      const after = expectFailure(await client.call('GetRegistryPolicy', {}));
      expect(after.errorCode).toBe('RegistryPolicyNotFoundException');
      expect(after.message).toContain(DEFAULT_ACCOUNT);
    }, TEST_TIMEOUT_MS);
  });

  describe('tokens', () => {
    it('issues an authorization token that decodes to AWS:<password>, expires in about 12 hours and names the registry', async () => {
      const { authorizationData } = expectSuccess(await client.call('GetAuthorizationToken', {}));
      expect(authorizationData).toHaveLength(1);
      const [data] = authorizationData as ClientOutput[];
      const decoded = Buffer.from(data!.authorizationToken as string, 'base64').toString();
      expect(decoded).toMatch(/^AWS:\S{16,}$/);
      const expiresInMs = timestampOf(data!.expiresAt).getTime() - Date.now();
      expect(expiresInMs).toBeGreaterThan(TWELVE_HOURS_MS - 5 * 60_000);
      expect(expiresInMs).toBeLessThanOrEqual(TWELVE_HOURS_MS + 5_000);
      expect(data!.proxyEndpoint).toBe(`http://${emulator.registryHost}`);
    }, TEST_TIMEOUT_MS);

    it('gives a login password with which GET /v2/ answers 200, while a wrong one answers 401', async () => {
      const password = await client.loginPassword();
      expect(password).toMatch(/^\S{16,}$/);
      const basic = (secret: string): string => `Basic ${Buffer.from(`AWS:${secret}`).toString('base64')}`;
      const good = await fetch(`${emulator.endpoint}/v2/`, { headers: { authorization: basic(password) } });
      expect(good.status).toBe(200);
      expect(good.headers.get('docker-distribution-api-version')).toBe('registry/2.0');
      const bad = await fetch(`${emulator.endpoint}/v2/`, { headers: { authorization: basic(`${password}x`) } });
      expect(bad.status).toBe(401);
    }, TEST_TIMEOUT_MS);
  });

  describe('not-found errors', () => {
    const cases: [string, string, string, Record<string, unknown>][] = [
      ['describe-repositories of a missing repository', 'RepositoryNotFoundException', 'DescribeRepositories', { repositoryNames: ['missing'] }],
      ['delete-repository of a missing repository', 'RepositoryNotFoundException', 'DeleteRepository', { repositoryName: 'missing' }],
      ['list-tags-for-resource of a missing repository', 'RepositoryNotFoundException', 'ListTagsForResource', { resourceArn: repositoryArn('missing') }],
      ['tag-resource of a missing repository', 'RepositoryNotFoundException', 'TagResource', { resourceArn: repositoryArn('missing'), tags: [{ Key: 'a', Value: 'b' }] }],
      ['put-image-tag-mutability of a missing repository', 'RepositoryNotFoundException', 'PutImageTagMutability', { repositoryName: 'missing', imageTagMutability: 'MUTABLE' }],
      ['set-repository-policy of a missing repository', 'RepositoryNotFoundException', 'SetRepositoryPolicy', { repositoryName: 'missing', policyText: JSON.stringify(REPOSITORY_POLICY) }],
      ['get-repository-policy of a missing repository', 'RepositoryNotFoundException', 'GetRepositoryPolicy', { repositoryName: 'missing' }],
      ['get-lifecycle-policy of a missing repository', 'RepositoryNotFoundException', 'GetLifecyclePolicy', { repositoryName: 'missing' }],
      ['get-repository-policy of a repository without one', 'RepositoryPolicyNotFoundException', 'GetRepositoryPolicy', { repositoryName: 'present' }],
      ['delete-repository-policy of a repository without one', 'RepositoryPolicyNotFoundException', 'DeleteRepositoryPolicy', { repositoryName: 'present' }],
      ['get-lifecycle-policy of a repository without one', 'LifecyclePolicyNotFoundException', 'GetLifecyclePolicy', { repositoryName: 'present' }],
      ['delete-lifecycle-policy of a repository without one', 'LifecyclePolicyNotFoundException', 'DeleteLifecyclePolicy', { repositoryName: 'present' }],
      ['delete-registry-policy without one', 'RegistryPolicyNotFoundException', 'DeleteRegistryPolicy', {}],
    ];

    it.each(cases)('answers %s with %s, the service-error exit code and a message naming it', async (_label, errorCode, operation, params) => {
      await createRepository('present');
      const failure = expectFailure(await client.call(operation, params));
      expect(failure.errorCode).toBe(errorCode);
      expect(failure.exitCode).toBe(client.serviceErrorExitCode);
      const named = JSON.stringify(params).includes('missing') ? 'missing' : params.repositoryName;
      if (typeof named === 'string') expect(failure.message).toContain(`'${named}'`);
      expect(failure.message).toContain(DEFAULT_ACCOUNT);
    }, TEST_TIMEOUT_MS);

    it('answers a second create-repository of the same name with RepositoryAlreadyExistsException', async () => {
      await createRepository('present');
      const failure = expectFailure(await client.call('CreateRepository', { repositoryName: 'present' }));
      expect(failure).toEqual({
        errorCode: 'RepositoryAlreadyExistsException',
        message: `The repository with name 'present' already exists in the registry with id '${DEFAULT_ACCOUNT}'`,
        exitCode: client.serviceErrorExitCode,
      });
    }, TEST_TIMEOUT_MS);
  });

  describe('accounts', () => {
    it('takes the account from a 12-digit access key for identity, repositories and tokens', async () => {
      const asOther = { accessKeyId: OTHER_ACCOUNT };
      const identity = expectSuccess(await client.call('GetCallerIdentity', {}, { ...asOther, service: 'sts' }));
      expect(identity.Account).toBe(OTHER_ACCOUNT);
      const { repository } = expectSuccess(await client.call('CreateRepository', { repositoryName: 'elsewhere' }, asOther));
      expect(repository).toMatchObject({ registryId: OTHER_ACCOUNT, repositoryArn: repositoryArn('elsewhere', OTHER_ACCOUNT) });
      const { authorizationData } = expectSuccess(await client.call('GetAuthorizationToken', {}, asOther));
      expect((authorizationData as ClientOutput[])[0]!.proxyEndpoint).toBe(`http://${emulator.registryHost}`);
      const inOther = expectSuccess(await client.call('DescribeRepositories', {}, asOther));
      expect((inOther.repositories as ClientOutput[]).map((found) => found.repositoryName)).toEqual(['elsewhere']);
      const inDefault = expectSuccess(await client.call('DescribeRepositories', {}));
      expect(inDefault.repositories).toEqual([]);
    }, TEST_TIMEOUT_MS);
  });
}
