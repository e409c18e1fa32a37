// Opens everything that holds state: the metadata database, its stores, the blob store, the token secret. On disk
// under the data dir (see store/fs/layout.ts), or wholly in memory. Only the composition root calls this.
import { randomBytes } from 'node:crypto';
import { mkdirSync, openSync, closeSync, readFileSync, writeSync, fsyncSync, renameSync } from 'node:fs';
import { clearDatabase, openDatabase, type Database, type OpenDatabaseOptions } from '../store/sqlite/database';
import { createCommitBarrier, NOTHING_TO_FLUSH, walFileFlush } from '../store/sqlite/commit-barrier';
import { createSqliteRegistryDocumentStore } from '../store/sqlite/sqlite-registry-document-store';
import { createSqliteRepositoryStore } from '../store/sqlite/sqlite-repository-store';
import { createSqliteBlobLinkStore } from '../store/sqlite/sqlite-blob-link-store';
import { createSqliteImageStore } from '../store/sqlite/sqlite-image-store';
import { createSqliteUploadStore } from '../store/sqlite/sqlite-upload-store';
import { createFsBlobStore } from '../store/fs/fs-blob-store';
import { dataDirLayout, type DataDirLayout } from '../store/fs/layout';
import { createMemoryBlobStore } from '../store/memory/memory-blob-store';
import { createCachedBlobStore } from '../store/cached-blob-store';
import type { BlobLinkStore } from '../store/blob-link-store';
import type { BlobStore } from '../store/blob-store';
import type { ImageStore } from '../store/image-store';
import type { UploadStore } from '../store/upload-store';
import type { RegistryDocumentStore } from '../store/registry-document-store';
import type { RepositoryStore } from '../store/repository-store';

export interface Storage {
  kind: 'disk' | 'memory';
  layout: DataDirLayout | undefined;
  db: Database;
  repositories: RepositoryStore;
  documents: RegistryDocumentStore;
  images: ImageStore;
  links: BlobLinkStore;
  uploads: UploadStore;
  blobs: BlobStore;
  tokenSecret: Buffer;
  /**
   * Undefined when every metadata write so far is on the disk, else a promise that settles once it is: every answer
   * that reports a write waits for it (see store/sqlite/commit-barrier.ts). Always undefined in memory.
   */
  durable(): Promise<void> | undefined;
  /** Empties every account and region, blobs and upload sessions included. */
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

export interface StorageOptions {
  /** Memory for hot blobs over the disk store; 0 or absent: none. The memory store needs none. */
  blobCacheBytes?: number;
  /** Told before a data dir written by an earlier version has its metadata schema upgraded (openDatabase). */
  onSchemaUpgrade?: OpenDatabaseOptions['onUpgrade'];
}

export function openStorage(dataDir: string | undefined, options: StorageOptions = {}): Storage {
  const layout = dataDir === undefined ? undefined : dataDirLayout(dataDir);
  if (layout !== undefined) mkdirSync(layout.root, { recursive: true });
  const db = openDatabase(layout?.metadataDatabase ?? ':memory:', options.onSchemaUpgrade !== undefined ? { onUpgrade: options.onSchemaUpgrade } : {});
  const barrier = layout === undefined ? NOTHING_TO_FLUSH : createCommitBarrier(db, walFileFlush(layout.metadataDatabase));
  const tokenSecret = layout === undefined ? randomBytes(32) : loadOrCreateSecret(layout.tokenSecret);
  const blobCacheBytes = options.blobCacheBytes ?? 0;
  const diskBlobs = layout === undefined ? undefined : createFsBlobStore(layout);
  const blobs = diskBlobs === undefined ? createMemoryBlobStore() : blobCacheBytes > 0 ? createCachedBlobStore(diskBlobs, blobCacheBytes) : diskBlobs;
  const repositories = createSqliteRepositoryStore(db);
  const documents = createSqliteRegistryDocumentStore(db);
  const storage: Storage = {
    kind: layout === undefined ? 'memory' : 'disk',
    layout,
    db,
    repositories,
    documents,
    images: createSqliteImageStore(db, barrier.incidental),
    links: createSqliteBlobLinkStore(db),
    uploads: createSqliteUploadStore(db, barrier.incidental),
    blobs,
    tokenSecret,
    durable: barrier.durable,
    async reset() {
      clearDatabase(db);
      repositories.forgetCached();
      documents.forgetCached();
      await blobs.clear();
      await barrier.durable();
    },
    close() {
      barrier.close();
      db.close();
    },
  };
  return storage;
}
