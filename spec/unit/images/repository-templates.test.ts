// Which creation template governs a new repository name (longest `<prefix>/` wins, ROOT covers the rest, only
// templates applied for the feature count) and the repository record a template yields.
import type { RCTAppliedFor } from '../../../src/aws/ecr-types.generated';
import { managedKmsKeyArn } from '../../../src/images/managed-kms-key';
import { registryDocuments, type RegistryDocuments, type StoredRepositoryCreationTemplate } from '../../../src/images/registry-documents';
import { repositoryFromTemplate, templateFor } from '../../../src/images/repository-templates';
import type { Scope } from '../../../src/kernel/scope';
import { openDatabase } from '../../../src/store/sqlite/database';
import { createSqliteRegistryDocumentStore } from '../../../src/store/sqlite/sqlite-registry-document-store';

const SCOPE: Scope = { accountId: '111122223333', region: 'eu-west-1' };
const OTHER_SCOPE: Scope = { accountId: '444455556666', region: 'eu-west-1' };
const NOW = new Date('2025-01-02T03:04:05Z');
const ALL: RCTAppliedFor[] = ['CREATE_ON_PUSH', 'PULL_THROUGH_CACHE', 'REPLICATION'];

function template(prefix: string, appliedFor: RCTAppliedFor[] = ALL, settings: Partial<StoredRepositoryCreationTemplate> = {}): StoredRepositoryCreationTemplate {
  return {
    prefix,
    encryptionConfiguration: { encryptionType: 'AES256' },
    resourceTags: [],
    imageTagMutability: 'MUTABLE',
    appliedFor,
    createdAt: 0,
    updatedAt: 0,
    ...settings,
  };
}

let documents: RegistryDocuments;

function store(...templates: StoredRepositoryCreationTemplate[]): void {
  for (const stored of templates) documents.put('repository-creation-template', SCOPE, stored.prefix, stored);
}

beforeEach(() => {
  documents = registryDocuments(createSqliteRegistryDocumentStore(openDatabase(':memory:')));
});

describe('templateFor', () => {
  test.each([
    { name: 'team/app', prefixes: ['team'], expected: 'team' },
    { name: 'team/web/app', prefixes: ['team', 'team/web'], expected: 'team/web' },
    { name: 'team/web/app', prefixes: ['team/web', 'team'], expected: 'team/web' },
    { name: 'team/app', prefixes: ['team', 'ROOT'], expected: 'team' },
    { name: 'other/app', prefixes: ['team', 'ROOT'], expected: 'ROOT' },
    { name: 'app', prefixes: ['ROOT'], expected: 'ROOT' },
    { name: 'teams/app', prefixes: ['team'], expected: undefined },
    { name: 'team', prefixes: ['team'], expected: undefined },
    { name: 'other/app', prefixes: ['team'], expected: undefined },
    { name: 'team/app', prefixes: [], expected: undefined },
  ])('gives $name the template $expected of $prefixes', ({ name, prefixes, expected }) => {
    store(...prefixes.map((prefix) => template(prefix)));
    expect(templateFor(documents, SCOPE, name, 'CREATE_ON_PUSH')?.prefix).toBe(expected);
  });

  test.each([
    { feature: 'CREATE_ON_PUSH', expected: 'team' },
    { feature: 'REPLICATION', expected: 'team/web' },
    { feature: 'PULL_THROUGH_CACHE', expected: 'ROOT' },
  ] as const)('passes over templates not applied for $feature', ({ feature, expected }) => {
    store(template('team', ['CREATE_ON_PUSH']), template('team/web', ['REPLICATION']), template('ROOT', ['PULL_THROUGH_CACHE']));
    expect(templateFor(documents, SCOPE, 'team/web/app', feature)?.prefix).toBe(expected);
  });

  it('finds no template when none is applied for the feature', () => {
    store(template('team', ['REPLICATION']), template('ROOT', ['PULL_THROUGH_CACHE']));
    expect(templateFor(documents, SCOPE, 'team/app', 'CREATE_ON_PUSH')).toBeUndefined();
  });

  it('reads only the templates of the scope asked about', () => {
    store(template('team'));
    expect(templateFor(documents, OTHER_SCOPE, 'team/app', 'CREATE_ON_PUSH')).toBeUndefined();
  });
});

describe('repositoryFromTemplate', () => {
  const POLICY = '{"Version":"2012-10-17","Statement":[]}';
  const LIFECYCLE = '{"rules":[]}';

  it('copies mutability, exclusion filters, encryption, tags and both policies', () => {
    const settings = template('team', ALL, {
      imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION',
      imageTagMutabilityExclusionFilters: [{ filterType: 'WILDCARD', filter: 'latest*' }],
      encryptionConfiguration: { encryptionType: 'KMS', kmsKey: 'arn:aws:kms:eu-west-1:111122223333:key/abc' },
      resourceTags: [{ Key: 'team', Value: 'web' }],
      repositoryPolicy: POLICY,
      lifecyclePolicy: LIFECYCLE,
    });
    expect(repositoryFromTemplate(settings, SCOPE, 'team/app', NOW)).toEqual({
      name: 'team/app',
      createdAt: NOW,
      imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION',
      imageTagMutabilityExclusionFilters: [{ filterType: 'WILDCARD', filter: 'latest*' }],
      imageScanningConfiguration: { scanOnPush: false },
      encryptionConfiguration: { encryptionType: 'KMS', kmsKey: 'arn:aws:kms:eu-west-1:111122223333:key/abc' },
      tags: [{ Key: 'team', Value: 'web' }],
      policyText: POLICY,
      lifecyclePolicyText: LIFECYCLE,
      lifecyclePolicyUpdatedAt: NOW,
    });
  });

  it("gives a template's defaults CreateRepository's defaults and no policies", () => {
    expect(repositoryFromTemplate(template('team'), SCOPE, 'team/app', NOW)).toEqual({
      name: 'team/app',
      createdAt: NOW,
      imageTagMutability: 'MUTABLE',
      imageScanningConfiguration: { scanOnPush: false },
      encryptionConfiguration: { encryptionType: 'AES256' },
      tags: [],
    });
  });

  test.each(['KMS', 'KMS_DSSE'] as const)('encrypts with the registry AWS managed key for %s without a key', (encryptionType) => {
    const record = repositoryFromTemplate(template('team', ALL, { encryptionConfiguration: { encryptionType } }), SCOPE, 'team/app', NOW);
    expect(record.encryptionConfiguration).toEqual({ encryptionType, kmsKey: managedKmsKeyArn(SCOPE) });
  });
});
