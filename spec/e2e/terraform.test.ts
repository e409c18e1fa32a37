// Terraform with the AWS provider 5.100.0 (offline mirror) manages every ECR resource against the built CLI:
// apply creates them as configured, a second plan finds no drift, destroy removes them all.
import {
  DescribePullThroughCacheRulesCommand,
  DescribeRegistryCommand,
  DescribeRepositoriesCommand,
  DescribeRepositoryCreationTemplatesCommand,
  ECRClient,
  GetLifecyclePolicyCommand,
  GetRegistryPolicyCommand,
  GetRegistryScanningConfigurationCommand,
  GetRepositoryPolicyCommand,
  ListTagsForResourceCommand,
} from '@aws-sdk/client-ecr';
import { startEmulatorProcess, type EmulatorProcess } from '../helpers/emulator-process';
import { createTerraformWorkspace, expectExitCode, terraformOutputs, type TerraformWorkspace } from '../helpers/terraform-workspace';

const ACCOUNT = '000000000000';
const REPOSITORY_ARN = `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/tf/app`;
const TERRAFORM_TIMEOUT_MS = 360_000;

let emulator: EmulatorProcess;
let workspace: TerraformWorkspace;
let ecr: ECRClient;


interface StateResource {
  address: string;
  values: Record<string, unknown>;
}

/** The attributes of one resource or data source in the state, sensitive ones included. */
async function stateValues(address: string): Promise<Record<string, unknown>> {
  const result = await workspace.run(['show', '-json', '-no-color']);
  expectExitCode(result, 0);
  const state = JSON.parse(result.stdout) as { values?: { root_module?: { resources?: StateResource[] } } };
  const resource = state.values?.root_module?.resources?.find((candidate) => candidate.address === address);
  if (resource === undefined) throw new Error(`${address} is not in the state`);
  return resource.values;
}

const outputs = (): Promise<Record<string, unknown>> => terraformOutputs(workspace);

beforeAll(async () => {
  emulator = await startEmulatorProcess({ memory: true });
  ecr = new ECRClient({ endpoint: emulator.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
  workspace = createTerraformWorkspace('ecr-registry', { endpoint: emulator.endpoint });
}, 60_000);

afterAll(async () => {
  ecr?.destroy();
  await emulator?.stop();
  workspace?.remove();
});

describe('terraform with the AWS provider', () => {
  it('initialises offline from the provider mirror', async () => {
    const init = await workspace.run(['init', '-input=false', '-no-color']);
    expectExitCode(init, 0);
    expect(init.stdout).toContain('Installing hashicorp/aws v5.100.0');
  }, TERRAFORM_TIMEOUT_MS);

  it('applies every ECR resource', async () => {
    const apply = await workspace.run(['apply', '-input=false', '-auto-approve', '-no-color']);
    expectExitCode(apply, 0);
    expect(apply.stdout).toMatch(/Apply complete! Resources: 8 added, 0 changed, 0 destroyed\./);
  }, TERRAFORM_TIMEOUT_MS);

  it('reads the caller identity, the repository URL and the registry of the token into outputs', async () => {
    expect(await outputs()).toEqual({
      account_id: ACCOUNT,
      registry_id: ACCOUNT,
      repository_arn: REPOSITORY_ARN,
      repository_url: `${emulator.registryHost}/tf/app`,
      token_user_name: 'AWS',
      token_proxy_endpoint: `http://${emulator.registryHost}`,
      registry_policy_registry_id: ACCOUNT,
      pull_through_cache_rule_registry_id: ACCOUNT,
      creation_template_registry_id: ACCOUNT,
    });
  }, TERRAFORM_TIMEOUT_MS);

  it('reads an authorization token that expires in about 12 hours and whose password opens the registry at GET /v2/', async () => {
    const token = await stateValues('data.aws_ecr_authorization_token.token');
    expect(Buffer.from(token.authorization_token as string, 'base64').toString()).toBe(`AWS:${String(token.password)}`);
    const expiresInMs = new Date(token.expires_at as string).getTime() - Date.now();
    expect(expiresInMs).toBeGreaterThan(11 * 3600_000);
    expect(expiresInMs).toBeLessThanOrEqual(12 * 3600_000 + 5_000);
    const response = await fetch(`${emulator.endpoint}/v2/`, { headers: { authorization: `Basic ${token.authorization_token as string}` } });
    expect(response.status).toBe(200);
  }, TERRAFORM_TIMEOUT_MS);

  it('creates the repository with IMMUTABLE tags, scan on push and its tags', async () => {
    const { repositories } = await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ['tf/app'] }));
    expect(repositories![0]).toMatchObject({ repositoryArn: REPOSITORY_ARN, imageTagMutability: 'IMMUTABLE', imageScanningConfiguration: { scanOnPush: true } });
    const { tags } = await ecr.send(new ListTagsForResourceCommand({ resourceArn: REPOSITORY_ARN }));
    expect([...(tags ?? [])].sort((left, right) => left.Key!.localeCompare(right.Key!))).toEqual([
      { Key: 'env', Value: 'dev' },
      { Key: 'team', Value: 'infra' },
    ]);
  });

  it('puts the lifecycle policy and the repository policy', async () => {
    const { lifecyclePolicyText } = await ecr.send(new GetLifecyclePolicyCommand({ repositoryName: 'tf/app' }));
    const lifecycle = JSON.parse(lifecyclePolicyText!) as { rules: { rulePriority: number; selection: { tagStatus: string } }[] };
    expect(lifecycle.rules.map((rule) => [rule.rulePriority, rule.selection.tagStatus])).toEqual([
      [1, 'tagged'],
      [2, 'untagged'],
    ]);
    const { policyText } = await ecr.send(new GetRepositoryPolicyCommand({ repositoryName: 'tf/app' }));
    expect(JSON.parse(policyText!)).toMatchObject({ Statement: [{ Sid: 'AllowPull', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` } }] });
  });

  it('puts the registry policy and the replication configuration', async () => {
    const { policyText } = await ecr.send(new GetRegistryPolicyCommand({}));
    expect(JSON.parse(policyText!)).toMatchObject({ Statement: [{ Sid: 'ReplicationAccess', Resource: `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/*` }] });
    const { replicationConfiguration } = await ecr.send(new DescribeRegistryCommand({}));
    expect(replicationConfiguration).toEqual({
      rules: [{ destinations: [{ region: 'us-west-2', registryId: ACCOUNT }], repositoryFilters: [{ filter: 'tf/', filterType: 'PREFIX_MATCH' }] }],
    });
  });

  it('puts the enhanced registry scanning configuration', async () => {
    const { scanningConfiguration } = await ecr.send(new GetRegistryScanningConfigurationCommand({}));
    expect(scanningConfiguration).toEqual({ scanType: 'ENHANCED', rules: [{ scanFrequency: 'SCAN_ON_PUSH', repositoryFilters: [{ filter: 'tf/*', filterType: 'WILDCARD' }] }] });
  });

  it('creates the pull-through cache rule and the repository creation template', async () => {
    const { pullThroughCacheRules } = await ecr.send(new DescribePullThroughCacheRulesCommand({}));
    expect(pullThroughCacheRules).toHaveLength(1);
    expect(pullThroughCacheRules![0]).toMatchObject({ ecrRepositoryPrefix: 'ecr-public', upstreamRegistryUrl: 'public.ecr.aws', registryId: ACCOUNT });
    const { repositoryCreationTemplates } = await ecr.send(new DescribeRepositoryCreationTemplatesCommand({}));
    expect(repositoryCreationTemplates).toHaveLength(1);
    expect(repositoryCreationTemplates![0]).toMatchObject({
      prefix: 'ecr-public',
      appliedFor: ['PULL_THROUGH_CACHE'],
      imageTagMutability: 'MUTABLE',
      resourceTags: [{ Key: 'origin', Value: 'pull-through-cache' }],
    });
  });

  it('plans no changes right after the apply', async () => {
    const plan = await workspace.run(['plan', '-input=false', '-detailed-exitcode', '-no-color']);
    expectExitCode(plan, 0);
    expect(plan.stdout).toContain('No changes.');
  }, TERRAFORM_TIMEOUT_MS);

  it('destroys every resource', async () => {
    const destroy = await workspace.run(['destroy', '-input=false', '-auto-approve', '-no-color']);
    expectExitCode(destroy, 0);
    expect(destroy.stdout).toMatch(/Destroy complete! Resources: 8 destroyed\./);
  }, TERRAFORM_TIMEOUT_MS);

  it('leaves no repository, policy, replication rule, scanning rule, cache rule or template after destroy', async () => {
    expect((await ecr.send(new DescribeRepositoriesCommand({}))).repositories).toEqual([]);
    await expect(ecr.send(new GetRegistryPolicyCommand({}))).rejects.toMatchObject({ name: 'RegistryPolicyNotFoundException' });
    expect((await ecr.send(new DescribeRegistryCommand({}))).replicationConfiguration).toEqual({ rules: [] });
    expect((await ecr.send(new GetRegistryScanningConfigurationCommand({}))).scanningConfiguration).toEqual({ scanType: 'BASIC', rules: [] });
    expect((await ecr.send(new DescribePullThroughCacheRulesCommand({}))).pullThroughCacheRules).toEqual([]);
    expect((await ecr.send(new DescribeRepositoryCreationTemplatesCommand({}))).repositoryCreationTemplates).toEqual([]);
  });
});
