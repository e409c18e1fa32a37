// The metadata store contracts (RepositoryStore, ImageStore, BlobLinkStore, UploadStore, RegistryDocumentStore), run
// against SQLite in memory and on disk, opened as server/storage.ts opens them; on disk adds reopening the database
// and opening one written at an earlier schema step.
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { BlobLinkStore } from '../../src/store/blob-link-store';
import type { ImageListing, ImageRecord, ImageStore } from '../../src/store/image-store';
import type { RegistryDocumentStore } from '../../src/store/registry-document-store';
import type { RepositoryRecord, RepositoryStore } from '../../src/store/repository-store';
import type { Scope } from '../../src/kernel/scope';
import type { UploadStore } from '../../src/store/upload-store';
import { openDatabase, type Database } from '../../src/store/sqlite/database';
import { SCHEMA_STEPS } from '../../src/store/sqlite/schema';
import { createSqliteBlobLinkStore } from '../../src/store/sqlite/sqlite-blob-link-store';
import { createSqliteImageStore } from '../../src/store/sqlite/sqlite-image-store';
import { createSqliteRegistryDocumentStore } from '../../src/store/sqlite/sqlite-registry-document-store';
import { createSqliteRepositoryStore } from '../../src/store/sqlite/sqlite-repository-store';
import { createSqliteUploadStore } from '../../src/store/sqlite/sqlite-upload-store';

interface MetadataStores {
  db: Database;
  repositories: RepositoryStore;
  images: ImageStore;
  links: BlobLinkStore;
  uploads: UploadStore;
  documents: RegistryDocumentStore;
}

function openStores(path: string): MetadataStores {
  const db = openDatabase(path);
  return {
    db,
    repositories: createSqliteRepositoryStore(db),
    images: createSqliteImageStore(db),
    links: createSqliteBlobLinkStore(db),
    uploads: createSqliteUploadStore(db),
    documents: createSqliteRegistryDocumentStore(db),
  };
}

const directories: string[] = [];
afterAll(() => {
  for (const directory of directories) rmSync(directory, { recursive: true, force: true });
});

function newDatabasePath(): string {
  const directory = mkdtempSync(join(tmpdir(), 'metadata-stores-'));
  directories.push(directory);
  return join(directory, 'metadata.db');
}

const SCOPE: Scope = { accountId: '111111111111', region: 'us-east-1' };
const OTHER_ACCOUNT: Scope = { accountId: '222222222222', region: 'us-east-1' };
const OTHER_REGION: Scope = { accountId: '111111111111', region: 'eu-west-1' };
const OTHER_SCOPES: [string, Scope][] = [
  ['another account', OTHER_ACCOUNT],
  ['another region', OTHER_REGION],
];
/** Where repository 'app' of SCOPE is not: the same name in another scope, or another repository of SCOPE. */
const ELSEWHERE: [string, Scope, string][] = [
  ['the same repository name in another account', OTHER_ACCOUNT, 'app'],
  ['the same repository name in another region', OTHER_REGION, 'app'],
  ['another repository of the scope', SCOPE, 'other'],
];

const at = (seconds: number): Date => new Date(1_700_000_000_000 + seconds * 1000);

function repository(name: string, changes: Partial<RepositoryRecord> = {}): RepositoryRecord {
  return {
    name,
    createdAt: at(0),
    imageTagMutability: 'MUTABLE',
    imageScanningConfiguration: { scanOnPush: false },
    encryptionConfiguration: { encryptionType: 'AES256' },
    tags: [],
    ...changes,
  };
}

function image(content: string, changes: Partial<ImageRecord> = {}): ImageRecord {
  const manifest = Buffer.from(JSON.stringify({ schemaVersion: 2, content }));
  return {
    digest: `sha256:${createHash('sha256').update(manifest).digest('hex')}`,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    manifest,
    sizeInBytes: 1000,
    pushedAt: at(10),
    ...changes,
  };
}

/** Images whose digests sort in the order given (digests are hashes, so their order is not the contents'). */
function imagesInDigestOrder(count: number): ImageRecord[] {
  return Array.from({ length: count }, (_, index) => image(`image-${index}`)).sort((left, right) => (left.digest < right.digest ? -1 : 1));
}

const blobDigest = (character: string): string => `sha256:${character.repeat(64)}`;

const implementations: [string, () => string][] = [
  ['SQLite in memory', () => ':memory:'],
  ['SQLite on disk', newDatabasePath],
];

describe.each(implementations)('metadata stores (%s)', (_name, pathFor) => {
  let stores: MetadataStores;
  beforeEach(() => {
    stores = openStores(pathFor());
  });
  afterEach(() => {
    stores.db.close();
  });

  describe('RepositoryStore', () => {
    test('finds a created repository with every member as it was written', () => {
      const record = repository('team/app', {
        imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION',
        imageTagMutabilityExclusionFilters: [{ filterType: 'WILDCARD', filter: 'dev-*' }],
        imageScanningConfiguration: { scanOnPush: true },
        encryptionConfiguration: { encryptionType: 'KMS', kmsKey: 'arn:aws:kms:us-east-1:111111111111:key/k' },
        tags: [{ Key: 'team', Value: 'a' }],
        policyText: '{"Version":"2012-10-17","Statement":[]}',
        lifecyclePolicyText: '{"rules":[]}',
        lifecyclePolicyUpdatedAt: at(5),
        lifecyclePolicyEvaluatedAt: at(6),
      });
      expect(stores.repositories.create(SCOPE, record)).toBe(true);
      expect(stores.repositories.find(SCOPE, 'team/app')).toEqual(record);
    });

    test('finds no repository that was never created', () => {
      expect(stores.repositories.find(SCOPE, 'absent')).toBeUndefined();
    });

    test('refuses to create a name taken in the scope, keeping the first record', () => {
      stores.repositories.create(SCOPE, repository('app', { imageTagMutability: 'MUTABLE' }));
      expect(stores.repositories.create(SCOPE, repository('app', { imageTagMutability: 'IMMUTABLE' }))).toBe(false);
      expect(stores.repositories.find(SCOPE, 'app')?.imageTagMutability).toBe('MUTABLE');
    });

    test.each(OTHER_SCOPES)('creates a name taken in %s', (_case, other) => {
      stores.repositories.create(SCOPE, repository('app'));
      expect(stores.repositories.create(other, repository('app'))).toBe(true);
    });

    test.each(OTHER_SCOPES)('shows nothing of a scope to %s', (_case, other) => {
      stores.repositories.create(SCOPE, repository('app'));
      expect(stores.repositories.find(other, 'app')).toBeUndefined();
      expect(stores.repositories.list(other, { limit: 10 })).toEqual({ repositories: [] });
    });

    test('lists repositories ordered by name, whatever the order of creation', () => {
      for (const name of ['b/x', 'c', 'a', 'b']) stores.repositories.create(SCOPE, repository(name));
      expect(stores.repositories.list(SCOPE, { limit: 10 }).repositories.map((record) => record.name)).toEqual(['a', 'b', 'b/x', 'c']);
    });

    test('pages a listing by limit, naming the last repository while more remain', () => {
      for (const name of ['a', 'b', 'c', 'd', 'e']) stores.repositories.create(SCOPE, repository(name));
      const namesOf = (page: { repositories: RepositoryRecord[] }) => page.repositories.map((record) => record.name);
      const first = stores.repositories.list(SCOPE, { limit: 2 });
      expect([namesOf(first), first.lastName]).toEqual([['a', 'b'], 'b']);
      const second = stores.repositories.list(SCOPE, { limit: 2, afterName: first.lastName! });
      expect([namesOf(second), second.lastName]).toEqual([['c', 'd'], 'd']);
      const last = stores.repositories.list(SCOPE, { limit: 2, afterName: second.lastName! });
      expect(namesOf(last)).toEqual(['e']);
      expect(last).not.toHaveProperty('lastName');
    });

    test('names no last repository when the repositories exactly fill the page', () => {
      for (const name of ['a', 'b']) stores.repositories.create(SCOPE, repository(name));
      expect(stores.repositories.list(SCOPE, { limit: 2 })).not.toHaveProperty('lastName');
    });

    test('lists the named repositories that exist, sorted and once each, without paging', () => {
      for (const name of ['a', 'b', 'c']) stores.repositories.create(SCOPE, repository(name));
      const page = stores.repositories.list(SCOPE, { limit: 1, names: ['c', 'absent', 'a', 'c'] });
      expect(page.repositories.map((record) => record.name)).toEqual(['a', 'c']);
      expect(page).not.toHaveProperty('lastName');
    });

    test('updates a repository in place and returns the updated record', () => {
      stores.repositories.create(SCOPE, repository('app'));
      const updated = stores.repositories.update(SCOPE, 'app', (record) => ({ ...record, policyText: '{}', lifecyclePolicyUpdatedAt: at(30) }));
      expect(updated).toEqual(repository('app', { policyText: '{}', lifecyclePolicyUpdatedAt: at(30) }));
      expect(stores.repositories.find(SCOPE, 'app')).toEqual(updated);
    });

    test('updates no repository that does not exist, without calling the change', () => {
      const change = jest.fn((record: RepositoryRecord) => record);
      expect(stores.repositories.update(SCOPE, 'absent', change)).toBeUndefined();
      expect(change).not.toHaveBeenCalled();
      expect(stores.repositories.find(SCOPE, 'absent')).toBeUndefined();
    });

    test('keeps the record when the change throws', () => {
      stores.repositories.create(SCOPE, repository('app'));
      expect(() =>
        stores.repositories.update(SCOPE, 'app', () => {
          throw new Error('refused');
        }),
      ).toThrow('refused');
      expect(stores.repositories.find(SCOPE, 'app')).toEqual(repository('app'));
    });

    test('deletes an empty repository and returns its record', () => {
      stores.repositories.create(SCOPE, repository('app'));
      expect(stores.repositories.delete(SCOPE, 'app')).toEqual({ outcome: 'deleted', record: repository('app') });
      expect(stores.repositories.find(SCOPE, 'app')).toBeUndefined();
    });

    test('answers absent for a delete of a repository that does not exist', () => {
      expect(stores.repositories.delete(SCOPE, 'absent')).toEqual({ outcome: 'absent' });
    });

    test('refuses to delete a repository holding images without force, and keeps it and its images', () => {
      stores.repositories.create(SCOPE, repository('app'));
      const held = image('held');
      stores.images.put(SCOPE, 'app', held, 'v1');
      expect(stores.repositories.delete(SCOPE, 'app')).toEqual({ outcome: 'hasImages' });
      expect(stores.repositories.delete(SCOPE, 'app', { force: false })).toEqual({ outcome: 'hasImages' });
      expect(stores.repositories.find(SCOPE, 'app')).toBeDefined();
      expect(stores.images.findTag(SCOPE, 'app', 'v1')).toBe(held.digest);
    });

    test('deletes a repository holding images with force, with its images, tags, links and uploads', () => {
      stores.repositories.create(SCOPE, repository('app'));
      const held = image('held');
      stores.images.put(SCOPE, 'app', held, 'v1');
      stores.links.link(SCOPE, 'app', { digest: blobDigest('1'), sizeInBytes: 5 }, at(1));
      stores.uploads.create(SCOPE, { id: 'upload-1', repository: 'app', sizeInBytes: 0, createdAt: at(1), updatedAt: at(1) });
      expect(stores.repositories.delete(SCOPE, 'app', { force: true })).toMatchObject({ outcome: 'deleted' });
      expect([
        stores.images.find(SCOPE, 'app', held.digest),
        stores.images.findTag(SCOPE, 'app', 'v1'),
        stores.links.find(SCOPE, 'app', blobDigest('1')),
        stores.uploads.find(SCOPE, 'app', 'upload-1'),
      ]).toEqual([undefined, undefined, undefined, undefined]);
    });

    test('leaves what another repository and the same name in other scopes hold when deleting with force', () => {
      const held = image('held');
      for (const [scope, name] of [[SCOPE, 'app'], [SCOPE, 'other'], [OTHER_ACCOUNT, 'app'], [OTHER_REGION, 'app']] as const) {
        stores.repositories.create(scope, repository(name));
        stores.images.put(scope, name, held, 'v1');
        stores.links.link(scope, name, { digest: blobDigest('1'), sizeInBytes: 5 }, at(1));
      }
      stores.repositories.delete(SCOPE, 'app', { force: true });
      for (const [scope, name] of [[SCOPE, 'other'], [OTHER_ACCOUNT, 'app'], [OTHER_REGION, 'app']] as const) {
        expect(stores.repositories.find(scope, name)).toBeDefined();
        expect(stores.images.findTag(scope, name, 'v1')).toBe(held.digest);
        expect(stores.links.find(scope, name, blobDigest('1'))).toBeDefined();
      }
    });

    test('tells whether a repository holds images', () => {
      stores.repositories.create(SCOPE, repository('app'));
      expect(stores.repositories.hasImages(SCOPE, 'app')).toBe(false);
      stores.images.put(SCOPE, 'app', image('one'));
      expect(stores.repositories.hasImages(SCOPE, 'app')).toBe(true);
      expect(stores.repositories.hasImages(OTHER_ACCOUNT, 'app')).toBe(false);
    });

    test('names each scope with a lifecycle policy once, ordered by account then region', () => {
      stores.repositories.create(OTHER_ACCOUNT, repository('a', { lifecyclePolicyText: '{}' }));
      stores.repositories.create(OTHER_REGION, repository('b', { lifecyclePolicyText: '{}' }));
      stores.repositories.create(SCOPE, repository('c', { lifecyclePolicyText: '{}' }));
      stores.repositories.create(SCOPE, repository('d', { lifecyclePolicyText: '{}' }));
      stores.repositories.create({ accountId: '333333333333', region: 'us-east-1' }, repository('no-policy'));
      expect(stores.repositories.scopesWithLifecyclePolicies()).toEqual([OTHER_REGION, SCOPE, OTHER_ACCOUNT]);
    });

    test('names each scope holding a repository once, ordered by account then region', () => {
      stores.repositories.create(OTHER_ACCOUNT, repository('a'));
      stores.repositories.create(SCOPE, repository('b'));
      stores.repositories.create(SCOPE, repository('c'));
      stores.repositories.create(OTHER_REGION, repository('d'));
      expect(stores.repositories.scopes()).toEqual([OTHER_REGION, SCOPE, OTHER_ACCOUNT]);
    });
  });

  describe('ImageStore', () => {
    test('finds a stored image as it was written, without the optional members it lacks', () => {
      const record = image('one');
      stores.images.put(SCOPE, 'app', record);
      const found = stores.images.find(SCOPE, 'app', record.digest);
      expect(found).toEqual(record);
      expect(found).not.toHaveProperty('artifactType');
      expect(found).not.toHaveProperty('subjectDigest');
    });

    test('keeps the artifactType and subject of an image', () => {
      const record = image('signature', { artifactType: 'application/vnd.example.signature', subjectDigest: blobDigest('5') });
      stores.images.put(SCOPE, 'app', record);
      expect(stores.images.find(SCOPE, 'app', record.digest)).toEqual(record);
    });

    test('finds no image that was never stored', () => {
      expect(stores.images.find(SCOPE, 'app', blobDigest('0'))).toBeUndefined();
    });

    test.each(ELSEWHERE)('shows nothing of a repository to %s', (_case, other, repositoryName) => {
      const record = image('one');
      stores.images.put(SCOPE, 'app', record, 'v1');
      expect([
        stores.images.find(other, repositoryName, record.digest),
        stores.images.findTag(other, repositoryName, 'v1'),
        stores.images.details(other, repositoryName, record.digest),
        stores.images.list(other, repositoryName),
        stores.images.listTags(other, repositoryName, { limit: 10 }).tags,
      ]).toEqual([undefined, undefined, undefined, [], []]);
    });

    test('points a tag at the image it is stored with', () => {
      const record = image('one');
      stores.images.put(SCOPE, 'app', record, 'v1');
      expect(stores.images.findTag(SCOPE, 'app', 'v1')).toBe(record.digest);
      expect(stores.images.tagsOf(SCOPE, 'app', record.digest)).toEqual(['v1']);
    });

    test('keeps the first pushedAt when the same image is stored again', () => {
      const record = image('one', { pushedAt: at(10) });
      stores.images.put(SCOPE, 'app', record);
      stores.images.put(SCOPE, 'app', { ...record, pushedAt: at(99) }, 'v2');
      expect(stores.images.find(SCOPE, 'app', record.digest)?.pushedAt).toEqual(at(10));
      expect(stores.images.tagsOf(SCOPE, 'app', record.digest)).toEqual(['v2']);
    });

    test('moves a tag to the image it is stored with last, leaving the previous image untagged but stored', () => {
      const [first, second] = [image('first'), image('second')];
      stores.images.put(SCOPE, 'app', first!, 'latest');
      stores.images.put(SCOPE, 'app', second!, 'latest');
      expect(stores.images.findTag(SCOPE, 'app', 'latest')).toBe(second!.digest);
      expect(stores.images.tagsOf(SCOPE, 'app', first!.digest)).toEqual([]);
      expect(stores.images.find(SCOPE, 'app', first!.digest)).toBeDefined();
    });

    test('lists the tags of an image in order', () => {
      const record = image('one');
      for (const tag of ['v2', 'latest', 'v1']) stores.images.put(SCOPE, 'app', record, tag);
      expect(stores.images.tagsOf(SCOPE, 'app', record.digest)).toEqual(['latest', 'v1', 'v2']);
    });

    test('deletes a tag, keeping its image', () => {
      const record = image('one');
      stores.images.put(SCOPE, 'app', record, 'v1');
      expect(stores.images.deleteTag(SCOPE, 'app', 'v1')).toBe(true);
      expect(stores.images.findTag(SCOPE, 'app', 'v1')).toBeUndefined();
      expect(stores.images.find(SCOPE, 'app', record.digest)).toBeDefined();
    });

    test('answers false for a delete of a tag that does not exist', () => {
      expect(stores.images.deleteTag(SCOPE, 'app', 'absent')).toBe(false);
    });

    test('deletes an image with every tag pointing at it', () => {
      const record = image('one');
      stores.images.put(SCOPE, 'app', record, 'v1');
      stores.images.put(SCOPE, 'app', record, 'v2');
      expect(stores.images.delete(SCOPE, 'app', record.digest)).toBe(true);
      expect([stores.images.find(SCOPE, 'app', record.digest), stores.images.findTag(SCOPE, 'app', 'v1'), stores.images.findTag(SCOPE, 'app', 'v2')]).toEqual([undefined, undefined, undefined]);
    });

    test('answers false for a delete of an image that does not exist', () => {
      expect(stores.images.delete(SCOPE, 'app', blobDigest('0'))).toBe(false);
    });

    test('lists tags in code-point order, across images', () => {
      const [first, second] = [image('first'), image('second')];
      for (const tag of ['v1', 'latest', '_x']) stores.images.put(SCOPE, 'app', first!, tag);
      for (const tag of ['V2', '1.0']) stores.images.put(SCOPE, 'app', second!, tag);
      expect(stores.images.listTags(SCOPE, 'app', { limit: 10 })).toEqual({ tags: ['1.0', 'V2', '_x', 'latest', 'v1'], hasMore: false });
    });

    test('pages tags by limit after afterTag, telling whether more remain', () => {
      const record = image('one');
      for (const tag of ['a', 'b', 'c', 'd', 'e']) stores.images.put(SCOPE, 'app', record, tag);
      expect(stores.images.listTags(SCOPE, 'app', { limit: 2 })).toEqual({ tags: ['a', 'b'], hasMore: true });
      expect(stores.images.listTags(SCOPE, 'app', { limit: 2, afterTag: 'b' })).toEqual({ tags: ['c', 'd'], hasMore: true });
      expect(stores.images.listTags(SCOPE, 'app', { limit: 2, afterTag: 'd' })).toEqual({ tags: ['e'], hasMore: false });
    });

    test('tells no more tags remain when they exactly fill the page', () => {
      const record = image('one');
      for (const tag of ['a', 'b']) stores.images.put(SCOPE, 'app', record, tag);
      expect(stores.images.listTags(SCOPE, 'app', { limit: 2 }).hasMore).toBe(false);
    });

    test('answers the referrers of a subject, ordered by digest, and no other image', () => {
      const subject = image('subject');
      const referrers = imagesInDigestOrder(3).map((record) => ({ ...record, subjectDigest: subject.digest }));
      const unrelated = image('unrelated', { subjectDigest: blobDigest('9') });
      stores.images.put(SCOPE, 'app', subject);
      for (const record of [referrers[2]!, unrelated, referrers[0]!, referrers[1]!]) stores.images.put(SCOPE, 'app', record);
      expect(stores.images.referrers(SCOPE, 'app', subject.digest)).toEqual(referrers);
      expect(stores.images.referrers(OTHER_ACCOUNT, 'app', subject.digest)).toEqual([]);
    });

    test('details an image with its sorted tags, STANDARD storage and no pull, archive or activation times', () => {
      const record = image('one');
      for (const tag of ['v2', 'v1']) stores.images.put(SCOPE, 'app', record, tag);
      const details = stores.images.details(SCOPE, 'app', record.digest);
      expect(details).toEqual({ ...record, tags: ['v1', 'v2'], storageClass: 'STANDARD' });
      expect(details).not.toHaveProperty('lastPulledAt');
      expect(details).not.toHaveProperty('lastArchivedAt');
      expect(details).not.toHaveProperty('lastActivatedAt');
    });

    test('details no image that does not exist', () => {
      expect(stores.images.details(SCOPE, 'app', blobDigest('0'))).toBeUndefined();
    });

    test('lists every image of a repository with its tags, ordered by digest', () => {
      const ordered = imagesInDigestOrder(3);
      stores.images.put(SCOPE, 'app', ordered[2]!, 'c');
      stores.images.put(SCOPE, 'app', ordered[0]!);
      stores.images.put(SCOPE, 'app', ordered[1]!, 'b');
      stores.images.put(SCOPE, 'other', image('elsewhere'));
      expect(stores.images.list(SCOPE, 'app').map((details) => [details.digest, details.tags])).toEqual([
        [ordered[0]!.digest, []],
        [ordered[1]!.digest, ['b']],
        [ordered[2]!.digest, ['c']],
      ]);
    });

    describe('pages of images', () => {
      let ordered: ImageRecord[];
      beforeEach(() => {
        ordered = imagesInDigestOrder(4);
        // 0 and 2 tagged, 1 and 3 untagged; 2 archived.
        stores.images.put(SCOPE, 'app', ordered[0]!, 'zero');
        stores.images.put(SCOPE, 'app', ordered[1]!);
        stores.images.put(SCOPE, 'app', ordered[2]!, 'two');
        stores.images.put(SCOPE, 'app', ordered[3]!);
        stores.images.setStorageClass(SCOPE, 'app', ordered[2]!.digest, 'ARCHIVE', at(50));
      });
      const digestsOf = (indexes: number[]) => indexes.map((index) => ordered[index]!.digest);

      test('come ordered by digest, limit at a time, telling whether more remain', () => {
        const first = stores.images.page(SCOPE, 'app', { limit: 3 });
        expect([first.images.map((details) => details.digest), first.hasMore]).toEqual([digestsOf([0, 1, 2]), true]);
        const last = stores.images.page(SCOPE, 'app', { limit: 3, afterDigest: ordered[2]!.digest });
        expect([last.images.map((details) => details.digest), last.hasMore]).toEqual([digestsOf([3]), false]);
      });

      test('carry the details of each image', () => {
        expect(stores.images.page(SCOPE, 'app', { limit: 1 }).images).toEqual([{ ...ordered[0]!, tags: ['zero'], storageClass: 'STANDARD' }]);
      });

      test.each([
        ['TAGGED', [0, 2]],
        ['UNTAGGED', [1, 3]],
      ] as const)('hold only %s images when asked', (tagStatus, indexes) => {
        expect(stores.images.page(SCOPE, 'app', { limit: 10, tagStatus }).images.map((details) => details.digest)).toEqual(digestsOf([...indexes]));
      });

      test.each([
        ['ARCHIVE', [2]],
        ['STANDARD', [0, 1, 3]],
      ] as const)('hold only images of the %s storage class when asked', (storageClass, indexes) => {
        expect(stores.images.page(SCOPE, 'app', { limit: 10, storageClass }).images.map((details) => details.digest)).toEqual(digestsOf([...indexes]));
      });

      // A storage class with any tag status is read from two indexes, tagged and untagged, merged by digest.
      test('page a storage class across tagged and untagged images by digest, limit at a time', () => {
        const pageAfter = (afterDigest?: string) => {
          const found = stores.images.page(SCOPE, 'app', { limit: 1, storageClass: 'STANDARD', ...(afterDigest !== undefined ? { afterDigest } : {}) });
          return [found.images.map((details) => details.digest), found.hasMore];
        };
        expect([pageAfter(), pageAfter(ordered[0]!.digest), pageAfter(ordered[1]!.digest)]).toEqual([
          [digestsOf([0]), true],
          [digestsOf([1]), true],
          [digestsOf([3]), false],
        ]);
      });

      test('combine a tag status with a storage class', () => {
        expect(stores.images.page(SCOPE, 'app', { limit: 10, tagStatus: 'TAGGED', storageClass: 'STANDARD' }).images.map((details) => details.digest)).toEqual(digestsOf([0]));
      });

      // A listing by tag status reads a count of tags per image that every write of a tag keeps.
      test.each([
        ['a tag moved to another image', () => stores.images.put(SCOPE, 'app', ordered[1]!, 'zero'), [1, 2], [0, 3]],
        ['the last tag of an image deleted', () => stores.images.deleteTag(SCOPE, 'app', 'zero'), [2], [0, 1, 3]],
        ['one of two tags of an image deleted', () => [stores.images.put(SCOPE, 'app', ordered[0]!, 'again'), stores.images.deleteTag(SCOPE, 'app', 'zero')], [0, 2], [1, 3]],
        ['an untagged image tagged', () => stores.images.put(SCOPE, 'app', ordered[3]!, 'three'), [0, 2, 3], [1]],
        ['a tagged image deleted and stored again untagged', () => [stores.images.delete(SCOPE, 'app', ordered[0]!.digest), stores.images.put(SCOPE, 'app', ordered[0]!)], [2], [0, 1, 3]],
        ['the repository deleted and stored again untagged', () => [stores.repositories.create(SCOPE, repository('app')), stores.repositories.delete(SCOPE, 'app', { force: true }), ...ordered.map((record) => stores.images.put(SCOPE, 'app', record))], [], [0, 1, 2, 3]],
      ])('hold the images by tag status after %s, with a storage class or without', (_case, change, tagged, untagged) => {
        change();
        const digests = (listing: ImageListing) => stores.images.page(SCOPE, 'app', listing).images.map((details) => details.digest);
        const isStandard = (index: number) => stores.images.details(SCOPE, 'app', ordered[index]!.digest)?.storageClass === 'STANDARD';
        expect([digests({ limit: 10, tagStatus: 'TAGGED' }), digests({ limit: 10, tagStatus: 'UNTAGGED' })]).toEqual([digestsOf(tagged), digestsOf(untagged)]);
        expect([
          digests({ limit: 10, tagStatus: 'TAGGED', storageClass: 'STANDARD' }),
          digests({ limit: 10, tagStatus: 'UNTAGGED', storageClass: 'STANDARD' }),
        ]).toEqual([digestsOf(tagged.filter(isStandard)), digestsOf(untagged.filter(isStandard))]);
      });

      test('page a tag status with a storage class by digest, limit at a time', () => {
        stores.images.put(SCOPE, 'app', ordered[3]!, 'three');
        const first = stores.images.page(SCOPE, 'app', { limit: 1, tagStatus: 'TAGGED', storageClass: 'STANDARD' });
        const last = stores.images.page(SCOPE, 'app', { limit: 1, tagStatus: 'TAGGED', storageClass: 'STANDARD', afterDigest: ordered[0]!.digest });
        expect([first.images.map((details) => details.digest), first.hasMore, last.images.map((details) => details.digest), last.hasMore]).toEqual([digestsOf([0]), true, digestsOf([3]), false]);
      });
    });

    describe('newest-first pages', () => {
      // Pushed at 30, 10, 20, 20 (a tie, broken by digest, descending); the first and third tagged.
      let images: ImageRecord[];
      beforeEach(() => {
        const ordered = imagesInDigestOrder(4);
        images = [{ ...ordered[0]!, pushedAt: at(30) }, { ...ordered[1]!, pushedAt: at(10) }, { ...ordered[2]!, pushedAt: at(20) }, { ...ordered[3]!, pushedAt: at(20) }];
        images.forEach((record, index) => stores.images.put(SCOPE, 'app', record, index % 2 === 0 ? `t${index}` : undefined));
      });
      const newest = [0, 3, 2, 1];

      test('come newest push first, ties by digest descending, limit at a time after the last position', () => {
        const first = stores.images.newestFirst(SCOPE, 'app', { limit: 2 });
        expect([first.images.map((details) => details.digest), first.hasMore]).toEqual([newest.slice(0, 2).map((index) => images[index]!.digest), true]);
        const last = first.images[1]!;
        const second = stores.images.newestFirst(SCOPE, 'app', { limit: 2, before: { pushedAt: last.pushedAt, digest: last.digest } });
        expect([second.images.map((details) => details.digest), second.hasMore]).toEqual([newest.slice(2).map((index) => images[index]!.digest), false]);
      });

      test('carry the details of each image, and filter by tag status', () => {
        expect(stores.images.newestFirst(SCOPE, 'app', { limit: 1 }).images).toEqual([{ ...images[0]!, tags: ['t0'], storageClass: 'STANDARD' }]);
        expect(stores.images.newestFirst(SCOPE, 'app', { limit: 10, tagStatus: 'UNTAGGED' }).images.map((details) => details.digest)).toEqual([images[3]!.digest, images[1]!.digest]);
        expect(stores.images.newestFirst(SCOPE, 'app', { limit: 10, tagStatus: 'TAGGED', storageClass: 'STANDARD' }).images.map((details) => details.digest)).toEqual([images[0]!.digest, images[2]!.digest]);
      });

      test('read nothing of another repository', () => {
        expect(stores.images.newestFirst(SCOPE, 'other', { limit: 10 })).toEqual({ images: [], hasMore: false });
      });
    });

    describe('summary', () => {
      test('counts the images, adds their sizes and names the last push', () => {
        stores.images.put(SCOPE, 'app', image('one', { pushedAt: at(10), sizeInBytes: 100 }));
        stores.images.put(SCOPE, 'app', image('two', { pushedAt: at(20), sizeInBytes: 250 }));
        stores.images.put(SCOPE, 'other', image('three', { pushedAt: at(30), sizeInBytes: 5 }));
        expect(stores.images.summary(SCOPE, 'app')).toEqual({ imageCount: 2, sizeInBytes: 350, lastPushedAt: at(20) });
      });

      test('is zero, without a last push, for an empty repository', () => {
        expect(stores.images.summary(SCOPE, 'app')).toEqual({ imageCount: 0, sizeInBytes: 0 });
      });
    });

    describe('ListImages rows', () => {
      let ordered: ImageRecord[];
      beforeEach(() => {
        ordered = imagesInDigestOrder(3);
        // 0 has tags b and a; 1 is untagged; 2 has tag c and is archived.
        stores.images.put(SCOPE, 'app', ordered[0]!, 'b');
        stores.images.put(SCOPE, 'app', ordered[0]!, 'a');
        stores.images.put(SCOPE, 'app', ordered[1]!);
        stores.images.put(SCOPE, 'app', ordered[2]!, 'c');
        stores.images.setStorageClass(SCOPE, 'app', ordered[2]!.digest, 'ARCHIVE', at(50));
      });
      const row = (index: number, tag?: string) => (tag === undefined ? { digest: ordered[index]!.digest } : { digest: ordered[index]!.digest, tag });

      test('are one per tag and one per untagged image, ordered by digest then tag', () => {
        expect(stores.images.rows(SCOPE, 'app', { limit: 10 })).toEqual({ rows: [row(0, 'a'), row(0, 'b'), row(1), row(2, 'c')], hasMore: false });
      });

      test('page limit at a time after a row, within one image and across images', () => {
        expect(stores.images.rows(SCOPE, 'app', { limit: 1 })).toEqual({ rows: [row(0, 'a')], hasMore: true });
        expect(stores.images.rows(SCOPE, 'app', { limit: 2, after: row(0, 'a') })).toEqual({ rows: [row(0, 'b'), row(1)], hasMore: true });
        expect(stores.images.rows(SCOPE, 'app', { limit: 2, after: row(1) })).toEqual({ rows: [row(2, 'c')], hasMore: false });
      });

      test.each([
        ['TAGGED', () => [row(0, 'a'), row(0, 'b'), row(2, 'c')]],
        ['UNTAGGED', () => [row(1)]],
      ] as const)('hold only %s rows when asked', (tagStatus, expected) => {
        expect(stores.images.rows(SCOPE, 'app', { limit: 10, tagStatus }).rows).toEqual(expected());
      });

      test('page the rows of a storage class across tagged and untagged images', () => {
        expect(stores.images.rows(SCOPE, 'app', { limit: 2, storageClass: 'STANDARD' })).toEqual({ rows: [row(0, 'a'), row(0, 'b')], hasMore: true });
        expect(stores.images.rows(SCOPE, 'app', { limit: 2, storageClass: 'STANDARD', after: row(0, 'b') })).toEqual({ rows: [row(1)], hasMore: false });
      });

      test('hold only rows of the storage class asked for', () => {
        expect(stores.images.rows(SCOPE, 'app', { limit: 10, storageClass: 'ARCHIVE' }).rows).toEqual([row(2, 'c')]);
      });

      test.each([
        ['TAGGED', () => [row(0, 'b'), row(1, 'a')]],
        ['UNTAGGED', () => []],
      ] as const)('hold only %s rows of a storage class after a tag moved', (tagStatus, expected) => {
        stores.images.put(SCOPE, 'app', ordered[1]!, 'a');
        expect(stores.images.rows(SCOPE, 'app', { limit: 10, tagStatus, storageClass: 'STANDARD' }).rows).toEqual(expected());
        stores.images.deleteTag(SCOPE, 'app', 'b');
        expect(stores.images.rows(SCOPE, 'app', { limit: 10, tagStatus: 'UNTAGGED', storageClass: 'STANDARD' }).rows).toEqual([row(0)]);
      });
    });

    test('answers the images of the given media types, ordered by digest', () => {
      const [first, second, third] = imagesInDigestOrder(3);
      stores.images.put(SCOPE, 'app', { ...third!, mediaType: 'application/vnd.oci.image.index.v1+json' });
      stores.images.put(SCOPE, 'app', first!);
      stores.images.put(SCOPE, 'app', { ...second!, mediaType: 'application/vnd.docker.distribution.manifest.list.v2+json' });
      const indexes = stores.images.withMediaTypes(SCOPE, 'app', ['application/vnd.oci.image.index.v1+json', 'application/vnd.docker.distribution.manifest.list.v2+json']);
      expect(indexes.map((record) => record.digest)).toEqual([second!.digest, third!.digest]);
    });

    test('answers no images for no media types', () => {
      stores.images.put(SCOPE, 'app', image('one'));
      expect(stores.images.withMediaTypes(SCOPE, 'app', [])).toEqual([]);
    });

    describe('recordPull', () => {
      const RESOLUTION_MS = 60_000;
      const record = image('pulled');
      beforeEach(() => {
        stores.images.put(SCOPE, 'app', record);
      });
      const lastPulledAt = () => stores.images.details(SCOPE, 'app', record.digest)?.lastPulledAt;

      test('records the first pull', () => {
        stores.images.recordPull(SCOPE, 'app', record.digest, at(100), RESOLUTION_MS);
        expect(lastPulledAt()).toEqual(at(100));
      });

      test('writes nothing for a pull within the resolution of the recorded one', () => {
        stores.images.recordPull(SCOPE, 'app', record.digest, at(100), RESOLUTION_MS);
        stores.images.recordPull(SCOPE, 'app', record.digest, at(159), RESOLUTION_MS);
        expect(lastPulledAt()).toEqual(at(100));
      });

      test('records a pull exactly the resolution after the recorded one', () => {
        stores.images.recordPull(SCOPE, 'app', record.digest, at(100), RESOLUTION_MS);
        stores.images.recordPull(SCOPE, 'app', record.digest, at(160), RESOLUTION_MS);
        expect(lastPulledAt()).toEqual(at(160));
      });

      test('never moves the recorded pull back in time', () => {
        stores.images.recordPull(SCOPE, 'app', record.digest, at(500), RESOLUTION_MS);
        stores.images.recordPull(SCOPE, 'app', record.digest, at(100), RESOLUTION_MS);
        expect(lastPulledAt()).toEqual(at(500));
      });

      test('records every pull with a resolution of 0', () => {
        stores.images.recordPull(SCOPE, 'app', record.digest, at(100), 0);
        stores.images.recordPull(SCOPE, 'app', record.digest, at(101), 0);
        expect(lastPulledAt()).toEqual(at(101));
      });

      test('records nothing, and does not throw, for an image that does not exist', () => {
        stores.images.recordPull(SCOPE, 'app', blobDigest('0'), at(100), RESOLUTION_MS);
        expect(stores.images.details(SCOPE, 'app', blobDigest('0'))).toBeUndefined();
      });

      test('records a pull in its own scope only', () => {
        stores.images.put(OTHER_ACCOUNT, 'app', record);
        stores.images.recordPull(SCOPE, 'app', record.digest, at(100), RESOLUTION_MS);
        expect(stores.images.details(OTHER_ACCOUNT, 'app', record.digest)).not.toHaveProperty('lastPulledAt');
      });
    });

    describe('setStorageClass', () => {
      const record = image('stored');
      beforeEach(() => {
        stores.images.put(SCOPE, 'app', record);
      });

      test('archives an image, stamping lastArchivedAt', () => {
        expect(stores.images.setStorageClass(SCOPE, 'app', record.digest, 'ARCHIVE', at(100))).toBe(true);
        expect(stores.images.details(SCOPE, 'app', record.digest)).toMatchObject({ storageClass: 'ARCHIVE', lastArchivedAt: at(100) });
      });

      test('restores an archived image to STANDARD, stamping lastActivatedAt and keeping lastArchivedAt', () => {
        stores.images.setStorageClass(SCOPE, 'app', record.digest, 'ARCHIVE', at(100));
        expect(stores.images.setStorageClass(SCOPE, 'app', record.digest, 'STANDARD', at(200))).toBe(true);
        expect(stores.images.details(SCOPE, 'app', record.digest)).toMatchObject({ storageClass: 'STANDARD', lastArchivedAt: at(100), lastActivatedAt: at(200) });
      });

      test('answers false for an image that does not exist', () => {
        expect(stores.images.setStorageClass(SCOPE, 'app', blobDigest('0'), 'ARCHIVE', at(100))).toBe(false);
      });

      test.each(OTHER_SCOPES)('answers false for the same image in %s', (_case, other) => {
        expect(stores.images.setStorageClass(other, 'app', record.digest, 'ARCHIVE', at(100))).toBe(false);
        expect(stores.images.details(SCOPE, 'app', record.digest)?.storageClass).toBe('STANDARD');
      });
    });
  });

  describe('BlobLinkStore', () => {
    test('finds a linked blob with its size and media type', () => {
      stores.links.link(SCOPE, 'app', { digest: blobDigest('1'), sizeInBytes: 5, mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip' }, at(1));
      expect(stores.links.find(SCOPE, 'app', blobDigest('1'))).toEqual({ digest: blobDigest('1'), sizeInBytes: 5, mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip' });
    });

    test('finds a link made without a media type without one', () => {
      stores.links.link(SCOPE, 'app', { digest: blobDigest('1'), sizeInBytes: 5 }, at(1));
      expect(stores.links.find(SCOPE, 'app', blobDigest('1'))).toEqual({ digest: blobDigest('1'), sizeInBytes: 5 });
    });

    test('keeps the first link when a blob is linked twice', () => {
      stores.links.link(SCOPE, 'app', { digest: blobDigest('1'), sizeInBytes: 5, mediaType: 'first' }, at(1));
      expect(() => stores.links.link(SCOPE, 'app', { digest: blobDigest('1'), sizeInBytes: 5, mediaType: 'second' }, at(2))).not.toThrow();
      expect(stores.links.find(SCOPE, 'app', blobDigest('1'))?.mediaType).toBe('first');
    });

    test.each(ELSEWHERE)('shows no link of a repository to %s', (_case, other, repositoryName) => {
      stores.links.link(SCOPE, 'app', { digest: blobDigest('1'), sizeInBytes: 5 }, at(1));
      expect(stores.links.find(other, repositoryName, blobDigest('1'))).toBeUndefined();
    });

    test('unlinks a blob from one repository only', () => {
      stores.links.link(SCOPE, 'app', { digest: blobDigest('1'), sizeInBytes: 5 }, at(1));
      stores.links.link(SCOPE, 'other', { digest: blobDigest('1'), sizeInBytes: 5 }, at(1));
      expect(stores.links.unlink(SCOPE, 'app', blobDigest('1'))).toBe(true);
      expect(stores.links.find(SCOPE, 'app', blobDigest('1'))).toBeUndefined();
      expect(stores.links.find(SCOPE, 'other', blobDigest('1'))).toBeDefined();
    });

    test('answers false for an unlink of a blob the repository does not link, twice', () => {
      stores.links.link(SCOPE, 'app', { digest: blobDigest('1'), sizeInBytes: 5 }, at(1));
      stores.links.unlink(SCOPE, 'app', blobDigest('1'));
      expect(stores.links.unlink(SCOPE, 'app', blobDigest('1'))).toBe(false);
      expect(stores.links.unlink(SCOPE, 'app', blobDigest('2'))).toBe(false);
    });

    test('tells whether some repository of some scope links a digest', () => {
      stores.links.link(SCOPE, 'app', { digest: blobDigest('1'), sizeInBytes: 5 }, at(1));
      stores.links.link(OTHER_ACCOUNT, 'app', { digest: blobDigest('2'), sizeInBytes: 5 }, at(1));
      stores.links.link(OTHER_REGION, 'app', { digest: blobDigest('3'), sizeInBytes: 5 }, at(1));
      stores.links.unlink(OTHER_REGION, 'app', blobDigest('3'));
      expect([1, 2, 3, 4].map((index) => stores.links.isLinked(blobDigest(String(index))))).toEqual([true, true, false, false]);
    });

    test('records nothing for reclaim while no link goes', () => {
      stores.links.link(SCOPE, 'app', { digest: blobDigest('1'), sizeInBytes: 5 }, at(1));
      stores.links.unlink(SCOPE, 'app', blobDigest('2'));
      expect(stores.links.pendingReclaims('', 10)).toEqual([]);
    });

    test('records the digest of a removed link for reclaim once, though another repository still links it', () => {
      for (const repositoryName of ['app', 'other', 'third']) stores.links.link(SCOPE, repositoryName, { digest: blobDigest('1'), sizeInBytes: 5 }, at(1));
      stores.links.unlink(SCOPE, 'app', blobDigest('1'));
      stores.links.unlink(SCOPE, 'other', blobDigest('1'));
      expect(stores.links.pendingReclaims('', 10)).toEqual([blobDigest('1')]);
      expect(stores.links.isLinked(blobDigest('1'))).toBe(true);
    });

    test('records every link a deleted repository took with it, in the delete', () => {
      stores.repositories.create(SCOPE, repository('app'));
      stores.links.link(SCOPE, 'app', { digest: blobDigest('1'), sizeInBytes: 5 }, at(1));
      stores.links.link(SCOPE, 'app', { digest: blobDigest('2'), sizeInBytes: 5 }, at(1));
      stores.links.link(SCOPE, 'kept', { digest: blobDigest('3'), sizeInBytes: 5 }, at(1));
      stores.repositories.delete(SCOPE, 'app', { force: true });
      expect(stores.links.pendingReclaims('', 10)).toEqual([blobDigest('1'), blobDigest('2')]);
    });

    test('pages the reclaim records in digest order and forgets one, twice without error', () => {
      for (const index of ['3', '1', '2']) {
        stores.links.link(SCOPE, 'app', { digest: blobDigest(index), sizeInBytes: 5 }, at(1));
        stores.links.unlink(SCOPE, 'app', blobDigest(index));
      }
      const [first, second, third] = [blobDigest('1'), blobDigest('2'), blobDigest('3')].sort();
      expect(stores.links.pendingReclaims('', 2)).toEqual([first, second]);
      expect(stores.links.pendingReclaims(second!, 2)).toEqual([third]);
      stores.links.forgetReclaim(second!);
      stores.links.forgetReclaim(second!);
      expect(stores.links.pendingReclaims('', 10)).toEqual([first, third]);
    });
  });

  describe('UploadStore', () => {
    const upload = { id: 'upload-1', repository: 'app', sizeInBytes: 0, createdAt: at(1), updatedAt: at(1) };

    test('finds a created upload by scope, repository and id', () => {
      stores.uploads.create(SCOPE, upload);
      expect(stores.uploads.find(SCOPE, 'app', 'upload-1')).toEqual(upload);
    });

    test.each(ELSEWHERE)('finds no upload of a repository from %s', (_case, other, repositoryName) => {
      stores.uploads.create(SCOPE, upload);
      expect(stores.uploads.find(other, repositoryName, 'upload-1')).toBeUndefined();
    });

    test('finds no upload that was never created', () => {
      expect(stores.uploads.find(SCOPE, 'app', 'absent')).toBeUndefined();
    });

    test('records a new size and when it grew, keeping when it was created', () => {
      stores.uploads.create(SCOPE, upload);
      stores.uploads.setSize('upload-1', 1024, at(5));
      expect(stores.uploads.find(SCOPE, 'app', 'upload-1')).toEqual({ ...upload, sizeInBytes: 1024, updatedAt: at(5) });
    });

    test('creates nothing for a new size of an unknown upload', () => {
      stores.uploads.setSize('absent', 1024, at(5));
      expect(stores.uploads.list()).toEqual([]);
    });

    test('lists every upload of every scope with when it last grew', () => {
      stores.uploads.create(SCOPE, upload);
      stores.uploads.create(OTHER_ACCOUNT, { ...upload, id: 'upload-2', updatedAt: at(2) });
      stores.uploads.create(OTHER_REGION, { ...upload, id: 'upload-3', repository: 'other', updatedAt: at(3) });
      stores.uploads.setSize('upload-1', 10, at(4));
      const listed = [...stores.uploads.list()].sort((left, right) => left.id.localeCompare(right.id));
      expect(listed).toEqual([
        { id: 'upload-1', updatedAt: at(4) },
        { id: 'upload-2', updatedAt: at(2) },
        { id: 'upload-3', updatedAt: at(3) },
      ]);
    });

    test('deletes an upload from find and list', () => {
      stores.uploads.create(SCOPE, upload);
      stores.uploads.delete('upload-1');
      expect(stores.uploads.find(SCOPE, 'app', 'upload-1')).toBeUndefined();
      expect(stores.uploads.list()).toEqual([]);
    });

    test('deletes an unknown upload without throwing', () => {
      expect(() => stores.uploads.delete('absent')).not.toThrow();
    });
  });

  describe('RegistryDocumentStore', () => {
    const policy = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: '*', Action: ['ecr:*'] }], enabled: true, count: 3, none: null };

    test('gets a put document back as the same JSON value', () => {
      stores.documents.put(SCOPE, 'registry-policy', 'policy', policy);
      expect(stores.documents.get(SCOPE, 'registry-policy', 'policy')).toEqual(policy);
    });

    test('gets no document that was never put', () => {
      expect(stores.documents.get(SCOPE, 'registry-policy', 'policy')).toBeUndefined();
    });

    test('replaces a document on put', () => {
      stores.documents.put(SCOPE, 'settings', 'a', { value: 1 });
      stores.documents.put(SCOPE, 'settings', 'a', { value: 2 });
      expect(stores.documents.get(SCOPE, 'settings', 'a')).toEqual({ value: 2 });
    });

    test('inserts a new document and answers true', () => {
      expect(stores.documents.insert(SCOPE, 'rules', 'a', { value: 1 })).toBe(true);
      expect(stores.documents.get(SCOPE, 'rules', 'a')).toEqual({ value: 1 });
    });

    test('answers false for an insert of an existing key, keeping the document', () => {
      stores.documents.insert(SCOPE, 'rules', 'a', { value: 1 });
      expect(stores.documents.insert(SCOPE, 'rules', 'a', { value: 2 })).toBe(false);
      expect(stores.documents.get(SCOPE, 'rules', 'a')).toEqual({ value: 1 });
    });

    test('inserts one key under several kinds and scopes', () => {
      stores.documents.insert(SCOPE, 'rules', 'a', 1);
      expect([stores.documents.insert(SCOPE, 'templates', 'a', 2), stores.documents.insert(OTHER_ACCOUNT, 'rules', 'a', 3), stores.documents.insert(OTHER_REGION, 'rules', 'a', 4)]).toEqual([true, true, true]);
    });

    test('deletes a document and answers true, then false', () => {
      stores.documents.put(SCOPE, 'rules', 'a', 1);
      expect(stores.documents.delete(SCOPE, 'rules', 'a')).toBe(true);
      expect(stores.documents.get(SCOPE, 'rules', 'a')).toBeUndefined();
      expect(stores.documents.delete(SCOPE, 'rules', 'a')).toBe(false);
    });

    test('lists the documents of one kind, ordered by key', () => {
      for (const key of ['team/b', 'a', 'team/a', 'B']) stores.documents.put(SCOPE, 'rules', key, { key });
      stores.documents.put(SCOPE, 'templates', 'x', { key: 'x' });
      expect(stores.documents.list(SCOPE, 'rules')).toEqual(['B', 'a', 'team/a', 'team/b'].map((key) => ({ key, value: { key } })));
    });

    test.each(OTHER_SCOPES)('shows no document of a scope to %s', (_case, other) => {
      stores.documents.put(SCOPE, 'rules', 'a', 1);
      expect([stores.documents.get(other, 'rules', 'a'), stores.documents.list(other, 'rules'), stores.documents.delete(other, 'rules', 'a')]).toEqual([undefined, [], false]);
      expect(stores.documents.get(SCOPE, 'rules', 'a')).toBe(1);
    });
  });
});

describe('metadata stores (SQLite on disk) after reopening the database', () => {
  let path: string;
  const held = image('held', { artifactType: 'application/vnd.example', subjectDigest: blobDigest('5') });
  const record = repository('app', { lifecyclePolicyText: '{}', lifecyclePolicyUpdatedAt: at(3), tags: [{ Key: 'k', Value: 'v' }] });
  const upload = { id: 'upload-1', repository: 'app', sizeInBytes: 0, createdAt: at(1), updatedAt: at(1) };

  beforeEach(() => {
    path = newDatabasePath();
    const writer = openStores(path);
    writer.repositories.create(SCOPE, record);
    writer.images.put(SCOPE, 'app', held, 'v1');
    writer.images.recordPull(SCOPE, 'app', held.digest, at(20), 0);
    writer.images.setStorageClass(SCOPE, 'app', held.digest, 'ARCHIVE', at(30));
    writer.links.link(SCOPE, 'app', { digest: blobDigest('1'), sizeInBytes: 5, mediaType: 'layer' }, at(1));
    writer.links.link(SCOPE, 'app', { digest: blobDigest('2'), sizeInBytes: 5 }, at(1));
    writer.links.unlink(SCOPE, 'app', blobDigest('2'));
    writer.uploads.create(SCOPE, upload);
    writer.uploads.setSize('upload-1', 77, at(2));
    writer.documents.put(SCOPE, 'rules', 'a', { value: 1 });
    writer.db.close();
  });

  let reader: MetadataStores;
  beforeEach(() => {
    reader = openStores(path);
  });
  afterEach(() => {
    reader.db.close();
  });

  test('holds the repositories written before', () => {
    expect(reader.repositories.find(SCOPE, 'app')).toEqual(record);
    expect(reader.repositories.scopesWithLifecyclePolicies()).toEqual([SCOPE]);
  });

  test('holds the images, tags, pulls and storage classes written before', () => {
    expect(reader.images.details(SCOPE, 'app', held.digest)).toEqual({
      ...held,
      tags: ['v1'],
      lastPulledAt: at(20),
      storageClass: 'ARCHIVE',
      lastArchivedAt: at(30),
    });
  });

  test('holds the blob links written before', () => {
    expect(reader.links.find(SCOPE, 'app', blobDigest('1'))).toEqual({ digest: blobDigest('1'), sizeInBytes: 5, mediaType: 'layer' });
  });

  test('holds the reclaim records written before: a crash before the blob went leaves them for the next pass', () => {
    expect(reader.links.pendingReclaims('', 10)).toEqual([blobDigest('2')]);
  });

  test('holds the uploads written before, with their sizes', () => {
    expect(reader.uploads.find(SCOPE, 'app', 'upload-1')).toEqual({ ...upload, sizeInBytes: 77, updatedAt: at(2) });
  });

  test('holds the registry documents written before', () => {
    expect(reader.documents.list(SCOPE, 'rules')).toEqual([{ key: 'a', value: { value: 1 } }]);
  });

  test('still deletes a repository with everything under it after reopening', () => {
    expect(reader.repositories.delete(SCOPE, 'app', { force: true })).toMatchObject({ outcome: 'deleted' });
    expect([reader.images.find(SCOPE, 'app', held.digest), reader.links.find(SCOPE, 'app', blobDigest('1')), reader.uploads.find(SCOPE, 'app', 'upload-1')]).toEqual([undefined, undefined, undefined]);
  });
});

describe('metadata stores (SQLite on disk) written before tag counts were kept', () => {
  const ordered = imagesInDigestOrder(3);

  /** A database at the schema step before `tag_count`, holding images 0 (tagged twice) and 2 (tagged) and 1 (untagged). */
  function writeBeforeTagCounts(path: string): void {
    const countsStep = SCHEMA_STEPS.findIndex((step) => step.includes('ADD COLUMN tag_count'));
    const db = new BetterSqlite3(path);
    for (const step of SCHEMA_STEPS.slice(0, countsStep)) db.exec(step);
    db.pragma(`user_version = ${countsStep}`);
    // Rows as that schema's code wrote them: today's store writes tag_count, which this schema has not.
    const insertImage = db.prepare(
      `INSERT INTO images (account, region, repository, digest, media_type, manifest, size_in_bytes, pushed_at) VALUES (?, ?, 'app', ?, ?, ?, ?, ?)`,
    );
    const insertTag = db.prepare(`INSERT INTO tags (account, region, repository, tag, digest, updated_at) VALUES (?, ?, 'app', ?, ?, 0)`);
    for (const image of ordered) insertImage.run(SCOPE.accountId, SCOPE.region, image.digest, image.mediaType, image.manifest, image.sizeInBytes, image.pushedAt.getTime());
    for (const [tag, image] of [['a', ordered[0]!], ['b', ordered[0]!], ['c', ordered[2]!]] as const) insertTag.run(SCOPE.accountId, SCOPE.region, tag, image.digest);
    db.close();
  }

  test('lists its images by tag status once opened, and keeps counting', () => {
    const path = newDatabasePath();
    writeBeforeTagCounts(path);
    const stores = openStores(path);
    const digests = (tagStatus: 'TAGGED' | 'UNTAGGED') =>
      stores.images.page(SCOPE, 'app', { limit: 10, tagStatus, storageClass: 'STANDARD' }).images.map((details) => details.digest);
    expect([digests('TAGGED'), digests('UNTAGGED')]).toEqual([[ordered[0]!.digest, ordered[2]!.digest], [ordered[1]!.digest]]);
    stores.images.deleteTag(SCOPE, 'app', 'a');
    stores.images.deleteTag(SCOPE, 'app', 'c');
    expect([digests('TAGGED'), digests('UNTAGGED')]).toEqual([[ordered[0]!.digest], [ordered[1]!.digest, ordered[2]!.digest]]);
    stores.db.close();
  });
});

describe('metadata stores (SQLite on disk) written while images were a WITHOUT ROWID table', () => {
  const ordered = imagesInDigestOrder(3);
  const [tagged, untagged, archived] = ordered as [ImageRecord, ImageRecord, ImageRecord];

  /** A database at the schema step before the images table was rebuilt, written through that schema's stores. */
  function writeBeforeRebuild(path: string): void {
    const rebuildStep = SCHEMA_STEPS.findIndex((step) => step.includes('CREATE TABLE images_rebuilt'));
    // The rebuild begins by dropping the tags' triggers: the schema before it is the steps before those drops.
    const before = SCHEMA_STEPS.slice(0, rebuildStep).findIndex((step) => step.startsWith('DROP TRIGGER tags_count_insert'));
    const db = new BetterSqlite3(path);
    for (const step of SCHEMA_STEPS.slice(0, before)) db.exec(step);
    db.pragma(`user_version = ${before}`);
    const stores = createSqliteImageStore(db);
    stores.put(SCOPE, 'app', tagged, 'latest');
    stores.put(SCOPE, 'app', tagged, 'stable');
    stores.put(SCOPE, 'app', untagged);
    stores.put(SCOPE, 'app', archived, 'old');
    stores.recordPull(SCOPE, 'app', tagged.digest, at(20), 0);
    stores.setStorageClass(SCOPE, 'app', archived.digest, 'ARCHIVE', at(30));
    db.close();
  }

  test('keeps every image with its tags, counts, pull time and storage class, in an ordinary table', () => {
    const path = newDatabasePath();
    writeBeforeRebuild(path);
    const stores = openStores(path);
    const table = stores.db.prepare(`SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'images'`).pluck().get() as string;
    expect(table).not.toMatch(/WITHOUT ROWID/);
    expect(stores.db.prepare(`SELECT count(*) FROM sqlite_master WHERE name = 'images_rebuilt'`).pluck().get()).toBe(0);
    expect(stores.images.find(SCOPE, 'app', tagged.digest)?.manifest).toEqual(tagged.manifest);
    expect(stores.images.tagsOf(SCOPE, 'app', tagged.digest)).toEqual(['latest', 'stable']);
    expect(stores.images.details(SCOPE, 'app', tagged.digest)).toMatchObject({ lastPulledAt: at(20), storageClass: 'STANDARD' });
    expect(stores.images.details(SCOPE, 'app', archived.digest)).toMatchObject({ storageClass: 'ARCHIVE', lastArchivedAt: at(30) });
    const digests = (tagStatus: 'TAGGED' | 'UNTAGGED', storageClass: 'STANDARD' | 'ARCHIVE') =>
      stores.images.page(SCOPE, 'app', { limit: 10, tagStatus, storageClass }).images.map((details) => details.digest);
    expect([digests('TAGGED', 'STANDARD'), digests('UNTAGGED', 'STANDARD'), digests('TAGGED', 'ARCHIVE')]).toEqual([[tagged.digest], [untagged.digest], [archived.digest]]);
    stores.db.close();
  });

  test('keeps counting tags and rejects a second image of the same digest once rebuilt', () => {
    const path = newDatabasePath();
    writeBeforeRebuild(path);
    const stores = openStores(path);
    stores.images.deleteTag(SCOPE, 'app', 'latest');
    stores.images.deleteTag(SCOPE, 'app', 'stable');
    stores.images.put(SCOPE, 'app', untagged, 'now-tagged');
    const digests = (tagStatus: 'TAGGED' | 'UNTAGGED') =>
      stores.images.page(SCOPE, 'app', { limit: 10, tagStatus, storageClass: 'STANDARD' }).images.map((details) => details.digest);
    expect([digests('TAGGED'), digests('UNTAGGED')]).toEqual([[untagged.digest], [tagged.digest]]);
    expect(stores.db.prepare(`SELECT count(*) FROM images WHERE digest = ?`).pluck().get(untagged.digest)).toBe(1);
    stores.db.close();
  });
});
