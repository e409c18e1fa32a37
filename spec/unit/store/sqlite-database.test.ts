// withoutWaitingForDisk: upload-session writes commit without an fsync, and the connection is back to FULL after
// them, so every other commit (a blob's link, a manifest) still waits for the disk.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openDatabase, withoutWaitingForDisk, type Database } from '../../../src/store/sqlite/database';

/** SQLite's synchronous levels: 1 NORMAL, 2 FULL. */
const synchronousOf = (db: Database): number => db.pragma('synchronous', { simple: true }) as number;

describe('withoutWaitingForDisk', () => {
  let directory: string;
  let db: Database;
  beforeEach(() => {
    directory = mkdtempSync(join(tmpdir(), 'sqlite-database-'));
    db = openDatabase(join(directory, 'metadata.db'));
  });
  afterEach(() => {
    db.close();
    rmSync(directory, { recursive: true, force: true });
  });

  it('runs the write at NORMAL and puts the connection back to FULL, also when the write throws', () => {
    expect(synchronousOf(db)).toBe(2);
    expect(withoutWaitingForDisk(db, () => synchronousOf(db))).toBe(1);
    expect(synchronousOf(db)).toBe(2);
    expect(() => withoutWaitingForDisk(db, () => { throw new Error('constraint'); })).toThrow('constraint');
    expect(synchronousOf(db)).toBe(2);
  });

  it('leaves a surrounding transaction to decide', () => {
    db.transaction(() => {
      expect(withoutWaitingForDisk(db, () => synchronousOf(db))).toBe(2);
    })();
  });

  it('commits what it wrote', () => {
    withoutWaitingForDisk(db, () => db.prepare("INSERT INTO uploads (id, account, region, repository, created_at, updated_at) VALUES ('u', 'a', 'r', 'app', 0, 0)").run());
    db.close();
    db = openDatabase(join(directory, 'metadata.db'));
    expect(db.prepare('SELECT id FROM uploads').pluck().all()).toEqual(['u']);
  });
});
