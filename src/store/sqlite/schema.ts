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
];
