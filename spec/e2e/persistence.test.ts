// The CLI on a data dir keeps its state across a SIGTERM and a new start on the same dir: control-plane state
// and the token secret (a token issued before the restart still opens the registry).
import {
  CreatePullThroughCacheRuleCommand,
  CreateRepositoryCommand,
  DescribePullThroughCacheRulesCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  GetAuthorizationTokenCommand,
  GetLifecyclePolicyCommand,
  GetRegistryPolicyCommand,
  GetRegistryScanningConfigurationCommand,
  GetRepositoryPolicyCommand,
  ListTagsForResourceCommand,
  PutLifecyclePolicyCommand,
  PutRegistryPolicyCommand,
  PutRegistryScanningConfigurationCommand,
  SetRepositoryPolicyCommand,
  TagResourceCommand,
} from '@aws-sdk/client-ecr';
import { makeDataDir, removeDataDir, startEmulatorProcess, type EmulatorProcess } from '../helpers/emulator-process';

const ACCOUNT = '000000000000';
const REPOSITORY_ARN = `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/kept/app`;
const REPOSITORY_POLICY = {
  Version: '2012-10-17',
  Statement: [{ Sid: 'AllowPull', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: ['ecr:BatchGetImage'] }],
};
const REGISTRY_POLICY = {
  Version: '2012-10-17',
  Statement: [{ Sid: 'Replicate', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: ['ecr:ReplicateImage'], Resource: `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/*` }],
};
const LIFECYCLE_POLICY = {
  rules: [{ rulePriority: 1, selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 7 }, action: { type: 'expire' } }],
};
const SCANNING_RULES = [{ scanFrequency: 'SCAN_ON_PUSH' as const, repositoryFilters: [{ filter: 'kept/*', filterType: 'WILDCARD' as const }] }];

function clientFor(emulator: EmulatorProcess): ECRClient {
  return new ECRClient({ endpoint: emulator.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
}

let dataDir: string;
let emulator: EmulatorProcess | undefined;
let client: ECRClient;
let firstExitCode: number | null;
let passwordBeforeRestart: string;
/** A failed setup step fails only the tests that read what it should have written. */
const setupErrors = new Map<string, unknown>();

async function step(name: string, action: () => Promise<unknown>): Promise<void> {
  try {
    await action();
  } catch (error) {
    setupErrors.set(name, error);
  }
}

function assertSetupSucceeded(...names: string[]): void {
  for (const name of names) {
    if (setupErrors.has(name)) throw new Error(`setting up "${name}" before the restart failed: ${String(setupErrors.get(name))}`);
  }
}

beforeAll(async () => {
  dataDir = makeDataDir();
  const first = await startEmulatorProcess({ dataDir });
  const before = clientFor(first);
  await step('repository', () =>
    before.send(new CreateRepositoryCommand({ repositoryName: 'kept/app', tags: [{ Key: 'team', Value: 'infra' }], imageScanningConfiguration: { scanOnPush: true }, imageTagMutability: 'IMMUTABLE' })),
  );
  await step('tags', () => before.send(new TagResourceCommand({ resourceArn: REPOSITORY_ARN, tags: [{ Key: 'env', Value: 'prod' }] })));
  await step('repository policy', () => before.send(new SetRepositoryPolicyCommand({ repositoryName: 'kept/app', policyText: JSON.stringify(REPOSITORY_POLICY) })));
  await step('lifecycle policy', () => before.send(new PutLifecyclePolicyCommand({ repositoryName: 'kept/app', lifecyclePolicyText: JSON.stringify(LIFECYCLE_POLICY) })));
  await step('registry policy', () => before.send(new PutRegistryPolicyCommand({ policyText: JSON.stringify(REGISTRY_POLICY) })));
  await step('registry scanning configuration', () => before.send(new PutRegistryScanningConfigurationCommand({ scanType: 'ENHANCED', rules: SCANNING_RULES })));
  await step('pull-through cache rule', () => before.send(new CreatePullThroughCacheRuleCommand({ ecrRepositoryPrefix: 'ecr-public', upstreamRegistryUrl: 'public.ecr.aws' })));
  const { authorizationData } = await before.send(new GetAuthorizationTokenCommand({}));
  passwordBeforeRestart = Buffer.from(authorizationData![0]!.authorizationToken!, 'base64').toString().replace(/^AWS:/, '');
  before.destroy();
  firstExitCode = await first.stop();

  emulator = await startEmulatorProcess({ dataDir });
  client = clientFor(emulator);
}, 120_000);

afterAll(async () => {
  client?.destroy();
  await emulator?.stop();
  if (dataDir !== undefined) removeDataDir(dataDir);
});

describe('a restart on the same data dir', () => {
  it('stops on SIGTERM with exit code 0', () => {
    expect(firstExitCode).toBe(0);
  });

  it('keeps the repository with its scanning configuration and tag mutability', async () => {
    assertSetupSucceeded('repository');
    const { repositories } = await client.send(new DescribeRepositoriesCommand({}));
    expect(repositories).toHaveLength(1);
    expect(repositories![0]).toMatchObject({
      repositoryName: 'kept/app',
      repositoryArn: REPOSITORY_ARN,
      registryId: ACCOUNT,
      imageTagMutability: 'IMMUTABLE',
      imageScanningConfiguration: { scanOnPush: true },
      repositoryUri: `${emulator!.registryHost}/kept/app`,
    });
  });

  it('keeps the tags given at creation and added later', async () => {
    assertSetupSucceeded('repository', 'tags');
    const { tags } = await client.send(new ListTagsForResourceCommand({ resourceArn: REPOSITORY_ARN }));
    expect([...(tags ?? [])].sort((left, right) => left.Key!.localeCompare(right.Key!))).toEqual([
      { Key: 'env', Value: 'prod' },
      { Key: 'team', Value: 'infra' },
    ]);
  });

  it('keeps the repository policy', async () => {
    assertSetupSucceeded('repository', 'repository policy');
    const { policyText } = await client.send(new GetRepositoryPolicyCommand({ repositoryName: 'kept/app' }));
    expect(JSON.parse(policyText!)).toEqual(REPOSITORY_POLICY);
  });

  it('keeps the lifecycle policy', async () => {
    assertSetupSucceeded('repository', 'lifecycle policy');
    const { lifecyclePolicyText } = await client.send(new GetLifecyclePolicyCommand({ repositoryName: 'kept/app' }));
    expect(JSON.parse(lifecyclePolicyText!)).toEqual(LIFECYCLE_POLICY);
  });

  it('keeps the registry policy', async () => {
    assertSetupSucceeded('registry policy');
    const { policyText } = await client.send(new GetRegistryPolicyCommand({}));
    expect(JSON.parse(policyText!)).toEqual(REGISTRY_POLICY);
  });

  it('keeps the registry scanning configuration', async () => {
    assertSetupSucceeded('registry scanning configuration');
    const { registryId, scanningConfiguration } = await client.send(new GetRegistryScanningConfigurationCommand({}));
    expect(registryId).toBe(ACCOUNT);
    expect(scanningConfiguration).toEqual({ scanType: 'ENHANCED', rules: SCANNING_RULES });
  });

  it('keeps the pull-through cache rule', async () => {
    assertSetupSucceeded('pull-through cache rule');
    const { pullThroughCacheRules } = await client.send(new DescribePullThroughCacheRulesCommand({}));
    expect(pullThroughCacheRules).toHaveLength(1);
    expect(pullThroughCacheRules![0]).toMatchObject({ ecrRepositoryPrefix: 'ecr-public', upstreamRegistryUrl: 'public.ecr.aws', registryId: ACCOUNT });
  });

  it('accepts a registry token issued before the restart at GET /v2/, and refuses a forged one', async () => {
    const basic = (password: string): string => `Basic ${Buffer.from(`AWS:${password}`).toString('base64')}`;
    const accepted = await fetch(`${emulator!.endpoint}/v2/`, { headers: { authorization: basic(passwordBeforeRestart) } });
    expect(accepted.status).toBe(200);
    const forgedPassword = `${passwordBeforeRestart.slice(0, -1)}${passwordBeforeRestart.endsWith('A') ? 'B' : 'A'}`;
    const forged = await fetch(`${emulator!.endpoint}/v2/`, { headers: { authorization: basic(forgedPassword) } });
    expect(forged.status).toBe(401);
  });
});
