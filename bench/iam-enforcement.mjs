#!/usr/bin/env node
// What `--iam enforce` costs a registry client: two emulators in this process (iamMode 'off' and 'enforce'), each
// called as an IAM user with AmazonEC2ContainerRegistryPowerUser attached; per round, a push of an image of LAYERS
// layers × LAYER_KIB KiB (HEAD, POST, PUT per blob, then the manifest), its pull, and GETS manifest GETs, all with
// the data-plane Basic token. Rounds alternate between the two servers so drift hits both; one warm-up round each
// is not counted. Prints the median of each figure side by side with the ratio enforce / off.
//
//   npm run build && node bench/iam-enforcement.mjs [ROUNDS=5] [LAYERS=20] [LAYER_KIB=64] [GETS=200]
//   EMULATOR_DIST=other/build node bench/iam-enforcement.mjs     (another build's dist/, e.g. before a change)
//
// Memory store, sequential requests, client and servers on one event loop: it measures the work a request adds,
// not throughput. Stops by itself: no request starts after DEADLINE_S (300) seconds, none lasts over 30.
import { createHash, createCipheriv } from 'node:crypto';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { CreateRepositoryCommand, ECRClient, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';
import { AttachUserPolicyCommand, CreateAccessKeyCommand, CreateUserCommand, IAMClient } from '@aws-sdk/client-iam';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = resolve(process.env.EMULATOR_DIST ?? join(ROOT, 'dist'));
const [ROUNDS, LAYERS, LAYER_KIB, GETS] = [5, 20, 64, 200].map((fallback, index) => {
  const value = Number(process.argv[2 + index] ?? fallback);
  if (!Number.isInteger(value) || value < 1 || value > 10_000) throw new Error(`argument ${index + 1} must be an integer from 1 to 10000`);
  return value;
});
const DEADLINE_S = 300;
const REQUEST_TIMEOUT_MS = 30_000;
const ACCOUNT = '111111111111';
const REPOSITORY = 'bench';
const POWER_USER = 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPowerUser';
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json';
const OCI_LAYER = 'application/vnd.oci.image.layer.v1.tar+gzip';
const MODES = ['off', 'enforce'];

let isPastDeadline = false;
const deadlineTimer = setTimeout(() => {
  isPastDeadline = true;
  // A request in flight ends within REQUEST_TIMEOUT_MS; an SDK call has no such bound, so the process ends anyway.
  setTimeout(() => process.exit(2), REQUEST_TIMEOUT_MS + 10_000).unref();
}, DEADLINE_S * 1000);

/** Each request's own bound, and no request past the deadline. (One signal shared by thousands of fetches would
 *  collect a listener per fetch.) */
function requestSignal() {
  if (isPastDeadline) throw new Error(`still running after ${DEADLINE_S} s; stopped`);
  return AbortSignal.timeout(REQUEST_TIMEOUT_MS);
}

const nowMs = () => Number(process.hrtime.bigint()) / 1e6;
const sha256 = (bytes) => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

/** The same bytes for the same seed on every run and for both servers: an AES-CTR keystream. */
function seededBytes(seed, size) {
  const key = createHash('sha256').update(`iam-enforcement:${seed}`).digest();
  return createCipheriv('aes-128-ctr', key.subarray(0, 16), key.subarray(16, 32)).update(Buffer.alloc(size));
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function sdkConfig(endpoint, credentials) {
  return { endpoint, region: 'us-east-1', credentials, maxAttempts: 1 };
}

/** A user holding the power-user policy, with a key, made by the account root (a 12-digit key, secret unchecked). */
async function powerUser(endpoint, userName, { attach = true } = {}) {
  const iam = new IAMClient(sdkConfig(endpoint, { accessKeyId: ACCOUNT, secretAccessKey: 'test' }));
  await iam.send(new CreateUserCommand({ UserName: userName }));
  if (attach) await iam.send(new AttachUserPolicyCommand({ UserName: userName, PolicyArn: POWER_USER }));
  const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName: userName }));
  iam.destroy();
  return { accessKeyId: AccessKey.AccessKeyId, secretAccessKey: AccessKey.SecretAccessKey };
}

/** True when a user without any policy is refused a token: the server really enforces (false until iamMode exists). */
async function isEnforcing(endpoint) {
  const ecr = new ECRClient(sdkConfig(endpoint, await powerUser(endpoint, 'no-policy', { attach: false })));
  try {
    await ecr.send(new GetAuthorizationTokenCommand({}));
    return false;
  } catch (error) {
    if (error.name === 'AccessDeniedException') return true;
    throw error;
  } finally {
    ecr.destroy();
  }
}

/** One emulator with the repository (made by the root: the power user may not create one) and the user's token. */
async function startServer(startEmulator, mode) {
  const emulator = await startEmulator({ port: 0, memory: true, logLevel: 'silent', iamMode: mode });
  const root = new ECRClient(sdkConfig(emulator.endpoint, { accessKeyId: ACCOUNT, secretAccessKey: 'test' }));
  await root.send(new CreateRepositoryCommand({ repositoryName: REPOSITORY }));
  root.destroy();
  const user = new ECRClient(sdkConfig(emulator.endpoint, await powerUser(emulator.endpoint, 'bench')));
  const { authorizationData } = await user.send(new GetAuthorizationTokenCommand({}));
  user.destroy();
  return {
    mode,
    emulator,
    authorization: `Basic ${authorizationData[0].authorizationToken}`,
    isEnforcing: await isEnforcing(emulator.endpoint),
    figures: { push: [], pull: [], get: [] },
  };
}

/** One data-plane request; any status but `expected` fails the run with the body quoted. */
async function call(server, method, path, expected, { body, headers = {} } = {}) {
  const response = await fetch(`${server.emulator.endpoint}${path}`, {
    method,
    body,
    headers: { authorization: server.authorization, ...headers },
    signal: requestSignal(),
  });
  const bytes = Buffer.from(await response.arrayBuffer());
  if (response.status !== expected) throw new Error(`${server.mode}: ${method} ${path} -> ${response.status}, expected ${expected}: ${bytes.subarray(0, 300)}`);
  return bytes;
}

/** As docker pushes a blob it does not know the registry has: HEAD (404), POST, PUT with the bytes. */
async function pushBlob(server, bytes) {
  const digest = sha256(bytes);
  await call(server, 'HEAD', `/v2/${REPOSITORY}/blobs/${digest}`, 404);
  const response = await fetch(`${server.emulator.endpoint}/v2/${REPOSITORY}/blobs/uploads/`, {
    method: 'POST',
    headers: { authorization: server.authorization },
    signal: requestSignal(),
  });
  await response.arrayBuffer();
  const location = response.headers.get('location');
  if (response.status !== 202 || location === null) throw new Error(`${server.mode}: POST upload -> ${response.status}, location ${location}`);
  const url = new URL(location, server.emulator.endpoint);
  url.searchParams.set('digest', digest);
  await call(server, 'PUT', `${url.pathname}${url.search}`, 201, { body: bytes, headers: { 'content-type': 'application/octet-stream' } });
  return digest;
}

/** Layers, config and manifest of round `round`: distinct per round, identical for both servers. */
function imageOf(round) {
  const layers = Array.from({ length: LAYERS }, (_, index) => seededBytes(`${round}/${index}`, LAYER_KIB * 1024));
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: layers.map(sha256) } }));
  const manifest = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_MANIFEST,
      config: { mediaType: OCI_CONFIG, digest: sha256(config), size: config.length },
      layers: layers.map((layer) => ({ mediaType: OCI_LAYER, digest: sha256(layer), size: layer.length })),
    }),
  );
  return { tag: `round-${round}`, layers, config, manifest };
}

async function push(server, image) {
  for (const layer of image.layers) await pushBlob(server, layer);
  await pushBlob(server, image.config);
  await call(server, 'PUT', `/v2/${REPOSITORY}/manifests/${image.tag}`, 201, { body: image.manifest, headers: { 'content-type': OCI_MANIFEST } });
}

/** As docker pulls: the manifest by tag, then the config and every layer, each checked against its digest. */
async function pull(server, image) {
  const manifest = JSON.parse(await call(server, 'GET', `/v2/${REPOSITORY}/manifests/${image.tag}`, 200, { headers: { accept: OCI_MANIFEST } }));
  for (const { digest } of [manifest.config, ...manifest.layers]) {
    const bytes = await call(server, 'GET', `/v2/${REPOSITORY}/blobs/${digest}`, 200);
    if (sha256(bytes) !== digest) throw new Error(`${server.mode}: blob ${digest} came back different`);
  }
}

async function manifestGets(server, image) {
  for (let index = 0; index < GETS; index += 1) {
    await call(server, 'GET', `/v2/${REPOSITORY}/manifests/${image.tag}`, 200, { headers: { accept: OCI_MANIFEST } });
  }
}

async function timed(work) {
  const started = nowMs();
  await work();
  return nowMs() - started;
}

async function round(server, index, isCounted) {
  const image = imageOf(index);
  const figures = { push: await timed(() => push(server, image)), pull: await timed(() => pull(server, image)), get: await timed(() => manifestGets(server, image)) / GETS };
  if (isCounted) for (const name of Object.keys(figures)) server.figures[name].push(figures[name]);
}

function printTable(servers) {
  const [off, enforce] = servers;
  const rows = [
    ['push (ms)', 'push'],
    ['pull (ms)', 'pull'],
    ['manifest GET (ms)', 'get'],
  ];
  const cell = (text, width) => String(text).padStart(width);
  console.log(`IAM enforcement: push and pull of ${LAYERS} layers x ${LAYER_KIB} KiB, ${GETS} manifest GETs; median of ${ROUNDS} rounds`);
  console.log(`${''.padEnd(20)}${cell('off', 10)}${cell('enforce', 10)}${cell('ratio', 8)}`);
  for (const [label, name] of rows) {
    const [a, b] = [median(off.figures[name]), median(enforce.figures[name])];
    const digits = name === 'get' ? 3 : 1;
    console.log(`${label.padEnd(20)}${cell(a.toFixed(digits), 10)}${cell(b.toFixed(digits), 10)}${cell((b / a).toFixed(2), 8)}`);
  }
  for (const server of servers) console.log(`iamMode '${server.mode}': a user without policies is ${server.isEnforcing ? 'refused' : 'NOT refused'} a token`);
  if (!enforce.isEnforcing) console.log('warning: the enforce server does not enforce (does this build know iamMode?); both columns measure the same thing');
}

async function main() {
  const { startEmulator } = await import(pathToFileURL(join(DIST, 'index.js')).href);
  const servers = [];
  try {
    for (const mode of MODES) servers.push(await startServer(startEmulator, mode));
    for (let index = 0; index <= ROUNDS; index += 1) {
      // Round 0 warms up each server's code paths and is not counted; the order flips each round so neither server
      // always runs second (on a warmer heap, after the other's garbage).
      const order = index % 2 === 0 ? servers : [...servers].reverse();
      for (const server of order) await round(server, index, index > 0);
    }
    printTable(servers);
  } finally {
    await Promise.all(servers.map((server) => server.emulator.stop()));
  }
}

main()
  .catch((error) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 1;
  })
  .finally(() => clearTimeout(deadlineTimer));
