// The metadata schema, applied in order at open. Every table is keyed by (account, region) first: scopes never mix.
// Append a new statement to change the schema; never edit an applied one (user_version counts them).

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
  `CREATE INDEX images_by_subject ON images (account, region, repository, subject_digest) WHERE subject_digest IS NOT NULL`,
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
];
