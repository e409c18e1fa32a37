// Data-plane state on disk survives a restart: images pushed before it are pulled after it, with the same token,
// a chunked upload started before it is finished after it, and blobs nothing links any more are removed by it.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateRepositoryCommand, DeleteRepositoryCommand } from '@aws-sdk/client-ecr';
import { dataDirLayout } from '../../src/store/fs/layout';
import { basicAuthorization, registryClient, sha256 } from '../helpers/registry-client';
import { startTestEmulator, type TestEmulator } from '../helpers/test-emulator';

let dataDir: string;
let running: TestEmulator | undefined;

beforeEach(() => {
  dataDir = mkdtempSync(join(tmpdir(), 'registry-persistence-'));
});
afterEach(async () => {
  await running?.emulator.stop();
  running = undefined;
  rmSync(dataDir, { recursive: true, force: true });
});

async function start(): Promise<TestEmulator> {
  running = await startTestEmulator({ memory: false, dataDir });
  return running;
}

it('pulls after a restart what was pushed before it', async () => {
  const first = await start();
  await first.ecrClient().send(new CreateRepositoryCommand({ repositoryName: 'team/app' }));
  const authorization = await basicAuthorization(first.ecrClient());
  const pushed = await registryClient(first.emulator.endpoint, authorization).pushImage('team/app', 'v1', { layers: ['persisted layer'] });
  await first.emulator.stop();

  const second = await start();
  const client = registryClient(second.emulator.endpoint, authorization);
  const manifest = await client.fetch('/v2/team/app/manifests/v1');
  expect(manifest.status).toBe(200);
  expect(await manifest.text()).toBe(pushed.manifest);
  expect(await (await client.fetch(`/v2/team/app/blobs/${sha256('persisted layer')}`)).text()).toBe('persisted layer');
});

it('finishes after a restart a chunked upload started before it', async () => {
  const first = await start();
  await first.ecrClient().send(new CreateRepositoryCommand({ repositoryName: 'app' }));
  const authorization = await basicAuthorization(first.ecrClient());
  const before = registryClient(first.emulator.endpoint, authorization);
  const location = (await before.fetch('/v2/app/blobs/uploads/', { method: 'POST' })).headers.get('location')!;
  await before.fetch(location, { method: 'PATCH', body: 'first half, ', headers: { 'content-range': '0-11' } });
  await first.emulator.stop();

  const second = await start();
  const after = registryClient(second.emulator.endpoint, authorization);
  expect((await after.fetch(location)).headers.get('range')).toBe('0-11');
  await after.fetch(location, { method: 'PATCH', body: 'second half', headers: { 'content-range': '12-22' } });
  const digest = sha256('first half, second half');
  expect((await after.fetch(`${location}?digest=${digest}`, { method: 'PUT' })).status).toBe(201);
  expect(await (await after.fetch(`/v2/app/blobs/${digest}`)).text()).toBe('first half, second half');
});

it('removes at restart the blobs only a force-deleted repository linked, and keeps the shared ones', async () => {
  const first = await start();
  const ecr = first.ecrClient();
  await ecr.send(new CreateRepositoryCommand({ repositoryName: 'kept' }));
  await ecr.send(new CreateRepositoryCommand({ repositoryName: 'dropped' }));
  const authorization = await basicAuthorization(ecr);
  const registry = registryClient(first.emulator.endpoint, authorization);
  await registry.pushImage('kept', 'v1', { layers: ['shared layer'] });
  await registry.pushImage('dropped', 'v1', { layers: ['shared layer', 'only in dropped'] });
  await ecr.send(new DeleteRepositoryCommand({ repositoryName: 'dropped', force: true }));
  const blobFile = (bytes: string): string => dataDirLayout(dataDir).blobPath(sha256(bytes).slice('sha256:'.length));
  // Until the restart the bytes stay: an upload could be between its commit and its link.
  expect(existsSync(blobFile('only in dropped'))).toBe(true);
  await first.emulator.stop();

  const second = await start();
  expect(existsSync(blobFile('only in dropped'))).toBe(false);
  expect(existsSync(blobFile('shared layer'))).toBe(true);
  const after = registryClient(second.emulator.endpoint, authorization);
  expect(await (await after.fetch(`/v2/kept/blobs/${sha256('shared layer')}`)).text()).toBe('shared layer');
  expect((await after.fetch('/v2/kept/manifests/v1')).status).toBe(200);
});
