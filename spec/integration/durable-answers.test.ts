// Every answer that reports a write waits for the commit barrier (the WAL flushed to the disk), on both planes and
// in IAM; an answer that wrote nothing does not wait; a flush the disk refuses is a server error, never a success.
// The barrier is the real one over a data dir, with a gate the test holds in front of its flushes.
import http, { type Server } from 'node:http';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { BatchGetImageCommand, CreateRepositoryCommand, DescribeImagesCommand, DescribeRepositoriesCommand, ECRClient, ECRServiceException } from '@aws-sdk/client-ecr';
import { CreateUserCommand, IAMClient, ListUsersCommand } from '@aws-sdk/client-iam';
import { defaultConfig } from '../../src/config';
import { createApp } from '../../src/server/create-app';
import { createLogger } from '../../src/server/logger';
import { openStorage, type Storage } from '../../src/server/storage';
import { basicAuthorization, DOCKER_MANIFEST, registryClient, sha256 } from '../helpers/registry-client';

/** Holds every flush the real barrier asks for until the test opens the gate, or fails it. */
function gate(): { hold(flushing: Promise<void>): Promise<void>; open(): void; fail(error: Error): void; held(): number } {
  let waiting: { resolve(): void; reject(error: Error): void }[] = [];
  return {
    hold: (flushing) => flushing.then(() => new Promise<void>((resolve, reject) => waiting.push({ resolve, reject }))),
    open() {
      for (const one of waiting) one.resolve();
      waiting = [];
    },
    fail(error) {
      for (const one of waiting) one.reject(error);
      waiting = [];
    },
    held: () => waiting.length,
  };
}

/**
 * Whether `answer` is still waiting once its flush reached the gate (within five seconds, the first call of a
 * process compiling its validators first) and a little longer: a held answer must not arrive while its flush is held.
 */
async function isHeldAtTheGate(answer: Promise<unknown>): Promise<boolean> {
  let settled = false;
  void answer.then(
    () => (settled = true),
    () => (settled = true),
  );
  const deadline = Date.now() + 5000;
  while (disk.held() === 0 && !settled && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
  await new Promise((resolve) => setTimeout(resolve, 50));
  return disk.held() > 0 && !settled;
}

/** Lets every flush through until `answer` settles: for the set-up writes a test does not watch. */
async function letThrough<T>(answer: Promise<T>): Promise<T> {
  let settled = false;
  const watched = answer.finally(() => (settled = true));
  while (!settled) {
    disk.open();
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  return watched;
}

let dataDir: string;
let storage: Storage;
let server: Server;
let endpoint: string;
let disk: ReturnType<typeof gate>;
let ecr: ECRClient;

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'durable-answers-'));
  const real = openStorage(dataDir);
  disk = gate();
  storage = {
    ...real,
    durable: () => {
      const flushing = real.durable();
      return flushing === undefined ? undefined : disk.hold(flushing);
    },
  };
  const config = { ...defaultConfig(), dataDir };
  let port = 0;
  const app = createApp({ config, storage, logger: createLogger({ level: 'silent', format: 'text' }), advertisedHost: () => `localhost:${port}`, scheme: () => 'http' });
  server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
  endpoint = `http://127.0.0.1:${port}`;
  ecr = new ECRClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
});

afterAll(async () => {
  disk.open();
  await new Promise((resolve) => server.close(resolve));
  storage.close();
  rmSync(dataDir, { recursive: true, force: true });
});

afterEach(() => disk.open());

it('answers CreateRepository only once its write is on the disk', async () => {
  const answer = ecr.send(new CreateRepositoryCommand({ repositoryName: 'held' }));
  expect(await isHeldAtTheGate(answer)).toBe(true);
  disk.open();
  await expect(answer).resolves.toMatchObject({ repository: { repositoryName: 'held' } });
});

it('answers a call that wrote nothing without waiting for the disk', async () => {
  await expect(ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ['held'] }))).resolves.toMatchObject({ repositories: [{ repositoryName: 'held' }] });
  expect(disk.held()).toBe(0);
});

it('answers ServerException, not success, when the disk refuses the flush', async () => {
  const answer = ecr.send(new CreateRepositoryCommand({ repositoryName: 'refused' })).catch((error: unknown) => error);
  expect(await isHeldAtTheGate(answer)).toBe(true);
  disk.fail(Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' }));
  const error = await answer;
  expect(error).toBeInstanceOf(ECRServiceException);
  expect((error as ECRServiceException).name).toBe('ServerException');
  expect((error as ECRServiceException).$metadata.httpStatusCode).toBe(500);
});

it('answers an IAM write only once it is on the disk, and an IAM read at once', async () => {
  const iam = new IAMClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
  const answer = iam.send(new CreateUserCommand({ UserName: 'held-user' }));
  expect(await isHeldAtTheGate(answer)).toBe(true);
  disk.open();
  await expect(answer).resolves.toMatchObject({ User: { UserName: 'held-user' } });
  await expect(iam.send(new ListUsersCommand({}))).resolves.toMatchObject({ Users: [{ UserName: 'held-user' }] });
  expect(disk.held()).toBe(0);
});

describe('the data plane', () => {
  let registry: ReturnType<typeof registryClient>;
  beforeAll(async () => {
    await letThrough(ecr.send(new CreateRepositoryCommand({ repositoryName: 'app' })));
    registry = registryClient(endpoint, await basicAuthorization(ecr));
  });

  it('answers a blob push 201 only once its link is on the disk', async () => {
    const answer = registry.fetch(`/v2/app/blobs/uploads/?digest=${sha256('layer')}`, { method: 'POST', body: 'layer' });
    expect(await isHeldAtTheGate(answer)).toBe(true);
    disk.open();
    expect((await answer).status).toBe(201);
  });

  it('answers a manifest PUT 201 and a DELETE 202 only once they are on the disk; a GET at once', async () => {
    expect((await letThrough(registry.fetch(`/v2/app/blobs/uploads/?digest=${sha256('{}')}`, { method: 'POST', body: '{}' }))).status).toBe(201);
    const manifest = JSON.stringify({
      schemaVersion: 2,
      mediaType: DOCKER_MANIFEST,
      config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: 2, digest: sha256('{}') },
      layers: [{ mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', size: 5, digest: sha256('layer') }],
    });
    const put = registry.putManifest('app', 'v1', manifest, DOCKER_MANIFEST);
    expect(await isHeldAtTheGate(put)).toBe(true);
    disk.open();
    expect((await put).status).toBe(201);

    const get = await registry.fetch('/v2/app/manifests/v1', { headers: { accept: DOCKER_MANIFEST } });
    expect(get.status).toBe(200);
    expect(await get.text()).toBe(manifest);
    expect(disk.held()).toBe(0);

    // A pull's recorded time is incidental: BatchGetImage, a read, answers without waiting for the disk.
    const pulled = await ecr.send(new BatchGetImageCommand({ repositoryName: 'app', imageIds: [{ imageTag: 'v1' }] }));
    expect(pulled.images?.[0]?.imageManifest).toBe(manifest);
    expect(disk.held()).toBe(0);
    const described = await ecr.send(new DescribeImagesCommand({ repositoryName: 'app' }));
    expect(described.imageDetails?.[0]?.lastRecordedPullTime).toBeInstanceOf(Date);

    const deleting = registry.fetch(`/v2/app/manifests/${sha256(manifest)}`, { method: 'DELETE' });
    expect(await isHeldAtTheGate(deleting)).toBe(true);
    disk.open();
    expect((await deleting).status).toBe(202);
  });

  it('answers an upload session start and its chunks without waiting for the disk', async () => {
    const started = await registry.fetch('/v2/app/blobs/uploads/', { method: 'POST' });
    expect(started.status).toBe(202);
    const chunk = await registry.fetch(started.headers.get('location')!, { method: 'PATCH', body: 'part', headers: { 'content-type': 'application/octet-stream' } });
    expect(chunk.status).toBe(202);
    expect(disk.held()).toBe(0);
  });

  it('answers a blob DELETE 202 only once the unlink is on the disk', async () => {
    const deleting = registry.fetch(`/v2/app/blobs/${sha256('layer')}`, { method: 'DELETE' });
    expect(await isHeldAtTheGate(deleting)).toBe(true);
    disk.open();
    expect((await deleting).status).toBe(202);
  });
});
