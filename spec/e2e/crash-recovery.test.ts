// Crash safety of the on-disk store: the built CLI on a data dir is killed with SIGKILL in the middle of a blob
// upload and in the middle of a burst of manifest pushes, then started again on the same dir. What was
// acknowledged must be there byte for byte; what was not must be invisible, and no partial file may be served.
import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { CreateRepositoryCommand, ECRClient } from '@aws-sdk/client-ecr';
import { makeDataDir, removeDataDir, startEmulatorProcess, type EmulatorProcess } from '../helpers/emulator-process';
import { basicAuthorization, OCI_MANIFEST, registryClient, sha256, type RegistryClient } from '../helpers/registry-client';

const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json';
const OCI_LAYER = 'application/vnd.oci.image.layer.v1.tar+gzip';
const WAIT_LIMIT_MS = 20_000;

interface Started {
  emulator: EmulatorProcess;
  registry: RegistryClient;
  authorization: string;
}

/** The CLI on `dataDir`, logged in through GetAuthorizationToken as users are. */
async function start(dataDir: string, repositories: string[] = []): Promise<Started> {
  const emulator = await startEmulatorProcess({ dataDir });
  const ecr = new ECRClient({ endpoint: emulator.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1 });
  for (const repositoryName of repositories) await ecr.send(new CreateRepositoryCommand({ repositoryName }));
  const authorization = await basicAuthorization(ecr);
  ecr.destroy();
  return { emulator, registry: registryClient(emulator.endpoint, authorization), authorization };
}

/** SIGKILL: no handler runs, nothing is flushed or closed. Resolves once the process is gone. */
async function killHard(emulator: EmulatorProcess): Promise<void> {
  process.kill(emulator.pid, 'SIGKILL');
  const exitCode = await emulator.stop();
  if (exitCode !== null) throw new Error(`the emulator exited with code ${exitCode} instead of dying of SIGKILL`);
}

/** Polls an outside condition (a file growing in another process) up to a limit; never a fixed sleep. */
async function waitFor(description: string, condition: () => boolean): Promise<void> {
  const deadline = Date.now() + WAIT_LIMIT_MS;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`gave up waiting for ${description} after ${WAIT_LIMIT_MS} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/**
 * A request that announces `contentLength` bytes and sends only `firstPart`: the server is left streaming a
 * body that will never end. `settled` resolves with the status, or the error once the connection dies.
 */
function startCutRequest(endpoint: string, authorization: string, method: string, requestPath: string, headers: Record<string, string>, contentLength: number, firstPart: Buffer) {
  const request = http.request(`${endpoint}${requestPath}`, { method, agent: false, headers: { authorization, 'content-length': String(contentLength), ...headers } });
  const settled = new Promise<number | Error>((resolve) => {
    request.once('response', (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.once('error', resolve);
  });
  request.write(firstPart);
  return { settled };
}

/** Every file under blobs/sha256/, with whether its name is the sha256 of its content. */
function storedBlobFiles(dataDir: string): { digest: string; isNamedByContent: boolean }[] {
  const root = path.join(dataDir, 'blobs', 'sha256');
  if (!existsSync(root)) return [];
  return readdirSync(root).flatMap((prefix) =>
    readdirSync(path.join(root, prefix)).map((hex) => ({
      digest: `sha256:${hex}`,
      isNamedByContent: sha256(readFileSync(path.join(root, prefix, hex))) === `sha256:${hex}` && hex.startsWith(prefix),
    })),
  );
}

async function bytesOf(response: Response): Promise<Buffer> {
  return Buffer.from(await response.arrayBuffer());
}

/** A small OCI image whose manifest differs per `note`, so every tag names its own manifest bytes. */
function manifestFor(config: Buffer, layers: Buffer[], note: string): string {
  return JSON.stringify({
    schemaVersion: 2,
    mediaType: OCI_MANIFEST,
    config: { mediaType: OCI_CONFIG, digest: sha256(config), size: config.length },
    layers: layers.map((layer) => ({ mediaType: OCI_LAYER, digest: sha256(layer), size: layer.length })),
    annotations: { 'org.opencontainers.image.description': note },
  });
}

describe('kill -9 while a blob PATCH is streaming', () => {
  const REPOSITORY = 'crash/uploads';
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] } }));
  const layers = [randomBytes(1024 * 1024), Buffer.from('a small committed layer')];
  const committedManifest = manifestFor(config, layers, 'committed before the crash');
  const CHUNK_BYTES = 256 * 1024;
  /** The blob being uploaded when the process dies: two whole PATCH chunks, then a third cut short. */
  const interrupted = randomBytes(4 * 1024 * 1024);
  const recordedBytes = 2 * CHUNK_BYTES;
  /** A monolithic push (POST ?digest=) whose body is cut by the same kill. */
  const monolithic = randomBytes(2 * 1024 * 1024);

  let dataDir: string;
  /** The process that gets killed; stopped in afterAll too, in case setup failed before the kill. */
  let killed: EmulatorProcess | undefined;
  let emulator: EmulatorProcess | undefined;
  let registry: RegistryClient;
  let uploadLocation: string;
  let bytesOnDiskAtKill: number;

  beforeAll(async () => {
    dataDir = makeDataDir();
    const first = await start(dataDir, [REPOSITORY]);
    killed = first.emulator;
    for (const blob of [config, ...layers]) await first.registry.pushBlob(REPOSITORY, blob);
    const put = await first.registry.putManifest(REPOSITORY, 'committed', committedManifest, OCI_MANIFEST);
    if (put.status !== 201) throw new Error(`manifest push before the crash answered ${put.status}: ${await put.text()}`);

    const started = await first.registry.fetch(`/v2/${REPOSITORY}/blobs/uploads/`, { method: 'POST' });
    if (started.status !== 202) throw new Error(`POST blobs/uploads/ answered ${started.status}`);
    uploadLocation = started.headers.get('location')!;
    const uploadId = started.headers.get('docker-upload-uuid')!;
    for (let offset = 0; offset < recordedBytes; offset += CHUNK_BYTES) {
      const chunk = interrupted.subarray(offset, offset + CHUNK_BYTES);
      const patched = await first.registry.fetch(uploadLocation, {
        method: 'PATCH',
        body: chunk,
        headers: { 'content-type': 'application/octet-stream', 'content-range': `${offset}-${offset + chunk.length - 1}` },
      });
      if (patched.status !== 202) throw new Error(`PATCH at ${offset} answered ${patched.status}: ${await patched.text()}`);
    }

    const rest = interrupted.subarray(recordedBytes);
    const cut = startCutRequest(first.emulator.endpoint, first.authorization, 'PATCH', uploadLocation, {
      'content-type': 'application/octet-stream',
      'content-range': `${recordedBytes}-${interrupted.length - 1}`,
    }, rest.length, rest.subarray(0, 1024 * 1024));
    const cutMonolithic = startCutRequest(first.emulator.endpoint, first.authorization, 'POST', `/v2/${REPOSITORY}/blobs/uploads/?digest=${sha256(monolithic)}`, {
      'content-type': 'application/octet-stream',
    }, monolithic.length, monolithic.subarray(0, 1024 * 1024));
    // Kill only once bytes of both cut bodies have reached their upload files: the crash lands mid-write.
    const uploadsRoot = path.join(dataDir, 'uploads');
    const uploadFile = path.join(uploadsRoot, uploadId);
    const hasOtherUploadBytes = (): boolean => readdirSync(uploadsRoot).some((name) => name !== uploadId && statSync(path.join(uploadsRoot, name)).size > 0);
    await waitFor('the cut bodies to reach the upload files', () => statSync(uploadFile).size > recordedBytes && hasOtherUploadBytes());
    await killHard(first.emulator);
    for (const { settled } of [cut, cutMonolithic]) {
      const outcome = await settled;
      if (typeof outcome === 'number') throw new Error(`a cut request was answered (${outcome}) although its body never ended`);
    }
    bytesOnDiskAtKill = statSync(uploadFile).size;

    const second = await start(dataDir);
    emulator = second.emulator;
    registry = second.registry;
  }, 120_000);

  afterAll(async () => {
    await killed?.stop();
    await emulator?.stop();
    if (dataDir !== undefined) removeDataDir(dataDir);
  });

  it('starts again on the data dir and reports healthy', async () => {
    const health = await fetch(`${emulator!.endpoint}/_emulator/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok' });
  });

  it('serves the committed manifest by tag and by digest byte for byte', async () => {
    const digest = sha256(committedManifest);
    for (const reference of ['committed', digest]) {
      const response = await registry.fetch(`/v2/${REPOSITORY}/manifests/${reference}`, { headers: { accept: OCI_MANIFEST } });
      expect(response.status).toBe(200);
      expect(response.headers.get('docker-content-digest')).toBe(digest);
      expect((await bytesOf(response)).toString()).toBe(committedManifest);
    }
  });

  it('serves every committed blob byte for byte', async () => {
    for (const blob of [config, ...layers]) {
      const response = await registry.fetch(`/v2/${REPOSITORY}/blobs/${sha256(blob)}`);
      expect(response.status).toBe(200);
      expect((await bytesOf(response)).equals(blob)).toBe(true);
    }
  });

  it('knows no blob for the interrupted content, whole or as far as it reached the disk', async () => {
    expect(bytesOnDiskAtKill).toBeGreaterThan(recordedBytes);
    const partial = interrupted.subarray(0, bytesOnDiskAtKill);
    for (const digest of [sha256(interrupted), sha256(partial), sha256(interrupted.subarray(0, recordedBytes))]) {
      expect((await registry.fetch(`/v2/${REPOSITORY}/blobs/${digest}`, { method: 'HEAD' })).status).toBe(404);
    }
  });

  it('knows no blob for the monolithic push the kill cut short', async () => {
    expect((await registry.fetch(`/v2/${REPOSITORY}/blobs/${sha256(monolithic)}`, { method: 'HEAD' })).status).toBe(404);
  });

  it('keeps in blobs/ only whole files named by the sha256 of their content: the committed blobs', () => {
    const files = storedBlobFiles(dataDir);
    expect(files.filter((file) => !file.isNamedByContent)).toEqual([]);
    expect(files.map((file) => file.digest).sort()).toEqual([config, ...layers].map((blob) => sha256(blob)).sort());
  });

  // These add blobs, so they run after the checks above (jest runs a file's tests in order).
  it('accepts a fresh complete upload of the interrupted content with the right digest', async () => {
    const digest = sha256(interrupted);
    const pushed = await registry.fetch(`/v2/${REPOSITORY}/blobs/uploads/?digest=${digest}`, { method: 'POST', body: interrupted });
    expect(pushed.status).toBe(201);
    expect(pushed.headers.get('docker-content-digest')).toBe(digest);
    const pulled = await registry.fetch(`/v2/${REPOSITORY}/blobs/${digest}`);
    expect((await bytesOf(pulled)).equals(interrupted)).toBe(true);
  });

  // The emulator records a session's size only when a PATCH completes, and drops bytes past it on the next
  // write; so the interrupted session resumes at the last acknowledged offset (the spec also allows
  // BLOB_UPLOAD_UNKNOWN). Bytes of the cut PATCH beyond that offset are never part of the blob.
  it('resumes the interrupted session at its last acknowledged offset and completes it with the right digest', async () => {
    const status = await registry.fetch(uploadLocation);
    expect(status.status).toBe(204);
    expect(status.headers.get('range')).toBe(`0-${recordedBytes - 1}`);

    const rest = interrupted.subarray(recordedBytes);
    const patched = await registry.fetch(uploadLocation, {
      method: 'PATCH',
      body: rest,
      headers: { 'content-type': 'application/octet-stream', 'content-range': `${recordedBytes}-${interrupted.length - 1}` },
    });
    expect(patched.status).toBe(202);
    expect(patched.headers.get('range')).toBe(`0-${interrupted.length - 1}`);
    const completed = await registry.fetch(`${patched.headers.get('location')!}?digest=${sha256(interrupted)}`, { method: 'PUT' });
    expect(completed.status).toBe(201);
    expect(completed.headers.get('docker-content-digest')).toBe(sha256(interrupted));
    expect(storedBlobFiles(dataDir).filter((file) => !file.isNamedByContent)).toEqual([]);
  });
});

describe('kill -9 in the middle of a burst of manifest PUTs', () => {
  const REPOSITORY = 'crash/tags';
  const TAG_COUNT = 30;
  /** Tags whose PUT is cut mid-body by the kill: they can never be stored. */
  const CUT_TAGS = ['cut-1', 'cut-2', 'cut-3'];
  /** The kill is sent when this many PUTs have answered, while the others are still in flight. */
  const KILL_AFTER_ANSWERS = 10;
  const config = Buffer.from(JSON.stringify({ architecture: 'arm64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] } }));
  const layers = [Buffer.from('burst layer')];
  const manifests = new Map<string, string>();
  for (let index = 0; index < TAG_COUNT; index += 1) manifests.set(`burst-${index}`, manifestFor(config, layers, `burst manifest ${index}`));
  for (const tag of CUT_TAGS) manifests.set(tag, manifestFor(config, layers, `cut manifest ${tag}`));

  let dataDir: string;
  /** The process that gets killed; stopped in afterAll too, in case setup failed before the kill. */
  let killed: EmulatorProcess | undefined;
  let emulator: EmulatorProcess | undefined;
  let registry: RegistryClient;
  const acknowledged = new Set<string>();

  beforeAll(async () => {
    dataDir = makeDataDir();
    const first = await start(dataDir, [REPOSITORY]);
    killed = first.emulator;
    for (const blob of [config, ...layers]) await first.registry.pushBlob(REPOSITORY, blob);

    const cuts = CUT_TAGS.map((tag) => {
      const manifest = Buffer.from(manifests.get(tag)!);
      return startCutRequest(first.emulator.endpoint, first.authorization, 'PUT', `/v2/${REPOSITORY}/manifests/${tag}`, { 'content-type': OCI_MANIFEST }, manifest.length, manifest.subarray(0, manifest.length >> 1));
    });
    let answers = 0;
    let kill: Promise<void> | undefined;
    const puts = [...manifests.keys()].filter((tag) => !CUT_TAGS.includes(tag)).map(async (tag) => {
      try {
        const response = await first.registry.putManifest(REPOSITORY, tag, manifests.get(tag)!, OCI_MANIFEST);
        if (response.status === 201) acknowledged.add(tag);
      } catch {
        // the connection died with the process: this PUT was never acknowledged
      }
      answers += 1;
      if (answers === KILL_AFTER_ANSWERS) kill = killHard(first.emulator);
    });
    await Promise.all(puts);
    await (kill ?? killHard(first.emulator));
    for (const cut of cuts) {
      const outcome = await cut.settled;
      if (typeof outcome === 'number') throw new Error(`a cut manifest PUT was answered (${outcome}) although its body never ended`);
    }
    if (acknowledged.size < KILL_AFTER_ANSWERS) throw new Error(`only ${acknowledged.size} manifest PUTs answered 201 before the kill`);

    const second = await start(dataDir);
    emulator = second.emulator;
    registry = second.registry;
  }, 120_000);

  afterAll(async () => {
    await killed?.stop();
    await emulator?.stop();
    if (dataDir !== undefined) removeDataDir(dataDir);
  });

  async function listedTags(): Promise<string[]> {
    const response = await registry.fetch(`/v2/${REPOSITORY}/tags/list?n=1000`);
    expect(response.status).toBe(200);
    return ((await response.json()) as { tags: string[] }).tags;
  }

  it('starts again on the data dir and reports healthy', async () => {
    const health = await fetch(`${emulator!.endpoint}/_emulator/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok' });
  });

  it('resolves every tag that answered 201 before the kill to exactly its manifest bytes, by tag and by digest', async () => {
    expect(acknowledged.size).toBeGreaterThanOrEqual(KILL_AFTER_ANSWERS);
    for (const tag of acknowledged) {
      const manifest = manifests.get(tag)!;
      for (const reference of [tag, sha256(manifest)]) {
        const response = await registry.fetch(`/v2/${REPOSITORY}/manifests/${reference}`, { headers: { accept: OCI_MANIFEST } });
        expect({ reference, status: response.status }).toEqual({ reference, status: 200 });
        expect((await bytesOf(response)).toString()).toBe(manifest);
      }
    }
  });

  it('lists only tags whose manifest is stored and served, including every acknowledged one', async () => {
    const tags = await listedTags();
    expect(tags).toEqual(expect.arrayContaining([...acknowledged]));
    for (const tag of tags) {
      expect(manifests.has(tag)).toBe(true);
      const response = await registry.fetch(`/v2/${REPOSITORY}/manifests/${tag}`, { headers: { accept: OCI_MANIFEST } });
      expect({ tag, status: response.status }).toEqual({ tag, status: 200 });
      expect((await bytesOf(response)).toString()).toBe(manifests.get(tag));
    }
  });

  it('stores none of the manifests whose body the kill cut short', async () => {
    const tags = await listedTags();
    for (const tag of CUT_TAGS) {
      expect(tags).not.toContain(tag);
      for (const reference of [tag, sha256(manifests.get(tag)!)]) {
        expect((await registry.fetch(`/v2/${REPOSITORY}/manifests/${reference}`, { method: 'HEAD', headers: { accept: OCI_MANIFEST } })).status).toBe(404);
      }
    }
  });

  it('keeps in blobs/ only whole files named by the sha256 of their content', () => {
    const files = storedBlobFiles(dataDir);
    expect(files.filter((file) => !file.isNamedByContent)).toEqual([]);
    expect(files.map((file) => file.digest).sort()).toEqual([config, ...layers].map((blob) => sha256(blob)).sort());
  });
});
