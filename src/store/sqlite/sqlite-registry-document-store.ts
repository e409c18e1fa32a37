// RegistryDocumentStore on SQLite: one row per (scope, kind, key), the value as JSON text.
import type { RegistryDocumentStore } from '../registry-document-store';
import type { Database } from './database';

export function createSqliteRegistryDocumentStore(db: Database): RegistryDocumentStore {
  const select = db.prepare('SELECT data FROM registry_documents WHERE account = ? AND region = ? AND kind = ? AND key = ?');
  const upsert = db.prepare('INSERT OR REPLACE INTO registry_documents (account, region, kind, key, data) VALUES (?, ?, ?, ?, ?)');
  const insert = db.prepare('INSERT OR IGNORE INTO registry_documents (account, region, kind, key, data) VALUES (?, ?, ?, ?, ?)');
  const remove = db.prepare('DELETE FROM registry_documents WHERE account = ? AND region = ? AND kind = ? AND key = ?');
  const all = db.prepare('SELECT key, data FROM registry_documents WHERE account = ? AND region = ? AND kind = ? ORDER BY key');

  return {
    get(scope, kind, key) {
      const row = select.get(scope.accountId, scope.region, kind, key) as { data: string } | undefined;
      return row === undefined ? undefined : (JSON.parse(row.data) as unknown);
    },
    put(scope, kind, key, value) {
      upsert.run(scope.accountId, scope.region, kind, key, JSON.stringify(value));
    },
    insert(scope, kind, key, value) {
      return insert.run(scope.accountId, scope.region, kind, key, JSON.stringify(value)).changes === 1;
    },
    delete(scope, kind, key) {
      return remove.run(scope.accountId, scope.region, kind, key).changes === 1;
    },
    list(scope, kind) {
      return (all.all(scope.accountId, scope.region, kind) as { key: string; data: string }[]).map((row) => ({
        key: row.key,
        value: JSON.parse(row.data) as unknown,
      }));
    },
  };
}
