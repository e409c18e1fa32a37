// ImageStore on SQLite: the images and tags tables. A manifest and its tag are written in one transaction.
import type { ImageRecord, ImageStore } from '../image-store';
import type { Database } from './database';

interface ImageRow {
  digest: string;
  media_type: string;
  artifact_type: string | null;
  manifest: Buffer;
  size_in_bytes: number;
  subject_digest: string | null;
  pushed_at: number;
}

function toRecord(row: ImageRow): ImageRecord {
  return {
    digest: row.digest,
    mediaType: row.media_type,
    ...(row.artifact_type !== null ? { artifactType: row.artifact_type } : {}),
    manifest: row.manifest,
    sizeInBytes: row.size_in_bytes,
    ...(row.subject_digest !== null ? { subjectDigest: row.subject_digest } : {}),
    pushedAt: new Date(row.pushed_at),
  };
}

const IMAGE_COLUMNS = 'digest, media_type, artifact_type, manifest, size_in_bytes, subject_digest, pushed_at';
const IN_REPOSITORY = 'account = ? AND region = ? AND repository = ?';

export function createSqliteImageStore(db: Database): ImageStore {
  const selectImage = db.prepare(`SELECT ${IMAGE_COLUMNS} FROM images WHERE ${IN_REPOSITORY} AND digest = ?`);
  const insertImage = db.prepare(
    `INSERT OR IGNORE INTO images (account, region, repository, ${IMAGE_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const deleteImage = db.prepare(`DELETE FROM images WHERE ${IN_REPOSITORY} AND digest = ?`);
  const selectTag = db.prepare(`SELECT digest FROM tags WHERE ${IN_REPOSITORY} AND tag = ?`).pluck();
  const tagsOfDigest = db.prepare(`SELECT tag FROM tags WHERE ${IN_REPOSITORY} AND digest = ? ORDER BY tag`).pluck();
  const upsertTag = db.prepare(
    `INSERT INTO tags (account, region, repository, tag, digest, updated_at) VALUES (?, ?, ?, ?, ?, ?)
     ON CONFLICT (account, region, repository, tag) DO UPDATE SET digest = excluded.digest, updated_at = excluded.updated_at
     WHERE digest <> excluded.digest`,
  );
  const deleteTag = db.prepare(`DELETE FROM tags WHERE ${IN_REPOSITORY} AND tag = ?`);
  const deleteTagsOf = db.prepare(`DELETE FROM tags WHERE ${IN_REPOSITORY} AND digest = ?`);
  const pageTags = db.prepare(`SELECT tag FROM tags WHERE ${IN_REPOSITORY} AND tag > ? ORDER BY tag LIMIT ?`).pluck();
  const selectReferrers = db.prepare(`SELECT ${IMAGE_COLUMNS} FROM images WHERE ${IN_REPOSITORY} AND subject_digest = ? ORDER BY digest`);

  const put = db.transaction((accountId: string, region: string, repository: string, image: ImageRecord, tag: string | undefined) => {
    insertImage.run(
      accountId, region, repository, image.digest, image.mediaType, image.artifactType ?? null, image.manifest,
      image.sizeInBytes, image.subjectDigest ?? null, image.pushedAt.getTime(),
    );
    if (tag !== undefined) upsertTag.run(accountId, region, repository, tag, image.digest, image.pushedAt.getTime());
  });
  const remove = db.transaction((accountId: string, region: string, repository: string, digest: string) => {
    deleteTagsOf.run(accountId, region, repository, digest);
    return deleteImage.run(accountId, region, repository, digest).changes > 0;
  });

  return {
    find(scope, repository, digest) {
      const row = selectImage.get(scope.accountId, scope.region, repository, digest) as ImageRow | undefined;
      return row === undefined ? undefined : toRecord(row);
    },
    findTag: (scope, repository, tag) => selectTag.get(scope.accountId, scope.region, repository, tag) as string | undefined,
    tagsOf: (scope, repository, digest) => tagsOfDigest.all(scope.accountId, scope.region, repository, digest) as string[],
    put: (scope, repository, image, tag) => put(scope.accountId, scope.region, repository, image, tag),
    delete: (scope, repository, digest) => remove(scope.accountId, scope.region, repository, digest),
    deleteTag: (scope, repository, tag) => deleteTag.run(scope.accountId, scope.region, repository, tag).changes > 0,
    listTags(scope, repository, { afterTag, limit }) {
      const tags = pageTags.all(scope.accountId, scope.region, repository, afterTag ?? '', limit + 1) as string[];
      return { tags: tags.slice(0, limit), hasMore: tags.length > limit };
    },
    referrers: (scope, repository, subjectDigest) =>
      (selectReferrers.all(scope.accountId, scope.region, repository, subjectDigest) as ImageRow[]).map(toRecord),
  };
}
