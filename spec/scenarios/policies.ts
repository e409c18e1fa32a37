// Policy scenarios: a repository's policy, its lifecycle policy and the registry policy, each set, read and
// deleted, the texts ECR refuses, and the not-found error once a policy is gone.
import { expectSuccess, type ClientOutput, type ClientResult, type EcrClientDriver } from '../helpers/ecr-client-drivers';
import type { EcrScenario, ScenarioGroup } from '../helpers/ecr-scenario-runner';
import { createRepository } from './repositories';
import { DEFAULT_ACCOUNT, expectServiceError, REGION } from './scenario-expectations';

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

export const LIFECYCLE_POLICY = {
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

const UNTAGGED_AFTER_TWO_WEEKS = JSON.stringify({
  rules: [{ rulePriority: 1, selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 14 }, action: { type: 'expire' } }],
});

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

function parsedPolicy(output: ClientOutput, member: string): unknown {
  const text = output[member];
  if (typeof text !== 'string') throw new Error(`${member} is not a string in ${JSON.stringify(output)}`);
  return JSON.parse(text) as unknown;
}

function expectNotFound(client: EcrClientDriver, result: ClientResult, errorCode: string, named: string): void {
  expectServiceError(client, result, errorCode, expect.stringContaining(named));
}

const invalidRepositoryPolicies: EcrScenario[] = INVALID_REPOSITORY_POLICIES.map(([label, policyText]) => ({
  name: `rejects ${label} as a repository policy with InvalidParameterException`,
  async run({ client }) {
    await createRepository(client, 'guarded');
    expectServiceError(client, await client.call('SetRepositoryPolicy', { repositoryName: 'guarded', policyText }), 'InvalidParameterException');
    expectNotFound(client, await client.call('GetRepositoryPolicy', { repositoryName: 'guarded' }), 'RepositoryPolicyNotFoundException', "'guarded'");
  },
}));

const invalidLifecyclePolicies: EcrScenario[] = INVALID_LIFECYCLE_POLICIES.map(([label, lifecyclePolicyText]) => ({
  name: `rejects ${label} as a lifecycle policy with InvalidParameterException`,
  async run({ client }) {
    await createRepository(client, 'pruned');
    expectServiceError(client, await client.call('PutLifecyclePolicy', { repositoryName: 'pruned', lifecyclePolicyText }), 'InvalidParameterException');
    expectNotFound(client, await client.call('GetLifecyclePolicy', { repositoryName: 'pruned' }), 'LifecyclePolicyNotFoundException', "'pruned'");
  },
}));

export const POLICY_SCENARIOS: ScenarioGroup = {
  title: 'policies',
  scenarios: [
    {
      name: 'sets, gets and deletes a repository policy, then get-repository-policy fails with RepositoryPolicyNotFoundException',
      async run({ client }) {
        await createRepository(client, 'guarded');
        const set = expectSuccess(await client.call('SetRepositoryPolicy', { repositoryName: 'guarded', policyText: JSON.stringify(REPOSITORY_POLICY) }));
        expect(set).toMatchObject({ registryId: DEFAULT_ACCOUNT, repositoryName: 'guarded' });
        expect(parsedPolicy(set, 'policyText')).toEqual(REPOSITORY_POLICY);
        const got = expectSuccess(await client.call('GetRepositoryPolicy', { repositoryName: 'guarded' }));
        expect(got).toMatchObject({ registryId: DEFAULT_ACCOUNT, repositoryName: 'guarded' });
        expect(parsedPolicy(got, 'policyText')).toEqual(REPOSITORY_POLICY);
        const deleted = expectSuccess(await client.call('DeleteRepositoryPolicy', { repositoryName: 'guarded' }));
        expect(parsedPolicy(deleted, 'policyText')).toEqual(REPOSITORY_POLICY);
        expectNotFound(client, await client.call('GetRepositoryPolicy', { repositoryName: 'guarded' }), 'RepositoryPolicyNotFoundException', "'guarded'");
      },
    },
    ...invalidRepositoryPolicies,
    {
      name: 'puts, gets and deletes a lifecycle policy, then get-lifecycle-policy fails with LifecyclePolicyNotFoundException',
      async run({ client }) {
        await createRepository(client, 'pruned');
        const text = JSON.stringify(LIFECYCLE_POLICY);
        const put = expectSuccess(await client.call('PutLifecyclePolicy', { repositoryName: 'pruned', lifecyclePolicyText: text }));
        expect(put).toMatchObject({ registryId: DEFAULT_ACCOUNT, repositoryName: 'pruned' });
        expect(parsedPolicy(put, 'lifecyclePolicyText')).toEqual(LIFECYCLE_POLICY);
        const got = expectSuccess(await client.call('GetLifecyclePolicy', { repositoryName: 'pruned' }));
        expect(got).toMatchObject({ registryId: DEFAULT_ACCOUNT, repositoryName: 'pruned' });
        expect(parsedPolicy(got, 'lifecyclePolicyText')).toEqual(LIFECYCLE_POLICY);
        const deleted = expectSuccess(await client.call('DeleteLifecyclePolicy', { repositoryName: 'pruned' }));
        expect(parsedPolicy(deleted, 'lifecyclePolicyText')).toEqual(LIFECYCLE_POLICY);
        expectNotFound(client, await client.call('GetLifecyclePolicy', { repositoryName: 'pruned' }), 'LifecyclePolicyNotFoundException', "'pruned'");
      },
    },
    {
      name: 'round-trips a lifecycle policy with lastEvaluatedAt a timestamp of 0 before any run',
      async run({ client }) {
        await createRepository(client, 'pruned');
        expectSuccess(await client.call('PutLifecyclePolicy', { repositoryName: 'pruned', lifecyclePolicyText: UNTAGGED_AFTER_TWO_WEEKS }));
        const got = expectSuccess(await client.call('GetLifecyclePolicy', { repositoryName: 'pruned' }));
        expect(got).toMatchObject({ repositoryName: 'pruned', lifecyclePolicyText: UNTAGGED_AFTER_TWO_WEEKS });
        expect(client.timestamp(got.lastEvaluatedAt)).toEqual(new Date(0));
      },
    },
    ...invalidLifecyclePolicies,
    {
      name: 'puts, gets and deletes the registry policy, then get-registry-policy fails with RegistryPolicyNotFoundException',
      async run({ client }) {
        const put = expectSuccess(await client.call('PutRegistryPolicy', { policyText: JSON.stringify(REGISTRY_POLICY) }));
        expect(put.registryId).toBe(DEFAULT_ACCOUNT);
        expect(parsedPolicy(put, 'policyText')).toEqual(REGISTRY_POLICY);
        const got = expectSuccess(await client.call('GetRegistryPolicy', {}));
        expect(got.registryId).toBe(DEFAULT_ACCOUNT);
        expect(parsedPolicy(got, 'policyText')).toEqual(REGISTRY_POLICY);
        const deleted = expectSuccess(await client.call('DeleteRegistryPolicy', {}));
        expect(deleted.registryId).toBe(DEFAULT_ACCOUNT);
        expect(parsedPolicy(deleted, 'policyText')).toEqual(REGISTRY_POLICY);
        expectNotFound(client, await client.call('GetRegistryPolicy', {}), 'RegistryPolicyNotFoundException', DEFAULT_ACCOUNT);
      },
    },
  ],
};
