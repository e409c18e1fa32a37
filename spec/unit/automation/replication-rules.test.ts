// The rules of private image replication: which destinations a push goes to (PREFIX_MATCH filters, the source never
// one of them) and whether a destination in another account lets the source in (its registry policy).
import type { ReplicationConfiguration } from '../../../src/aws/ecr-types.generated';
import { replicationDestinationsOf, replicationRefusal } from '../../../src/automation/replication-rules';
import { registryDocuments, type RegistryDocuments } from '../../../src/images/registry-documents';
import type { Scope } from '../../../src/kernel/scope';
import { openDatabase } from '../../../src/store/sqlite/database';
import { createSqliteRegistryDocumentStore } from '../../../src/store/sqlite/sqlite-registry-document-store';

const SOURCE: Scope = { accountId: '111111111111', region: 'us-east-1' };
const SAME_ACCOUNT: Scope = { accountId: '111111111111', region: 'eu-west-1' };
const OTHER_ACCOUNT: Scope = { accountId: '222222222222', region: 'eu-west-1' };

describe('replicationDestinationsOf', () => {
  const configuration: ReplicationConfiguration = {
    rules: [
      { destinations: [{ region: 'eu-west-1', registryId: SOURCE.accountId }], repositoryFilters: [{ filter: 'team-a/', filterType: 'PREFIX_MATCH' }] },
      { destinations: [{ region: 'ap-south-1', registryId: OTHER_ACCOUNT.accountId }, { region: 'eu-west-1', registryId: SOURCE.accountId }] , repositoryFilters: [{ filter: 'team', filterType: 'PREFIX_MATCH' }, { filter: 'shared', filterType: 'PREFIX_MATCH' }] },
    ],
  };

  test.each([
    ['a name the first rule\'s prefix begins', 'team-a/app', ['111111111111/eu-west-1', '222222222222/ap-south-1']],
    ['a name only the second rule\'s other prefix begins', 'shared-base', ['222222222222/ap-south-1', '111111111111/eu-west-1']],
    ['a name that contains a prefix but does not begin with it', 'my-team-a/app', []],
    ['a name shorter than the prefix', 'tea', []],
  ])('matches %s', (_case, repository, expected) => {
    expect(replicationDestinationsOf(configuration, SOURCE, repository).map(({ accountId, region }) => `${accountId}/${region}`)).toEqual(expected);
  });

  it('matches every repository for a rule without filters, and never names the source registry', () => {
    const everything: ReplicationConfiguration = { rules: [{ destinations: [{ region: 'us-east-1', registryId: SOURCE.accountId }, { region: 'eu-west-1', registryId: SOURCE.accountId }] }] };
    expect(replicationDestinationsOf(everything, SOURCE, 'anything')).toEqual([SAME_ACCOUNT]);
  });

  it('names no destination without a configuration', () => {
    expect(replicationDestinationsOf(undefined, SOURCE, 'app')).toEqual([]);
  });
});

describe('replicationRefusal', () => {
  let documents: RegistryDocuments;
  beforeEach(() => {
    documents = registryDocuments(createSqliteRegistryDocumentStore(openDatabase(':memory:')));
  });

  function putRegistryPolicy(destination: Scope, statement: Record<string, unknown>): void {
    documents.put('registry-policy', destination, 'policy', { policyText: JSON.stringify({ Version: '2012-10-17', Statement: [statement] }), updatedAt: 0 });
  }
  const allow = (actions: string[], principal = `arn:aws:iam::${SOURCE.accountId}:root`) => ({
    Effect: 'Allow',
    Principal: { AWS: principal },
    Action: actions,
    Resource: `arn:aws:ecr:${OTHER_ACCOUNT.region}:${OTHER_ACCOUNT.accountId}:repository/*`,
  });

  it('lets replication within the account (another Region) go ahead without any registry policy', () => {
    expect(replicationRefusal(documents, { source: SOURCE, destination: SAME_ACCOUNT, repository: 'app', hasRepository: false })).toBeUndefined();
  });

  it('refuses another account whose registry has no policy, naming the permission missing', () => {
    expect(replicationRefusal(documents, { source: SOURCE, destination: OTHER_ACCOUNT, repository: 'app', hasRepository: false })).toBe(
      "The registry policy of 222222222222 in eu-west-1 does not allow account 111111111111 ecr:CreateRepository on repository 'app'",
    );
  });

  test.each([
    ['both actions, repository to be created', ['ecr:CreateRepository', 'ecr:ReplicateImage'], false, undefined],
    ['ecr:ReplicateImage into an existing repository', ['ecr:ReplicateImage'], true, undefined],
    ['ecr:ReplicateImage only, repository to be created', ['ecr:ReplicateImage'], false, 'ecr:CreateRepository'],
    ['ecr:CreateRepository only', ['ecr:CreateRepository'], false, 'ecr:ReplicateImage'],
    ['ecr:* for the account', ['ecr:*'], false, undefined],
  ])('with a registry policy granting %s', (_case, actions, hasRepository, missing) => {
    putRegistryPolicy(OTHER_ACCOUNT, allow(actions));
    const refusal = replicationRefusal(documents, { source: SOURCE, destination: OTHER_ACCOUNT, repository: 'app', hasRepository });
    if (missing === undefined) expect(refusal).toBeUndefined();
    else expect(refusal).toContain(`does not allow account 111111111111 ${missing} on repository 'app'`);
  });

  it('refuses a source account the policy does not name', () => {
    putRegistryPolicy(OTHER_ACCOUNT, allow(['ecr:CreateRepository', 'ecr:ReplicateImage'], 'arn:aws:iam::333333333333:root'));
    expect(replicationRefusal(documents, { source: SOURCE, destination: OTHER_ACCOUNT, repository: 'app', hasRepository: true })).toContain('ecr:ReplicateImage');
  });

  it('refuses what a Deny statement takes back from an Allow', () => {
    documents.put('registry-policy', OTHER_ACCOUNT, 'policy', {
      policyText: JSON.stringify({
        Version: '2012-10-17',
        Statement: [allow(['ecr:CreateRepository', 'ecr:ReplicateImage']), { ...allow(['ecr:ReplicateImage']), Effect: 'Deny', Resource: `arn:aws:ecr:eu-west-1:222222222222:repository/secret` }],
      }),
      updatedAt: 0,
    });
    expect(replicationRefusal(documents, { source: SOURCE, destination: OTHER_ACCOUNT, repository: 'secret', hasRepository: true })).toContain('ecr:ReplicateImage');
    expect(replicationRefusal(documents, { source: SOURCE, destination: OTHER_ACCOUNT, repository: 'app', hasRepository: true })).toBeUndefined();
  });
});
