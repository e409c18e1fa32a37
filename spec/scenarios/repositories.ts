// Repository scenarios: creating with ECR's defaults and with settings, describing and paging, tags, tag
// mutability, deleting with and without force, and the errors on the way.
import { expectSuccess, type ClientOutput, type EcrClientDriver } from '../helpers/ecr-client-drivers';
import type { ScenarioGroup } from '../helpers/ecr-scenario-runner';
import { DEFAULT_ACCOUNT, expectServiceError, expectWithin, repositoryArn } from './scenario-expectations';

interface Tag {
  Key: string;
  Value: string;
}

const CREATION_TAGS: Tag[] = [
  { Key: 'team', Value: 'infra' },
  { Key: 'env', Value: 'dev' },
];

function sortedTags(tags: unknown): Tag[] {
  return [...(tags as Tag[])].sort((left, right) => left.Key.localeCompare(right.Key));
}

export async function createRepository(client: EcrClientDriver, repositoryName: string, extra: Record<string, unknown> = {}): Promise<ClientOutput> {
  return expectSuccess(await client.call('CreateRepository', { repositoryName, ...extra })).repository as ClientOutput;
}

function namesOf(output: ClientOutput): unknown[] {
  return (output.repositories as ClientOutput[]).map((repository) => repository.repositoryName);
}

export const REPOSITORY_SCENARIOS: ScenarioGroup = {
  title: 'repositories',
  scenarios: [
    {
      name: "creates a repository with ECR's defaults, its createdAt a timestamp of the client's own kind, and describes it",
      async run({ client, registryHost, during }) {
        const { result: repository, window } = await during(() => createRepository(client, 'team/app'));
        expect(repository).toMatchObject({ repositoryName: 'team/app', registryId: DEFAULT_ACCOUNT, repositoryUri: `${registryHost}/team/app`, imageTagMutability: 'MUTABLE' });
        expectWithin(client.timestamp(repository.createdAt), window);
        const { repositories } = expectSuccess(await client.call('DescribeRepositories', {}));
        expect(repositories).toMatchObject([{ repositoryName: 'team/app', repositoryArn: repositoryArn('team/app') }]);
      },
    },
    {
      name: 'creates a repository with tags, scan on push and IMMUTABLE tags',
      async run({ client, registryHost, during }) {
        const { result: repository, window } = await during(() =>
          createRepository(client, 'team/app', { tags: CREATION_TAGS, imageScanningConfiguration: { scanOnPush: true }, imageTagMutability: 'IMMUTABLE' }),
        );
        expect(repository).toMatchObject({
          repositoryName: 'team/app',
          registryId: DEFAULT_ACCOUNT,
          repositoryArn: repositoryArn('team/app'),
          repositoryUri: `${registryHost}/team/app`,
          imageTagMutability: 'IMMUTABLE',
          imageScanningConfiguration: { scanOnPush: true },
          encryptionConfiguration: { encryptionType: 'AES256' },
        });
        expectWithin(client.timestamp(repository.createdAt), window);
      },
    },
    {
      name: 'describes a created repository by name exactly as create-repository returned it',
      async run({ client }) {
        const created = await createRepository(client, 'team/app', { imageScanningConfiguration: { scanOnPush: true }, imageTagMutability: 'IMMUTABLE' });
        await createRepository(client, 'team/other');
        const { repositories } = expectSuccess(await client.call('DescribeRepositories', { repositoryNames: ['team/app'] }));
        expect(repositories).toEqual([created]);
      },
    },
    {
      name: 'rejects a second repository of the same name with RepositoryAlreadyExistsException',
      async run({ client }) {
        await createRepository(client, 'present');
        const again = await client.call('CreateRepository', { repositoryName: 'present' });
        expectServiceError(client, again, 'RepositoryAlreadyExistsException', `The repository with name 'present' already exists in the registry with id '${DEFAULT_ACCOUNT}'`);
      },
    },
    {
      name: 'lists the tags given at creation with list-tags-for-resource',
      async run({ client }) {
        await createRepository(client, 'tagged', { tags: CREATION_TAGS });
        const { tags } = expectSuccess(await client.call('ListTagsForResource', { resourceArn: repositoryArn('tagged') }));
        expect(sortedTags(tags)).toEqual(sortedTags(CREATION_TAGS));
      },
    },
    {
      name: 'tags a repository and lists its tags',
      async run({ client }) {
        const repository = await createRepository(client, 'tagged', { tags: [{ Key: 'team', Value: 'blue' }] });
        expectSuccess(await client.call('TagResource', { resourceArn: repository.repositoryArn, tags: [{ Key: 'stage', Value: 'dev' }] }));
        const { tags } = expectSuccess(await client.call('ListTagsForResource', { resourceArn: repository.repositoryArn }));
        expect(tags).toEqual(expect.arrayContaining([{ Key: 'team', Value: 'blue' }, { Key: 'stage', Value: 'dev' }]));
      },
    },
    {
      name: 'adds and overwrites tags with tag-resource and removes them with untag-resource',
      async run({ client }) {
        await createRepository(client, 'retagged', { tags: CREATION_TAGS });
        expectSuccess(await client.call('TagResource', { resourceArn: repositoryArn('retagged'), tags: [{ Key: 'env', Value: 'prod' }, { Key: 'cost-center', Value: '42' }] }));
        expectSuccess(await client.call('UntagResource', { resourceArn: repositoryArn('retagged'), tagKeys: ['team'] }));
        const { tags } = expectSuccess(await client.call('ListTagsForResource', { resourceArn: repositoryArn('retagged') }));
        expect(sortedTags(tags)).toEqual([
          { Key: 'cost-center', Value: '42' },
          { Key: 'env', Value: 'prod' },
        ]);
      },
    },
    {
      name: 'pages describe-repositories client-side with max-items and a starting token',
      needs: ['clientPaging'],
      async run({ client }) {
        for (const name of ['page-a', 'page-b', 'page-c']) await createRepository(client, name);
        const first = expectSuccess(await client.paginate('DescribeRepositories', {}, { maxItems: 2 }));
        expect(first.repositories).toHaveLength(2);
        expect(typeof first.NextToken).toBe('string');
        const second = expectSuccess(await client.paginate('DescribeRepositories', {}, { maxItems: 2, startingToken: first.NextToken as string }));
        expect(second.repositories).toHaveLength(1);
        expect(second.NextToken).toBeUndefined();
        expect([...namesOf(first), ...namesOf(second)].sort()).toEqual(['page-a', 'page-b', 'page-c']);
      },
    },
    {
      name: 'pages describe-repositories server-side with max-results and next-token',
      async run({ client }) {
        for (const name of ['page-a', 'page-b']) await createRepository(client, name);
        const first = expectSuccess(await client.call('DescribeRepositories', { maxResults: 1 }));
        expect(first.repositories).toHaveLength(1);
        expect(typeof first.nextToken).toBe('string');
        const second = expectSuccess(await client.call('DescribeRepositories', { maxResults: 1, nextToken: first.nextToken }));
        expect(second.repositories).toHaveLength(1);
        expect([...namesOf(first), ...namesOf(second)].sort()).toEqual(['page-a', 'page-b']);
      },
    },
    {
      name: 'pages DescribeRepositories with maxResults and nextToken',
      async run({ client }) {
        for (const name of ['one', 'two', 'three']) await createRepository(client, name);
        const first = expectSuccess(await client.call('DescribeRepositories', { maxResults: 2 }));
        expect(first).toMatchObject({ repositories: [{}, {}], nextToken: expect.any(String) });
        const second = expectSuccess(await client.call('DescribeRepositories', { maxResults: 2, nextToken: first.nextToken }));
        expect(second).toMatchObject({ repositories: [{}] });
      },
    },
    {
      name: 'switches tag mutability with put-image-tag-mutability',
      async run({ client }) {
        await createRepository(client, 'switching', { imageTagMutability: 'IMMUTABLE' });
        const answer = expectSuccess(await client.call('PutImageTagMutability', { repositoryName: 'switching', imageTagMutability: 'MUTABLE' }));
        expect(answer).toEqual({ registryId: DEFAULT_ACCOUNT, repositoryName: 'switching', imageTagMutability: 'MUTABLE' });
        const { repositories } = expectSuccess(await client.call('DescribeRepositories', { repositoryNames: ['switching'] }));
        expect((repositories as ClientOutput[])[0]!.imageTagMutability).toBe('MUTABLE');
      },
    },
    {
      name: 'deletes an empty repository without --force',
      async run({ client }) {
        await createRepository(client, 'empty');
        const { repository } = expectSuccess(await client.call('DeleteRepository', { repositoryName: 'empty' }));
        expect(repository).toMatchObject({ repositoryName: 'empty', registryId: DEFAULT_ACCOUNT, repositoryArn: repositoryArn('empty') });
      },
    },
    {
      name: 'deletes a repository, after which it is not found',
      async run({ client, during }) {
        const { window } = await during(() => createRepository(client, 'short-lived'));
        const { repository } = expectSuccess(await client.call('DeleteRepository', { repositoryName: 'short-lived' }));
        expect(repository).toMatchObject({ repositoryName: 'short-lived' });
        expectWithin(client.timestamp((repository as ClientOutput).createdAt), window);
        expectServiceError(client, await client.call('DeleteRepository', { repositoryName: 'short-lived' }), 'RepositoryNotFoundException', expect.stringContaining("'short-lived'"));
      },
    },
    {
      name: 'deletes a repository with --force, and a second delete fails with RepositoryNotFoundException',
      async run({ client }) {
        await createRepository(client, 'doomed', { tags: CREATION_TAGS });
        const { repository } = expectSuccess(await client.call('DeleteRepository', { repositoryName: 'doomed', force: true }));
        expect(repository).toMatchObject({ repositoryName: 'doomed', repositoryArn: repositoryArn('doomed') });
        const again = await client.call('DeleteRepository', { repositoryName: 'doomed', force: true });
        expectServiceError(client, again, 'RepositoryNotFoundException', `The repository with name 'doomed' does not exist in the registry with id '${DEFAULT_ACCOUNT}'`);
        const { repositories } = expectSuccess(await client.call('DescribeRepositories', {}));
        expect(repositories).toEqual([]);
      },
    },
  ],
};
