// Error scenarios: the not-found error of each operation on a missing repository or policy, and the validation
// errors worded as ECR words them (for clients that send what their model forbids).
import type { EcrScenario, ScenarioGroup } from '../helpers/ecr-scenario-runner';
import { createRepository } from './repositories';
import { DEFAULT_ACCOUNT, expectServiceError, repositoryArn } from './scenario-expectations';

const POLICY_TEXT = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Sid: 'AllowPull', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${DEFAULT_ACCOUNT}:root` }, Action: ['ecr:BatchGetImage'] }],
});

const NOT_FOUND_CASES: [string, string, string, Record<string, unknown>][] = [
  ['describe-repositories of a missing repository', 'RepositoryNotFoundException', 'DescribeRepositories', { repositoryNames: ['missing'] }],
  ['delete-repository of a missing repository', 'RepositoryNotFoundException', 'DeleteRepository', { repositoryName: 'missing' }],
  ['list-tags-for-resource of a missing repository', 'RepositoryNotFoundException', 'ListTagsForResource', { resourceArn: repositoryArn('missing') }],
  ['tag-resource of a missing repository', 'RepositoryNotFoundException', 'TagResource', { resourceArn: repositoryArn('missing'), tags: [{ Key: 'a', Value: 'b' }] }],
  ['put-image-tag-mutability of a missing repository', 'RepositoryNotFoundException', 'PutImageTagMutability', { repositoryName: 'missing', imageTagMutability: 'MUTABLE' }],
  ['set-repository-policy of a missing repository', 'RepositoryNotFoundException', 'SetRepositoryPolicy', { repositoryName: 'missing', policyText: POLICY_TEXT }],
  ['get-repository-policy of a missing repository', 'RepositoryNotFoundException', 'GetRepositoryPolicy', { repositoryName: 'missing' }],
  ['get-lifecycle-policy of a missing repository', 'RepositoryNotFoundException', 'GetLifecyclePolicy', { repositoryName: 'missing' }],
  ['get-repository-policy of a repository without one', 'RepositoryPolicyNotFoundException', 'GetRepositoryPolicy', { repositoryName: 'present' }],
  ['delete-repository-policy of a repository without one', 'RepositoryPolicyNotFoundException', 'DeleteRepositoryPolicy', { repositoryName: 'present' }],
  ['get-lifecycle-policy of a repository without one', 'LifecyclePolicyNotFoundException', 'GetLifecyclePolicy', { repositoryName: 'present' }],
  ['delete-lifecycle-policy of a repository without one', 'LifecyclePolicyNotFoundException', 'DeleteLifecyclePolicy', { repositoryName: 'present' }],
  ['delete-registry-policy without one', 'RegistryPolicyNotFoundException', 'DeleteRegistryPolicy', {}],
];

const notFound: EcrScenario[] = NOT_FOUND_CASES.map(([label, errorCode, operation, params]) => ({
  name: `answers ${label} with ${errorCode}, the service-error exit code and a message naming it`,
  async run({ client }) {
    await createRepository(client, 'present');
    const result = await client.call(operation, params);
    const named = JSON.stringify(params).includes('missing') ? 'missing' : params.repositoryName;
    expectServiceError(client, result, errorCode, typeof named === 'string' ? expect.stringContaining(`'${named}'`) : expect.any(String));
    expect(result.isOk ? '' : result.message).toContain(DEFAULT_ACCOUNT);
  },
}));

export const ERROR_SCENARIOS: ScenarioGroup = {
  title: 'errors',
  scenarios: [
    ...notFound,
    {
      name: 'answers a repository that does not exist with RepositoryNotFoundException',
      async run({ client }) {
        const result = await client.call('DescribeRepositories', { repositoryNames: ['missing'] });
        expectServiceError(client, result, 'RepositoryNotFoundException', `The repository with name 'missing' does not exist in the registry with id '${DEFAULT_ACCOUNT}'`);
      },
    },
    {
      name: 'rejects a repository name the model forbids with InvalidParameterException worded as ECR words it',
      needs: ['invalidRequests'],
      async run({ client }) {
        const result = await client.call('CreateRepository', { repositoryName: 'A' });
        expectServiceError(client, result, 'InvalidParameterException', "Invalid parameter at 'repositoryName' failed to satisfy constraint: 'must have length greater than or equal to 2'");
      },
    },
    {
      name: 'answers a missing required member with ValidationException, a service error the model does not list',
      needs: ['invalidRequests'],
      async run({ client }) {
        const result = await client.call('CreateRepository', {});
        expectServiceError(client, result, 'ValidationException', "1 validation error detected: Value null at 'repositoryName' failed to satisfy constraint: Member must not be null");
      },
    },
  ],
};
