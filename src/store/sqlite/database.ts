// Opens the SQLite metadata database (a file in WAL mode, or `:memory:`) and brings its schema up to date.
// The same code serves disk and memory mode; better-sqlite3 is synchronous, so each call is atomic in-process.
import BetterSqlite3 from 'better-sqlite3';
import { SCHEMA_STEPS } from './schema';

export type Database = BetterSqlite3.Database;

export function openDatabase(path: string): Database {
  const db = new BetterSqlite3(path);
  if (path !== ':memory:') {
    db.pragma('journal_mode = WAL');
    // FULL: a committed transaction survives a power loss, not only a process crash.
    db.pragma('synchronous = FULL');
  }
  db.pragma('foreign_keys = ON');
  const applied = db.pragma('user_version', { simple: true }) as number;
  // Up to date: no write transaction, so a start does not wait for a commit's fsync.
  if (applied >= SCHEMA_STEPS.length) return db;
  const migrate = db.transaction(() => {
    for (let step = applied; step < SCHEMA_STEPS.length; step += 1) db.exec(SCHEMA_STEPS[step]!);
    db.pragma(`user_version = ${SCHEMA_STEPS.length}`);
  });
  migrate();
  return db;
}

/**
 * Runs `write` (one statement or transaction) without waiting for its commit to reach the disk: for rows whose loss
 * in a power cut loses nothing a client was told is stored. A process crash (kill -9) loses nothing either way: a WAL
 * commit is in the operating system's hands at once. Only the fsync is skipped, and a later durable commit (a blob's
 * link, a manifest) flushes these frames with its own. Inside an open transaction it just runs: the outer one decides.
 */
export function withoutWaitingForDisk<T>(db: Database, write: () => T): T {
  if (db.inTransaction || db.memory) return write();
  db.pragma('synchronous = NORMAL');
  try {
    return write();
  } finally {
    db.pragma('synchronous = FULL');
  }
}

/** Empties every table: `POST /_emulator/reset`. */
export function clearDatabase(db: Database): void {
  const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).all() as { name: string }[];
  db.transaction(() => {
    for (const { name } of tables) db.exec(`DELETE FROM "${name}"`);
  })();
}
