// Group commit for the metadata database. Commits run at `synchronous = NORMAL`: in WAL mode a commit is written to
// the operating system at once, so a process crash (kill -9) loses nothing, but it is not yet on the disk. Before the
// emulator tells a client that a write is stored, it waits for `durable()`: one fdatasync of the WAL file, run in
// libuv's thread pool, covers every commit made before it began. Concurrent writers share that one flush, and the
// event loop never blocks on the disk. This is what `synchronous = FULL` promises (the WAL synced after each
// commit), with one flush per group instead of one per commit and none on the event loop: a profile of the control
// plane put FULL's fsync at a third of the server's CPU per write.
import { close, closeSync, fdatasync, open } from 'node:fs';
import { dirname } from 'node:path';
import { fsyncPath } from '../../kernel/fsync-path';
import type { Database } from './database';

export interface CommitBarrier {
  /**
   * Undefined when every commit made so far is already on the disk; otherwise a promise that settles once they
   * are (rejected when the disk refused the flush: the write must not be acknowledged then).
   */
  durable(): Promise<void> | undefined;
  /**
   * Runs `write`, whose rows no answer waits for (a pull time, an upload session's progress): a power cut may lose
   * them and nothing a client was told. They reach the disk with the next flush all the same.
   */
  incidental: IncidentalWrite;
  /** Closes the WAL file descriptor the flushes use; before the database closes (which deletes the WAL). */
  close(): void;
}

/** Runs a write no answer waits for (CommitBarrier.incidental). */
export type IncidentalWrite = <T>(write: () => T) => T;

/** For a store built without a barrier (tests, tools): its incidental writes are writes like any other. */
export const LIKE_ANY_WRITE: IncidentalWrite = (write) => write();

/** Flushes what was written to the WAL file so far to the disk. */
export type WalFlush = () => Promise<void>;

/** For the memory store, where nothing reaches a disk. */
export const NOTHING_TO_FLUSH: CommitBarrier = { durable: () => undefined, incidental: LIKE_ANY_WRITE, close: () => undefined };

/**
 * fdatasync of the database's WAL file through a descriptor of our own (Linux flushes a file's dirty pages through
 * any descriptor of it). Opened on the first flush: SQLite creates the WAL with the first write, and keeps it until
 * its last connection closes. The first flush also syncs the directory, so the WAL's own entry is on the disk.
 */
export function walFileFlush(databasePath: string): WalFlush & { close(): void } {
  const walPath = `${databasePath}-wal`;
  let opened: Promise<number> | undefined;
  let openedFd: number | undefined;
  const openWal = (): Promise<number> =>
    new Promise((resolve, reject) =>
      open(walPath, 'r', (error, fd) => {
        if (error) return reject(error);
        fsyncPath(dirname(walPath)).then(
          () => resolve((openedFd = fd)),
          // The next flush opens it again: this descriptor must not stay behind.
          (syncError: unknown) => close(fd, () => reject(syncError)),
        );
      }),
    );
  const flush = async (): Promise<void> => {
    opened ??= openWal();
    const fd = await opened.catch((error: unknown) => {
      opened = undefined;
      throw error;
    });
    await new Promise<void>((resolve, reject) => fdatasync(fd, (error) => (error ? reject(error) : resolve())));
  };
  return Object.assign(flush, {
    close() {
      if (openedFd !== undefined) closeSync(openedFd);
      openedFd = undefined;
      opened = undefined;
    },
  });
}

/**
 * The barrier over `db`. It knows what was committed by SQLite's `total_changes()` (every row any statement of this
 * connection changed, 60 ns to read): a request that changed nothing is answered without waiting, and a flush
 * covers the changes counted when it began. A waiter joins the flush in flight when that flush began after its own
 * commit, and the next one otherwise; there is at most one flush in flight and one queued behind it. A flush begins
 * at the end of the event loop's turn (setImmediate), not at the first waiter: every request that committed in the
 * same turn shares it. The fdatasync is the most expensive part of a write here (about 0.2 ms of kernel CPU), so
 * the fewer the better.
 */
export function createCommitBarrier(db: Database, flushWal: WalFlush & { close?(): void }): CommitBarrier {
  const totalChanges = db.prepare('SELECT total_changes()').pluck();
  // Changes an answer waits for: every change, less those incidental() made.
  let incidentalChanges = 0;
  const changesNow = (): number => (totalChanges.get() as number) - incidentalChanges;
  let onDisk = changesNow();
  let inFlight: { covers: number; done: Promise<void> } | undefined;
  let queued: Promise<void> | undefined;
  let starting: Promise<void> | undefined;

  /** A flush that begins once this turn's callbacks have run, covering what they committed. */
  function flushAfterThisTurn(): Promise<void> {
    starting ??= new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
      starting = undefined;
      return startFlush();
    });
    return starting;
  }

  function startFlush(): Promise<void> {
    // Closed since: SQLite's close checkpointed the WAL into the database file and synced it.
    if (!db.open) return Promise.resolve();
    const covers = changesNow();
    const done = flushWal().then(() => {
      onDisk = Math.max(onDisk, covers);
    });
    const flight = { covers, done };
    inFlight = flight;
    const clear = (): void => {
      if (inFlight === flight) inFlight = undefined;
    };
    done.then(clear, clear);
    return done;
  }

  function durable(): Promise<void> | undefined {
    const changes = changesNow();
    if (changes <= onDisk) return undefined;
    if (starting !== undefined) return starting;
    if (inFlight === undefined) return flushAfterThisTurn();
    if (inFlight.covers >= changes) return inFlight.done;
    // The flush in flight began before this commit: the next one, shared by everyone who arrives meanwhile.
    queued ??= inFlight.done
      .catch(() => undefined)
      .then(() => {
        queued = undefined;
        return durable();
      });
    return queued;
  }

  return {
    durable,
    incidental: <T>(write: () => T): T => {
      if (!db.open) return write();
      const before = totalChanges.get() as number;
      try {
        return write();
      } finally {
        incidentalChanges += (totalChanges.get() as number) - before;
      }
    },
    close() {
      flushWal.close?.();
    },
  };
}
