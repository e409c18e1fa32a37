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

/** Empties every table: `POST /_emulator/reset`. */
export function clearDatabase(db: Database): void {
  const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`).all() as { name: string }[];
  db.transaction(() => {
    for (const { name } of tables) db.exec(`DELETE FROM "${name}"`);
  })();
}
