// Private image replication across Regions and accounts as the aws CLI v2 sees it: account 111111111111 replicates
// `prod` repositories to its own us-west-2 and to 222222222222 (whose registry policy allows it), and `audit`
// repositories to 333333333333 (which has no registry policy); images are pushed with skopeo as 111111111111.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { credentialEnvironment, rootCredentials } from '../helpers/aws-credentials';
import { containerTools, expectExitZero, type ContainerTools } from '../helpers/container-tools';
import { AWS_CLI_V2, credentialedAwsCli, type CredentialedAwsCli } from '../helpers/credentialed-aws-cli';
import { expectFailure, expectSuccess, type ClientResult } from '../helpers/ecr-client-drivers';
import { startEmulatorProcess, type EmulatorProcess } from '../helpers/emulator-process';
import { runProcess } from '../helpers/run-process';
import { makeTestImages, type TestImages } from '../helpers/test-images';

const SOURCE = '111111111111';
const PERMITTING = '222222222222';
const UNPERMITTING = '333333333333';
const SOURCE_REGION = 'us-east-1';
const OTHER_REGION = 'us-west-2';
const PROD_REPOSITORY = 'prod/app';
const DEV_REPOSITORY = 'dev/app';
const AUDIT_REPOSITORY = 'audit/app';
const TAG = '1.0';
const STEP_TIMEOUT_MS = 90_000;
const SETUP_TIMEOUT_MS = 180_000;
// Replication runs just after the push is answered; the bound only keeps a broken worker from hanging the file.
const REPLICATION_WAIT_MS = 10_000;
const POLL_STEP_MS = 100;

const REPLICATION_CONFIGURATION = {
  rules: [
    {
      destinations: [
        { region: OTHER_REGION, registryId: SOURCE },
        { region: SOURCE_REGION, registryId: PERMITTING },
      ],
      repositoryFilters: [{ filter: 'prod', filterType: 'PREFIX_MATCH' }],
    },
    {
      destinations: [{ region: SOURCE_REGION, registryId: UNPERMITTING }],
      repositoryFilters: [{ filter: 'audit', filterType: 'PREFIX_MATCH' }],
    },
  ],
};

// User guide, "Granting registry permissions for cross account replication": the destination's registry policy.
const REGISTRY_POLICY = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'ReplicationFromSource',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${SOURCE}:root` },
      Action: ['ecr:CreateRepository', 'ecr:ReplicateImage'],
      Resource: `arn:aws:ecr:${SOURCE_REGION}:${PERMITTING}:repository/*`,
    },
  ],
};

interface ReplicationStatus {
  region: string;
  registryId: string;
  status: string;
  failureCode?: string;
}

interface ImageDetail {
  registryId: string;
  repositoryName: string;
  imageDigest: string;
  imageTags?: string[];
}

let emulator: EmulatorProcess;
let cli: CredentialedAwsCli;
let work: string;
let tools: ContainerTools;
let images: TestImages;
const pushedDigests = new Map<string, string>();

/** `aws ecr <command>` as the root of `account`; `--region` is the CLI's global option, given like any other. */
function ecr(account: string, command: string, params: Record<string, unknown> = {}, region = SOURCE_REGION): Promise<ClientResult> {
  return cli.call(rootCredentials(account), 'ecr', command, { ...params, region });
}

/** `aws ecr get-login-password` as the root of `account`: the registry serves that account's repositories to it. */
async function loginPassword(account: string): Promise<string> {
  const login = await runProcess(AWS_CLI_V2.binary, ['ecr', 'get-login-password', '--endpoint-url', emulator.endpoint], {
    env: credentialEnvironment(rootCredentials(account)),
    timeoutMs: STEP_TIMEOUT_MS,
  });
  return expectExitZero(login).stdout.trim();
}

/** skopeo copy of the single-arch test image to `repository:TAG` of the source account. */
async function pushAsSource(repository: string): Promise<string> {
  const password = await loginPassword(SOURCE);
  const digestFile = path.join(work, `${repository.replace('/', '-')}.digest`);
  const target = `docker://${emulator.registryHost}/${repository}:${TAG}`;
  expectExitZero(await tools.skopeo(['copy', '--dest-tls-verify=false', '--dest-creds', `AWS:${password}`, '--digestfile', digestFile, images.single.reference, target]));
  const digest = readFileSync(digestFile, 'utf8').trim();
  pushedDigests.set(repository, digest);
  return digest;
}

function pushed(repository: string): string {
  const digest = pushedDigests.get(repository);
  if (digest === undefined) throw new Error(`${repository} was not pushed: an earlier step of the journey failed`);
  return digest;
}

/** The replication statuses of `repository:TAG` in the source registry, polled until none is IN_PROGRESS. */
async function settledReplicationStatuses(repository: string): Promise<ReplicationStatus[]> {
  const deadline = Date.now() + REPLICATION_WAIT_MS;
  for (;;) {
    const answer = expectSuccess(await ecr(SOURCE, 'describe-image-replication-status', { repositoryName: repository, imageId: { imageDigest: pushed(repository) } }));
    const statuses = answer.replicationStatuses as ReplicationStatus[];
    if (!statuses.some(({ status }) => status === 'IN_PROGRESS')) return statuses;
    if (Date.now() >= deadline) throw new Error(`replication of ${repository} still IN_PROGRESS after ${REPLICATION_WAIT_MS} ms: ${JSON.stringify(statuses)}`);
    await new Promise((resolve) => setTimeout(resolve, POLL_STEP_MS));
  }
}

function byDestination(statuses: ReplicationStatus[]): ReplicationStatus[] {
  return [...statuses].sort((one, other) => `${one.registryId}/${one.region}`.localeCompare(`${other.registryId}/${other.region}`));
}

beforeAll(async () => {
  work = mkdtempSync(path.join(tmpdir(), 'ecr-replication-aws-cli-'));
  tools = containerTools(work);
  images = await makeTestImages(path.join(work, 'images'));
  emulator = await startEmulatorProcess({ memory: true });
  cli = credentialedAwsCli(AWS_CLI_V2, emulator.endpoint);
}, SETUP_TIMEOUT_MS);

afterAll(async () => {
  await emulator?.stop();
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

describe('replication set up with the aws CLI v2', () => {
  test('is the aws CLI v2', async () => {
    expect(await cli.version()).toMatch(AWS_CLI_V2.expectedVersion);
  });

  test('put-replication-configuration by the source answers the configuration, and describe-registry shows it', async () => {
    const put = expectSuccess(await ecr(SOURCE, 'put-replication-configuration', { replicationConfiguration: REPLICATION_CONFIGURATION }));
    expect(put.replicationConfiguration).toEqual(REPLICATION_CONFIGURATION);
    const described = expectSuccess(await ecr(SOURCE, 'describe-registry'));
    expect(described).toEqual({ registryId: SOURCE, replicationConfiguration: REPLICATION_CONFIGURATION });
  }, STEP_TIMEOUT_MS);

  test('put-registry-policy by the destination account answers the policy, and get-registry-policy reads it back', async () => {
    const put = expectSuccess(await ecr(PERMITTING, 'put-registry-policy', { policyText: JSON.stringify(REGISTRY_POLICY) }));
    expect(put.registryId).toBe(PERMITTING);
    expect(JSON.parse(put.policyText as string)).toEqual(REGISTRY_POLICY);
    const read = expectSuccess(await ecr(PERMITTING, 'get-registry-policy'));
    expect(JSON.parse(read.policyText as string)).toEqual(REGISTRY_POLICY);
  }, STEP_TIMEOUT_MS);

  test('skopeo copy pushes the test image to dev/app and then prod/app of the source, each with the image digest', async () => {
    for (const repository of [DEV_REPOSITORY, PROD_REPOSITORY]) {
      expectSuccess(await ecr(SOURCE, 'create-repository', { repositoryName: repository }));
      expect(await pushAsSource(repository)).toBe(images.single.digest);
    }
  }, SETUP_TIMEOUT_MS);
});

describe('an image pushed to a repository a PREFIX_MATCH rule matches', () => {
  test('describe-image-replication-status reports COMPLETE for us-west-2 of the source and us-east-1 of the permitting account', async () => {
    const statuses = await settledReplicationStatuses(PROD_REPOSITORY);
    expect(byDestination(statuses)).toEqual([
      { region: OTHER_REGION, registryId: SOURCE, status: 'COMPLETE' },
      { region: SOURCE_REGION, registryId: PERMITTING, status: 'COMPLETE' },
    ]);
  }, STEP_TIMEOUT_MS);

  test.each([
    ['us-west-2 of the source account', SOURCE, OTHER_REGION],
    ['us-east-1 of the permitting account', PERMITTING, SOURCE_REGION],
  ])('describe-images in %s shows the replica with the pushed digest and tag', async (_name, account, region) => {
    const { imageDetails } = expectSuccess(await ecr(account, 'describe-images', { repositoryName: PROD_REPOSITORY }, region)) as { imageDetails: ImageDetail[] };
    expect(imageDetails).toEqual([expect.objectContaining({ registryId: account, repositoryName: PROD_REPOSITORY, imageDigest: pushed(PROD_REPOSITORY), imageTags: [TAG] })]);
  }, STEP_TIMEOUT_MS);

  test('skopeo copy pulls the replica from the permitting account: its manifest has the pushed digest, its layers are there', async () => {
    const password = await loginPassword(PERMITTING);
    const layout = path.join(work, 'replica');
    const source = `docker://${emulator.registryHost}/${PROD_REPOSITORY}:${TAG}`;
    expectExitZero(await tools.skopeo(['copy', '--src-tls-verify=false', '--src-creds', `AWS:${password}`, source, `oci:${layout}:${TAG}`]));
    const index = JSON.parse(readFileSync(path.join(layout, 'index.json'), 'utf8')) as { manifests: { digest: string }[] };
    expect(index.manifests.map(({ digest }) => digest)).toEqual([pushed(PROD_REPOSITORY)]);
  }, STEP_TIMEOUT_MS);

  test('describe-repositories in the permitting account shows the repository replication created there', async () => {
    const { repositories } = expectSuccess(await ecr(PERMITTING, 'describe-repositories')) as { repositories: { repositoryName: string; registryId: string; repositoryArn: string }[] };
    expect(repositories.map(({ repositoryName, registryId, repositoryArn }) => ({ repositoryName, registryId, repositoryArn }))).toEqual([
      { repositoryName: PROD_REPOSITORY, registryId: PERMITTING, repositoryArn: `arn:aws:ecr:${SOURCE_REGION}:${PERMITTING}:repository/${PROD_REPOSITORY}` },
    ]);
  }, STEP_TIMEOUT_MS);
});

describe('an image pushed to a repository no rule matches', () => {
  test('describe-image-replication-status lists no destination for dev/app', async () => {
    const answer = expectSuccess(await ecr(SOURCE, 'describe-image-replication-status', { repositoryName: DEV_REPOSITORY, imageId: { imageDigest: pushed(DEV_REPOSITORY) } }));
    expect(answer.replicationStatuses).toEqual([]);
  }, STEP_TIMEOUT_MS);

  // dev/app was pushed before prod/app, and prod/app's replication has completed: had dev/app been queued, it ran.
  test.each([
    ['us-west-2 of the source account', SOURCE, OTHER_REGION],
    ['us-east-1 of the permitting account', PERMITTING, SOURCE_REGION],
  ])('describe-images of dev/app in %s fails with RepositoryNotFoundException', async (_name, account, region) => {
    await settledReplicationStatuses(PROD_REPOSITORY);
    const refused = expectFailure(await ecr(account, 'describe-images', { repositoryName: DEV_REPOSITORY }, region));
    expect(refused.errorCode).toBe('RepositoryNotFoundException');
  }, STEP_TIMEOUT_MS);
});

describe('replication to an account whose registry policy does not allow it', () => {
  test('describe-image-replication-status reports FAILED with the reason for the account without a registry policy', async () => {
    expectSuccess(await ecr(SOURCE, 'create-repository', { repositoryName: AUDIT_REPOSITORY }));
    expect(await pushAsSource(AUDIT_REPOSITORY)).toBe(images.single.digest);
    const statuses = await settledReplicationStatuses(AUDIT_REPOSITORY);
    expect(statuses).toEqual([{ region: SOURCE_REGION, registryId: UNPERMITTING, status: 'FAILED', failureCode: expect.stringMatching(/\S/) }]);
    expect(statuses[0]!.failureCode).toContain('registry policy');
  }, SETUP_TIMEOUT_MS);

  test('describe-images of audit/app in that account fails with RepositoryNotFoundException: nothing was created there', async () => {
    await settledReplicationStatuses(AUDIT_REPOSITORY);
    const refused = expectFailure(await ecr(UNPERMITTING, 'describe-images', { repositoryName: AUDIT_REPOSITORY }));
    expect(refused.errorCode).toBe('RepositoryNotFoundException');
  }, STEP_TIMEOUT_MS);
});
