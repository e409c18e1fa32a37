// The metadata database on disk: WAL at synchronous NORMAL (the commit barrier flushes), owned by one process.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseInUseError, openDatabase, WAL_CHECKPOINT_PAGES, type Database } from '../../../src/store/sqlite/database';
import { SCHEMA_STEPS } from '../../../src/store/sqlite/schema';

describe('openDatabase on disk', () => {
  let directory: string;
  let path: string;
  let db: Database;
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'sqlite-database-'));
    path = join(directory, 'metadata.db');
    db = openDatabase(path);
  });
  afterEach(() => {
    if (db.open) db.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('holds the file exclusively, in WAL mode with the WAL index in memory (no -shm file)', () => {
    expect(db.pragma('locking_mode', { simple: true })).toBe('exclusive');
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(1);
    expect(db.pragma('wal_autocheckpoint', { simple: true })).toBe(WAL_CHECKPOINT_PAGES);
    db.prepare("INSERT INTO uploads (id, account, region, repository, created_at, updated_at) VALUES ('u', 'a', 'r', 'app', 0, 0)").run();
    expect(existsSync(`${path}-wal`)).toBe(true);
    expect(existsSync(`${path}-shm`)).toBe(false);
  });

  it('refuses a second owner of the same file at its open, naming the file', () => {
    // SQLite's file locks hold between connections of one process as between processes.
    expect(() => openDatabase(path)).toThrow(new DatabaseInUseError(`${path} is in use by another process (another emulator on the same data dir?)`));
    expect(() => openDatabase(path)).toThrow(DatabaseInUseError);
  });

  it('lets the file be opened again once the owner closed it, with what it committed', () => {
    db.prepare("INSERT INTO uploads (id, account, region, repository, created_at, updated_at) VALUES ('u', 'a', 'r', 'app', 0, 0)").run();
    db.close();
    db = openDatabase(path);
    expect(db.prepare('SELECT id FROM uploads').pluck().all()).toEqual(['u']);
  });
});

describe('openDatabase on a data dir of an earlier version', () => {
  let directory: string;
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'sqlite-upgrade-'));
  });
  afterEach(() => rmSync(directory, { recursive: true, force: true }));

  /** A database whose schema stops at `step`, as an earlier version left it. */
  function writtenAtStep(step: number): string {
    const path = join(directory, `at-${step}.db`);
    const db = new BetterSqlite3(path);
    for (const statement of SCHEMA_STEPS.slice(0, step)) db.exec(statement);
    db.pragma(`user_version = ${step}`);
    db.close();
    return path;
  }

  it('says before it upgrades the schema, from which step to which', () => {
    const upgrades: [number, number][] = [];
    const db = openDatabase(writtenAtStep(5), { onUpgrade: (fromStep, toStep) => upgrades.push([fromStep, toStep]) });
    expect(upgrades).toEqual([[5, SCHEMA_STEPS.length]]);
    expect(db.pragma('user_version', { simple: true })).toBe(SCHEMA_STEPS.length);
    db.close();
  });

  it('says nothing for a new database, nor for one already up to date', () => {
    const upgrades: [number, number][] = [];
    const onUpgrade = (fromStep: number, toStep: number) => upgrades.push([fromStep, toStep]);
    const path = join(directory, 'new.db');
    openDatabase(path, { onUpgrade }).close();
    openDatabase(path, { onUpgrade }).close();
    expect(upgrades).toEqual([]);
  });
});
