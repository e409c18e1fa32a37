// Data-plane state on disk survives a restart: images pushed before it are pulled after it, with the same token,
// a chunked upload started before it is finished after it. Blobs nothing links any more are removed at once, what
// a crash left of that after the start, without the start scanning the blobs.
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { CreateRepositoryCommand, DeleteRepositoryCommand } from '@aws-sdk/client-ecr';
import { dataDirLayout } from '../../src/store/fs/layout';
import { openDatabase } from '../../src/store/sqlite/database';
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

function blobFile(bytes: string): string {
  return dataDirLayout(dataDir).blobPath(sha256(bytes).slice('sha256:'.length));
}

/** A blob file as a crash between commit and link leaves it: in the layout, named by its content, linked by nothing. */
function writeUnlinkedBlob(bytes: string, modifiedAt: Date): void {
  mkdirSync(dirname(blobFile(bytes)), { recursive: true });
  writeFileSync(blobFile(bytes), bytes);
  utimesSync(blobFile(bytes), modifiedAt, modifiedAt);
}

it('removes at once the blobs only a force-deleted repository linked, and keeps the shared ones', async () => {
  const first = await start();
  const ecr = first.ecrClient();
  await ecr.send(new CreateRepositoryCommand({ repositoryName: 'kept' }));
  await ecr.send(new CreateRepositoryCommand({ repositoryName: 'dropped' }));
  const authorization = await basicAuthorization(ecr);
  const registry = registryClient(first.emulator.endpoint, authorization);
  await registry.pushImage('kept', 'v1', { layers: ['shared layer'] });
  await registry.pushImage('dropped', 'v1', { layers: ['shared layer', 'only in dropped'] });
  await ecr.send(new DeleteRepositoryCommand({ repositoryName: 'dropped', force: true }));
  await first.emulator.idle();
  expect(existsSync(blobFile('only in dropped'))).toBe(false);
  expect(existsSync(blobFile('shared layer'))).toBe(true);
  expect(await (await registry.fetch(`/v2/kept/blobs/${sha256('shared layer')}`)).text()).toBe('shared layer');
  expect((await registry.fetch('/v2/kept/manifests/v1')).status).toBe(200);
});

it('removes at once a blob its last repository unlinks through DELETE of the blob', async () => {
  const first = await start();
  await first.ecrClient().send(new CreateRepositoryCommand({ repositoryName: 'app' }));
  const registry = registryClient(first.emulator.endpoint, await basicAuthorization(first.ecrClient()));
  const digest = await registry.pushBlob('app', 'deleted blob');
  expect((await registry.fetch(`/v2/app/blobs/${digest}`, { method: 'DELETE' })).status).toBe(202);
  await first.emulator.idle();
  expect(existsSync(blobFile('deleted blob'))).toBe(false);
});

it('finishes after a restart the reclaim a crash cut between the link removal and the file delete', async () => {
  const first = await start();
  await first.ecrClient().send(new CreateRepositoryCommand({ repositoryName: 'app' }));
  const authorization = await basicAuthorization(first.ecrClient());
  await registryClient(first.emulator.endpoint, authorization).pushBlob('app', 'unlinked before the crash');
  await first.emulator.stop();
  // The link removal committed (its reclaim record with it) and the process died before deleting the file.
  const db = openDatabase(dataDirLayout(dataDir).metadataDatabase);
  db.prepare('DELETE FROM blob_links WHERE digest = ?').run(sha256('unlinked before the crash'));
  db.close();
  expect(existsSync(blobFile('unlinked before the crash'))).toBe(true);

  const second = await start();
  await second.emulator.idle();
  expect(existsSync(blobFile('unlinked before the crash'))).toBe(false);
});

it('removes after the start an old blob file no repository links and keeps a file written since the start', async () => {
  const hourMs = 60 * 60 * 1000;
  writeUnlinkedBlob('committed before a crash', new Date(Date.now() - hourMs));
  writeUnlinkedBlob('written after the start', new Date(Date.now() + hourMs));
  const first = await start();
  await first.emulator.idle();
  expect(existsSync(blobFile('committed before a crash'))).toBe(false);
  expect(existsSync(blobFile('written after the start'))).toBe(true);
});

it('answers at once though the blob tree cannot be listed: the start no longer scans it', async () => {
  mkdirSync(dataDirLayout(dataDir).blobsRoot, { recursive: true });
  // A file where a directory of blobs belongs: listing the blobs fails, so a start that lists them cannot succeed.
  writeFileSync(join(dataDirLayout(dataDir).blobsRoot, 'ab'), 'not a directory');
  const logs: string[] = [];
  running = await startTestEmulator({ memory: false, dataDir, logLevel: 'error', logWriter: (line) => logs.push(line) });
  expect((await fetch(`${running.emulator.endpoint}/_emulator/health`)).status).toBe(200);
  await running.emulator.idle();
  expect(logs.join('\n')).toContain('ENOTDIR');
});
