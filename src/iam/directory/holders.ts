// What the directory's parts share: their collaborators, and users, groups and roles seen alike as holders of
// policies (attachments, inline policies, boundaries). Finding a holder throws IAM's NoSuchEntity for its kind.
import type { Clock } from '../../kernel/clock';
import type { PolicyHolder } from '../iam-entities';
import type { EntityTable, IamRecords, StoredPolicyHolder, StoredTag } from '../iam-records';
import { duplicateTagKeys, entityNotFound, quotaExceeded } from '../iam-errors';

export interface DirectoryParts {
  records: IamRecords;
  clock: Clock;
}

/** What every holder record has, whatever its kind. */
export type HolderRecord = StoredPolicyHolder & { name: string; path: string; id: string; permissionsBoundaryArn?: string };

export function holderTable(records: IamRecords, kind: PolicyHolder['kind']): EntityTable<HolderRecord> {
  switch (kind) {
    case 'user':
      return records.users;
    case 'group':
      return records.groups;
    case 'role':
      return records.roles;
    default: {
      const unknownKind: never = kind;
      throw new Error(`unknown policy holder kind ${String(unknownKind)}`);
    }
  }
}

/** The holder's record; throws NoSuchEntity (`The role with name x cannot be found.`). */
export function requireHolder(records: IamRecords, accountId: string, holder: PolicyHolder): HolderRecord {
  const record = holderTable(records, holder.kind).get(accountId, holder.name);
  if (record === undefined) throw entityNotFound(holder.kind, holder.name);
  return record;
}

export function saveHolder(records: IamRecords, accountId: string, holder: PolicyHolder, record: HolderRecord): void {
  holderTable(records, holder.kind).put(accountId, holder.name, record);
}

/** Every user, group and role of the account, with its record. */
export function allHolders(records: IamRecords, accountId: string): { holder: PolicyHolder; record: HolderRecord }[] {
  return (['group', 'user', 'role'] as const).flatMap((kind) => holderTable(records, kind).list(accountId).map((record) => ({ holder: { kind, name: record.name }, record })));
}

// IAM quotas: "Tags per IAM resource: 50".
const TAGS_PER_ENTITY = 50;

/** Tags after adding `added` (a key already there, compared case-insensitively, takes the new value). */
export function mergeTags(existing: readonly StoredTag[], added: readonly StoredTag[], quota: string): StoredTag[] {
  const addedKeys = added.map((tag) => tag.key.toLowerCase());
  if (new Set(addedKeys).size !== addedKeys.length) throw duplicateTagKeys();
  const merged = [...existing.filter((tag) => !addedKeys.includes(tag.key.toLowerCase())), ...added];
  if (merged.length > TAGS_PER_ENTITY) throw quotaExceeded(quota, TAGS_PER_ENTITY);
  return merged;
}

/** Tags without those of `keys` (case-insensitively); keys without a tag are ignored, as IAM does. */
export function removeTags(existing: readonly StoredTag[], keys: readonly string[]): StoredTag[] {
  const removed = keys.map((key) => key.toLowerCase());
  return existing.filter((tag) => !removed.includes(tag.key.toLowerCase()));
}

/** Whether `path` starts with `prefix` (IAM's PathPrefix filters; no prefix keeps everything). */
export function hasPathPrefix(path: string, prefix: string | undefined): boolean {
  return prefix === undefined || path.startsWith(prefix);
}
