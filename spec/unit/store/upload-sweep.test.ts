// The sweep of upload sessions over the real SQLite upload store and the file-system blob store: what a crash or an
// abandoned client leaves behind is removed, a live session is kept and can still complete, a busy one is not touched.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import type { Sha256Digest } from '../../../src/kernel/digest';
import { createFsBlobStore } from '../../../src/store/fs/fs-blob-store';
import { dataDirLayout } from '../../../src/store/fs/layout';
import { openDatabase } from '../../../src/store/sqlite/database';
import { createSqliteUploadStore } from '../../../src/store/sqlite/sqlite-upload-store';
import { ABANDONED_UPLOAD_AGE_MS, sweepUploads } from '../../../src/store/upload-sweep';

const SCOPE = { accountId: '000000000000', region: 'us-east-1' };
const NOW = new Date('2026-06-01T00:00:00Z');
let directory: string;

beforeEach(() => {
  directory = mkdtempSync(join(tmpdir(), 'upload-sweep-'));
});
afterEach(() => {
  rmSync(directory, { recursive: true, force: true });
});

function stores() {
  const layout = dataDirLayout(directory);
  const db = openDatabase(join(directory, 'metadata.sqlite'));
  return { layout, db, uploads: createSqliteUploadStore(db), blobs: createFsBlobStore(layout) };
}

async function openSession(store: ReturnType<typeof stores>, id: string, updatedAt: Date, bytes: string): Promise<void> {
  await store.blobs.createUpload(id);
  await store.blobs.append(id, 0, Readable.from([Buffer.from(bytes)]));
  store.uploads.create(SCOPE, { id, repository: 'app', sizeInBytes: bytes.length, createdAt: updatedAt, updatedAt });
}

it('removes abandoned sessions, bytes without a session and sessions without bytes, and keeps live ones', async () => {
  const store = stores();
  await openSession(store, 'live', new Date(NOW.getTime() - 60_000), 'live bytes');
  await openSession(store, 'abandoned', new Date(NOW.getTime() - ABANDONED_UPLOAD_AGE_MS - 1), 'old bytes');
  store.uploads.create(SCOPE, { id: 'no-bytes', repository: 'app', sizeInBytes: 3, createdAt: NOW, updatedAt: NOW });
  writeFileSync(store.layout.uploadPath('no-session'), 'crash leftovers');

  const sweep = await sweepUploads(store.uploads, store.blobs, { now: NOW });

  expect(sweep).toEqual({ abandonedSessions: 1, sessionsWithoutBytes: 1, bytesWithoutSession: 1 });
  expect(store.uploads.list().map((session) => session.id)).toEqual(['live']);
  expect((await store.blobs.listUploads()).sort()).toEqual(['live']);
  expect(existsSync(store.layout.uploadPath('abandoned'))).toBe(false);
  // The live session still completes into a blob.
  const digest = `sha256:${createHash('sha256').update('live bytes').digest('hex')}` as Sha256Digest;
  await store.blobs.commit('live', 'live bytes'.length, digest);
  expect(await store.blobs.stat(digest)).toEqual({ sizeInBytes: 10 });
  store.db.close();
});

it('changes nothing when every session has its bytes and is recent', async () => {
  const store = stores();
  await openSession(store, 'a', NOW, 'a');
  await openSession(store, 'b', NOW, 'b');
  expect(await sweepUploads(store.uploads, store.blobs, { now: NOW })).toEqual({ abandonedSessions: 0, sessionsWithoutBytes: 0, bytesWithoutSession: 0 });
  expect(store.uploads.list()).toHaveLength(2);
  store.db.close();
});

it('treats a session as abandoned once it has not grown for an hour', async () => {
  const store = stores();
  await openSession(store, 'within-the-hour', new Date(NOW.getTime() - ABANDONED_UPLOAD_AGE_MS), 'a');
  await openSession(store, 'past-the-hour', new Date(NOW.getTime() - ABANDONED_UPLOAD_AGE_MS - 1), 'b');
  expect(ABANDONED_UPLOAD_AGE_MS).toBe(60 * 60 * 1000);
  expect(await sweepUploads(store.uploads, store.blobs, { now: NOW })).toEqual({ abandonedSessions: 1, sessionsWithoutBytes: 0, bytesWithoutSession: 0 });
  expect(store.uploads.list().map((session) => session.id)).toEqual(['within-the-hour']);
  store.db.close();
});

it('leaves alone every upload unlessBusy reports busy, and asks only about candidates', async () => {
  const store = stores();
  await openSession(store, 'abandoned', new Date(NOW.getTime() - ABANDONED_UPLOAD_AGE_MS - 1), 'old bytes');
  await openSession(store, 'live', NOW, 'new bytes');
  writeFileSync(store.layout.uploadPath('no-session'), 'crash leftovers');
  const asked: string[] = [];
  const sweep = await sweepUploads(store.uploads, store.blobs, {
    now: NOW,
    unlessBusy: async (uploadId) => {
      asked.push(uploadId);
    },
  });
  expect(sweep).toEqual({ abandonedSessions: 0, sessionsWithoutBytes: 0, bytesWithoutSession: 0 });
  expect(asked.sort()).toEqual(['abandoned', 'no-session']);
  expect((await store.blobs.listUploads()).sort()).toEqual(['abandoned', 'live', 'no-session']);
  store.db.close();
});

it('looks at a candidate again when it is its turn: a session that grew since the survey stays', async () => {
  const store = stores();
  await openSession(store, 'resumed', new Date(NOW.getTime() - ABANDONED_UPLOAD_AGE_MS - 1), 'old bytes');
  const sweep = await sweepUploads(store.uploads, store.blobs, {
    now: NOW,
    // A PATCH that finished between the survey and the sweep's turn on the session.
    unlessBusy: async (_uploadId, work) => {
      store.uploads.setSize('resumed', 12, NOW);
      await work();
    },
  });
  expect(sweep).toEqual({ abandonedSessions: 0, sessionsWithoutBytes: 0, bytesWithoutSession: 0 });
  expect(store.uploads.list().map((session) => session.id)).toEqual(['resumed']);
  store.db.close();
});
