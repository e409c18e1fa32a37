// IAM's state as it is kept in the registry document store: the record of each entity kind, the key it is stored
// under, and a typed facade over the store. No rules live here (iam-directory.ts and directory/ hold them).
import type { Scope } from '../kernel/scope';
import type { RegistryDocumentStore } from '../store/registry-document-store';

/**
 * IAM is global: one set of users, groups, roles and policies per account, whatever region a request is signed
 * for. They live under the pseudo-region `global`, which no ECR scope uses, so `/_emulator/reset` clears them with
 * everything else and no regional document can collide with them.
 */
export const IAM_REGION = 'global';

/**
 * A request names its access key id and nothing else, so the keys of every account are kept in one index, under a
 * pseudo-account no 12-digit account can be. Deleted keys stay as tombstones (`deletedAt`).
 */
const ACCESS_KEY_INDEX_SCOPE: Scope = { accountId: 'iam-access-keys', region: IAM_REGION };

export function iamScope(accountId: string): Scope {
  return { accountId, region: IAM_REGION };
}

export interface StoredTag {
  key: string;
  value: string;
}

/** What users, groups and roles share: where their policies are. */
export interface StoredPolicyHolder {
  /** Managed policy ARNs, in the order they were attached. */
  attachedPolicyArns: string[];
  /** Inline policy name → document text exactly as put. */
  inlinePolicies: Record<string, string>;
}

export interface StoredUser extends StoredPolicyHolder {
  name: string;
  path: string;
  id: string;
  /** Epoch milliseconds, as every time in these records. */
  createdAt: number;
  tags: StoredTag[];
  permissionsBoundaryArn?: string;
  /** The names of the groups the user is in, as the groups spell them. */
  groups: string[];
  /** The user's access keys, oldest first; their details are in the access key index. */
  accessKeyIds: string[];
}

export type StoredGroup = StoredPolicyHolder & { name: string; path: string; id: string; createdAt: number };

export interface StoredRole extends StoredPolicyHolder {
  name: string;
  path: string;
  id: string;
  createdAt: number;
  assumeRolePolicyDocument: string;
  description?: string;
  maxSessionDurationSeconds: number;
  tags: StoredTag[];
  permissionsBoundaryArn?: string;
  lastUsed?: { at: number; region: string };
}

export interface StoredPolicyVersion {
  id: string;
  document: string;
  createdAt: number;
}

export interface StoredPolicy {
  name: string;
  path: string;
  id: string;
  createdAt: number;
  updatedAt: number;
  description?: string;
  tags: StoredTag[];
  defaultVersionId: string;
  /** Oldest first. */
  versions: StoredPolicyVersion[];
  /** The number the next version gets: IAM never reuses a deleted version's id. */
  nextVersion: number;
}

export type AccessKeyStatus = 'Active' | 'Inactive';

export interface StoredAccessKey {
  accessKeyId: string;
  accountId: string;
  userName: string;
  secretAccessKey: string;
  status: AccessKeyStatus;
  createdAt: number;
  lastUsed?: { at: number; serviceName: string; region: string };
  /** Set when the key was deleted: the key is remembered as issued, and no longer verifies. */
  deletedAt?: number;
}

/** One entity kind of one account, keyed by its name folded to lower case: IAM names are unique case-insensitively. */
export interface EntityTable<Record> {
  get(accountId: string, name: string): Record | undefined;
  /** Inserts only; false when the name is taken. */
  insert(accountId: string, name: string, record: Record): boolean;
  put(accountId: string, name: string, record: Record): void;
  delete(accountId: string, name: string): boolean;
  /** Every record of the account, ordered by folded name. */
  list(accountId: string): Record[];
}

export interface AccessKeyIndex {
  get(accessKeyId: string): StoredAccessKey | undefined;
  put(key: StoredAccessKey): void;
}

export interface IamRecords {
  users: EntityTable<StoredUser>;
  groups: EntityTable<StoredGroup>;
  roles: EntityTable<StoredRole>;
  /** Customer managed policies; AWS managed ones are not stored (aws-managed-policies.ts). */
  policies: EntityTable<StoredPolicy>;
  accessKeys: AccessKeyIndex;
  /**
   * Counts the writes to users, groups, roles and policies in this process: whatever was derived from them (the
   * policies a principal acts with) is current while the count has not moved. Key use is not counted.
   */
  generation(): number;
}

export function foldName(name: string): string {
  return name.toLowerCase();
}

function entityTable<Record>(documents: RegistryDocumentStore, kind: string): EntityTable<Record> {
  return {
    get: (accountId, name) => documents.get(iamScope(accountId), kind, foldName(name)) as Record | undefined,
    insert: (accountId, name, record) => documents.insert(iamScope(accountId), kind, foldName(name), record),
    put: (accountId, name, record) => documents.put(iamScope(accountId), kind, foldName(name), record),
    delete: (accountId, name) => documents.delete(iamScope(accountId), kind, foldName(name)),
    list: (accountId) => documents.list(iamScope(accountId), kind).map(({ value }) => value as Record),
  };
}

export function createIamRecords(documents: RegistryDocumentStore): IamRecords {
  let generation = 0;
  const counted = <Record>(table: EntityTable<Record>): EntityTable<Record> => ({
    ...table,
    insert(accountId, name, record) {
      generation += 1;
      return table.insert(accountId, name, record);
    },
    put(accountId, name, record) {
      generation += 1;
      table.put(accountId, name, record);
    },
    delete(accountId, name) {
      generation += 1;
      return table.delete(accountId, name);
    },
  });
  return {
    users: counted(entityTable<StoredUser>(documents, 'iam-user')),
    groups: counted(entityTable<StoredGroup>(documents, 'iam-group')),
    roles: counted(entityTable<StoredRole>(documents, 'iam-role')),
    policies: counted(entityTable<StoredPolicy>(documents, 'iam-policy')),
    accessKeys: {
      get: (accessKeyId) => documents.get(ACCESS_KEY_INDEX_SCOPE, 'iam-access-key', accessKeyId) as StoredAccessKey | undefined,
      put: (key) => documents.put(ACCESS_KEY_INDEX_SCOPE, 'iam-access-key', key.accessKeyId, key),
    },
    generation: () => generation,
  };
}
