// Users' access keys: at most two per user, Active or Inactive, found by key id alone across accounts (a request
// names nothing else), and remembered after deletion so a deleted key is refused rather than taken for a root's.
import { accessKeyAlreadyIssued, accessKeyNotFound, quotaExceeded } from '../iam-errors';
import { accessKeyView, type IamAccessKey } from '../iam-entities';
import { newIamId, newSecretAccessKey } from '../iam-ids';
import type { AccessKeyStatus, StoredAccessKey } from '../iam-records';
import type { DirectoryParts } from './holders';
import { requireUserRecord } from './users';

// IAM quotas: "Access keys assigned to an IAM user: 2".
const ACCESS_KEYS_PER_USER = 2;

/** A key whose id and secret are fixed beforehand (the IAM file), instead of newly made. */
export interface FixedAccessKey {
  accessKeyId: string;
  secretAccessKey: string;
  status?: AccessKeyStatus;
}

export function createAccessKeyRules(parts: DirectoryParts) {
  const { records, clock } = parts;

  /** The user's live key with that id; NoSuchEntity for another user's key, a deleted one or none. */
  function requireKey(accountId: string, userName: string, accessKeyId: string): StoredAccessKey {
    const user = requireUserRecord(parts, accountId, userName);
    const key = records.accessKeys.get(accessKeyId);
    if (key === undefined || key.deletedAt !== undefined || key.accountId !== accountId || !user.accessKeyIds.includes(accessKeyId)) throw accessKeyNotFound(accessKeyId);
    return key;
  }

  return {
    /** Throws LimitExceeded past two keys; EntityAlreadyExists for a fixed id issued before. */
    createAccessKey(accountId: string, userName: string, fixed?: FixedAccessKey): IamAccessKey {
      const user = requireUserRecord(parts, accountId, userName);
      if (user.accessKeyIds.length >= ACCESS_KEYS_PER_USER) throw quotaExceeded('AccessKeysPerUser', ACCESS_KEYS_PER_USER);
      const accessKeyId = fixed?.accessKeyId ?? newIamId('AKIA');
      if (records.accessKeys.get(accessKeyId) !== undefined) throw accessKeyAlreadyIssued(accessKeyId);
      const key: StoredAccessKey = {
        accessKeyId,
        accountId,
        userName: user.name,
        secretAccessKey: fixed?.secretAccessKey ?? newSecretAccessKey(),
        status: fixed?.status ?? 'Active',
        createdAt: clock.now().getTime(),
      };
      records.accessKeys.put(key);
      records.users.put(accountId, user.name, { ...user, accessKeyIds: [...user.accessKeyIds, accessKeyId] });
      return accessKeyView(key);
    },

    /** Leaves a tombstone: wasAccessKeyIssued stays true. */
    deleteAccessKey(accountId: string, userName: string, accessKeyId: string): void {
      const key = requireKey(accountId, userName, accessKeyId);
      const user = requireUserRecord(parts, accountId, userName);
      records.accessKeys.put({ ...key, deletedAt: clock.now().getTime() });
      records.users.put(accountId, user.name, { ...user, accessKeyIds: user.accessKeyIds.filter((id) => id !== accessKeyId) });
    },

    updateAccessKey(accountId: string, userName: string, accessKeyId: string, status: AccessKeyStatus): void {
      records.accessKeys.put({ ...requireKey(accountId, userName, accessKeyId), status });
    },

    /** The user's keys, oldest first. */
    listAccessKeys(accountId: string, userName: string): IamAccessKey[] {
      const user = requireUserRecord(parts, accountId, userName);
      return user.accessKeyIds.flatMap((id) => {
        const key = records.accessKeys.get(id);
        return key === undefined || key.deletedAt !== undefined ? [] : [accessKeyView(key)];
      });
    },

    findAccessKey(accessKeyId: string): IamAccessKey | undefined {
      const key = records.accessKeys.get(accessKeyId);
      return key === undefined || key.deletedAt !== undefined ? undefined : accessKeyView(key);
    },

    wasAccessKeyIssued(accessKeyId: string): boolean {
      return records.accessKeys.get(accessKeyId) !== undefined;
    },

    noteAccessKeyUse(accessKeyId: string, use: { serviceName: string; region: string; at: Date }): void {
      const key = records.accessKeys.get(accessKeyId);
      if (key === undefined || key.deletedAt !== undefined) return;
      records.accessKeys.put({ ...key, lastUsed: { at: use.at.getTime(), serviceName: use.serviceName, region: use.region } });
    },

    /** GetAccessKeyLastUsed: a key of the account, deleted or not, with its user. NoSuchEntity for any other. */
    accessKeyLastUsed(accountId: string, accessKeyId: string): Pick<IamAccessKey, 'userName' | 'lastUsed'> {
      const key = records.accessKeys.get(accessKeyId);
      if (key === undefined || key.accountId !== accountId) throw accessKeyNotFound(accessKeyId);
      const { userName, lastUsed } = accessKeyView(key);
      return { userName, ...(lastUsed !== undefined ? { lastUsed } : {}) };
    },
  };
}

export type AccessKeyRules = ReturnType<typeof createAccessKeyRules>;
