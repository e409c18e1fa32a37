// UploadStore on SQLite: the uploads table. Its writes are incidental (commit-barrier.ts): no answer waits for them
// to reach the disk. A session a power cut takes is an unfinished upload, which the client starts again; its blob,
// once complete, is linked, and that answer waits for the disk.
import type { UploadRecord, UploadStore } from '../upload-store';
import type { Database } from './database';
import { LIKE_ANY_WRITE, type IncidentalWrite } from './commit-barrier';

interface UploadRow {
  id: string;
  repository: string;
  size_in_bytes: number;
  created_at: number;
  updated_at: number;
}

export function createSqliteUploadStore(db: Database, incidental: IncidentalWrite = LIKE_ANY_WRITE): UploadStore {
  const insert = db.prepare('INSERT INTO uploads (id, account, region, repository, size_in_bytes, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)');
  const select = db.prepare('SELECT id, repository, size_in_bytes, created_at, updated_at FROM uploads WHERE id = ? AND account = ? AND region = ? AND repository = ?');
  const resize = db.prepare('UPDATE uploads SET size_in_bytes = ?, updated_at = ? WHERE id = ?');
  const remove = db.prepare('DELETE FROM uploads WHERE id = ?');
  const selectAll = db.prepare('SELECT id, updated_at FROM uploads');
  return {
    create(scope, record) {
      incidental(() => insert.run(record.id, scope.accountId, scope.region, record.repository, record.sizeInBytes, record.createdAt.getTime(), record.updatedAt.getTime()));
    },
    find(scope, repository, id): UploadRecord | undefined {
      const row = select.get(id, scope.accountId, scope.region, repository) as UploadRow | undefined;
      if (row === undefined) return undefined;
      return { id: row.id, repository: row.repository, sizeInBytes: row.size_in_bytes, createdAt: new Date(row.created_at), updatedAt: new Date(row.updated_at) };
    },
    setSize(id, sizeInBytes, at) {
      incidental(() => resize.run(sizeInBytes, at.getTime(), id));
    },
    delete(id) {
      incidental(() => remove.run(id));
    },
    list: () => (selectAll.all() as Pick<UploadRow, 'id' | 'updated_at'>[]).map((row) => ({ id: row.id, updatedAt: new Date(row.updated_at) })),
  };
}
