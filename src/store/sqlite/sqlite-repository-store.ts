// RepositoryStore on SQLite. Deleting a repository also deletes, in the same transaction, every row of every
// table that has a `repository` column in the same scope (images, tags, blob links, uploads...).
import type { RepositoryDeletion, RepositoryRecord, RepositoryStore } from '../repository-store';
import type { Scope } from '../../kernel/scope';
import type { Database } from './database';
import { createReadCache } from './read-cache';

export interface SqliteRepositoryStore extends RepositoryStore {
  /** Forgets what the cache holds: after the tables were emptied (a reset). */
  forgetCached(): void;
}

interface Row {
  name: string;
  created_at: number;
  data: string;
}

// Dates are kept as epoch milliseconds in the JSON column.
type StoredData = Omit<RepositoryRecord, 'name' | 'createdAt' | 'lifecyclePolicyUpdatedAt' | 'lifecyclePolicyEvaluatedAt'> & {
  lifecyclePolicyUpdatedAt?: number;
  lifecyclePolicyEvaluatedAt?: number;
};

const STORED_DATES = new Set(['lifecyclePolicyUpdatedAt', 'lifecyclePolicyEvaluatedAt']);

/** Copies the stored members one by one rather than by rest and spread: most requests read a record, some several. */
function toRecord(row: Row): RepositoryRecord {
  const stored = JSON.parse(row.data) as StoredData & Record<string, unknown>;
  const record: Record<string, unknown> = {};
  for (const key in stored) if (!STORED_DATES.has(key)) record[key] = stored[key];
  record.name = row.name;
  record.createdAt = new Date(row.created_at);
  if (stored.lifecyclePolicyUpdatedAt !== undefined) record.lifecyclePolicyUpdatedAt = new Date(stored.lifecyclePolicyUpdatedAt);
  if (stored.lifecyclePolicyEvaluatedAt !== undefined) record.lifecyclePolicyEvaluatedAt = new Date(stored.lifecyclePolicyEvaluatedAt);
  return record as unknown as RepositoryRecord;
}

function toData(record: RepositoryRecord): string {
  const { name: _name, createdAt: _createdAt, lifecyclePolicyUpdatedAt, lifecyclePolicyEvaluatedAt, ...rest } = record;
  const data: StoredData = {
    ...rest,
    ...(lifecyclePolicyUpdatedAt !== undefined ? { lifecyclePolicyUpdatedAt: lifecyclePolicyUpdatedAt.getTime() } : {}),
    ...(lifecyclePolicyEvaluatedAt !== undefined ? { lifecyclePolicyEvaluatedAt: lifecyclePolicyEvaluatedAt.getTime() } : {}),
  };
  return JSON.stringify(data);
}

function tablesWithRepositoryColumn(db: Database): string[] {
  const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table' AND name <> 'repositories'`).all() as { name: string }[];
  return tables
    .map(({ name }) => name)
    .filter((name) => (db.prepare(`SELECT name FROM pragma_table_info(?)`).all(name) as { name: string }[]).some((column) => column.name === 'repository'));
}

export function createSqliteRepositoryStore(db: Database): SqliteRepositoryStore {
  const insert = db.prepare('INSERT INTO repositories (account, region, name, created_at, data) VALUES (?, ?, ?, ?, ?)');
  const select = db.prepare('SELECT name, created_at, data FROM repositories WHERE account = ? AND region = ? AND name = ?');
  const write = db.prepare('UPDATE repositories SET data = ? WHERE account = ? AND region = ? AND name = ?');
  const remove = db.prepare('DELETE FROM repositories WHERE account = ? AND region = ? AND name = ?');
  const page = db.prepare(
    'SELECT name, created_at, data FROM repositories WHERE account = ? AND region = ? AND name > ? ORDER BY name LIMIT ?',
  );
  const anyImage = db.prepare('SELECT 1 FROM images WHERE account = ? AND region = ? AND repository = ? LIMIT 1');
  const repositoryScopes = db.prepare('SELECT DISTINCT account, region FROM repositories ORDER BY account, region');
  const lifecycleScopes = db.prepare("SELECT DISTINCT account, region FROM repositories WHERE json_extract(data, '$.lifecyclePolicyText') IS NOT NULL ORDER BY account, region");
  const dependents = tablesWithRepositoryColumn(db).map((table) =>
    db.prepare(`DELETE FROM "${table}" WHERE account = ? AND region = ? AND repository = ?`),
  );

  // Records as find() returns them, frozen and shared (read-cache.ts): every request reads its repository, most
  // several times, and a record changes only when a client configures the repository.
  const records = createReadCache<RepositoryRecord>(db);
  const recordKey = (scope: Scope, name: string): string => `${scope.accountId}\n${scope.region}\n${name}`;

  function find(scope: Scope, name: string): RepositoryRecord | undefined {
    return records.read(recordKey(scope, name), () => {
      const row = select.get(scope.accountId, scope.region, name) as Row | undefined;
      return row === undefined ? undefined : { value: toRecord(row), bytes: row.name.length + row.data.length };
    });
  }

  return {
    create(scope, record) {
      try {
        insert.run(scope.accountId, scope.region, record.name, record.createdAt.getTime(), toData(record));
        records.forget(recordKey(scope, record.name));
        return true;
      } catch (error) {
        if ((error as { code?: string }).code === 'SQLITE_CONSTRAINT_PRIMARYKEY') return false;
        throw error;
      }
    },
    find,
    update: (scope, name, change) =>
      db.transaction(() => {
        const current = find(scope, name);
        if (current === undefined) return undefined;
        const updated = change(current);
        write.run(toData(updated), scope.accountId, scope.region, name);
        records.forget(recordKey(scope, name));
        return updated;
      })(),
    delete: (scope, name, options) =>
      db.transaction((): RepositoryDeletion => {
        const record = find(scope, name);
        if (record === undefined) return { outcome: 'absent' };
        if (options?.force !== true && anyImage.get(scope.accountId, scope.region, name) !== undefined) return { outcome: 'hasImages' };
        for (const statement of dependents) statement.run(scope.accountId, scope.region, name);
        remove.run(scope.accountId, scope.region, name);
        records.forget(recordKey(scope, name));
        return { outcome: 'deleted', record };
      })(),
    hasImages: (scope, name) => anyImage.get(scope.accountId, scope.region, name) !== undefined,
    scopesWithLifecyclePolicies: () =>
      (lifecycleScopes.all() as { account: string; region: string }[]).map((row) => ({ accountId: row.account, region: row.region })),
    scopes: () => (repositoryScopes.all() as { account: string; region: string }[]).map((row) => ({ accountId: row.account, region: row.region })),
    list(scope, { afterName, limit, names }) {
      if (names !== undefined) {
        return { repositories: [...new Set(names)].sort().flatMap((name) => find(scope, name) ?? []) };
      }
      const rows = page.all(scope.accountId, scope.region, afterName ?? '', limit + 1) as Row[];
      const repositories = rows.slice(0, limit).map(toRecord);
      return rows.length > limit ? { repositories, lastName: repositories[repositories.length - 1]!.name } : { repositories };
    },
    forgetCached: () => records.clear(),
  };
}
