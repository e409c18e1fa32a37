#!/usr/bin/env node
// Listings at scale: seeds data dirs (a small one, then REPOSITORIES repositories holding IMAGES images), starts the
// built emulator on each (`node dist/main.js --data-dir`), and times the first page and a page deep in of every
// listing: DescribeRepositories, DescribeImages and ListImages (in the big repository, with and without filters),
// tags/list and _catalog. A listing is O(page) when its figures do not grow from the small data dir to the big one,
// nor from the first page to the deep one. Prints figures, asserts nothing.
//
//   npm run build && node bench/scale.mjs [--images 1000000] [--repositories 10000] [--requests 20] [--keep]
//   node bench/scale.mjs --images 100000 --repositories 1000            (a quick run)
//   node bench/scale.mjs --data-dir DIR ...    (reuse DIR when it was seeded with the same figures, else seed it)
//   node bench/scale.mjs --plans ...           (then print the query plan of every statement behind each listing)
//   EMULATOR_DIST=other/build node bench/scale.mjs   (another build's dist/, e.g. before a change)
//
// Seeding goes through the build's own SQLite stores (dist/store/sqlite), so rows, JSON and encodings are exactly
// what a push writes: one repository (big) holds BIG_SHARE of the images, 85% of them tagged (a tenth of those
// twice) and 1% archived; two hold SPARSE_SHARE each, every image tagged (all-tagged) or none (untagged), so a
// filter there matches nothing; the other repositories share the rest unevenly (Zipf), mixed like big. Each image
// links its config, a per-image layer and one of 64 shared base layers. Blob files are not written: no listing
// reads them. The small data dir has the same shape at 1/100 of the size, so the columns compare the same listing
// at two sizes.
//
// The deep page: the listing is walked up to about its middle (pages of at most 1000, a fifth of the way each),
// following nextToken or the Link header, and the token (or `last`) found there is then asked REQUESTS times with
// pages of 100. A walk stops after WALK_BUDGET_MS; the depth column says how far it got. A filter that matches
// nothing has no deep page: its first page already reads whatever the query reads to find nothing.
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync, existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const DIST = resolve(process.env.EMULATOR_DIST ?? join(ROOT, 'dist'));
const require = createRequire(import.meta.url);

const OPTIONS = parseOptions(process.argv.slice(2), {
  images: 1_000_000, repositories: 10_000, requests: 20, 'data-dir': undefined, keep: false, 'skip-small': false, plans: false,
});
const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const SCOPE = { accountId: ACCOUNT, region: REGION };
const BIG_REPOSITORY = 'scale/big';
const TAGGED_REPOSITORY = 'scale/all-tagged';
const UNTAGGED_REPOSITORY = 'scale/untagged';
const BIG_SHARE = 0.2;
const SPARSE_SHARE = 0.05;
const TAGGED_PERCENT = 85;
const BASE_LAYERS = 64;
const WALK_PAGE = 1000;
const WALK_BUDGET_MS = 30_000;
const REQUEST_TIMEOUT_MS = 120_000;
const SEED_MARK = 'scale-seed.json';
/** Bumped whenever the seeded shape changes, so that `--data-dir` never reuses a data dir of another shape. */
const SEED_VERSION = 2;
const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json';
const OCI_LAYER = 'application/vnd.oci.image.layer.v1.tar+gzip';
const DOCKER_MANIFEST = 'application/vnd.docker.distribution.manifest.v2+json';
const DOCKER_CONFIG = 'application/vnd.docker.container.image.v1+json';
const DOCKER_LAYER = 'application/vnd.docker.image.rootfs.diff.tar.gzip';
const EPOCH_MS = Date.UTC(2025, 0, 1);

function parseOptions(argv, defaults) {
  const options = { ...defaults };
  for (let index = 0; index < argv.length; index += 1) {
    const name = argv[index].replace(/^--/, '');
    if (!Object.hasOwn(defaults, name)) throw new Error(`unknown option ${argv[index]}`);
    if (typeof defaults[name] === 'boolean') {
      options[name] = true;
    } else if (name === 'data-dir') {
      options[name] = argv[(index += 1)];
    } else {
      const value = Number(argv[(index += 1)]);
      if (!Number.isInteger(value) || value < 1) throw new Error(`--${name} takes a positive integer`);
      options[name] = value;
    }
  }
  return options;
}

const nowMs = () => Number(process.hrtime.bigint()) / 1e6;
const sha256 = (text) => `sha256:${createHash('sha256').update(text).digest('hex')}`;

function percentile(values, fraction) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1)];
}

function directoryBytes(path) {
  let total = 0;
  for (const entry of readdirSync(path, { withFileTypes: true })) {
    const child = join(path, entry.name);
    total += entry.isDirectory() ? directoryBytes(child) : statSync(child).size;
  }
  return total;
}

// ================================================================ seeding

/**
 * How many images each repository holds, and how they are tagged: BIG_SHARE in the big one (mixed), SPARSE_SHARE
 * each in one where every image is tagged and one where none is (a filter there matches nothing: a listing that
 * filters after reading reads the whole repository), the rest by Zipf (s = 1) over the other repositories (mixed).
 */
function repositoryShape(repositories, images) {
  const big = Math.round(images * BIG_SHARE);
  const sparse = Math.round(images * SPARSE_SHARE);
  const others = repositories - 3;
  const spread = images - big - 2 * sparse;
  const harmonic = Array.from({ length: others }, (_, index) => 1 / (index + 1)).reduce((a, b) => a + b, 0);
  const counts = Array.from({ length: others }, (_, index) => Math.floor(spread / harmonic / (index + 1)));
  let left = spread - counts.reduce((a, b) => a + b, 0);
  for (let index = 0; left > 0; index = (index + 1) % others, left -= 1) counts[index] += 1;
  const width = String(others).length;
  return [
    { name: BIG_REPOSITORY, images: big, kind: 'mixed' },
    { name: TAGGED_REPOSITORY, images: sparse, kind: 'tagged' },
    { name: UNTAGGED_REPOSITORY, images: sparse, kind: 'untagged' },
    ...counts.map((count, index) => ({ name: `scale/r${String(index).padStart(width, '0')}`, images: count, kind: 'mixed' })),
  ];
}

/** The image's tags and whether it is archived: a deterministic roll in [0, 100) per repository and image. */
function fateOf(repository, index) {
  const chance = createHash('md5').update(`${repository.name}#${index}`).digest().readUInt16BE(0) % 100;
  if (repository.kind === 'untagged') return { tags: [], isArchived: false };
  const isTagged = repository.kind === 'tagged' || chance < TAGGED_PERCENT;
  const tags = !isTagged ? [] : chance < TAGGED_PERCENT / 10 ? [`v${index}`, `build-${index}`] : [`v${index}`];
  return { tags, isArchived: repository.kind === 'mixed' && chance === 99 };
}

/** The image's manifest (OCI or Docker, alternately), its blobs, and its ECR size (config plus layers). */
function imageOf(repository, index) {
  const isOci = index % 2 === 0;
  const config = { mediaType: isOci ? OCI_CONFIG : DOCKER_CONFIG, digest: sha256(`config:${repository}:${index}`), size: 1200 + (index % 500) };
  const layerType = isOci ? OCI_LAYER : DOCKER_LAYER;
  const base = { mediaType: layerType, digest: sha256(`base:${index % BASE_LAYERS}`), size: 30_000_000 + (index % BASE_LAYERS) * 1000 };
  const own = { mediaType: layerType, digest: sha256(`layer:${repository}:${index}`), size: 100_000 + (index % 9973) * 100 };
  const manifest = Buffer.from(JSON.stringify({
    schemaVersion: 2,
    mediaType: isOci ? OCI_MANIFEST : DOCKER_MANIFEST,
    config,
    layers: [base, own],
    ...(isOci ? { annotations: { 'org.opencontainers.image.created': new Date(EPOCH_MS + index * 1000).toISOString() } } : {}),
  }));
  return {
    record: {
      digest: sha256(manifest),
      mediaType: isOci ? OCI_MANIFEST : DOCKER_MANIFEST,
      artifactType: config.mediaType,
      manifest,
      sizeInBytes: config.size + base.size + own.size,
      pushedAt: new Date(EPOCH_MS + index * 1000),
    },
    blobs: [config, base, own],
  };
}

function seed(dataDir, shape) {
  const { openDatabase } = require(join(DIST, 'store/sqlite/database.js'));
  const { createSqliteRepositoryStore } = require(join(DIST, 'store/sqlite/sqlite-repository-store.js'));
  const { createSqliteImageStore } = require(join(DIST, 'store/sqlite/sqlite-image-store.js'));
  const { createSqliteBlobLinkStore } = require(join(DIST, 'store/sqlite/sqlite-blob-link-store.js'));
  const { newRepositoryRecord } = require(join(DIST, 'images/repository-defaults.js'));
  const { dataDirLayout } = require(join(DIST, 'store/fs/layout.js'));
  mkdirSync(dataDir, { recursive: true });
  const db = openDatabase(dataDirLayout(dataDir).metadataDatabase);
  // Bulk load: the rollback journal in memory, no fsync, a big cache. The emulator's own settings (WAL) are put
  // back at the end. (better-sqlite3 refuses journal_mode OFF; SQLite leaves WAL only for DELETE.)
  db.pragma('journal_mode = DELETE');
  db.pragma('journal_mode = MEMORY');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -2000000');
  const repositories = createSqliteRepositoryStore(db);
  const images = createSqliteImageStore(db);
  const links = createSqliteBlobLinkStore(db);
  const counts = { images: 0, tags: 0, untagged: 0, archived: 0, links: 0 };
  const seedRepository = db.transaction((repository) => {
    repositories.create(SCOPE, newRepositoryRecord(repository.name, new Date(EPOCH_MS)));
    for (let index = 0; index < repository.images; index += 1) {
      const { record, blobs } = imageOf(repository.name, index);
      for (const blob of blobs) links.link(SCOPE, repository.name, { digest: blob.digest, sizeInBytes: blob.size, mediaType: blob.mediaType }, record.pushedAt);
      const { tags, isArchived } = fateOf(repository, index);
      if (tags.length === 0) {
        images.put(SCOPE, repository.name, record);
        counts.untagged += 1;
      }
      for (const tag of tags) images.put(SCOPE, repository.name, record, tag);
      counts.tags += tags.length;
      if (isArchived) {
        images.setStorageClass(SCOPE, repository.name, record.digest, 'ARCHIVE', record.pushedAt);
        counts.archived += 1;
      }
      counts.images += 1;
    }
  });
  for (const repository of shape) seedRepository(repository);
  counts.links = db.prepare('SELECT count(*) FROM blob_links').pluck().get();
  db.pragma('journal_mode = WAL');
  db.close();
  return counts;
}

/** The data dir for these figures: `--data-dir` reused when its mark matches, else seeded afresh. */
function prepareDataDir(dataDir, repositories, imageCount) {
  const shape = repositoryShape(repositories, imageCount);
  // A data dir of another schema would be migrated when the emulator opens it, and the start would time that.
  const { SCHEMA_STEPS } = require(join(DIST, 'store/sqlite/schema.js'));
  const key = JSON.stringify({ version: SEED_VERSION, schemaSteps: SCHEMA_STEPS.length, repositories, images: imageCount });
  const markPath = join(dataDir, SEED_MARK);
  const mark = existsSync(markPath) ? JSON.parse(readFileSync(markPath, 'utf8')) : undefined;
  if (mark !== undefined && JSON.stringify(mark.key) === key) return { shape, seedMs: undefined, counts: mark.counts };
  rmSync(dataDir, { recursive: true, force: true });
  const started = nowMs();
  const counts = seed(dataDir, shape);
  const seedMs = nowMs() - started;
  writeFileSync(markPath, JSON.stringify({ key: JSON.parse(key), counts }));
  return { shape, seedMs, counts };
}

// ================================================================ the emulator and its two planes

async function startEmulator(dataDir) {
  const started = nowMs();
  const child = spawn(process.execPath, [join(DIST, 'main.js'), '--data-dir', dataDir, '--port', '0', '--log-level', 'warn', '--account-id', ACCOUNT], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let errors = '';
  child.stderr.on('data', (chunk) => {
    errors += chunk;
  });
  const endpoint = await new Promise((resolvePromise, reject) => {
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
      const match = /ready on (\S+)/.exec(output);
      if (match) resolvePromise(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`emulator exited with ${code} before it was ready: ${output}${errors}`)));
  });
  return { child, endpoint, startMs: nowMs() - started };
}

async function stopEmulator(emulator) {
  if (emulator.child.exitCode !== null || emulator.child.signalCode !== null) return;
  const exited = new Promise((resolvePromise) => emulator.child.once('exit', resolvePromise));
  emulator.child.kill('SIGTERM');
  await exited;
}

function residentMib(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const figure = (name) => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)?.[1] ?? Number.NaN) / 1024;
  return { rss: figure('VmRSS'), peak: figure('VmHWM') };
}

/** A control-plane call signed as the account root: a 12-digit access key, whose signature the emulator does not check. */
async function ecrCall(endpoint, operation, input) {
  const amzDate = new Date().toISOString().replace(/[-:]/g, '').replace(/\.\d+/, '');
  const response = await fetch(`${endpoint}/`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `AmazonEC2ContainerRegistry_V20150921.${operation}`,
      'x-amz-date': amzDate,
      authorization: `AWS4-HMAC-SHA256 Credential=${ACCOUNT}/${amzDate.slice(0, 8)}/${REGION}/ecr/aws4_request, SignedHeaders=host;x-amz-date, Signature=00`,
    },
    body: JSON.stringify(input),
    signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
  });
  const output = await response.json();
  if (response.status !== 200) throw new Error(`${operation} -> ${response.status}: ${JSON.stringify(output).slice(0, 300)}`);
  return output;
}

async function registryAuthorization(endpoint) {
  const { authorizationData } = await ecrCall(endpoint, 'GetAuthorizationToken', {});
  return `Basic ${authorizationData[0].authorizationToken}`;
}

async function registryGet(endpoint, authorization, path) {
  const response = await fetch(`${endpoint}${path}`, { headers: { authorization }, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  const body = await response.json();
  if (response.status !== 200) throw new Error(`GET ${path} -> ${response.status}: ${JSON.stringify(body).slice(0, 300)}`);
  const next = /<([^>]+)>;\s*rel="next"/.exec(response.headers.get('link') ?? '')?.[1];
  return { body, next };
}

// ================================================================ listings

/**
 * One listing: `page(position, limit)` asks one page (position undefined: the first) and answers its item count
 * and the position of the next page. Control-plane positions are nextTokens; registry ones are `last` values.
 */
function listings(endpoint, authorization, shape) {
  const ecrListing = (label, operation, member, input) => ({
    label,
    size: undefined,
    async page(position, limit) {
      const output = await ecrCall(endpoint, operation, { ...input, maxResults: limit, ...(position !== undefined ? { nextToken: position } : {}) });
      return { count: output[member].length, next: output.nextToken };
    },
  });
  const registryListing = (label, path, member) => ({
    label,
    async page(position, limit) {
      const query = new URLSearchParams({ n: String(limit), ...(position !== undefined ? { last: position } : {}) });
      const { body, next } = await registryGet(endpoint, authorization, `${path}?${query}`);
      return { count: body[member].length, next: next === undefined ? undefined : new URL(next, endpoint).searchParams.get('last') };
    },
  });
  const [big, tagged, untagged] = shape.slice(0, 3).map((repository) => ({ ...figuresOf(repository), input: { repositoryName: repository.name } }));
  const describe = (label, figures, filter, total) =>
    ({ ...ecrListing(`DescribeImages ${label}`, 'DescribeImages', 'imageDetails', { ...figures.input, ...(filter ? { filter } : {}) }), total });
  const list = (label, figures, filter, total) =>
    ({ ...ecrListing(`ListImages ${label}`, 'ListImages', 'imageIds', { ...figures.input, ...(filter ? { filter } : {}) }), total });
  const untaggedOf = (figures) => figures.activeImages - figures.activeTagged;
  return [
    { ...ecrListing('DescribeRepositories', 'DescribeRepositories', 'repositories', {}), total: shape.length },
    describe('big', big, undefined, big.activeImages),
    describe('big TAGGED', big, { tagStatus: 'TAGGED' }, big.activeTagged),
    describe('big UNTAGGED', big, { tagStatus: 'UNTAGGED' }, untaggedOf(big)),
    describe('big ARCHIVED', big, { imageStatus: 'ARCHIVED' }, big.archived),
    describe('all-tagged UNTAGGED', tagged, { tagStatus: 'UNTAGGED' }, 0),
    describe('all-tagged ARCHIVED', tagged, { imageStatus: 'ARCHIVED' }, 0),
    describe('untagged TAGGED', untagged, { tagStatus: 'TAGGED' }, 0),
    list('big', big, undefined, big.activeRows),
    list('big TAGGED', big, { tagStatus: 'TAGGED' }, big.activeRows - untaggedOf(big)),
    list('big UNTAGGED', big, { tagStatus: 'UNTAGGED' }, untaggedOf(big)),
    list('all-tagged UNTAGGED', tagged, { tagStatus: 'UNTAGGED' }, 0),
    list('untagged TAGGED', untagged, { tagStatus: 'TAGGED' }, 0),
    { ...registryListing('tags/list big', `/v2/${BIG_REPOSITORY}/tags/list`, 'tags'), total: big.tags },
    { ...registryListing('_catalog', '/v2/_catalog', 'repositories'), total: shape.length },
  ];
}

/** What a repository holds, as the listings should count it (archived images are not ACTIVE). */
function figuresOf(repository) {
  const figures = { activeImages: 0, activeTagged: 0, activeRows: 0, archived: 0, tags: 0 };
  for (let index = 0; index < repository.images; index += 1) {
    const { tags, isArchived } = fateOf(repository, index);
    figures.tags += tags.length;
    if (isArchived) {
      figures.archived += 1;
      continue;
    }
    figures.activeImages += 1;
    if (tags.length > 0) figures.activeTagged += 1;
    figures.activeRows += Math.max(tags.length, 1);
  }
  return figures;
}

/** Walks pages of WALK_PAGE up to about the middle (or the budget); answers the position there and how deep it is. */
async function deepPosition(listing) {
  const target = Math.floor(listing.total / 2);
  const pageSize = Math.max(1, Math.min(WALK_PAGE, Math.floor(target / 5)));
  const started = nowMs();
  let position;
  let depth = 0;
  while (target > 0 && depth + pageSize <= target && nowMs() - started < WALK_BUDGET_MS) {
    const { count, next } = await listing.page(position, pageSize);
    if (next === undefined) break;
    depth += count;
    position = next;
  }
  return { position, depth, walkMs: nowMs() - started };
}

async function timePages(listing, position, requests) {
  const latencies = [];
  let count = 0;
  await listing.page(position, 100);
  for (let index = 0; index < requests; index += 1) {
    const started = nowMs();
    ({ count } = await listing.page(position, 100));
    latencies.push(nowMs() - started);
  }
  return { p50: percentile(latencies, 0.5), p95: percentile(latencies, 0.95), count };
}

async function measure(label, dataDir, repositories, imageCount) {
  const { shape, seedMs, counts } = prepareDataDir(dataDir, repositories, imageCount);
  const emulator = await startEmulator(dataDir);
  try {
    const authorization = await registryAuthorization(emulator.endpoint);
    const results = [];
    for (const listing of listings(emulator.endpoint, authorization, shape)) {
      const first = await timePages(listing, undefined, OPTIONS.requests);
      const deep = await deepPosition(listing);
      const deepPage = await timePages(listing, deep.position, OPTIONS.requests);
      results.push({ listing: listing.label, total: listing.total, first, deep: { ...deep, ...deepPage } });
    }
    return { label, repositories, images: imageCount, bigImages: shape[0].images, seedMs, counts, startMs: emulator.startMs, bytes: directoryBytes(dataDir), memory: residentMib(emulator.child.pid), results };
  } finally {
    await stopEmulator(emulator);
  }
}

// ================================================================ query plans

/**
 * The statements the build's stores run for each listing, captured as they run on the large data dir, with SQLite's
 * EXPLAIN QUERY PLAN of each: a SCAN, or a TEMP B-TREE over every row, is a listing that is not O(page).
 */
function printPlans(dataDir, shape) {
  const { openDatabase } = require(join(DIST, 'store/sqlite/database.js'));
  const { createSqliteRepositoryStore } = require(join(DIST, 'store/sqlite/sqlite-repository-store.js'));
  const { createSqliteImageStore } = require(join(DIST, 'store/sqlite/sqlite-image-store.js'));
  const { dataDirLayout } = require(join(DIST, 'store/fs/layout.js'));
  const db = openDatabase(dataDirLayout(dataDir).metadataDatabase);
  const prepare = db.prepare.bind(db);
  let captured = [];
  const RUNS = new Set(['all', 'get', 'run', 'iterate']);
  db.prepare = (sql) => {
    const statement = prepare(sql);
    const proxy = new Proxy(statement, {
      get(target, name) {
        const value = target[name];
        if (typeof value !== 'function') return value;
        return (...args) => {
          if (RUNS.has(name)) captured.push({ sql, args });
          const result = value.apply(target, args);
          return result === target ? proxy : result;
        };
      },
    });
    return proxy;
  };
  const repositories = createSqliteRepositoryStore(db);
  const images = createSqliteImageStore(db);
  const [big, tagged, untagged] = shape.map((repository) => repository.name);
  const calls = [
    ['DescribeRepositories, _catalog', () => repositories.list(SCOPE, { limit: 100, afterName: 'scale/r' })],
    ['DescribeImages', () => images.page(SCOPE, big, { limit: 100, storageClass: 'STANDARD', afterDigest: 'sha256:8' })],
    ['DescribeImages TAGGED', () => images.page(SCOPE, big, { limit: 100, tagStatus: 'TAGGED', storageClass: 'STANDARD' })],
    ['DescribeImages UNTAGGED', () => images.page(SCOPE, tagged, { limit: 100, tagStatus: 'UNTAGGED', storageClass: 'STANDARD' })],
    ['DescribeImages ARCHIVED', () => images.page(SCOPE, tagged, { limit: 100, storageClass: 'ARCHIVE' })],
    ['DescribeImages imageStatus ANY', () => images.page(SCOPE, big, { limit: 100 })],
    ['DescribeImages TAGGED imageStatus ANY', () => images.page(SCOPE, untagged, { limit: 100, tagStatus: 'TAGGED' })],
    ['ListImages', () => images.rows(SCOPE, big, { limit: 100, storageClass: 'STANDARD', after: { digest: 'sha256:8' } })],
    ['ListImages TAGGED', () => images.rows(SCOPE, untagged, { limit: 100, tagStatus: 'TAGGED', storageClass: 'STANDARD' })],
    ['ListImages UNTAGGED', () => images.rows(SCOPE, tagged, { limit: 100, tagStatus: 'UNTAGGED', storageClass: 'STANDARD' })],
    ['tags/list', () => images.listTags(SCOPE, big, { limit: 100, afterTag: 'v5' })],
  ];
  console.log('\nquery plans (EXPLAIN QUERY PLAN of each statement a listing runs)');
  for (const [label, call] of calls) {
    captured = [];
    call();
    console.log(`${label}:`);
    for (const { sql, args } of captured) {
      for (const row of prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...args)) console.log(`  ${row.detail}`);
    }
  }
  db.close();
}

// ================================================================ report

function printReport(runs) {
  const cell = (text, width) => String(text).padStart(width);
  const ms = (value) => (value === undefined ? '-' : value.toFixed(value < 10 ? 2 : 1));
  for (const run of runs) {
    const { counts } = run;
    console.log(
      `${run.label}: ${run.repositories} repositories, ${counts.images} images (${counts.tags} tags, ${counts.untagged} untagged, ${counts.archived} archived), ${counts.links} blob links; ` +
        `${run.bigImages} of them in ${BIG_REPOSITORY}, ${Math.round(run.images * SPARSE_SHARE)} each in ${TAGGED_REPOSITORY} and ${UNTAGGED_REPOSITORY}`,
    );
    console.log(
      `  seed ${run.seedMs === undefined ? 'reused' : `${(run.seedMs / 1000).toFixed(1)} s`}, data dir ${(run.bytes / 2 ** 20).toFixed(0)} MiB, ` +
        `start ${(run.startMs / 1000).toFixed(2)} s, RSS after listings ${run.memory.rss.toFixed(0)} MiB (peak ${run.memory.peak.toFixed(0)} MiB)`,
    );
  }
  console.log(`\nlatency in ms of one page of 100 (median / p95 of ${OPTIONS.requests} requests); deep = the page at the depth shown`);
  const header = ['listing', ...runs.flatMap((run) => [`${run.label} first`, `${run.label} deep`, 'depth'])];
  const widths = [34, ...runs.flatMap(() => [17, 17, 9])];
  console.log(header.map((text, index) => (index === 0 ? text.padEnd(widths[0]) : cell(text, widths[index]))).join(''));
  for (let row = 0; row < runs[0].results.length; row += 1) {
    const cells = [runs[0].results[row].listing.padEnd(widths[0])];
    for (const run of runs) {
      const { first, deep } = run.results[row];
      cells.push(cell(`${ms(first.p50)} / ${ms(first.p95)}`, 17), cell(`${ms(deep.p50)} / ${ms(deep.p95)}`, 17), cell(deep.depth, 9));
    }
    console.log(cells.join(''));
  }
}

async function main() {
  if (!existsSync(join(DIST, 'main.js'))) throw new Error(`no build in ${DIST}: run npm run build`);
  if (OPTIONS.repositories < 4 || OPTIONS.images < OPTIONS.repositories) throw new Error('--repositories must be at least 4, --images at least --repositories');
  const workDir = OPTIONS['data-dir'] === undefined ? mkdtempSync(join(tmpdir(), 'ecr-scale-')) : resolve(OPTIONS['data-dir']);
  const runs = [];
  try {
    const scales = [
      ...(OPTIONS['skip-small'] ? [] : [{ label: 'small', repositories: Math.max(4, Math.round(OPTIONS.repositories / 100)), images: Math.max(100, Math.round(OPTIONS.images / 100)) }]),
      { label: 'large', repositories: OPTIONS.repositories, images: OPTIONS.images },
    ];
    for (const scale of scales) runs.push(await measure(scale.label, join(workDir, scale.label), scale.repositories, scale.images));
    printReport(runs);
    if (OPTIONS.plans) printPlans(join(workDir, 'large'), repositoryShape(OPTIONS.repositories, OPTIONS.images));
  } finally {
    if (OPTIONS['data-dir'] === undefined && !OPTIONS.keep) rmSync(workDir, { recursive: true, force: true });
    else console.log(`data dirs kept in ${workDir}`);
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.stack : error);
  process.exitCode = 1;
});
