// Runs CNCF distribution (Debian's docker-registry) on a loopback port with filesystem storage, with no auth or with
// htpasswd (bcrypt, written by apache2-utils' htpasswd): an upstream registry for pull-through cache tests. Ready
// once it logs that it listens; a missing binary fails.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DOCKER_CONFIG, DOCKER_LAYER, DOCKER_MANIFEST, sha256 } from './registry-client';
import { requireExecutable, runProcess } from './run-process';

export interface ReferenceRegistry {
  /** `http://127.0.0.1:PORT` */
  url: string;
  /** The headers a push to it needs: a Basic Authorization when it was started with a user, else none. */
  headers: Record<string, string>;
  /** Stops the registry (idempotent) and removes its storage. */
  stop(): Promise<void>;
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface ReferenceRegistryOptions {
  /** The one user htpasswd auth lets in; without it the registry takes anyone. */
  user?: { username: string; password: string };
}

function configFor(root: string, port: number, htpasswdPath: string | undefined): string {
  const auth = htpasswdPath === undefined ? [] : ['auth:', '  htpasswd:', '    realm: reference-registry', `    path: ${htpasswdPath}`];
  return [
    'version: 0.1',
    'log:',
    '  level: info',
    '  accesslog:',
    '    disabled: true',
    'storage:',
    '  filesystem:',
    `    rootdirectory: ${root}`,
    '  delete:',
    '    enabled: true',
    '  maintenance:',
    '    uploadpurging:',
    '      enabled: false',
    'http:',
    `  addr: 127.0.0.1:${port}`,
    'health:',
    '  storagedriver:',
    '    enabled: false',
    ...auth,
    '',
  ].join('\n');
}

/** Resolves once distribution logs `listening on`; rejects when it exits first. */
function whenListening(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('listening on')) {
        child.stderr?.off('data', onData);
        child.stdout?.off('data', onData);
        resolve();
      }
    };
    child.stderr?.on('data', onData);
    child.stdout?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`docker-registry exited with ${code}: ${output}`)));
  });
}

/** distribution's htpasswd auth takes bcrypt entries only: `htpasswd -nbB` writes one. */
async function writeHtpasswd(directory: string, user: { username: string; password: string }): Promise<string> {
  const result = await runProcess(requireExecutable('htpasswd'), ['-nbB', user.username, user.password]);
  if (result.exitCode !== 0) throw new Error(`htpasswd failed: ${result.stderr}`);
  const path = join(directory, 'htpasswd');
  writeFileSync(path, result.stdout);
  return path;
}

export async function startReferenceRegistry(options: ReferenceRegistryOptions = {}): Promise<ReferenceRegistry> {
  const binary = requireExecutable('docker-registry');
  const directory = mkdtempSync(join(tmpdir(), 'reference-registry-'));
  const port = await freePort();
  const htpasswdPath = options.user === undefined ? undefined : await writeHtpasswd(directory, options.user);
  writeFileSync(join(directory, 'config.yml'), configFor(join(directory, 'data'), port, htpasswdPath));
  const child = spawn(binary, ['serve', join(directory, 'config.yml')], { stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await whenListening(child);
  } catch (error) {
    rmSync(directory, { recursive: true, force: true });
    throw error;
  }
  // Drained so a chatty registry never blocks on a full pipe.
  child.stderr?.resume();
  child.stdout?.resume();
  return {
    url: `http://127.0.0.1:${port}`,
    headers: options.user === undefined ? {} : { authorization: `Basic ${Buffer.from(`${options.user.username}:${options.user.password}`).toString('base64')}` },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
      rmSync(directory, { recursive: true, force: true });
    },
  };
}

/** A Docker schema 2 image pushed the way distribution 2.8 takes blobs: POST for a session, then PUT ?digest= with the bytes. */
export async function pushToRegistry(
  url: string,
  repository: string,
  reference: string,
  layers: readonly string[],
  headers: Record<string, string> = {},
): Promise<{ digest: string; manifest: string }> {
  const pushBlob = async (bytes: string): Promise<string> => {
    const digest = sha256(bytes);
    const started = await fetch(`${url}/v2/${repository}/blobs/uploads/`, { method: 'POST', headers });
    const location = new URL(started.headers.get('location') ?? '', url);
    location.searchParams.set('digest', digest);
    const completed = await fetch(location, { method: 'PUT', body: bytes, headers: { ...headers, 'content-type': 'application/octet-stream' } });
    if (completed.status !== 201) throw new Error(`blob push to the reference registry failed: ${completed.status} ${await completed.text()}`);
    return digest;
  };
  const config = JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] } });
  const configDigest = await pushBlob(config);
  const layerDescriptors = [];
  for (const layer of layers) layerDescriptors.push({ mediaType: DOCKER_LAYER, digest: await pushBlob(layer), size: Buffer.byteLength(layer) });
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: DOCKER_MANIFEST,
    config: { mediaType: DOCKER_CONFIG, digest: configDigest, size: Buffer.byteLength(config) },
    layers: layerDescriptors,
  });
  await putToRegistry(url, repository, reference, manifest, DOCKER_MANIFEST, headers);
  return { digest: sha256(manifest), manifest };
}

export async function putToRegistry(url: string, repository: string, reference: string, manifest: string, mediaType: string, headers: Record<string, string> = {}): Promise<void> {
  const response = await fetch(`${url}/v2/${repository}/manifests/${reference}`, { method: 'PUT', body: manifest, headers: { ...headers, 'content-type': mediaType } });
  if (response.status !== 201) throw new Error(`manifest push to the reference registry failed: ${response.status} ${await response.text()}`);
}
