// The metadata schema, applied in order at open. Every table is keyed by (account, region) first: scopes never mix.
// Append a new statement to change the schema; never edit an applied one (user_version counts them).

// Statements run twice: when first made, and again when the images table was rebuilt (below).
const IMAGES_BY_SUBJECT = `CREATE INDEX images_by_subject ON images (account, region, repository, subject_digest) WHERE subject_digest IS NOT NULL`;
const IMAGES_TAGGED = `CREATE INDEX images_tagged ON images (account, region, repository, storage_class, digest) WHERE tag_count > 0`;
const IMAGES_UNTAGGED = `CREATE INDEX images_untagged ON images (account, region, repository, storage_class, digest) WHERE tag_count = 0`;
// How many tags point at each image (images.tag_count), counted whichever statement changes a tag.
const TAG_COUNT_ON_INSERT = `CREATE TRIGGER tags_count_insert AFTER INSERT ON tags BEGIN
     UPDATE images SET tag_count = tag_count + 1
       WHERE account = NEW.account AND region = NEW.region AND repository = NEW.repository AND digest = NEW.digest;
   END`;
const TAG_COUNT_ON_DELETE = `CREATE TRIGGER tags_count_delete AFTER DELETE ON tags BEGIN
     UPDATE images SET tag_count = tag_count - 1
       WHERE account = OLD.account AND region = OLD.region AND repository = OLD.repository AND digest = OLD.digest;
   END`;
const TAG_COUNT_ON_UPDATE = `CREATE TRIGGER tags_count_update AFTER UPDATE OF account, region, repository, digest ON tags BEGIN
     UPDATE images SET tag_count = tag_count - 1
       WHERE account = OLD.account AND region = OLD.region AND repository = OLD.repository AND digest = OLD.digest;
     UPDATE images SET tag_count = tag_count + 1
       WHERE account = NEW.account AND region = NEW.region AND repository = NEW.repository AND digest = NEW.digest;
   END`;

export const SCHEMA_STEPS: readonly string[] = [
  `CREATE TABLE repositories (
     account TEXT NOT NULL, region TEXT NOT NULL, name TEXT NOT NULL,
     created_at INTEGER NOT NULL, data TEXT NOT NULL,
     PRIMARY KEY (account, region, name)) WITHOUT ROWID`,
  // Registry-level configuration: policies, scanning and replication configuration, pull-through cache rules,
  // creation templates, account settings, signing configuration, exclusions. `kind` names the family.
  `CREATE TABLE registry_documents (
     account TEXT NOT NULL, region TEXT NOT NULL, kind TEXT NOT NULL, key TEXT NOT NULL, data TEXT NOT NULL,
     PRIMARY KEY (account, region, kind, key)) WITHOUT ROWID`,
  // Images: one row per manifest in a repository (an index and each of its children are images of their own).
  // The manifest bytes live here, so a manifest and its tag are committed in one transaction.
  `CREATE TABLE images (
     account TEXT NOT NULL, region TEXT NOT NULL, repository TEXT NOT NULL, digest TEXT NOT NULL,
     media_type TEXT NOT NULL, artifact_type TEXT, manifest BLOB NOT NULL, size_in_bytes INTEGER NOT NULL,
     subject_digest TEXT, pushed_at INTEGER NOT NULL, last_pulled_at INTEGER, storage_class TEXT NOT NULL DEFAULT 'STANDARD',
     PRIMARY KEY (account, region, repository, digest)) WITHOUT ROWID`,
  IMAGES_BY_SUBJECT,
  `CREATE TABLE tags (
     account TEXT NOT NULL, region TEXT NOT NULL, repository TEXT NOT NULL, tag TEXT NOT NULL, digest TEXT NOT NULL,
     updated_at INTEGER NOT NULL,
     PRIMARY KEY (account, region, repository, tag)) WITHOUT ROWID`,
  `CREATE INDEX tags_by_digest ON tags (account, region, repository, digest)`,
  // A repository sees a blob only through its link (content-addressed store, per-repository visibility).
  `CREATE TABLE blob_links (
     account TEXT NOT NULL, region TEXT NOT NULL, repository TEXT NOT NULL, digest TEXT NOT NULL,
     size_in_bytes INTEGER NOT NULL, media_type TEXT, linked_at INTEGER NOT NULL,
     PRIMARY KEY (account, region, repository, digest)) WITHOUT ROWID`,
  // Open upload sessions (data plane and layer-upload API); their bytes are in uploads/<id> or memory.
  `CREATE TABLE uploads (
     id TEXT PRIMARY KEY, account TEXT NOT NULL, region TEXT NOT NULL, repository TEXT NOT NULL,
     size_in_bytes INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL)`,
  // UpdateImageStorageClass: when an image was last archived and last restored (DescribeImages reports both).
  `ALTER TABLE images ADD COLUMN last_archived_at INTEGER`,
  `ALTER TABLE images ADD COLUMN last_activated_at INTEGER`,
  // Online garbage collection (store/blob-reclaimer.ts): whether any repository still links a digest, by index.
  `CREATE INDEX blob_links_by_digest ON blob_links (digest)`,
  // Digests whose link some repository lost and whose blob may now be linked by none: blobs are stored once for
  // every scope, so this table alone is not keyed by scope. The reclaimer deletes the blob when no link is left,
  // then the row; a crash in between leaves the row for its next pass.
  `CREATE TABLE blob_reclaims (digest TEXT PRIMARY KEY) WITHOUT ROWID`,
  // Recorded by the statement that removes the link, so in its transaction, whichever code removes it (an unlink, a
  // deleted repository's rows): no link can go without its digest being recorded.
  `CREATE TRIGGER blob_links_reclaim AFTER DELETE ON blob_links BEGIN
     INSERT OR IGNORE INTO blob_reclaims (digest) VALUES (OLD.digest);
   END`,
  // Listings filtered by tag status and storage class page through an index, so a page costs the same at any
  // size (bench/scale.mjs): how many tags point at each image, counted by the triggers below whichever statement
  // changes a tag, and one index per filter, each ordered by digest as DescribeImages and ListImages page.
  `ALTER TABLE images ADD COLUMN tag_count INTEGER NOT NULL DEFAULT 0`,
  `UPDATE images SET tag_count = (SELECT count(*) FROM tags t
     WHERE t.account = images.account AND t.region = images.region AND t.repository = images.repository AND t.digest = images.digest)`,
  TAG_COUNT_ON_INSERT,
  TAG_COUNT_ON_DELETE,
  TAG_COUNT_ON_UPDATE,
  `CREATE INDEX images_by_storage_class ON images (account, region, repository, storage_class, digest)`,
  IMAGES_TAGGED,
  IMAGES_UNTAGGED,
  // The console's newest-first image pages: walked backwards, a page reads a page of rows at any repository size.
  `CREATE INDEX images_by_push ON images (account, region, repository, pushed_at, digest)`,
  // Images become an ordinary (rowid) table, its key a unique index. A WITHOUT ROWID table is an index b-tree, which
  // keeps at most about 1,000 bytes of a row in its leaf: a manifest of a few layers spilled into an overflow page,
  // and a leaf held three or four images, so pushes split leaves again and again. Rows are now appended in rowid
  // order and the key's index holds only the key: a SQLite-only loop of pushes with 1.2 KB manifests went from
  // 124-162 to 85-89 µs per push in memory, and 13 to 12 WAL pages on disk. Rebuilt in place: a new table, the
  // rows copied, the old table dropped (with its indexes) and the new one renamed; the tags' triggers name the
  // images table, so they are dropped first and made again after, as are the indexes. All but
  // images_by_storage_class: a storage class with any tag status is read from the tagged and the untagged indexes,
  // merged (sqlite-image-store.ts), which spares every push one more page.
  `DROP TRIGGER tags_count_insert`,
  `DROP TRIGGER tags_count_delete`,
  `DROP TRIGGER tags_count_update`,
  `CREATE TABLE images_rebuilt (
     account TEXT NOT NULL, region TEXT NOT NULL, repository TEXT NOT NULL, digest TEXT NOT NULL,
     media_type TEXT NOT NULL, artifact_type TEXT, manifest BLOB NOT NULL, size_in_bytes INTEGER NOT NULL,
     subject_digest TEXT, pushed_at INTEGER NOT NULL, last_pulled_at INTEGER, storage_class TEXT NOT NULL DEFAULT 'STANDARD',
     last_archived_at INTEGER, last_activated_at INTEGER, tag_count INTEGER NOT NULL DEFAULT 0,
     PRIMARY KEY (account, region, repository, digest))`,
  `INSERT INTO images_rebuilt (account, region, repository, digest, media_type, artifact_type, manifest, size_in_bytes, subject_digest,
     pushed_at, last_pulled_at, storage_class, last_archived_at, last_activated_at, tag_count)
   SELECT account, region, repository, digest, media_type, artifact_type, manifest, size_in_bytes, subject_digest,
     pushed_at, last_pulled_at, storage_class, last_archived_at, last_activated_at, tag_count FROM images ORDER BY pushed_at, digest`,
  `DROP TABLE images`,
  `ALTER TABLE images_rebuilt RENAME TO images`,
  IMAGES_BY_SUBJECT,
  IMAGES_TAGGED,
  IMAGES_UNTAGGED,
  // With the size, it holds all a repository's summary reads (count, size, last push): that aggregate reads this
  // index alone, not the rows.
  `CREATE INDEX images_by_push ON images (account, region, repository, pushed_at, digest, size_in_bytes)`,
  TAG_COUNT_ON_INSERT,
  TAG_COUNT_ON_DELETE,
  TAG_COUNT_ON_UPDATE,
];
