// Which pull-through cache rule covers a repository name, the upstream repository it maps to, and the URL used.
import { coveringRule, upstreamBaseUrl } from '../../../src/automation/pull-through-cache';
import type { RegistryDocuments, StoredPullThroughCacheRule } from '../../../src/images/registry-documents';

const scope = { accountId: '000000000000', region: 'us-east-1' };

function rule(ecrRepositoryPrefix: string, upstreamRepositoryPrefix?: string): StoredPullThroughCacheRule {
  return {
    ecrRepositoryPrefix,
    upstreamRegistryUrl: 'quay.io',
    upstreamRegistry: 'quay',
    ...(upstreamRepositoryPrefix !== undefined ? { upstreamRepositoryPrefix } : {}),
    createdAt: 0,
    updatedAt: 0,
  };
}

/** Only list() is read; the rules are keyed by prefix as the rule handlers store them. */
function documentsWith(rules: StoredPullThroughCacheRule[]): RegistryDocuments {
  const list = () => rules.map((value) => ({ key: value.ecrRepositoryPrefix, value }));
  return { list } as unknown as RegistryDocuments;
}

describe('coveringRule', () => {
  it.each([
    ['quay/team/app', [rule('quay')], 'quay', 'team/app'],
    ['quay/team/app', [rule('quay'), rule('quay/team')], 'quay/team', 'app'],
    ['hub/library/nginx', [rule('hub')], 'hub', 'library/nginx'],
    ['prod/app', [rule('prod', 'mirror')], 'prod', 'mirror/app'],
    ['prod/app', [rule('prod', 'ROOT')], 'prod', 'app'],
    ['anything/else', [rule('quay'), rule('ROOT')], 'ROOT', 'anything/else'],
  ])('maps %s under %j to the rule %s and upstream repository %s', (name, rules, prefix, upstreamRepository) => {
    expect(coveringRule(documentsWith(rules), scope, name)).toMatchObject({ rule: { ecrRepositoryPrefix: prefix }, upstreamRepository });
  });

  it.each(['quay', 'quayside/app', 'other/app'])('covers no %s under a quay rule alone', (name) => {
    expect(coveringRule(documentsWith([rule('quay')]), scope, name)).toBeUndefined();
  });
});

describe('upstreamBaseUrl', () => {
  it('reaches an upstream over HTTPS at its host unless --upstream maps it', () => {
    expect(upstreamBaseUrl('quay.io', {})).toBe('https://quay.io');
    expect(upstreamBaseUrl('Quay.IO', { 'quay.io': 'http://127.0.0.1:5001' })).toBe('http://127.0.0.1:5001');
  });
});
