// BlobLinkStore on SQLite: the blob_links table, and blob_reclaims, which a trigger on blob_links fills in the
// transaction of every delete (schema.ts).
import type { BlobLink, BlobLinkStore } from '../blob-link-store';
import type { Database } from './database';

interface LinkRow {
  digest: string;
  size_in_bytes: number;
  media_type: string | null;
}

export function createSqliteBlobLinkStore(db: Database): BlobLinkStore {
  const insert = db.prepare(
    `INSERT OR IGNORE INTO blob_links (account, region, repository, digest, size_in_bytes, media_type, linked_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
  );
  const select = db.prepare('SELECT digest, size_in_bytes, media_type FROM blob_links WHERE account = ? AND region = ? AND repository = ? AND digest = ?');
  const remove = db.prepare('DELETE FROM blob_links WHERE account = ? AND region = ? AND repository = ? AND digest = ?');
  const anyLink = db.prepare('SELECT 1 FROM blob_links WHERE digest = ? LIMIT 1');
  const reclaims = db.prepare('SELECT digest FROM blob_reclaims WHERE digest > ? ORDER BY digest LIMIT ?').pluck();
  const forget = db.prepare('DELETE FROM blob_reclaims WHERE digest = ?');
  return {
    link(scope, repository, link, at) {
      insert.run(scope.accountId, scope.region, repository, link.digest, link.sizeInBytes, link.mediaType ?? null, at.getTime());
    },
    find(scope, repository, digest): BlobLink | undefined {
      const row = select.get(scope.accountId, scope.region, repository, digest) as LinkRow | undefined;
      if (row === undefined) return undefined;
      return { digest: row.digest, sizeInBytes: row.size_in_bytes, ...(row.media_type !== null ? { mediaType: row.media_type } : {}) };
    },
    unlink: (scope, repository, digest) => remove.run(scope.accountId, scope.region, repository, digest).changes > 0,
    isLinked: (digest) => anyLink.get(digest) !== undefined,
    pendingReclaims: (afterDigest, limit) => reclaims.all(afterDigest, limit) as string[],
    forgetReclaim(digest) {
      forget.run(digest);
    },
  };
}
