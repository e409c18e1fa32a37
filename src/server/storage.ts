// Opens everything that holds state: the metadata database, its stores, the token secret. On disk under the
// data dir (see store/fs/layout.ts), or wholly in memory. Only the composition root calls this.
import { randomBytes } from 'node:crypto';
import { mkdirSync, openSync, closeSync, readFileSync, writeSync, fsyncSync, renameSync } from 'node:fs';
import { clearDatabase, openDatabase, type Database } from '../store/sqlite/database';
import { createSqliteRegistryDocumentStore } from '../store/sqlite/sqlite-registry-document-store';
import { createSqliteRepositoryStore } from '../store/sqlite/sqlite-repository-store';
import { dataDirLayout, type DataDirLayout } from '../store/fs/layout';
import type { RegistryDocumentStore } from '../store/registry-document-store';
import type { RepositoryStore } from '../store/repository-store';

export interface Storage {
  kind: 'disk' | 'memory';
  layout: DataDirLayout | undefined;
  db: Database;
  repositories: RepositoryStore;
  documents: RegistryDocumentStore;
  tokenSecret: Buffer;
  /** Empties every account and region. */
  reset(): Promise<void>;
  close(): void;
}

/** The token secret survives restarts, so tokens issued before one still work after it. */
function loadOrCreateSecret(path: string): Buffer {
  try {
    return readFileSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const secret = randomBytes(32);
  const temp = `${path}.${process.pid}.tmp`;
  const fd = openSync(temp, 'w', 0o600);
  writeSync(fd, secret);
  fsyncSync(fd);
  closeSync(fd);
  renameSync(temp, path);
  return readFileSync(path);
}

export function openStorage(dataDir: string | undefined): Storage {
  const layout = dataDir === undefined ? undefined : dataDirLayout(dataDir);
  if (layout !== undefined) mkdirSync(layout.root, { recursive: true });
  const db = openDatabase(layout?.metadataDatabase ?? ':memory:');
  const tokenSecret = layout === undefined ? randomBytes(32) : loadOrCreateSecret(layout.tokenSecret);
  const storage: Storage = {
    kind: layout === undefined ? 'memory' : 'disk',
    layout,
    db,
    repositories: createSqliteRepositoryStore(db),
    documents: createSqliteRegistryDocumentStore(db),
    tokenSecret,
    async reset() {
      clearDatabase(db);
    },
    close() {
      db.close();
    },
  };
  return storage;
}
