// Blobs and upload sessions on the data plane: monolithic and chunked pushes, digest checks, ranges, status,
// cancel, delete, cross-repository mounts, and concurrent pushes of one blob.
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateRepositoryCommand, PutAccountSettingCommand } from '@aws-sdk/client-ecr';
import { dataDirLayout } from '../../src/store/fs/layout';
import { ABANDONED_UPLOAD_AGE_MS, UPLOAD_SWEEP_INTERVAL_MS } from '../../src/store/upload-sweep';
import { basicAuthorization, errorsOf, registryClient, sha256 } from '../helpers/registry-client';
import { sendChunked } from '../helpers/chunked-request';
import { startTestEmulator, useTestEmulator, type TestEmulator } from '../helpers/test-emulator';

const dataDir = mkdtempSync(join(tmpdir(), 'registry-blobs-'));
const env = useTestEmulator({ startOptions: { memory: false, dataDir }, repositories: ['app', 'other'] });
afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

async function startSession(repository = 'app'): Promise<string> {
  const response = await env.registry.fetch(`/v2/${repository}/blobs/uploads/`, { method: 'POST' });
  expect(response.status).toBe(202);
  return response.headers.get('location')!;
}

describe('monolithic upload', () => {
  it('stores a blob posted with ?digest= and answers 201 with its location and digest', async () => {
    const digest = sha256('monolithic');
    const response = await env.registry.fetch(`/v2/app/blobs/uploads/?digest=${digest}`, { method: 'POST', body: 'monolithic' });
    expect(response.status).toBe(201);
    expect(response.headers.get('location')).toBe(`/v2/app/blobs/${digest}`);
    expect(response.headers.get('docker-content-digest')).toBe(digest);
    const blob = await env.registry.fetch(`/v2/app/blobs/${digest}`);
    expect(blob.status).toBe(200);
    expect(await blob.text()).toBe('monolithic');
  });

  it('rejects bytes that do not match ?digest= with DIGEST_INVALID and stores nothing', async () => {
    const digest = sha256('expected');
    const response = await env.registry.fetch(`/v2/app/blobs/uploads/?digest=${digest}`, { method: 'POST', body: 'actual' });
    expect(response.status).toBe(400);
    expect((await errorsOf(response))[0]!.code).toBe('DIGEST_INVALID');
    expect((await env.registry.fetch(`/v2/app/blobs/${digest}`, { method: 'HEAD' })).status).toBe(404);
    expect((await env.registry.fetch(`/v2/app/blobs/${sha256('actual')}`, { method: 'HEAD' })).status).toBe(404);
  });

  it('rejects a malformed digest with DIGEST_INVALID', async () => {
    const response = await env.registry.fetch('/v2/app/blobs/uploads/?digest=sha256:nothex', { method: 'POST', body: 'x' });
    expect(response.status).toBe(400);
    expect((await errorsOf(response))[0]!.code).toBe('DIGEST_INVALID');
  });
});

describe('chunked upload', () => {
  it('starts a session with 202, Location, Docker-Upload-UUID and Range 0-0', async () => {
    const response = await env.registry.fetch('/v2/app/blobs/uploads/', { method: 'POST' });
    expect(response.status).toBe(202);
    const id = response.headers.get('docker-upload-uuid')!;
    expect(response.headers.get('location')).toBe(`/v2/app/blobs/uploads/${id}`);
    expect(response.headers.get('range')).toBe('0-0');
  });

  it('appends chunks in order, reports progress and finishes with PUT ?digest=', async () => {
    const location = await startSession();
    const first = await env.registry.fetch(location, { method: 'PATCH', body: 'hello ', headers: { 'content-range': '0-5', 'content-type': 'application/octet-stream' } });
    expect(first.status).toBe(202);
    expect(first.headers.get('range')).toBe('0-5');
    const second = await env.registry.fetch(location, { method: 'PATCH', body: 'world', headers: { 'content-range': '6-10' } });
    expect(second.headers.get('range')).toBe('0-10');
    const status = await env.registry.fetch(location);
    expect(status.status).toBe(204);
    expect(status.headers.get('range')).toBe('0-10');
    const digest = sha256('hello world!');
    const done = await env.registry.fetch(`${location}?digest=${digest}`, { method: 'PUT', body: '!' });
    expect(done.status).toBe(201);
    expect(done.headers.get('docker-content-digest')).toBe(digest);
    expect(await (await env.registry.fetch(`/v2/app/blobs/${digest}`)).text()).toBe('hello world!');
  });

  it('accepts PATCH without Content-Range (streamed chunks)', async () => {
    const location = await startSession();
    expect((await env.registry.fetch(location, { method: 'PATCH', body: 'streamed' })).status).toBe(202);
    const digest = sha256('streamed');
    expect((await env.registry.fetch(`${location}?digest=${digest}`, { method: 'PUT' })).status).toBe(201);
  });

  it('rejects a chunk that does not continue at the current offset with 416', async () => {
    const location = await startSession();
    await env.registry.fetch(location, { method: 'PATCH', body: 'abc', headers: { 'content-range': '0-2' } });
    const response = await env.registry.fetch(location, { method: 'PATCH', body: 'xyz', headers: { 'content-range': '5-7' } });
    expect(response.status).toBe(416);
    expect((await errorsOf(response))[0]!.code).toBe('RANGE_INVALID');
    expect((await env.registry.fetch(location)).headers.get('range')).toBe('0-2');
  });

  it('refuses, before reading it, a chunk whose Content-Length disagrees with its Content-Range, with 416', async () => {
    const location = await startSession();
    await env.registry.fetch(location, { method: 'PATCH', body: 'abc', headers: { 'content-range': '0-2' } });
    const response = await env.registry.fetch(location, { method: 'PATCH', body: 'def', headers: { 'content-range': '3-6' } });
    expect(response.status).toBe(416);
    expect((await errorsOf(response))[0]!.code).toBe('RANGE_INVALID');
    expect((await env.registry.fetch(location)).headers.get('range')).toBe('0-2');
  });

  it.each([
    ['longer', 'defg'],
    ['megabytes longer', `def${'x'.repeat(2 * 1024 * 1024)}`],
    ['shorter', 'de'],
  ])('refuses a chunked PATCH %s than its Content-Range with 416 and the upload continues as before', async (_case, chunk) => {
    const location = await startSession();
    await env.registry.fetch(location, { method: 'PATCH', body: 'abc', headers: { 'content-range': '0-2' } });
    const refused = await sendChunked(`${env.emulator.endpoint}${location}`, { method: 'PATCH', headers: { authorization: env.authorization, 'content-range': '3-5' } }, Buffer.from(chunk));
    expect(refused.status).toBe(416);
    expect((JSON.parse(refused.body) as { errors: { code: string }[] }).errors[0]!.code).toBe('RANGE_INVALID');
    expect((await env.registry.fetch(location)).headers.get('range')).toBe('0-2');
    expect((await env.registry.fetch(location, { method: 'PATCH', body: 'def', headers: { 'content-range': '3-5' } })).status).toBe(202);
    const digest = sha256('abcdef');
    expect((await env.registry.fetch(`${location}?digest=${digest}`, { method: 'PUT' })).status).toBe(201);
    expect(await (await env.registry.fetch(`/v2/app/blobs/${digest}`)).text()).toBe('abcdef');
  });

  it('accepts a chunked PATCH that matches its Content-Range', async () => {
    const location = await startSession();
    const answer = await sendChunked(`${env.emulator.endpoint}${location}`, { method: 'PATCH', headers: { authorization: env.authorization, 'content-range': '0-5' } }, Buffer.from('abcdef'));
    expect([answer.status, answer.headers.range]).toEqual([202, '0-5']);
  });

  it('rejects a PUT whose digest does not match with DIGEST_INVALID and ends the session', async () => {
    const location = await startSession();
    await env.registry.fetch(location, { method: 'PATCH', body: 'content' });
    const response = await env.registry.fetch(`${location}?digest=${sha256('other')}`, { method: 'PUT' });
    expect(response.status).toBe(400);
    expect((await errorsOf(response))[0]!.code).toBe('DIGEST_INVALID');
    expect((await env.registry.fetch(`/v2/app/blobs/${sha256('content')}`, { method: 'HEAD' })).status).toBe(404);
    expect((await env.registry.fetch(location)).status).toBe(404);
  });

  it('rejects a PUT without ?digest= with DIGEST_INVALID', async () => {
    const location = await startSession();
    const response = await env.registry.fetch(location, { method: 'PUT' });
    expect(response.status).toBe(400);
    expect((await errorsOf(response))[0]!.code).toBe('DIGEST_INVALID');
  });

  it('cancels a session with DELETE 204; it is then BLOB_UPLOAD_UNKNOWN', async () => {
    const location = await startSession();
    expect((await env.registry.fetch(location, { method: 'DELETE' })).status).toBe(204);
    const response = await env.registry.fetch(location);
    expect(response.status).toBe(404);
    expect((await errorsOf(response))[0]!.code).toBe('BLOB_UPLOAD_UNKNOWN');
  });

  it('does not let another repository use a session', async () => {
    const location = await startSession('app');
    const response = await env.registry.fetch(location.replace('/v2/app/', '/v2/other/'), { method: 'PATCH', body: 'x' });
    expect(response.status).toBe(404);
    expect((await errorsOf(response))[0]!.code).toBe('BLOB_UPLOAD_UNKNOWN');
  });

  it('answers NAME_UNKNOWN when starting an upload in a missing repository', async () => {
    const response = await env.registry.fetch('/v2/missing/blobs/uploads/', { method: 'POST' });
    expect(response.status).toBe(404);
    expect((await errorsOf(response))[0]!.code).toBe('NAME_UNKNOWN');
  });

  it('streams a multi-megabyte chunk through intact', async () => {
    const bytes = Buffer.alloc(8 * 1024 * 1024 + 13, 7);
    const location = await startSession();
    await env.registry.fetch(location, { method: 'PATCH', body: bytes });
    const digest = sha256(bytes);
    expect((await env.registry.fetch(`${location}?digest=${digest}`, { method: 'PUT' })).status).toBe(201);
    const pulled = Buffer.from(await (await env.registry.fetch(`/v2/app/blobs/${digest}`)).arrayBuffer());
    expect(pulled.equals(bytes)).toBe(true);
  });
});

describe('blob reads', () => {
  it('answers HEAD with length and digest and no body', async () => {
    const digest = await env.registry.pushBlob('app', 'twelve bytes');
    const response = await env.registry.fetch(`/v2/app/blobs/${digest}`, { method: 'HEAD' });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-length')).toBe('12');
    expect(response.headers.get('docker-content-digest')).toBe(digest);
    expect(await response.text()).toBe('');
  });

  it('answers BLOB_UNKNOWN with 404 for a blob not linked into the repository', async () => {
    const digest = await env.registry.pushBlob('other', 'elsewhere');
    const response = await env.registry.fetch(`/v2/app/blobs/${digest}`);
    expect(response.status).toBe(404);
    expect((await errorsOf(response))[0]!.code).toBe('BLOB_UNKNOWN');
  });

  it('answers a HEAD error with its status and no body', async () => {
    const response = await env.registry.fetch(`/v2/app/blobs/${sha256('absent')}`, { method: 'HEAD' });
    expect(response.status).toBe(404);
    expect(await response.text()).toBe('');
  });

  it.each([
    ['bytes=2-5', 206, '2345', 'bytes 2-5/10'],
    ['bytes=7-', 206, '789', 'bytes 7-9/10'],
    ['bytes=-3', 206, '789', 'bytes 7-9/10'],
    ['bytes=8-100', 206, '89', 'bytes 8-9/10'],
  ])('answers Range %s with 206 and the slice', async (range, status, body, contentRange) => {
    const digest = await env.registry.pushBlob('app', '0123456789');
    const response = await env.registry.fetch(`/v2/app/blobs/${digest}`, { headers: { range } });
    expect(response.status).toBe(status);
    expect(response.headers.get('content-range')).toBe(contentRange);
    expect(await response.text()).toBe(body);
  });

  it.each(['bytes=10-', 'bytes=5-2'])('answers an unsatisfiable Range %s with 416', async (range) => {
    const digest = await env.registry.pushBlob('app', '0123456789');
    const response = await env.registry.fetch(`/v2/app/blobs/${digest}`, { headers: { range } });
    expect(response.status).toBe(416);
    expect(response.headers.get('content-range')).toBe('bytes */10');
  });

  it.each(['items=0-5', 'pages=1-2'])('ignores a Range in another unit (%s) and answers 200 with the whole blob', async (range) => {
    const digest = await env.registry.pushBlob('app', '0123456789');
    const response = await env.registry.fetch(`/v2/app/blobs/${digest}`, { headers: { range } });
    expect(response.status).toBe(200);
    expect(response.headers.get('content-range')).toBeNull();
    expect(await response.text()).toBe('0123456789');
  });

  it('unlinks a blob from one repository with DELETE 202; others keep it', async () => {
    const digest = await env.registry.pushBlob('app', 'shared');
    await env.registry.pushBlob('other', 'shared');
    expect((await env.registry.fetch(`/v2/app/blobs/${digest}`, { method: 'DELETE' })).status).toBe(202);
    expect((await env.registry.fetch(`/v2/app/blobs/${digest}`, { method: 'HEAD' })).status).toBe(404);
    expect((await env.registry.fetch(`/v2/other/blobs/${digest}`, { method: 'HEAD' })).status).toBe(200);
  });
});

describe('cross-repository mount (BLOB_MOUNTING enabled; registry-fidelity.test.ts covers the default)', () => {
  beforeEach(async () => {
    await env.ecr.send(new PutAccountSettingCommand({ name: 'BLOB_MOUNTING', value: 'ENABLED' }));
  });

  it('links a blob of another repository with 201 and no bytes', async () => {
    const digest = await env.registry.pushBlob('other', 'mounted');
    const response = await env.registry.fetch(`/v2/app/blobs/uploads/?mount=${digest}&from=other`, { method: 'POST' });
    expect(response.status).toBe(201);
    expect(response.headers.get('location')).toBe(`/v2/app/blobs/${digest}`);
    expect(await (await env.registry.fetch(`/v2/app/blobs/${digest}`)).text()).toBe('mounted');
  });

  it.each([
    ['the source lacks the blob', 'other'],
    ['the source repository does not exist', 'nowhere'],
  ])('falls back to a 202 upload session when %s', async (_case, from) => {
    const response = await env.registry.fetch(`/v2/app/blobs/uploads/?mount=${sha256('absent')}&from=${from}`, { method: 'POST' });
    expect(response.status).toBe(202);
    expect(response.headers.get('docker-upload-uuid')).toBeTruthy();
  });
});

describe('concurrency and storage', () => {
  it('stores one copy when eight clients push the same blob at once', async () => {
    const bytes = Buffer.alloc(512 * 1024, 3);
    const digest = sha256(bytes);
    const pushes = Array.from({ length: 8 }, async () => {
      const location = await startSession();
      await env.registry.fetch(location, { method: 'PATCH', body: bytes });
      return (await env.registry.fetch(`${location}?digest=${digest}`, { method: 'PUT' })).status;
    });
    expect(await Promise.all(pushes)).toEqual(Array(8).fill(201));
    const layout = dataDirLayout(dataDir);
    const hex = digest.slice(7);
    expect(readdirSync(join(layout.blobsRoot, hex.slice(0, 2)))).toEqual([hex]);
    expect(readdirSync(layout.uploadsRoot)).toEqual([]);
  });

  it('empties blobs and uploads on reset', async () => {
    const digest = await env.registry.pushBlob('app', 'before reset');
    await startSession();
    await env.emulator.reset();
    const layout = dataDirLayout(dataDir);
    expect(readdirSync(layout.blobsRoot)).toEqual([]);
    expect(readdirSync(layout.uploadsRoot)).toEqual([]);
    await env.ecr.send(new CreateRepositoryCommand({ repositoryName: 'app' }));
    expect((await env.registry.fetch(`/v2/app/blobs/${digest}`, { method: 'HEAD' })).status).toBe(404);
  });
});

describe('abandoned upload sessions while running', () => {
  // Only the sweep's interval is faked; sockets, the SDK and the store keep real time.
  const REAL_TIMERS = ['Date', 'hrtime', 'nextTick', 'performance', 'queueMicrotask', 'setImmediate', 'clearImmediate', 'setTimeout', 'clearTimeout'] as const;
  let now: Date;
  let swept: Promise<void>;
  let running: TestEmulator;

  beforeEach(async () => {
    jest.useFakeTimers({ doNotFake: [...REAL_TIMERS] });
    now = new Date('2026-06-01T00:00:00Z');
    let onSwept: () => void = () => undefined;
    swept = new Promise((resolve) => (onSwept = resolve));
    running = await startTestEmulator({
      clock: { now: () => now },
      logLevel: 'info',
      logWriter: (line) => {
        if (line.includes('upload sessions swept') && !line.includes('at start')) onSwept();
      },
    });
    await running.ecrClient().send(new CreateRepositoryCommand({ repositoryName: 'app' }));
  });
  afterEach(async () => {
    await running.emulator.stop();
    jest.useRealTimers();
  });

  it('sweeps, every hour, the sessions that have not grown for an hour; a session that grew stays', async () => {
    const registry = registryClient(running.emulator.endpoint, await basicAuthorization(running.ecrClient()));
    const [abandoned, resumed] = await Promise.all([1, 2].map(async () => (await registry.fetch('/v2/app/blobs/uploads/', { method: 'POST' })).headers.get('location')!));
    now = new Date(now.getTime() + ABANDONED_UPLOAD_AGE_MS + 1);
    expect((await registry.fetch(resumed!, { method: 'PATCH', body: 'still here' })).status).toBe(202);
    jest.advanceTimersByTime(UPLOAD_SWEEP_INTERVAL_MS);
    await swept;
    const gone = await registry.fetch(abandoned!);
    expect(gone.status).toBe(404);
    expect((await errorsOf(gone))[0]!.code).toBe('BLOB_UPLOAD_UNKNOWN');
    expect((await registry.fetch(resumed!)).headers.get('range')).toBe('0-9');
  });

  it('clears its sweep timer on stop', async () => {
    expect(jest.getTimerCount()).toBeGreaterThan(0);
    await running.emulator.stop();
    expect(jest.getTimerCount()).toBe(0);
  });
});
