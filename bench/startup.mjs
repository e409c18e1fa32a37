#!/usr/bin/env node
// Start-up time: from exec of `node dist/main.js` to its first answer on GET /_emulator/health, on an empty data dir
// and on one seeded with IMAGES images and BLOBS blobs; side by side with the reference registry (CNCF distribution,
// Debian's docker-registry) from exec to its first answer on GET /v2/, on an empty root and on one holding the same
// blob files. Each figure is the median (and min) of RUNS starts, after one warm-up start each (page cache, node's
// compile cache). A bare node http server gives the floor: node's own start. Prints figures; asserts nothing.
//
//   npm run build && node bench/startup.mjs [RUNS=7] [IMAGES=100000] [BLOBS=100000]
//   EMULATOR_DIST=other/build/dist node bench/startup.mjs     (another build's dist/, e.g. before a change)
//   COMPARE_DIST=other/build/dist node bench/startup.mjs      (adds a column for that build)
//
// The seed goes straight into the data dir as the emulator lays it out: rows through the build's own SQLite schema
// (store/sqlite/database.js) and blob files under blobs/sha256/xx/<hex>; every blob is linked, every image names
// two of them. Each build gets its own seeded dir (schemas differ between builds). Polling is every millisecond.
import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = resolve(process.env.EMULATOR_DIST ?? join(ROOT, 'dist'));
const COMPARE_DIST = process.env.COMPARE_DIST === undefined ? undefined : resolve(process.env.COMPARE_DIST);
const REFERENCE_CONFIG = process.env.REFERENCE_CONFIG ?? '/work/shared/bench/reference-registry.yml';
const [RUNS, IMAGES, BLOBS] = [7, 100_000, 100_000].map((fallback, index) => {
  const value = Number(process.argv[2 + index] ?? fallback);
  if (!Number.isInteger(value) || value < 1 || value > 1_000_000) throw new Error(`argument ${index + 1} must be an integer from 1 to 1000000`);
  return value;
});
const START_TIMEOUT_MS = 30_000;
const SCOPE = { account: '000000000000', region: 'us-east-1' };
const REPOSITORIES = 100;
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const require = createRequire(import.meta.url);

const nowMs = () => Number(process.hrtime.bigint()) / 1e6;
const sha256 = (bytes) => createHash('sha256').update(bytes).digest('hex');

function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

/** One GET; resolves true on any answer, false when nothing listens yet. */
function answers(url) {
  return new Promise((resolveAnswer) => {
    const request = http.get(url, { agent: false }, (response) => {
      response.resume();
      resolveAnswer(true);
    });
    request.once('error', () => resolveAnswer(false));
  });
}

async function firstAnswer(url, child) {
  const deadline = nowMs() + START_TIMEOUT_MS;
  while (nowMs() < deadline) {
    if (child.exitCode !== null) throw new Error(`${child.spawnargs.join(' ')} exited with ${child.exitCode} before answering`);
    if (await answers(url)) return;
    await new Promise((resolveWait) => setTimeout(resolveWait, 1));
  }
  throw new Error(`no answer from ${url} within ${START_TIMEOUT_MS} ms`);
}

async function stopChild(child) {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolveExit) => child.once('exit', resolveExit));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
  await exited;
  clearTimeout(timer);
}

/** Milliseconds from spawn to the first answer on `path`. */
async function timeStart(command, args, port, path) {
  const started = nowMs();
  const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  try {
    await firstAnswer(`http://127.0.0.1:${port}${path}`, child);
    return nowMs() - started;
  } catch (error) {
    throw new Error(`${error.message}\n${stderr}`);
  } finally {
    await stopChild(child);
  }
}

function blobBytes(index) {
  return Buffer.from(`startup bench blob ${index}\n`.padEnd(64, '.'));
}

/** Writes BLOBS blob files under `blobsRoot/xx/<hex>`; returns their hex digests and sizes. */
function writeBlobs(blobsRoot) {
  const blobs = [];
  const made = new Set();
  for (let index = 0; index < BLOBS; index += 1) {
    const bytes = blobBytes(index);
    const hex = sha256(bytes);
    const directory = join(blobsRoot, hex.slice(0, 2));
    if (!made.has(directory)) mkdirSync(directory, { recursive: true });
    made.add(directory);
    writeFileSync(join(directory, hex), bytes);
    blobs.push({ hex, sizeInBytes: bytes.length });
  }
  return blobs;
}

/** A data dir as `dist` lays it out, holding IMAGES images over BLOBS linked blobs in REPOSITORIES repositories. */
function seedDataDir(dist, directory) {
  const { openDatabase } = require(join(dist, 'store/sqlite/database.js'));
  const { dataDirLayout } = require(join(dist, 'store/fs/layout.js'));
  const layout = dataDirLayout(directory);
  mkdirSync(layout.root, { recursive: true });
  const blobs = writeBlobs(layout.blobsRoot);
  const db = openDatabase(layout.metadataDatabase);
  const now = Date.now();
  const repositoryData = JSON.stringify({ imageTagMutability: 'MUTABLE', imageScanningConfiguration: { scanOnPush: false }, encryptionConfiguration: { encryptionType: 'AES256' }, tags: [] });
  const insertRepository = db.prepare('INSERT INTO repositories (account, region, name, created_at, data) VALUES (?, ?, ?, ?, ?)');
  const insertImage = db.prepare(
    'INSERT INTO images (account, region, repository, digest, media_type, manifest, size_in_bytes, pushed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const insertTag = db.prepare('INSERT INTO tags (account, region, repository, tag, digest, updated_at) VALUES (?, ?, ?, ?, ?, ?)');
  const insertLink = db.prepare(
    'INSERT OR IGNORE INTO blob_links (account, region, repository, digest, size_in_bytes, media_type, linked_at) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  db.transaction(() => {
    for (let index = 0; index < REPOSITORIES; index += 1) insertRepository.run(SCOPE.account, SCOPE.region, `repository-${index}`, now, repositoryData);
    for (let index = 0; index < IMAGES; index += 1) {
      const repository = `repository-${index % REPOSITORIES}`;
      const [config, layer] = [blobs[(2 * index) % blobs.length], blobs[(2 * index + 1) % blobs.length]];
      const manifest = Buffer.from(
        JSON.stringify({
          schemaVersion: 2,
          mediaType: OCI_MANIFEST,
          config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: `sha256:${config.hex}`, size: config.sizeInBytes },
          layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: `sha256:${layer.hex}`, size: layer.sizeInBytes }],
          annotations: { 'org.opencontainers.image.ref.name': `tag-${index}` },
        }),
      );
      const digest = `sha256:${sha256(manifest)}`;
      insertImage.run(SCOPE.account, SCOPE.region, repository, digest, OCI_MANIFEST, manifest, config.sizeInBytes + layer.sizeInBytes, now);
      insertTag.run(SCOPE.account, SCOPE.region, repository, `tag-${index}`, digest, now);
      for (const blob of [config, layer]) insertLink.run(SCOPE.account, SCOPE.region, repository, `sha256:${blob.hex}`, blob.sizeInBytes, null, now);
    }
    // Every blob is linked, also when IMAGES names fewer than BLOBS of them.
    blobs.forEach((blob, index) => insertLink.run(SCOPE.account, SCOPE.region, `repository-${index % REPOSITORIES}`, `sha256:${blob.hex}`, blob.sizeInBytes, null, now));
  })();
  db.close();
  return blobs;
}

/** The reference registry's root holding the same blob files (hard links), in distribution's layout. */
function seedReferenceRoot(root, dataDir, blobs) {
  for (const { hex } of blobs) {
    const directory = join(root, 'docker/registry/v2/blobs/sha256', hex.slice(0, 2), hex);
    mkdirSync(directory, { recursive: true });
    linkSync(join(dataDir, 'blobs/sha256', hex.slice(0, 2), hex), join(directory, 'data'));
  }
}

function referenceConfig(directory, root, port) {
  const path = join(directory, `config-${port}.yml`);
  writeFileSync(path, readFileSync(REFERENCE_CONFIG, 'utf8').replaceAll('@ROOTDIR@', root).replaceAll('@ADDR@', `127.0.0.1:${port}`));
  return path;
}

function summary(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return `${median.toFixed(0)} / ${sorted[0].toFixed(0)}`;
}

async function main() {
  const work = mkdtempSync(join(tmpdir(), 'startup-bench-'));
  try {
    const dists = [['emulator', DIST], ...(COMPARE_DIST !== undefined ? [['compare', COMPARE_DIST]] : [])];
    const hasReference = existsSync(REFERENCE_CONFIG) && spawnSync('sh', ['-c', 'command -v docker-registry']).status === 0;
    const targets = [];
    for (const [name, dist] of dists) {
      if (!existsSync(join(dist, 'main.js'))) throw new Error(`${dist}/main.js not found: npm run build first`);
      const seeded = join(work, `${name}-seeded`);
      const started = nowMs();
      const blobs = seedDataDir(dist, seeded);
      console.log(`seeded ${IMAGES} images, ${blobs.length} blobs for ${dist} in ${((nowMs() - started) / 1000).toFixed(1)} s`);
      if (hasReference && targets.length === 0) seedReferenceRoot(join(work, 'reference-seeded'), seeded, blobs);
      for (const [store, dataDir] of [['empty', join(work, `${name}-empty`)], ['seeded', seeded]]) {
        targets.push({
          name,
          store,
          args: async (port) => [process.execPath, [join(dist, 'main.js'), '--data-dir', dataDir, '--host', '127.0.0.1', '--port', String(port), '--log-level', 'warn'], '/_emulator/health'],
          times: [],
        });
      }
    }
    // The floor: node itself from exec to the first answer of a bare http server, on the same machine and load.
    const bareServer = "require('node:http').createServer((request, response) => response.end('ok')).listen(Number(process.argv[1]), '127.0.0.1')";
    targets.push({ name: 'bare node http', store: 'empty', args: async (port) => [process.execPath, ['-e', bareServer, String(port)], '/'], times: [] });
    if (hasReference) {
      for (const store of ['empty', 'seeded']) {
        const root = join(work, `reference-${store}`);
        mkdirSync(root, { recursive: true });
        targets.push({ name: 'docker-registry', store, args: async (port) => ['docker-registry', ['serve', referenceConfig(work, root, port)], '/v2/'], times: [] });
      }
    }
    for (let round = 0; round <= RUNS; round += 1) {
      // Round 0 warms the page cache and is not counted; the order flips each round so drift hits every target.
      const order = round % 2 === 0 ? targets : [...targets].reverse();
      for (const target of order) {
        const port = await freePort();
        const [command, args, path] = await target.args(port);
        const elapsed = await timeStart(command, args, port, path);
        if (round > 0) target.times.push(elapsed);
      }
    }
    const columns = [...new Set(targets.map((target) => target.name))];
    const cell = (text, width) => String(text).padStart(width);
    console.log(`\nstart-up, exec to first answer (ms, median / min of ${RUNS}); seeded: ${IMAGES} images, ${BLOBS} blobs`);
    for (const [name, dist] of dists) console.log(`  ${name}: ${dist}`);
    console.log(`${''.padEnd(10)}${columns.map((column) => cell(column, 18)).join('')}`);
    for (const store of ['empty', 'seeded']) {
      const row = columns.map((column) => targets.find((target) => target.name === column && target.store === store)).map((target) => cell(target === undefined ? '-' : summary(target.times), 18));
      console.log(`${store.padEnd(10)}${row.join('')}`);
    }
    if (!hasReference) console.log('docker-registry not found (apt-get install -y docker-registry): no reference column');
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
});
