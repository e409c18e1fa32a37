// The configuration stores' read cache: values read outside a transaction are kept, frozen and shared; every write
// forgets what it touched; nothing a rolled-back transaction read or wrote survives it; a reset forgets everything.
import { openDatabase, type Database } from '../../../src/store/sqlite/database';
import { createReadCache } from '../../../src/store/sqlite/read-cache';
import { createSqliteRegistryDocumentStore } from '../../../src/store/sqlite/sqlite-registry-document-store';
import { createSqliteRepositoryStore } from '../../../src/store/sqlite/sqlite-repository-store';
import { openStorage } from '../../../src/server/storage';
import type { RepositoryRecord } from '../../../src/store/repository-store';

const SCOPE = { accountId: '000000000000', region: 'us-east-1' };

function record(name: string, overrides: Partial<RepositoryRecord> = {}): RepositoryRecord {
  return { name, createdAt: new Date(0), imageTagMutability: 'MUTABLE', imageTagMutabilityExclusionFilters: [], imageScanningConfiguration: { scanOnPush: false }, encryptionConfiguration: { encryptionType: 'AES256' }, tags: [], ...overrides } as unknown as RepositoryRecord;
}

describe('createReadCache', () => {
  let db: Database;
  beforeEach(() => (db = openDatabase(':memory:')));
  afterEach(() => db.close());

  it('loads once, then answers from memory with the same frozen value, absence included', () => {
    const cache = createReadCache<{ items: string[] }>(db);
    let loads = 0;
    const load = () => {
      loads += 1;
      return { value: { items: ['a'] }, bytes: 16 };
    };
    const first = cache.read('k', load);
    expect(cache.read('k', load)).toBe(first);
    expect(loads).toBe(1);
    expect(Object.isFrozen(first) && Object.isFrozen(first!.items)).toBe(true);
    expect(() => first!.items.push('b')).toThrow(TypeError);
    let absentLoads = 0;
    expect(cache.read('none', () => void (absentLoads += 1))).toBeUndefined();
    expect(cache.read('none', () => void (absentLoads += 1))).toBeUndefined();
    expect(absentLoads).toBe(1);
  });

  it('keeps nothing read inside a transaction, which may yet roll back', () => {
    const cache = createReadCache<string>(db);
    let loads = 0;
    db.transaction(() => {
      cache.read('k', () => ((loads += 1), { value: 'uncommitted', bytes: 11 }));
    })();
    cache.read('k', () => ((loads += 1), { value: 'committed', bytes: 9 }));
    expect(loads).toBe(2);
  });

  it('reads again what was forgotten, and everything after clear', () => {
    const cache = createReadCache<number>(db);
    let version = 1;
    const load = () => ({ value: version, bytes: 8 });
    cache.read('a', load);
    cache.read('b', load);
    version = 2;
    cache.forget('a');
    expect([cache.read('a', load), cache.read('b', load)]).toEqual([2, 1]);
    version = 3;
    cache.clear();
    expect([cache.read('a', load), cache.read('b', load)]).toEqual([3, 3]);
  });
});

describe('the registry document store over its cache', () => {
  let db: Database;
  beforeEach(() => (db = openDatabase(':memory:')));
  afterEach(() => db.close());

  it('answers every write at once, for the document and for its family', () => {
    const documents = createSqliteRegistryDocumentStore(db);
    expect(documents.get(SCOPE, 'replication', 'configuration')).toBeUndefined();
    expect(documents.list(SCOPE, 'rule')).toEqual([]);
    documents.put(SCOPE, 'replication', 'configuration', { rules: [1] });
    expect(documents.insert(SCOPE, 'rule', 'b', { n: 2 })).toBe(true);
    expect(documents.get(SCOPE, 'replication', 'configuration')).toEqual({ rules: [1] });
    expect(documents.list(SCOPE, 'rule')).toEqual([{ key: 'b', value: { n: 2 } }]);
    documents.put(SCOPE, 'rule', 'a', { n: 1 });
    expect(documents.list(SCOPE, 'rule').map((entry) => entry.key)).toEqual(['a', 'b']);
    expect(documents.delete(SCOPE, 'rule', 'b')).toBe(true);
    expect(documents.list(SCOPE, 'rule')).toEqual([{ key: 'a', value: { n: 1 } }]);
    expect(documents.get({ ...SCOPE, region: 'eu-west-1' }, 'replication', 'configuration')).toBeUndefined();
  });

  it('shows nothing of a write its transaction rolled back', () => {
    const documents = createSqliteRegistryDocumentStore(db);
    documents.put(SCOPE, 'policy', 'registry', { v: 1 });
    expect(documents.get(SCOPE, 'policy', 'registry')).toEqual({ v: 1 });
    expect(() =>
      db.transaction(() => {
        documents.put(SCOPE, 'policy', 'registry', { v: 2 });
        expect(documents.get(SCOPE, 'policy', 'registry')).toEqual({ v: 2 });
        throw new Error('rolled back');
      })(),
    ).toThrow('rolled back');
    expect(documents.get(SCOPE, 'policy', 'registry')).toEqual({ v: 1 });
  });
});

describe('the repository store over its cache', () => {
  let db: Database;
  beforeEach(() => (db = openDatabase(':memory:')));
  afterEach(() => db.close());

  it('answers a create, an update and a delete at once, and shows nothing of a rolled-back update', () => {
    const repositories = createSqliteRepositoryStore(db);
    expect(repositories.find(SCOPE, 'app')).toBeUndefined();
    expect(repositories.create(SCOPE, record('app'))).toBe(true);
    expect(repositories.find(SCOPE, 'app')).toMatchObject({ name: 'app', imageTagMutability: 'MUTABLE' });
    expect(Object.isFrozen(repositories.find(SCOPE, 'app'))).toBe(true);
    repositories.update(SCOPE, 'app', (current) => ({ ...current, imageTagMutability: 'IMMUTABLE' }));
    expect(repositories.find(SCOPE, 'app')?.imageTagMutability).toBe('IMMUTABLE');
    expect(() =>
      db.transaction(() => {
        repositories.update(SCOPE, 'app', (current) => ({ ...current, imageTagMutability: 'MUTABLE' }));
        throw new Error('rolled back');
      })(),
    ).toThrow('rolled back');
    expect(repositories.find(SCOPE, 'app')?.imageTagMutability).toBe('IMMUTABLE');
    expect(repositories.delete(SCOPE, 'app')).toMatchObject({ outcome: 'deleted' });
    expect(repositories.find(SCOPE, 'app')).toBeUndefined();
  });
});

it('forgets every cached record and document when the storage is reset', async () => {
  const storage = openStorage(undefined);
  storage.repositories.create(SCOPE, record('app'));
  storage.documents.put(SCOPE, 'policy', 'registry', { v: 1 });
  expect([storage.repositories.find(SCOPE, 'app')?.name, storage.documents.get(SCOPE, 'policy', 'registry')]).toEqual(['app', { v: 1 }]);
  await storage.reset();
  expect([storage.repositories.find(SCOPE, 'app'), storage.documents.get(SCOPE, 'policy', 'registry'), storage.documents.list(SCOPE, 'policy')]).toEqual([undefined, undefined, []]);
  storage.close();
});
