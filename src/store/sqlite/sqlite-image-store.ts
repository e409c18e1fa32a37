// ImageStore on SQLite: the images and tags tables. A manifest and its tag are written in one transaction.
import type { ImageDetails, ImageListing, ImageRecord, ImageRow, ImageStore, PushPosition, RepositorySummary, StorageClass } from '../image-store';
import type { Database } from './database';
import { LIKE_ANY_WRITE, type IncidentalWrite } from './commit-barrier';

interface ImageTableRow {
  digest: string;
  media_type: string;
  artifact_type: string | null;
  manifest: Buffer;
  size_in_bytes: number;
  subject_digest: string | null;
  pushed_at: number;
}

function toRecord(row: ImageTableRow): ImageRecord {
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

interface ImageDetailsRow extends ImageTableRow {
  last_pulled_at: number | null;
  storage_class: StorageClass;
  last_archived_at: number | null;
  last_activated_at: number | null;
  /** Tags joined with a newline (tags cannot contain one). */
  tag_list: string | null;
}

const optionalDate = (value: number | null): Date | undefined => (value === null ? undefined : new Date(value));

function toDetails(row: ImageDetailsRow): ImageDetails {
  const lastPulledAt = optionalDate(row.last_pulled_at);
  const lastArchivedAt = optionalDate(row.last_archived_at);
  const lastActivatedAt = optionalDate(row.last_activated_at);
  return {
    ...toRecord(row),
    tags: row.tag_list === null ? [] : row.tag_list.split('\n').sort(),
    storageClass: row.storage_class,
    ...(lastPulledAt !== undefined ? { lastPulledAt } : {}),
    ...(lastArchivedAt !== undefined ? { lastArchivedAt } : {}),
    ...(lastActivatedAt !== undefined ? { lastActivatedAt } : {}),
  };
}

/** The index each tag status of a listing with a storage class pages through (schema.ts). */
const LISTING_INDEXES = { TAGGED: 'images_tagged', UNTAGGED: 'images_untagged' } as const;

const IMAGE_COLUMNS = 'digest, media_type, artifact_type, manifest, size_in_bytes, subject_digest, pushed_at';
const IN_REPOSITORY = 'account = ? AND region = ? AND repository = ?';

/** `incidental` runs the writes no answer waits for: pull times (commit-barrier.ts). */
export function createSqliteImageStore(db: Database, incidental: IncidentalWrite = LIKE_ANY_WRITE): ImageStore {
  const selectImage = db.prepare(`SELECT ${IMAGE_COLUMNS} FROM images WHERE ${IN_REPOSITORY} AND digest = ?`);
  // tag_count starts at the tags already naming the digest: put writes the tag first, so a new tagged image enters
  // the images_tagged index at once instead of entering images_untagged and moving (one page fewer per push).
  const insertImage = db.prepare(
    `INSERT OR IGNORE INTO images (account, region, repository, ${IMAGE_COLUMNS}, tag_count)
     VALUES (@account, @region, @repository, @digest, @mediaType, @artifactType, @manifest, @sizeInBytes, @subjectDigest, @pushedAt,
       (SELECT count(*) FROM tags WHERE account = @account AND region = @region AND repository = @repository AND digest = @digest))`,
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

  const DETAILS_COLUMNS = `SELECT i.digest, i.media_type, i.artifact_type, i.manifest, i.size_in_bytes, i.subject_digest, i.pushed_at,
       i.last_pulled_at, i.storage_class, i.last_archived_at, i.last_activated_at,
       (SELECT group_concat(t.tag, char(10)) FROM tags t
         WHERE t.account = i.account AND t.region = i.region AND t.repository = i.repository AND t.digest = i.digest) AS tag_list`;
  const DETAILS = `${DETAILS_COLUMNS} FROM images i WHERE i.account = ? AND i.region = ? AND i.repository = ?`;
  const selectDetails = db.prepare(`${DETAILS} AND i.digest = ?`);
  /**
   * The images table as one part of a listing reads it (partsOf). With a storage class, through the index of the
   * part's tag status (schema.ts), so that a page reads a page of rows however few images match; named, as the
   * planner has no statistics to tell these indexes from the primary key. Without one (imageStatus ANY), by primary
   * key.
   */
  const imagesOf = (part: ImageListing): string =>
    part.storageClass === undefined || part.tagStatus === undefined ? 'images i' : `images i INDEXED BY ${LISTING_INDEXES[part.tagStatus]}`;
  /**
   * The parts a listing is read in, each through one index in digest order. A storage class with any tag status is
   * two: the tagged images and the untagged ones, whose two indexes together hold every image, merged by digest (a
   * compound SELECT with ORDER BY and LIMIT reads each part in order and stops at the limit). One index fewer is
   * one B-tree page fewer written by every push.
   */
  const partsOf = (listing: ImageListing): ImageListing[] =>
    listing.storageClass !== undefined && listing.tagStatus === undefined
      ? [{ ...listing, tagStatus: 'TAGGED' }, { ...listing, tagStatus: 'UNTAGGED' }]
      : [listing];
  /** The WHERE additions of a listing's filters; the statements are prepared once per combination. */
  const filtersOf = (listing: ImageListing): string =>
    [
      listing.tagStatus === 'TAGGED' ? ' AND i.tag_count > 0' : '',
      listing.tagStatus === 'UNTAGGED' ? ' AND i.tag_count = 0' : '',
      listing.storageClass !== undefined ? ' AND i.storage_class = @storageClass' : '',
    ].join('');
  const IN_LISTED_REPOSITORY = 'i.account = @account AND i.region = @region AND i.repository = @repository';
  const statements = new Map<string, ReturnType<Database['prepare']>>();
  const prepared = (key: string, sql: () => string): ReturnType<Database['prepare']> => {
    let statement = statements.get(key);
    if (statement === undefined) {
      statement = db.prepare(sql());
      statements.set(key, statement);
    }
    return statement;
  };
  const pageStatement = (listing: ImageListing) =>
    prepared(`page:${listing.tagStatus ?? ''}:${listing.storageClass !== undefined}`, () =>
      `${partsOf(listing)
        .map((part) => `${DETAILS_COLUMNS} FROM ${imagesOf(part)} WHERE ${IN_LISTED_REPOSITORY} AND i.digest > @after${filtersOf(part)}`)
        .join(' UNION ALL ')} ORDER BY digest LIMIT @limit`);
  const rowsStatement = (listing: ImageListing) =>
    prepared(`rows:${listing.tagStatus ?? ''}:${listing.storageClass !== undefined}`, () =>
      `${partsOf(listing)
        .map(
          (part) => `SELECT i.digest AS digest, t.tag AS tag, COALESCE(t.tag, '') AS tag_order FROM ${imagesOf(part)}
       LEFT JOIN tags t ON t.account = i.account AND t.region = i.region AND t.repository = i.repository AND t.digest = i.digest
       WHERE ${IN_LISTED_REPOSITORY}
       AND (i.digest, COALESCE(t.tag, '')) > (@afterDigest, @afterTag)${filtersOf(part)}`,
        )
        .join(' UNION ALL ')} ORDER BY digest, tag_order LIMIT @limit`);
  const newestStatement = (listing: ImageListing) =>
    prepared(`newest:${listing.tagStatus ?? ''}:${listing.storageClass !== undefined}`, () =>
      `${DETAILS_COLUMNS} FROM images i INDEXED BY images_by_push WHERE ${IN_LISTED_REPOSITORY}
       AND (i.pushed_at, i.digest) < (@beforePushedAt, @beforeDigest)${filtersOf(listing)} ORDER BY i.pushed_at DESC, i.digest DESC LIMIT @limit`);
  const summary = db.prepare(`SELECT COUNT(*) AS count, COALESCE(SUM(size_in_bytes), 0) AS size, MAX(pushed_at) AS pushed FROM images WHERE ${IN_REPOSITORY}`);
  const listDetails = db.prepare(`${DETAILS} ORDER BY i.digest`);
  const updatePull = db.prepare(
    `UPDATE images SET last_pulled_at = ? WHERE ${IN_REPOSITORY} AND digest = ? AND (last_pulled_at IS NULL OR last_pulled_at <= ?)`,
  );
  const archive = db.prepare(`UPDATE images SET storage_class = 'ARCHIVE', last_archived_at = ? WHERE ${IN_REPOSITORY} AND digest = ?`);
  const activate = db.prepare(`UPDATE images SET storage_class = 'STANDARD', last_activated_at = ? WHERE ${IN_REPOSITORY} AND digest = ?`);

  const put = db.transaction((accountId: string, region: string, repository: string, image: ImageRecord, tag: string | undefined) => {
    // The tag's triggers count it on an image already stored; a new image counts its tags as it is inserted.
    if (tag !== undefined) upsertTag.run(accountId, region, repository, tag, image.digest, image.pushedAt.getTime());
    insertImage.run({
      account: accountId, region, repository, digest: image.digest, mediaType: image.mediaType, artifactType: image.artifactType ?? null,
      manifest: image.manifest, sizeInBytes: image.sizeInBytes, subjectDigest: image.subjectDigest ?? null, pushedAt: image.pushedAt.getTime(),
    });
  });
  const remove = db.transaction((accountId: string, region: string, repository: string, digest: string) => {
    deleteTagsOf.run(accountId, region, repository, digest);
    return deleteImage.run(accountId, region, repository, digest).changes > 0;
  });

  return {
    find(scope, repository, digest) {
      const row = selectImage.get(scope.accountId, scope.region, repository, digest) as ImageTableRow | undefined;
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
      (selectReferrers.all(scope.accountId, scope.region, repository, subjectDigest) as ImageTableRow[]).map(toRecord),
    details(scope, repository, digest) {
      const row = selectDetails.get(scope.accountId, scope.region, repository, digest) as ImageDetailsRow | undefined;
      return row === undefined ? undefined : toDetails(row);
    },
    list: (scope, repository) => (listDetails.all(scope.accountId, scope.region, repository) as ImageDetailsRow[]).map(toDetails),
    summary(scope, repository): RepositorySummary {
      const row = summary.get(scope.accountId, scope.region, repository) as { count: number; size: number; pushed: number | null };
      return { imageCount: row.count, sizeInBytes: row.size, ...(row.pushed !== null ? { lastPushedAt: new Date(row.pushed) } : {}) };
    },
    page(scope, repository, listing) {
      const found = pageStatement(listing).all({
        account: scope.accountId, region: scope.region, repository, after: listing.afterDigest ?? '', limit: listing.limit + 1,
        ...(listing.storageClass !== undefined ? { storageClass: listing.storageClass } : {}),
      }) as ImageDetailsRow[];
      return { images: found.slice(0, listing.limit).map(toDetails), hasMore: found.length > listing.limit };
    },
    newestFirst(scope, repository, listing: ImageListing & { before?: PushPosition }) {
      const found = newestStatement(listing).all({
        account: scope.accountId, region: scope.region, repository, limit: listing.limit + 1,
        // Past every real position: a digest sorts before '~'.
        beforePushedAt: listing.before?.pushedAt.getTime() ?? Number.MAX_SAFE_INTEGER, beforeDigest: listing.before?.digest ?? '~',
        ...(listing.storageClass !== undefined ? { storageClass: listing.storageClass } : {}),
      }) as ImageDetailsRow[];
      return { images: found.slice(0, listing.limit).map(toDetails), hasMore: found.length > listing.limit };
    },
    rows(scope, repository, listing) {
      const found = rowsStatement(listing).all({
        account: scope.accountId, region: scope.region, repository,
        afterDigest: listing.after?.digest ?? '', afterTag: listing.after?.tag ?? '', limit: listing.limit + 1,
        ...(listing.storageClass !== undefined ? { storageClass: listing.storageClass } : {}),
      }) as { digest: string; tag: string | null }[];
      const rows = found.slice(0, listing.limit).map((row): ImageRow => (row.tag === null ? { digest: row.digest } : { digest: row.digest, tag: row.tag }));
      return { rows, hasMore: found.length > listing.limit };
    },
    withMediaTypes(scope, repository, mediaTypes) {
      if (mediaTypes.length === 0) return [];
      const statement = prepared(`media:${mediaTypes.length}`, () =>
        `SELECT ${IMAGE_COLUMNS} FROM images WHERE ${IN_REPOSITORY} AND media_type IN (${mediaTypes.map(() => '?').join(', ')}) ORDER BY digest`);
      return (statement.all([scope.accountId, scope.region, repository, ...mediaTypes]) as ImageTableRow[]).map(toRecord);
    },
    recordPull(scope, repository, digest, at, resolutionMs) {
      // A pull time a power cut takes is one ECR itself only promises within a day: BatchGetImage does not wait for it.
      incidental(() => updatePull.run(at.getTime(), scope.accountId, scope.region, repository, digest, at.getTime() - resolutionMs));
    },
    setStorageClass(scope, repository, digest, storageClass, at) {
      const statement = storageClass === 'ARCHIVE' ? archive : activate;
      return statement.run(at.getTime(), scope.accountId, scope.region, repository, digest).changes > 0;
    },
  };
}
