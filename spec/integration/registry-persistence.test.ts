// Data-plane state on disk survives a restart: images pushed before it are pulled after it, with the same token,
// and a chunked upload started before it is finished after it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateRepositoryCommand } from '@aws-sdk/client-ecr';
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
