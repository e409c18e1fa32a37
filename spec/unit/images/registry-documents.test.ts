// The typed facade over the registry document store: each kind reads back the value type the table gives it, under
// the kind and key the store has always held it by; a wrong kind, key or value type does not compile.
import type { ReplicationConfiguration } from '../../../src/aws/ecr-types.generated';
import { registryDocuments, type RegistryDocuments, type StoredPullTimeUpdateExclusion } from '../../../src/images/registry-documents';
import type { RegistryDocumentStore } from '../../../src/store/registry-document-store';
import type { Scope } from '../../../src/kernel/scope';
import { openDatabase } from '../../../src/store/sqlite/database';
import { createSqliteRegistryDocumentStore } from '../../../src/store/sqlite/sqlite-registry-document-store';

const SCOPE: Scope = { accountId: '111122223333', region: 'eu-west-1' };
const CONFIGURATION: ReplicationConfiguration = { rules: [{ destinations: [{ region: 'us-east-1', registryId: '111122223333' }] }] };

let store: RegistryDocumentStore;
let documents: RegistryDocuments;

beforeEach(() => {
  store = createSqliteRegistryDocumentStore(openDatabase(':memory:'));
  documents = registryDocuments(store);
});

describe('registryDocuments', () => {
  it('reads back the document put under a kind and key', () => {
    documents.put('replication-configuration', SCOPE, 'configuration', CONFIGURATION);
    const read: ReplicationConfiguration | undefined = documents.get('replication-configuration', SCOPE, 'configuration');
    expect(read).toEqual(CONFIGURATION);
  });

  it('keeps the document in the store under the same kind and key, so stored data reads as before', () => {
    documents.put('replication-configuration', SCOPE, 'configuration', CONFIGURATION);
    expect(store.get(SCOPE, 'replication-configuration', 'configuration')).toEqual(CONFIGURATION);
  });

  it('answers undefined for a document never put', () => {
    expect(documents.get('signing-configuration', SCOPE, 'configuration')).toBeUndefined();
  });

  it('inserts only once and lists the kind ordered by key, typed', () => {
    const exclusion = (principalArn: string): StoredPullTimeUpdateExclusion => ({ principalArn, createdAt: 0 });
    expect(documents.insert('pull-time-update-exclusion', SCOPE, 'b', exclusion('b'))).toBe(true);
    expect(documents.insert('pull-time-update-exclusion', SCOPE, 'a', exclusion('a'))).toBe(true);
    expect(documents.insert('pull-time-update-exclusion', SCOPE, 'a', exclusion('again'))).toBe(false);
    const listed: { key: string; value: StoredPullTimeUpdateExclusion }[] = documents.list('pull-time-update-exclusion', SCOPE);
    expect(listed.map(({ value }) => value.principalArn)).toEqual(['a', 'b']);
  });

  it('deletes a document and answers whether there was one', () => {
    documents.put('account-setting', SCOPE, 'BLOB_MOUNTING', 'ENABLED');
    expect(documents.delete('account-setting', SCOPE, 'BLOB_MOUNTING')).toBe(true);
    expect(documents.delete('account-setting', SCOPE, 'BLOB_MOUNTING')).toBe(false);
  });

  it('refuses at compile time a kind the table does not have, a wrong key, and a wrong value type', () => {
    const refused = (): void => {
      // @ts-expect-error: no such kind
      documents.get('replication', SCOPE, 'configuration');
      // @ts-expect-error: a registry-wide document has one key
      documents.get('replication-configuration', SCOPE, 'other');
      // @ts-expect-error: a signing configuration is not a replication configuration
      documents.put('replication-configuration', SCOPE, 'configuration', { rules: [{ signingProfileArn: 'arn' }] });
      // @ts-expect-error: an account setting is a string
      documents.put('account-setting', SCOPE, 'BLOB_MOUNTING', { value: 'ENABLED' });
    };
    expect(refused).toBeInstanceOf(Function);
  });
});
