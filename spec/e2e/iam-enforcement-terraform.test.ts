// Terraform (AWS provider 5.100.0, offline mirror) sets up access against the built CLI started with --iam enforce:
// a user, its key, a policy allowing push and pull on one repository, the repository and a repository policy letting
// the user list it. Then skopeo with the user's token does what the policies allow and is refused the rest; destroy.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateRepositoryCommand, DescribeImagesCommand, ECRClient } from '@aws-sdk/client-ecr';
import { credentialEnvironment, type AwsCredentials } from '../helpers/aws-credentials';
import { containerTools, expectExitZero, type ContainerTools } from '../helpers/container-tools';
import { AWS_CLI_V2 } from '../helpers/credentialed-aws-cli';
import { startEmulatorProcess, type EmulatorProcess } from '../helpers/emulator-process';
import { runProcess, type ProcessResult } from '../helpers/run-process';
import { createTerraformWorkspace, expectExitCode, terraformOutputs, type TerraformWorkspace } from '../helpers/terraform-workspace';
import { makeTestImages, type TestImages } from '../helpers/test-images';

const ACCOUNT = '000000000000';
const REGION = 'us-east-1';
const REPOSITORY = 'tf-enforced/app';
/** Created by the root, outside Terraform and outside the user's policy. */
const OTHER_REPOSITORY = 'tf-enforced/other';
const USER_ARN = `arn:aws:iam::${ACCOUNT}:user/tf-pusher`;
const RESOURCE_COUNT = 5;
const TERRAFORM_TIMEOUT_MS = 360_000;
const CLIENT_TIMEOUT_MS = 120_000;

const repositoryArn = (name: string): string => `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/${name}`;

let emulator: EmulatorProcess;
let workspace: TerraformWorkspace;
let work: string;
let tools: ContainerTools;
let images: TestImages;
let rootEcr: ECRClient;
let userKeys: AwsCredentials | undefined;
let password: string | undefined;

function earlier<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`${what} is missing: an earlier step of the journey failed`);
  return value;
}

/** `aws ecr get-login-password` with `credentials`: the password, or the refusal. */
function getLoginPassword(credentials: AwsCredentials): Promise<ProcessResult> {
  return runProcess(AWS_CLI_V2.binary, ['--endpoint-url', emulator.endpoint, '--region', REGION, 'ecr', 'get-login-password'], {
    env: credentialEnvironment(credentials),
    timeoutMs: CLIENT_TIMEOUT_MS,
  });
}

const image = (repository: string, tag: string): string => `docker://${emulator.registryHost}/${repository}:${tag}`;
const userCreds = (): string => `AWS:${earlier(password, "the user's password")}`;

async function digestOf(repository: string, tag: string): Promise<string | undefined> {
  try {
    const { imageDetails } = await rootEcr.send(new DescribeImagesCommand({ repositoryName: repository, imageIds: [{ imageTag: tag }] }));
    return imageDetails?.[0]?.imageDigest;
  } catch (error) {
    if ((error as Error).name === 'ImageNotFoundException') return undefined;
    throw error;
  }
}

interface Decision {
  principal: string;
  action: string;
  resource: string;
  decision: string;
  message?: string;
}

async function deniedDecisions(principal: string): Promise<Decision[]> {
  const response = await fetch(`${emulator.endpoint}/_emulator/iam/decisions?${new URLSearchParams({ principal, decision: 'denied', limit: '1000' }).toString()}`);
  if (response.status !== 200) throw new Error(`GET /_emulator/iam/decisions answered ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { decisions: Decision[] }).decisions;
}

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'ecr-iam-enforcement-terraform-'));
  tools = containerTools(work);
  images = await makeTestImages(path.join(work, 'images'));
  emulator = await startEmulatorProcess({ memory: true, args: ['--iam', 'enforce'] });
  rootEcr = new ECRClient({ endpoint: emulator.endpoint, region: REGION, credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
  workspace = createTerraformWorkspace('iam-enforcement', { endpoint: emulator.endpoint });
}, 120_000);

afterAll(async () => {
  rootEcr?.destroy();
  await emulator?.stop();
  workspace?.remove();
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
}, 60_000);

describe('access set up by terraform, enforced', () => {
  it('initialises offline from the provider mirror', async () => {
    const init = await workspace.run(['init', '-input=false', '-no-color']);
    expectExitCode(init, 0);
    expect(init.stdout).toContain('Installing hashicorp/aws v5.100.0');
  }, TERRAFORM_TIMEOUT_MS);

  it('applies the user, its key, its policy, the repository and the repository policy', async () => {
    const apply = await workspace.run(['apply', '-input=false', '-auto-approve', '-no-color']);
    expectExitCode(apply, 0);
    expect(apply.stdout).toMatch(new RegExp(`Apply complete! Resources: ${RESOURCE_COUNT} added, 0 changed, 0 destroyed\\.`));
  }, TERRAFORM_TIMEOUT_MS);

  it("outputs the user's ARN and an AKIA key", async () => {
    const { access_key_id: accessKeyId, access_key_secret: secretAccessKey, ...outputs } = await terraformOutputs(workspace);
    expect(outputs).toEqual({ user_arn: USER_ARN, repository_arn: repositoryArn(REPOSITORY), repository_url: `${emulator.registryHost}/${REPOSITORY}` });
    expect(accessKeyId).toMatch(/^AKIA[A-Z0-9]{16}$/);
    userKeys = { accessKeyId: accessKeyId as string, secretAccessKey: secretAccessKey as string };
  }, TERRAFORM_TIMEOUT_MS);

  it("gets a registry password with the user's key: its policy allows ecr:GetAuthorizationToken", async () => {
    password = expectExitZero(await getLoginPassword(earlier(userKeys, "the user's key"))).stdout.trim();
    expect(password.length).toBeGreaterThan(0);
  }, CLIENT_TIMEOUT_MS);

  it("skopeo pushes to the repository with the user's password; the root sees the digest", async () => {
    expectExitZero(await tools.skopeo(['copy', '--dest-tls-verify=false', '--dest-creds', userCreds(), images.single.reference, image(REPOSITORY, 'v1')]));
    expect(await digestOf(REPOSITORY, 'v1')).toBe(images.single.digest);
  }, CLIENT_TIMEOUT_MS);

  it("skopeo pulls from the repository with the user's password", async () => {
    const layout = path.join(work, 'pulled');
    expectExitZero(await tools.skopeo(['copy', '--src-tls-verify=false', '--src-creds', userCreds(), image(REPOSITORY, 'v1'), `oci:${layout}:v1`]));
    const index = JSON.parse(readFileSync(path.join(layout, 'index.json'), 'utf8')) as { manifests: { digest: string }[] };
    expect(index.manifests.map((entry) => entry.digest)).toEqual([images.single.digest]);
  }, CLIENT_TIMEOUT_MS);

  it('skopeo list-tags works: the repository policy alone grants the user ecr:ListImages', async () => {
    const listed = expectExitZero(await tools.skopeo(['list-tags', '--tls-verify=false', '--creds', userCreds(), `docker://${emulator.registryHost}/${REPOSITORY}`]));
    expect((JSON.parse(listed.stdout) as { Tags: string[] }).Tags).toEqual(['v1']);
  }, CLIENT_TIMEOUT_MS);

  it('skopeo push to a repository the root created outside the policy is refused, and stores nothing', async () => {
    await rootEcr.send(new CreateRepositoryCommand({ repositoryName: OTHER_REPOSITORY }));
    const push = await tools.skopeo(['copy', '--dest-tls-verify=false', '--dest-creds', userCreds(), images.single.reference, image(OTHER_REPOSITORY, 'v1')]);
    expect(push.exitCode).not.toBe(0);
    // skopeo first asks whether the layer is there (HEAD, ecr:BatchCheckLayerAvailability): a 403 without a body.
    expect(push.stderr).toContain(`failed to read from destination repository ${OTHER_REPOSITORY}: 403 (Forbidden)`);
    expect(await digestOf(OTHER_REPOSITORY, 'v1')).toBeUndefined();
  }, CLIENT_TIMEOUT_MS);

  it('records the one denial of the refused push in /_emulator/iam/decisions: the layer check on that repository', async () => {
    const action = 'ecr:BatchCheckLayerAvailability';
    const resource = repositoryArn(OTHER_REPOSITORY);
    expect(await deniedDecisions(USER_ARN)).toEqual([
      expect.objectContaining({
        principal: USER_ARN,
        action,
        resource,
        decision: 'denied',
        message: `User: ${USER_ARN} is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`,
      }),
    ]);
  }, CLIENT_TIMEOUT_MS);

  it('destroys every resource', async () => {
    const destroy = await workspace.run(['destroy', '-input=false', '-auto-approve', '-no-color']);
    expectExitCode(destroy, 0);
    expect(destroy.stdout).toMatch(new RegExp(`Destroy complete! Resources: ${RESOURCE_COUNT} destroyed\\.`));
  }, TERRAFORM_TIMEOUT_MS);

  it("refuses the deleted key's get-login-password with UnrecognizedClientException", async () => {
    const refused = await getLoginPassword(earlier(userKeys, "the user's key"));
    expect(refused.exitCode).not.toBe(0);
    expect(refused.stderr).toContain('UnrecognizedClientException');
  }, CLIENT_TIMEOUT_MS);
});
