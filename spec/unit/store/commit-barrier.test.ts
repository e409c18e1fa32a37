// The commit barrier: group commit for the metadata database. A request that wrote nothing waits for nothing; a
// flush covers every commit made before it began; whoever commits during a flush waits for the next one, shared.
import { mkdtempSync, readlinkSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCommitBarrier, walFileFlush, type CommitBarrier } from '../../../src/store/sqlite/commit-barrier';
import { openDatabase, type Database } from '../../../src/store/sqlite/database';

/** A flush the test completes by hand: each call is one flush, in the order they began. */
function heldFlushes(): { flush: () => Promise<void>; begun: { finish(): void; fail(error: Error): void }[] } {
  const begun: { finish(): void; fail(error: Error): void }[] = [];
  const flush = (): Promise<void> =>
    new Promise((resolve, reject) => {
      begun.push({ finish: resolve, fail: reject });
    });
  return { flush, begun };
}

/** Settles what is pending on the microtask queue. */
const settled = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

describe('createCommitBarrier', () => {
  let db: Database;
  let insert: () => void;
  beforeEach(() => {
    db = openDatabase(':memory:');
    const statement = db.prepare("INSERT INTO uploads (id, account, region, repository, created_at, updated_at) VALUES (?, 'a', 'r', 'app', 0, 0)");
    let next = 0;
    insert = () => void statement.run(`u${(next += 1)}`);
  });
  afterEach(() => db.close());

  it('asks nothing of the disk when nothing was written', () => {
    const { flush, begun } = heldFlushes();
    const barrier = createCommitBarrier(db, flush);
    db.prepare('SELECT count(*) FROM uploads').get();
    expect(barrier.durable()).toBeUndefined();
    expect(begun).toHaveLength(0);
  });

  it('settles a write once its flush completes, and not before', async () => {
    const { flush, begun } = heldFlushes();
    const barrier = createCommitBarrier(db, flush);
    insert();
    let isDurable = false;
    void barrier.durable()!.then(() => (isDurable = true));
    // The flush begins at the end of this turn of the event loop, not at once.
    expect(begun).toHaveLength(0);
    await settled();
    expect(begun).toHaveLength(1);
    expect(isDurable).toBe(false);
    begun[0]!.finish();
    await settled();
    expect(isDurable).toBe(true);
    expect(barrier.durable()).toBeUndefined();
  });

  it('gives the writers of one turn of the event loop one flush between them', async () => {
    const { flush, begun } = heldFlushes();
    const barrier = createCommitBarrier(db, flush);
    insert();
    const first = barrier.durable()!;
    insert();
    const second = barrier.durable()!;
    await settled();
    expect(begun).toHaveLength(1);
    begun[0]!.finish();
    await expect(Promise.all([first, second])).resolves.toEqual([undefined, undefined]);
    expect(begun).toHaveLength(1);
  });

  it('makes a write committed during a flush wait for the next one, which all such writes share', async () => {
    const { flush, begun } = heldFlushes();
    const barrier = createCommitBarrier(db, flush);
    insert();
    const early = barrier.durable()!;
    await settled();
    insert();
    const late: Promise<void>[] = [barrier.durable()!];
    insert();
    late.push(barrier.durable()!);
    let lateDone = 0;
    for (const waiting of late) void waiting.then(() => (lateDone += 1));
    expect(begun).toHaveLength(1);
    begun[0]!.finish();
    await early;
    await settled();
    await settled();
    // The first flush began before the late writes: they are not durable yet, and one flush is under way for both.
    expect(lateDone).toBe(0);
    expect(begun).toHaveLength(2);
    begun[1]!.finish();
    await Promise.all(late);
    expect(begun).toHaveLength(2);
    expect(barrier.durable()).toBeUndefined();
  });

  it('lets incidental writes through without a flush, and still waits for the writes around them', async () => {
    const { flush, begun } = heldFlushes();
    const barrier = createCommitBarrier(db, flush);
    expect(barrier.incidental(() => (insert(), 'written'))).toBe('written');
    expect(barrier.durable()).toBeUndefined();
    insert();
    barrier.incidental(insert);
    const waiting = barrier.durable()!;
    await settled();
    expect(begun).toHaveLength(1);
    begun[0]!.finish();
    await expect(waiting).resolves.toBeUndefined();
    barrier.incidental(insert);
    expect(barrier.durable()).toBeUndefined();
  });

  it('rejects the waiters of a flush the disk refused, and tries again for the next write', async () => {
    const { flush, begun } = heldFlushes();
    const barrier = createCommitBarrier(db, flush);
    insert();
    const refused = barrier.durable()!;
    await settled();
    begun[0]!.fail(Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' }));
    await expect(refused).rejects.toThrow('EIO');
    // Nothing counts as on the disk after a failed flush: the same changes ask for a new one.
    const again = barrier.durable()!;
    await settled();
    expect(begun).toHaveLength(2);
    begun[1]!.finish();
    await expect(again).resolves.toBeUndefined();
  });
});

describe('walFileFlush over a database on disk', () => {
  let directory: string;
  let db: Database;
  let barrier: CommitBarrier;
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'commit-barrier-'));
    db = openDatabase(join(directory, 'metadata.db'));
    barrier = createCommitBarrier(db, walFileFlush(join(directory, 'metadata.db')));
  });
  afterEach(() => {
    barrier.close();
    db.close();
    rmSync(directory, { recursive: true, force: true });
  });

  /** The files this process holds open under the directory. */
  const openFilesUnder = (path: string): string[] =>
    readdirSync('/proc/self/fd').flatMap((fd) => {
      try {
        const target = readlinkSync(`/proc/self/fd/${fd}`);
        return target.startsWith(path) ? [target] : [];
      } catch {
        return [];
      }
    });

  it('commits at NORMAL (no fsync on the event loop) in WAL mode', () => {
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(1);
  });

  it('flushes the WAL file through a descriptor of its own, and closes it', async () => {
    db.prepare("INSERT INTO uploads (id, account, region, repository, created_at, updated_at) VALUES ('u', 'a', 'r', 'app', 0, 0)").run();
    await barrier.durable();
    expect(openFilesUnder(directory).filter((path) => path.endsWith('metadata.db-wal'))).toHaveLength(2);
    expect(barrier.durable()).toBeUndefined();
    barrier.close();
    await settled();
    expect(openFilesUnder(directory).filter((path) => path.endsWith('metadata.db-wal'))).toHaveLength(1);
  });

  it('keeps what it flushed across a reopen', async () => {
    db.prepare("INSERT INTO uploads (id, account, region, repository, created_at, updated_at) VALUES ('u', 'a', 'r', 'app', 0, 0)").run();
    await barrier.durable();
    barrier.close();
    db.close();
    db = openDatabase(join(directory, 'metadata.db'));
    barrier = createCommitBarrier(db, walFileFlush(join(directory, 'metadata.db')));
    expect(db.prepare('SELECT id FROM uploads').pluck().all()).toEqual(['u']);
  });
});
