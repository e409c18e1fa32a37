// CREATE_ON_PUSH with real clients: the aws CLI creates a repository creation template, skopeo copies a test image
// to a repository under its prefix that does not exist, and the aws CLI then finds the repository with the
// template's settings. Without a template the same copy fails.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { awsClientEnvironment } from '../helpers/ecr-client-drivers';
import { startEmulatorProcess, type EmulatorProcess } from '../helpers/emulator-process';
import { containerTools, expectExitZero, type ContainerTools } from '../helpers/container-tools';
import { runProcess, type ProcessResult } from '../helpers/run-process';
import { makeTestImages, type TestImages } from '../helpers/test-images';

const CLIENT_TIMEOUT_MS = 120_000;
const LIFECYCLE_POLICY = JSON.stringify({
  rules: [{ rulePriority: 1, selection: { tagStatus: 'untagged', countType: 'imageCountMoreThan', countNumber: 5 }, action: { type: 'expire' } }],
});

let emulator: EmulatorProcess;
let work: string;
let images: TestImages;
let tools: ContainerTools;

function aws(args: readonly string[]): Promise<ProcessResult> {
  return runProcess('aws', ['ecr', ...args, '--endpoint-url', emulator.endpoint, '--region', 'us-east-1', '--output', 'json'], {
    env: awsClientEnvironment(),
    timeoutMs: CLIENT_TIMEOUT_MS,
  });
}

async function awsJson<T>(args: readonly string[]): Promise<T> {
  return JSON.parse(expectExitZero(await aws(args)).stdout) as T;
}

function copyTo(repository: string, tag: string): Promise<ProcessResult> {
  const digestFile = path.join(work, `${repository.replace(/\//g, '-')}-${tag}.digest`);
  return tools.skopeo(['copy', '--dest-tls-verify=false', '--dest-authfile', tools.authFile, '--digestfile', digestFile, images.single.reference, `docker://${emulator.registryHost}/${repository}:${tag}`]);
}

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'ecr-create-on-push-'));
  tools = containerTools(work);
  images = await makeTestImages(path.join(work, 'images'));
  emulator = await startEmulatorProcess({ memory: true });
  expectExitZero(
    await aws([
      'create-repository-creation-template',
      '--prefix', 'team',
      '--applied-for', 'CREATE_ON_PUSH',
      '--image-tag-mutability', 'IMMUTABLE',
      '--resource-tags', 'Key=owner,Value=team',
      '--lifecycle-policy', LIFECYCLE_POLICY,
    ]),
  );
  const password = expectExitZero(await aws(['get-login-password'])).stdout;
  expectExitZero(await tools.skopeo(['login', '--tls-verify=false', '--authfile', tools.authFile, '--username', 'AWS', '--password-stdin', emulator.registryHost], password));
}, 180_000);

afterAll(async () => {
  await emulator?.stop();
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

describe('skopeo copy to a repository a CREATE_ON_PUSH template covers', () => {
  it("creates the repository with the template's settings and stores the image", async () => {
    expectExitZero(await copyTo('team/app', 'single'));
    expect(readFileSync(path.join(work, 'team-app-single.digest'), 'utf8').trim()).toBe(images.single.digest);
    const { repositories } = await awsJson<{ repositories: { repositoryName: string; repositoryArn: string; imageTagMutability: string }[] }>([
      'describe-repositories',
      '--repository-names', 'team/app',
    ]);
    expect(repositories).toEqual([expect.objectContaining({ repositoryName: 'team/app', imageTagMutability: 'IMMUTABLE' })]);
    const { tags } = await awsJson<{ tags: { Key: string; Value: string }[] }>(['list-tags-for-resource', '--resource-arn', repositories[0]!.repositoryArn]);
    expect(tags).toEqual([{ Key: 'owner', Value: 'team' }]);
    const { lifecyclePolicyText } = await awsJson<{ lifecyclePolicyText: string }>(['get-lifecycle-policy', '--repository-name', 'team/app']);
    expect(JSON.parse(lifecyclePolicyText)).toEqual(JSON.parse(LIFECYCLE_POLICY));
    const { imageDetails } = await awsJson<{ imageDetails: { imageDigest: string; imageTags: string[] }[] }>(['describe-images', '--repository-name', 'team/app']);
    expect(imageDetails).toEqual([expect.objectContaining({ imageDigest: images.single.digest, imageTags: ['single'] })]);
  });

  it('fails for a repository no template covers and creates nothing', async () => {
    const result = await copyTo('elsewhere/app', 'single');
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toMatch(/name unknown|NAME_UNKNOWN|does not exist/i);
    const missing = await aws(['describe-repositories', '--repository-names', 'elsewhere/app']);
    expect(missing.exitCode).not.toBe(0);
    expect(missing.stderr).toContain('RepositoryNotFoundException');
  });
});
