// Opens the SQLite metadata database (a file in WAL mode, or `:memory:`) and brings its schema up to date.
// The same code serves disk and memory mode; better-sqlite3 is synchronous, so each call is atomic in-process.
import BetterSqlite3 from 'better-sqlite3';
import { SCHEMA_STEPS } from './schema';

export type Database = BetterSqlite3.Database;

/** WAL pages that trigger a checkpoint (4 KiB each). */
export const WAL_CHECKPOINT_PAGES = 4000;

/** A second emulator on the same data dir: refused at its start, in words, rather than failing writes later. */
export class DatabaseInUseError extends Error {}

/**
 * One process owns the database: EXCLUSIVE locking holds the file lock from the open to the close, so a second
 * emulator on the data dir fails at its start, and a transaction takes no file locks of its own (a profile put 14
 * fcntl calls under each CreateRepository). Set before WAL mode, so the WAL index lives in the heap, not in -shm.
 */
function takeOwnership(db: Database, path: string): void {
  db.pragma('locking_mode = EXCLUSIVE');
  try {
    db.pragma('journal_mode = WAL');
    db.exec('BEGIN IMMEDIATE; COMMIT');
  } catch (error) {
    db.close();
    if ((error as { code?: string }).code === 'SQLITE_BUSY') throw new DatabaseInUseError(`${path} is in use by another process (another emulator on the same data dir?)`);
    throw error;
  }
}

export interface OpenDatabaseOptions {
  /**
   * Told before the schema of a database written by an earlier version is brought up to date, with the step it is
   * at and the step it goes to. A step may rebuild a table: seconds on a large data dir, worth a line in the log.
   */
  onUpgrade?(fromStep: number, toStep: number): void;
}

export function openDatabase(path: string, options: OpenDatabaseOptions = {}): Database {
  const db = new BetterSqlite3(path);
  if (path !== ':memory:') {
    takeOwnership(db, path);
    // NORMAL: a commit survives a process crash at once, and a power loss once the commit barrier has flushed the WAL
    // (commit-barrier.ts), which every answer that reports a write waits for.
    db.pragma('synchronous = NORMAL');
    // A checkpoint copies the WAL's pages into the database file, on the event loop, once the WAL holds this many
    // pages: 16 MiB rather than SQLite's 4 MiB. A push changes a dozen pages, many of them again and again (index
    // roots, the newest leaves), so a rarer checkpoint copies each of them once for more commits: about a quarter
    // of a push's SQLite time at 1,000 pages, next to nothing at 4,000. Its price: a pause of some 30 ms every few
    // hundred pushes, instead of some 8 ms every eighty.
    db.pragma(`wal_autocheckpoint = ${WAL_CHECKPOINT_PAGES}`);
  }
  db.pragma('foreign_keys = ON');
  const applied = db.pragma('user_version', { simple: true }) as number;
  // Up to date: no write transaction, so a start does not wait for a commit's fsync.
  if (applied >= SCHEMA_STEPS.length) return db;
  // A new database (step 0) has nothing to upgrade: its schema is made, not moved.
  if (applied > 0) options.onUpgrade?.(applied, SCHEMA_STEPS.length);
  const migrate = db.transaction(() => {
    for (let step = applied; step < SCHEMA_STEPS.length; step += 1) db.exec(SCHEMA_STEPS[step]!);
    db.pragma(`user_version = ${SCHEMA_STEPS.length}`);
  });
  migrate();
  return db;
}

/** Empties every table: `POST /_emulator/reset`. */
export function clearDatabase(db: Database): void {
  const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).all() as { name: string }[];
  db.transaction(() => {
    for (const { name } of tables) db.exec(`DELETE FROM "${name}"`);
  })();
}
