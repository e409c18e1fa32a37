// Pull-time update exclusions decide whose pulls count: a pull by a registered principal (a user, or a session of
// a registered role) leaves lastRecordedPullTime where it was, on both planes; anyone else's pull moves it.
import { BatchGetImageCommand, DescribeImagesCommand, RegisterPullTimeUpdateExclusionCommand, type ECRClient } from '@aws-sdk/client-ecr';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { createRole, createUserWithKey, ecrClientWith, iamClient, rootKeys, sessionKeys, stsClient, trustPolicy } from '../helpers/identity-clients';
import { basicAuthorization, DOCKER_MANIFEST, registryClient } from '../helpers/registry-client';
import { testClock } from '../helpers/test-clock';
import { useTestEmulator } from '../helpers/test-emulator';

const ACCOUNT = '000000000000';
// Near the real time (requests IAM keys sign must verify), in whole seconds.
const clock = testClock(new Date(Math.floor(Date.now() / 1000) * 1000));
const env = useTestEmulator({ clock, repositories: ['app'] });

async function lastPull(): Promise<Date | undefined> {
  return (await env.ecr.send(new DescribeImagesCommand({ repositoryName: 'app' }))).imageDetails![0]!.lastRecordedPullTime;
}

async function pullManifest(ecr: ECRClient): Promise<number> {
  const registry = registryClient(env.emulator.endpoint, await basicAuthorization(ecr));
  return (await registry.fetch('/v2/app/manifests/v1', { headers: { accept: DOCKER_MANIFEST } })).status;
}

async function registeredUser(): Promise<ECRClient> {
  const auditor = await createUserWithKey(iamClient(env.emulator.endpoint, rootKeys(ACCOUNT)), 'auditor');
  await env.ecr.send(new RegisterPullTimeUpdateExclusionCommand({ principalArn: auditor.arn }));
  return ecrClientWith(env.emulator.endpoint, auditor.keys);
}

beforeEach(async () => {
  await env.registry.pushImage('app', 'v1');
});

test("a registered user's data-plane pull does not record a pull time", async () => {
  const auditor = await registeredUser();
  clock.advance(60_000);
  expect(await pullManifest(auditor)).toBe(200);
  expect(await lastPull()).toBeUndefined();
});

test("a registered user's BatchGetImage does not record a pull time", async () => {
  const auditor = await registeredUser();
  await auditor.send(new BatchGetImageCommand({ repositoryName: 'app', imageIds: [{ imageTag: 'v1' }] }));
  expect(await lastPull()).toBeUndefined();
});

test("a session of a registered role pulls without recording a pull time", async () => {
  const root = iamClient(env.emulator.endpoint, rootKeys(ACCOUNT));
  const roleArn = await createRole(root, 'scanner', trustPolicy([ACCOUNT]));
  await env.ecr.send(new RegisterPullTimeUpdateExclusionCommand({ principalArn: roleArn }));
  const { Credentials } = await stsClient(env.emulator.endpoint, rootKeys(ACCOUNT)).send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'scan' }));
  expect(await pullManifest(ecrClientWith(env.emulator.endpoint, sessionKeys(Credentials)))).toBe(200);
  expect(await lastPull()).toBeUndefined();
});

test('a pull by anyone else records its time', async () => {
  await registeredUser();
  clock.advance(60_000);
  expect(await pullManifest(env.ecr)).toBe(200);
  expect(await lastPull()).toEqual(clock.now());
});
