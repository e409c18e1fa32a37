// Online garbage collection over real storage, in memory and on disk, with the real upload service: a blob whose
// last link went is deleted and one still linked is kept; a record a crash left is finished by the next pass; an
// upload of the same content during a reclaim never ends with a link to a missing blob; the straggler pass removes
// old unlinked blobs only.
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { createRepositoryService } from '../../../src/images/repository-service';
import { createUploadService, type UploadService } from '../../../src/images/upload-service';
import type { Sha256Digest } from '../../../src/kernel/digest';
import { blobLockKey, createKeyedLock, repositoryLockKey, type KeyedLock } from '../../../src/kernel/keyed-lock';
import { openStorage, type Storage } from '../../../src/server/storage';
import { createBlobReclaimer, type BlobReclaimer } from '../../../src/store/blob-reclaimer';
import type { BlobStore } from '../../../src/store/blob-store';

const SCOPE = { accountId: '000000000000', region: 'us-east-1' };
const NOW = new Date('2026-06-01T00:00:00Z');
const HOUR_MS = 60 * 60 * 1000;

const directories: string[] = [];
afterAll(() => {
  for (const directory of directories) rmSync(directory, { recursive: true, force: true });
});

function sha256(text: string): Sha256Digest {
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}

interface Fixture {
  storage: Storage;
  locks: KeyedLock;
  uploads: UploadService;
  reclaimer: BlobReclaimer;
  errors: unknown[];
}

const stores: [string, () => string | undefined][] = [
  ['memory', () => undefined],
  [
    'disk',
    () => {
      const directory = mkdtempSync(join(tmpdir(), 'blob-reclaimer-'));
      directories.push(directory);
      return directory;
    },
  ],
];

function fixture(storage: Storage, blobs: BlobStore = storage.blobs, locks: KeyedLock = createKeyedLock()): Fixture {
  const errors: unknown[] = [];
  const repositories = createRepositoryService(storage.repositories);
  for (const name of ['app', 'other']) {
    storage.repositories.create(SCOPE, { name, createdAt: NOW, imageTagMutability: 'MUTABLE', imageScanningConfiguration: { scanOnPush: false }, encryptionConfiguration: { encryptionType: 'AES256' }, tags: [] });
  }
  let ids = 0;
  const uploads = createUploadService({ repositories, uploads: storage.uploads, links: storage.links, blobs, locks, clock: { now: () => NOW }, newId: () => `upload-${(ids += 1)}` });
  const reclaimer = createBlobReclaimer({ links: storage.links, blobs, locks, onError: (error) => errors.push(error) });
  return { storage, locks, uploads, reclaimer, errors };
}

async function push(uploads: UploadService, repository: string, text: string): Promise<Sha256Digest> {
  await uploads.push(SCOPE, repository, sha256(text), Readable.from([Buffer.from(text)]));
  return sha256(text);
}

async function readAll(stream: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString();
}

describe.each(stores)('BlobReclaimer (%s)', (_name, newDataDir) => {
  let dataDir: string | undefined;
  let opened: Storage[];
  const open = (): Storage => {
    const storage = openStorage(dataDir);
    opened.push(storage);
    return storage;
  };
  beforeEach(() => {
    dataDir = newDataDir();
    opened = [];
  });
  afterEach(() => {
    for (const storage of opened) storage.close();
  });

  test('deletes the blob whose last link went and forgets its record', async () => {
    const { storage, uploads, reclaimer, errors } = fixture(open());
    const digest = await push(uploads, 'app', 'only in app');
    storage.links.unlink(SCOPE, 'app', digest);
    expect(await reclaimer.reclaim()).toBe(1);
    expect(await storage.blobs.stat(digest)).toBeUndefined();
    expect(storage.links.pendingReclaims('', 10)).toEqual([]);
    expect(errors).toEqual([]);
  });

  test('keeps a blob another repository still links, and forgets its record', async () => {
    const { storage, uploads, reclaimer } = fixture(open());
    const digest = await push(uploads, 'app', 'shared');
    await push(uploads, 'other', 'shared');
    storage.links.unlink(SCOPE, 'app', digest);
    expect(await reclaimer.reclaim()).toBe(0);
    expect(await readAll(storage.blobs.read(digest))).toBe('shared');
    expect(storage.links.pendingReclaims('', 10)).toEqual([]);
  });

  test("reclaims every blob of a force-deleted repository that no other repository links", async () => {
    const { storage, uploads, reclaimer } = fixture(open());
    const [shared, own] = [await push(uploads, 'app', 'shared'), await push(uploads, 'app', 'own')];
    await push(uploads, 'other', 'shared');
    storage.repositories.delete(SCOPE, 'app', { force: true });
    expect(await reclaimer.reclaim()).toBe(1);
    expect(await storage.blobs.stat(own)).toBeUndefined();
    expect(await storage.blobs.stat(shared)).toBeDefined();
  });

  test('finishes in its next pass a reclaim a crash cut between the link removal and the delete', async () => {
    const first = fixture(open());
    const digest = await push(first.uploads, 'app', 'left by a crash');
    // The link goes and its record is committed; the process dies before any reclaim pass runs.
    first.storage.links.unlink(SCOPE, 'app', digest);
    // A crash lets go of the database: the next process opens it (one process owns a data dir at a time).
    if (dataDir !== undefined) {
      first.storage.close();
      opened.splice(opened.indexOf(first.storage), 1);
    }
    const next = dataDir === undefined ? first : fixture(open());
    expect(await next.storage.blobs.stat(digest)).toBeDefined();
    expect(await next.reclaimer.reclaim()).toBe(1);
    expect(await next.storage.blobs.stat(digest)).toBeUndefined();
    expect(next.storage.links.pendingReclaims('', 10)).toEqual([]);
  });

  test('finishes a record whose blob is already gone (a crash after the delete, before the record went)', async () => {
    const { storage, uploads, reclaimer, errors } = fixture(open());
    const digest = await push(uploads, 'app', 'deleted, record kept');
    storage.links.unlink(SCOPE, 'app', digest);
    await storage.blobs.deleteBlob(digest);
    expect(await reclaimer.reclaim()).toBe(1);
    expect(storage.links.pendingReclaims('', 10)).toEqual([]);
    expect(errors).toEqual([]);
  });

  test('keeps the record of a blob whose delete failed, reports it and goes on with the others', async () => {
    const storage = open();
    const failing: BlobStore = {
      ...storage.blobs,
      async deleteBlob(digest) {
        if (digest === sha256('refused')) throw new Error('EACCES');
        await storage.blobs.deleteBlob(digest);
      },
    };
    const { uploads, reclaimer, errors } = fixture(storage, failing);
    for (const text of ['refused', 'accepted']) storage.links.unlink(SCOPE, 'app', await push(uploads, 'app', text));
    expect(await reclaimer.reclaim()).toBe(1);
    expect(storage.links.pendingReclaims('', 10)).toEqual([sha256('refused')]);
    expect(await storage.blobs.stat(sha256('accepted'))).toBeUndefined();
    expect(errors.map(String)).toEqual(['Error: EACCES']);
  });

  test('never leaves a link to a missing blob when the same content is uploaded during the reclaim', async () => {
    const storage = open();
    const locks = createKeyedLock();
    const digest = sha256('pushed again');
    // The reclaim stops at its delete, after its link check; the second push runs until it has linked the blob or
    // waits for the blob's lock, and only then does the delete go on.
    let reachDelete!: () => void;
    const deleteReached = new Promise<void>((resolve) => (reachDelete = resolve));
    let releaseDelete!: () => void;
    const deleteReleased = new Promise<void>((resolve) => (releaseDelete = resolve));
    const gated: BlobStore = {
      ...storage.blobs,
      async deleteBlob(target) {
        reachDelete();
        await deleteReleased;
        await storage.blobs.deleteBlob(target);
      },
    };
    let signalWaiting!: () => void;
    const pushWaitsForLock = new Promise<void>((resolve) => (signalWaiting = resolve));
    let isReclaimHolding = false;
    const watched: KeyedLock = {
      isHeld: (key) => locks.isHeld(key),
      run(key, work) {
        if (key === blobLockKey(digest) && isReclaimHolding) signalWaiting();
        return locks.run(key, work);
      },
    };
    const { uploads, reclaimer } = fixture(storage, gated, watched);
    await push(uploads, 'app', 'pushed again');
    storage.links.unlink(SCOPE, 'app', digest);

    const reclaimed = reclaimer.reclaim();
    await deleteReached;
    isReclaimHolding = true;
    const pushed = push(uploads, 'other', 'pushed again');
    await Promise.race([pushed, pushWaitsForLock]);
    releaseDelete();
    await Promise.all([reclaimed, pushed]);

    expect(storage.links.find(SCOPE, 'other', digest)).toBeDefined();
    expect(await readAll(storage.blobs.read(digest))).toBe('pushed again');
  });

  test('never links by mount a blob whose source link went and which was reclaimed while the mount waited', async () => {
    const storage = open();
    const locks = createKeyedLock();
    // The mount has found the source's link and the bytes, and waits for the target repository's lock (a push
    // holds it); meanwhile the source link goes and the reclaim deletes the blob.
    let signalWaiting!: () => void;
    const mountWaits = new Promise<void>((resolve) => (signalWaiting = resolve));
    const watched: KeyedLock = {
      isHeld: (key) => locks.isHeld(key),
      run(key, work) {
        if (key === repositoryLockKey(SCOPE, 'other') && locks.isHeld(key)) signalWaiting();
        return locks.run(key, work);
      },
    };
    const { uploads, reclaimer } = fixture(storage, storage.blobs, watched);
    const digest = await push(uploads, 'app', 'mounted');
    let releaseTarget!: () => void;
    const held = locks.run(repositoryLockKey(SCOPE, 'other'), () => new Promise<void>((resolve) => (releaseTarget = resolve)));
    const mounted = uploads.mount(SCOPE, 'other', digest, 'app');
    await mountWaits;
    storage.links.unlink(SCOPE, 'app', digest);
    expect(await reclaimer.reclaim()).toBe(1);
    releaseTarget();
    await held;
    expect(await mounted).toBeUndefined();
    expect(storage.links.isLinked(digest)).toBe(false);
  });

  test('sweeps unlinked blobs written before the time given and keeps linked ones', async () => {
    const { storage, uploads, reclaimer } = fixture(open());
    const linked = await push(uploads, 'app', 'linked');
    const unlinked = await push(uploads, 'app', 'committed, never linked');
    // As a crash between commit and link leaves it: no link and no record.
    storage.links.unlink(SCOPE, 'app', unlinked);
    storage.links.forgetReclaim(unlinked);
    expect(await reclaimer.sweepUnlinked(new Date(Date.now() + HOUR_MS))).toBe(1);
    expect(await storage.blobs.stat(unlinked)).toBeUndefined();
    expect(await storage.blobs.stat(linked)).toBeDefined();
  });

  test('keeps an unlinked blob written after the time given: an upload of this process may be about to link it', async () => {
    const { storage, uploads, reclaimer } = fixture(open());
    const fresh = await push(uploads, 'app', 'fresh');
    storage.links.unlink(SCOPE, 'app', fresh);
    storage.links.forgetReclaim(fresh);
    expect(await reclaimer.sweepUnlinked(new Date(Date.now() - HOUR_MS))).toBe(0);
    expect(await storage.blobs.stat(fresh)).toBeDefined();
  });

  test('sweeps hundreds of blobs over several batches', async () => {
    const { storage, uploads, reclaimer } = fixture(open());
    const texts = Array.from({ length: 510 }, (_, index) => `straggler ${index}`);
    for (const text of texts) {
      storage.links.unlink(SCOPE, 'app', await push(uploads, 'app', text));
      storage.links.forgetReclaim(sha256(text));
    }
    expect(await reclaimer.sweepUnlinked(new Date(Date.now() + HOUR_MS))).toBe(texts.length);
    const left: Sha256Digest[] = [];
    for await (const batch of storage.blobs.listBlobs()) left.push(...batch);
    expect(left).toEqual([]);
  });
});

describe('BlobReclaimer (disk) straggler pass', () => {
  test('removes an old unlinked blob file and keeps a fresh one', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'blob-reclaimer-'));
    directories.push(dataDir);
    const storage = openStorage(dataDir);
    try {
      const { uploads, reclaimer } = fixture(storage);
      const startedAt = new Date();
      const [old, fresh] = [await push(uploads, 'app', 'old straggler'), await push(uploads, 'app', 'fresh straggler')];
      for (const digest of [old, fresh]) {
        storage.links.unlink(SCOPE, 'app', digest);
        storage.links.forgetReclaim(digest);
      }
      const pathOf = (digest: Sha256Digest): string => storage.layout!.blobPath(digest.slice('sha256:'.length));
      const hourAgo = new Date(startedAt.getTime() - HOUR_MS);
      utimesSync(pathOf(old), hourAgo, hourAgo);
      const inAnHour = new Date(startedAt.getTime() + HOUR_MS);
      utimesSync(pathOf(fresh), inAnHour, inAnHour);
      expect(await reclaimer.sweepUnlinked(startedAt)).toBe(1);
      expect(existsSync(pathOf(old))).toBe(false);
      expect(existsSync(pathOf(fresh))).toBe(true);
    } finally {
      storage.close();
    }
  });
});
