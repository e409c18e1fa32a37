#!/usr/bin/env node
// Server memory across UploadLayerPart: the emulator's RSS (disk store) when idle, right after PARTS parts of
// PART_MIB MiB each (base64 in JSON, as the SDKs send them), and at moments after. Each round starts a fresh
// server; V8 collects the parts' garbage only when its memory reducer runs (some seconds to a minute after the
// last request) and glibc may keep freed memory, so rounds differ: the summary gives the median.
//
//   npm run build && node bench/layer-part-memory.mjs [PARTS=10] [PART_MIB=20] [ROUNDS=3]
//   EMULATOR_MAIN=other/build/main.js node bench/layer-part-memory.mjs     (another build, e.g. before a change)
//
// Linux only: RSS is read from /proc/<pid>/status. Prints one line per round, figures in MiB.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const MAIN = process.env.EMULATOR_MAIN ?? join(ROOT, 'dist', 'main.js');
const PARTS = Number(process.argv[2] ?? 10);
const PART_BYTES = Number(process.argv[3] ?? 20) * 1024 * 1024;
const ROUNDS = Number(process.argv[4] ?? 3);
const LATER_SECONDS = [5, 15, 30, 60];

function rssMiB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/^VmRSS:\s+(\d+) kB$/m.exec(status)[1]) / 1024;
}

async function ecr(endpoint, operation, input) {
  const response = await fetch(`${endpoint}/`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AmazonEC2ContainerRegistry_V20150921.${operation}` },
    body: JSON.stringify(input),
  });
  const answer = await response.json();
  if (response.status !== 200) throw new Error(`${operation}: ${response.status} ${JSON.stringify(answer)}`);
  return answer;
}

async function waitUntilUp(endpoint) {
  for (let attempt = 0; attempt < 100; attempt += 1) {
    try {
      if ((await fetch(`${endpoint}/_emulator/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new Error('the emulator did not start');
}

/** One fresh server: its RSS idle, after the parts, the highest after any part, and LATER_SECONDS later. */
async function round() {
  const dataDir = mkdtempSync(join(tmpdir(), 'layer-part-memory-'));
  const port = 20000 + Math.floor(Math.random() * 20000);
  // node itself, not an npm wrapper, so the RSS is the process doing the work.
  const server = spawn(process.execPath, [MAIN, '--port', String(port), '--data-dir', dataDir, '--log-level', 'warn'], { stdio: 'ignore' });
  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await waitUntilUp(endpoint);
    await ecr(endpoint, 'CreateRepository', { repositoryName: 'bench' });
    await sleep(2000);
    const figures = { idle: rssMiB(server.pid) };
    const { uploadId } = await ecr(endpoint, 'InitiateLayerUpload', { repositoryName: 'bench' });
    let highest = 0;
    for (let part = 0; part < PARTS; part += 1) {
      const first = part * PART_BYTES;
      const layerPartBlob = randomBytes(PART_BYTES).toString('base64');
      await ecr(endpoint, 'UploadLayerPart', { repositoryName: 'bench', uploadId, partFirstByte: first, partLastByte: first + PART_BYTES - 1, layerPartBlob });
      highest = Math.max(highest, rssMiB(server.pid));
    }
    figures.after = rssMiB(server.pid);
    figures.highest = highest;
    let elapsed = 0;
    for (const seconds of LATER_SECONDS) {
      await sleep((seconds - elapsed) * 1000);
      elapsed = seconds;
      figures[`+${seconds}s`] = rssMiB(server.pid);
    }
    return figures;
  } finally {
    server.kill('SIGTERM');
    await new Promise((resolve) => server.once('exit', resolve));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

const show = (figures) => Object.entries(figures).map(([name, mib]) => `${name} ${mib.toFixed(1)}`).join('  ');
console.log(`${MAIN}: ${PARTS} parts of ${PART_BYTES / 1024 / 1024} MiB, RSS in MiB`);
const rounds = [];
for (let index = 0; index < ROUNDS; index += 1) {
  const figures = await round();
  rounds.push(figures);
  console.log(`round ${index + 1}: ${show(figures)}`);
}
const last = `+${LATER_SECONDS.at(-1)}s`;
const summary = Object.fromEntries(Object.keys(rounds[0]).map((name) => [name, median(rounds.map((figures) => figures[name]))]));
console.log(`median:  ${show(summary)}`);
console.log(`median ${last} minus idle: ${median(rounds.map((figures) => figures[last] - figures.idle)).toFixed(1)} MiB`);
