// Terraform with the AWS provider 5.100.0 (offline mirror) reading images pushed through the data plane
// (data "aws_ecr_image" by tag, by digest and most recent) and destroying a repository that holds images
// (force_delete = true), against the built CLI.
import { CreateRepositoryCommand, DescribeRepositoriesCommand, ECRClient } from '@aws-sdk/client-ecr';
import { startEmulatorProcess, type EmulatorProcess } from '../helpers/emulator-process';
import { basicAuthorization, registryClient, type RegistryClient } from '../helpers/registry-client';
import { createTerraformWorkspace, expectExitCode, terraformOutputs, type TerraformWorkspace } from '../helpers/terraform-workspace';

const PUSHED = 'tf/pushed';
const TERRAFORM_TIMEOUT_MS = 360_000;

let emulator: EmulatorProcess;
let workspace: TerraformWorkspace;
let ecr: ECRClient;
let registry: RegistryClient;
let v1: { digest: string; manifest: string };
let v2: { digest: string; manifest: string };


const outputs = (): Promise<Record<string, unknown>> => terraformOutputs(workspace);

beforeAll(async () => {
  emulator = await startEmulatorProcess({ memory: true });
  ecr = new ECRClient({ endpoint: emulator.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
  await ecr.send(new CreateRepositoryCommand({ repositoryName: PUSHED }));
  registry = registryClient(emulator.endpoint, await basicAuthorization(ecr));
  v1 = await registry.pushImage(PUSHED, 'v1', { layers: ['first layer', 'second layer'] });
  // imagePushedAt has millisecond resolution; most_recent must not depend on a tie.
  await new Promise((resolve) => setTimeout(resolve, 20));
  v2 = await registry.pushImage(PUSHED, 'v2', { layers: ['a newer layer'] });
  workspace = createTerraformWorkspace('ecr-images', { endpoint: emulator.endpoint, pushed_repository: PUSHED });
}, 60_000);

afterAll(async () => {
  ecr?.destroy();
  await emulator?.stop();
  workspace?.remove();
});

describe('terraform reading pushed images', () => {
  it('initialises offline and applies', async () => {
    expectExitCode(await workspace.run(['init', '-input=false', '-no-color']), 0);
    const apply = await workspace.run(['apply', '-input=false', '-auto-approve', '-no-color']);
    expectExitCode(apply, 0);
    expect(apply.stdout).toMatch(/Apply complete! Resources: 1 added, 0 changed, 0 destroyed\./);
  }, TERRAFORM_TIMEOUT_MS);

  it('finds the image by tag with its digest, size from its layers, tags and URI', async () => {
    const document = JSON.parse(v1.manifest) as { config: { size: number }; layers: { size: number }[] };
    const size = document.config.size + document.layers.reduce((sum, layer) => sum + layer.size, 0);
    const { by_tag: byTag } = (await outputs()) as { by_tag: Record<string, unknown> };
    expect(byTag).toMatchObject({ digest: v1.digest, size, tags: ['v1'], image_uri: `${emulator.registryHost}/${PUSHED}@${v1.digest}` });
    // The provider reports image_pushed_at as epoch seconds.
    expect(Math.abs(Number(byTag.pushed_at) * 1000 - Date.now())).toBeLessThan(10 * 60_000);
  }, TERRAFORM_TIMEOUT_MS);

  it('finds the most recent image and the image by digest', async () => {
    const values = await outputs();
    expect(values.most_recent_tags).toEqual(['v2']);
    expect(values.by_digest_tags).toEqual(['v1']);
    expect(v2.digest).not.toBe(v1.digest);
  }, TERRAFORM_TIMEOUT_MS);

  it('destroys a managed repository that holds an image (force_delete)', async () => {
    const { managed_repository_url: url } = (await outputs()) as { managed_repository_url: string };
    expect(url).toBe(`${emulator.registryHost}/tf/managed`);
    await registry.pushImage('tf/managed', 'latest');
    const destroy = await workspace.run(['destroy', '-input=false', '-auto-approve', '-no-color']);
    expectExitCode(destroy, 0);
    expect(destroy.stdout).toMatch(/Destroy complete! Resources: 1 destroyed\./);
    await expect(ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ['tf/managed'] }))).rejects.toMatchObject({ name: 'RepositoryNotFoundException' });
  }, TERRAFORM_TIMEOUT_MS);
});
