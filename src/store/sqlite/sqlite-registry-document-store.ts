// RegistryDocumentStore on SQLite: one row per (scope, kind, key), the value as JSON text. Reads go through a cache
// of parsed, frozen values (read-cache.ts): every request reads several documents, and they change rarely.
import type { Scope } from '../../kernel/scope';
import type { RegistryDocumentStore } from '../registry-document-store';
import type { Database } from './database';
import { createReadCache } from './read-cache';

export interface SqliteRegistryDocumentStore extends RegistryDocumentStore {
  /** Forgets what the cache holds: after the tables were emptied (a reset). */
  forgetCached(): void;
}

export function createSqliteRegistryDocumentStore(db: Database): SqliteRegistryDocumentStore {
  const select = db.prepare('SELECT data FROM registry_documents WHERE account = ? AND region = ? AND kind = ? AND key = ?').pluck();
  const upsert = db.prepare('INSERT OR REPLACE INTO registry_documents (account, region, kind, key, data) VALUES (?, ?, ?, ?, ?)');
  const insert = db.prepare('INSERT OR IGNORE INTO registry_documents (account, region, kind, key, data) VALUES (?, ?, ?, ?, ?)');
  const remove = db.prepare('DELETE FROM registry_documents WHERE account = ? AND region = ? AND kind = ? AND key = ?');
  const all = db.prepare('SELECT key, data FROM registry_documents WHERE account = ? AND region = ? AND kind = ? ORDER BY key');
  // One cache of documents, one of whole families as list() reads them; a write forgets its document and its family.
  const documents = createReadCache<unknown>(db);
  const families = createReadCache<{ key: string; value: unknown }[]>(db);
  const familyKey = (scope: Scope, kind: string): string => `${scope.accountId}\n${scope.region}\n${kind}`;
  const documentKey = (scope: Scope, kind: string, key: string): string => `${familyKey(scope, kind)}\n${key}`;
  const forget = (scope: Scope, kind: string, key: string): void => {
    documents.forget(documentKey(scope, kind, key));
    families.forget(familyKey(scope, kind));
  };

  return {
    get(scope, kind, key) {
      return documents.read(documentKey(scope, kind, key), () => {
        const data = select.get(scope.accountId, scope.region, kind, key) as string | undefined;
        return data === undefined ? undefined : { value: JSON.parse(data) as unknown, bytes: data.length };
      });
    },
    put(scope, kind, key, value) {
      upsert.run(scope.accountId, scope.region, kind, key, JSON.stringify(value));
      forget(scope, kind, key);
    },
    insert(scope, kind, key, value) {
      const inserted = insert.run(scope.accountId, scope.region, kind, key, JSON.stringify(value)).changes === 1;
      forget(scope, kind, key);
      return inserted;
    },
    delete(scope, kind, key) {
      const deleted = remove.run(scope.accountId, scope.region, kind, key).changes === 1;
      forget(scope, kind, key);
      return deleted;
    },
    list(scope, kind) {
      const listed = families.read(familyKey(scope, kind), () => {
        const rows = all.all(scope.accountId, scope.region, kind) as { key: string; data: string }[];
        return { value: rows.map((row) => ({ key: row.key, value: JSON.parse(row.data) as unknown })), bytes: rows.reduce((sum, row) => sum + row.key.length + row.data.length, 0) };
      });
      return listed ?? [];
    },
    forgetCached() {
      documents.clear();
      families.clear();
    },
  };
}
