// The upload service over memory storage with a clock the test moves: chunks counted against their declared
// range, and the sweep of idle sessions, which never takes a session a request is working on.
import { createHash } from 'node:crypto';
import { PassThrough, Readable } from 'node:stream';
import { DomainError } from '../../../src/images/domain-error';
import { createKeyedLock } from '../../../src/kernel/keyed-lock';
import { createRepositoryService } from '../../../src/images/repository-service';
import { createUploadService, type UploadService } from '../../../src/images/upload-service';
import { openStorage, type Storage } from '../../../src/server/storage';
import type { BlobStore } from '../../../src/store/blob-store';

const SCOPE = { accountId: '000000000000', region: 'us-east-1' };
const MINUTE_MS = 60 * 1000;
let storage: Storage;
let now: Date;
let ids: number;

beforeEach(() => {
  storage = openStorage(undefined);
  now = new Date('2026-06-01T00:00:00Z');
  ids = 0;
  storage.repositories.create(SCOPE, {
    name: 'app',
    createdAt: now,
    imageTagMutability: 'MUTABLE',
    imageScanningConfiguration: { scanOnPush: false },
    encryptionConfiguration: { encryptionType: 'AES256' },
    tags: [],
  });
});
afterEach(() => storage.close());

function service(blobs: BlobStore = storage.blobs): UploadService {
  const { uploads, links } = storage;
  return createUploadService({ repositories: createRepositoryService(storage.repositories), uploads, links, blobs, locks: createKeyedLock(), clock: { now: () => now }, newId: () => `upload-${(ids += 1)}` });
}

function advance(ms: number): void {
  now = new Date(now.getTime() + ms);
}

function sha256(text: string): string {
  return `sha256:${createHash('sha256').update(text).digest('hex')}`;
}

async function kindOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
    return 'resolved';
  } catch (error) {
    return error instanceof DomainError ? error.kind : String(error);
  }
}

const NOTHING_SWEPT = { abandonedSessions: 0, sessionsWithoutBytes: 0, bytesWithoutSession: 0 };

describe('append with a declared length', () => {
  it.each([
    ['longer', 'defg'],
    ['shorter', 'de'],
  ])('refuses a chunk %s than its range with RangeInvalid and keeps the session as it was', async (_case, chunk) => {
    const uploads = service();
    const { id } = await uploads.start(SCOPE, 'app');
    await uploads.append(SCOPE, 'app', id, Readable.from([Buffer.from('abc')]), { startOffset: 0, sizeInBytes: 3 });
    expect(await kindOf(uploads.append(SCOPE, 'app', id, Readable.from([Buffer.from(chunk)]), { startOffset: 3, sizeInBytes: 3 }))).toBe('RangeInvalid');
    expect(uploads.status(SCOPE, 'app', id).sizeInBytes).toBe(3);
    await uploads.append(SCOPE, 'app', id, Readable.from([Buffer.from('def')]), { startOffset: 3, sizeInBytes: 3 });
    expect(await uploads.complete(SCOPE, 'app', id, sha256('abcdef'))).toEqual({ digest: sha256('abcdef'), sizeInBytes: 6 });
  });

  it('reads a chunk longer than its range to the end rather than cutting the request off', async () => {
    const uploads = service();
    const { id } = await uploads.start(SCOPE, 'app');
    const source = Readable.from([Buffer.from('abc'), Buffer.from('def'), Buffer.from('ghi')]);
    expect(await kindOf(uploads.append(SCOPE, 'app', id, source, { startOffset: 0, sizeInBytes: 3 }))).toBe('RangeInvalid');
    expect([source.readableEnded, source.errored]).toEqual([true, null]);
  });
});

describe('sweep', () => {
  it('removes a session that has not grown for an hour, with its bytes', async () => {
    const uploads = service();
    const { id } = await uploads.start(SCOPE, 'app');
    await uploads.append(SCOPE, 'app', id, Readable.from([Buffer.from('abandoned')]));
    advance(60 * MINUTE_MS + 1);
    expect(await uploads.sweep()).toEqual({ ...NOTHING_SWEPT, abandonedSessions: 1 });
    expect(await kindOf(Promise.resolve().then(() => uploads.status(SCOPE, 'app', id)))).toBe('UploadNotFound');
    expect(await storage.blobs.listUploads()).toEqual([]);
  });

  it('keeps a session that grew within the hour, and it still completes', async () => {
    const uploads = service();
    const { id } = await uploads.start(SCOPE, 'app');
    advance(50 * MINUTE_MS);
    await uploads.append(SCOPE, 'app', id, Readable.from([Buffer.from('resumable')]));
    advance(50 * MINUTE_MS);
    expect(await uploads.sweep()).toEqual(NOTHING_SWEPT);
    expect((await uploads.complete(SCOPE, 'app', id, sha256('resumable'))).sizeInBytes).toBe(9);
  });

  it('does not remove a session an append is streaming into, however long since it last grew', async () => {
    const uploads = service();
    const { id } = await uploads.start(SCOPE, 'app');
    advance(3 * 60 * MINUTE_MS);
    const body = new PassThrough();
    const appending = uploads.append(SCOPE, 'app', id, body);
    body.write('slow ');
    expect(await uploads.sweep()).toEqual(NOTHING_SWEPT);
    body.end('client');
    expect((await appending).sizeInBytes).toBe(11);
    expect((await uploads.complete(SCOPE, 'app', id, sha256('slow client'))).sizeInBytes).toBe(11);
  });

  it('does not take the bytes of a session being started for a crash leftover', async () => {
    let release: () => void = () => undefined;
    const created = new Promise<void>((resolve) => (release = resolve));
    // The bytes exist, the session row not yet: the moment a crash would leave behind.
    const blobs: BlobStore = { ...storage.blobs, createUpload: async (uploadId) => (await storage.blobs.createUpload(uploadId), created) };
    const uploads = service(blobs);
    const starting = uploads.start(SCOPE, 'app');
    await new Promise(setImmediate);
    expect(await storage.blobs.listUploads()).toEqual(['upload-1']);
    expect(await uploads.sweep()).toEqual(NOTHING_SWEPT);
    release();
    const { id } = await starting;
    await uploads.append(SCOPE, 'app', id, Readable.from([Buffer.from('kept')]));
    expect((await uploads.complete(SCOPE, 'app', id, sha256('kept'))).sizeInBytes).toBe(4);
  });

  it('makes an append that arrives while the sweep removes the session wait, then answer UploadNotFound', async () => {
    let late: Promise<unknown> | undefined;
    // The append arrives just as the sweep, holding the session, looks at it again.
    const blobs: BlobStore = {
      ...storage.blobs,
      hasUpload: (uploadId) => {
        late ??= uploads.append(SCOPE, 'app', uploadId, Readable.from([Buffer.from('too late')]));
        return storage.blobs.hasUpload(uploadId);
      },
    };
    const uploads = service(blobs);
    await uploads.start(SCOPE, 'app');
    advance(60 * MINUTE_MS + 1);
    expect(await uploads.sweep()).toEqual({ ...NOTHING_SWEPT, abandonedSessions: 1 });
    expect(await kindOf(late!)).toBe('UploadNotFound');
  });
});
