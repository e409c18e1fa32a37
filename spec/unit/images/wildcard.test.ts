// ECR's `*` wildcards and IAM's `*` / `?`: whole-text matches, in linear time on the filters a user can send.
import { matchesGlob, matchesWildcard } from '../../../src/kernel/wildcard';

describe('matchesWildcard', () => {
  it.each([
    ['prod*', 'prod-1', true],
    ['prod*', 'dev-prod', false],
    ['*-rc', 'v1.0-rc', true],
    ['*-rc', 'v1.0-rc1', false],
    ['*', '', true],
    ['', '', true],
    ['', 'a', false],
    ['a*b*c', 'abc', true],
    ['a*b*c', 'a-x-b-y-c', true],
    ['a*b*c', 'a-x-c-y-b', false],
    ['**a', 'xa', true],
    ['release.?', 'release.?', true],
    ['release.?', 'release.1', false],
    ['a.b', 'aXb', false],
    ['latest', 'Latest', false],
  ])('%s against %s is %s', (pattern, text, expected) => {
    expect(matchesWildcard(pattern, text)).toBe(expected);
  });

  it('answers a pathological filter against a long tag at once (a regex took 43 s)', () => {
    const started = process.hrtime.bigint();
    expect(matchesWildcard('*a*a*a*a*a*a*a*a*a*a*b', 'a'.repeat(40))).toBe(false);
    expect(matchesWildcard(`${'*a'.repeat(200)}*b`, 'a'.repeat(300))).toBe(false);
    expect(matchesWildcard(`${'*a'.repeat(200)}*b`, `${'a'.repeat(300)}b`)).toBe(true);
    const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
    // The backtracking version needs seconds for the first line alone; the linear one well under a millisecond.
    expect(elapsedMs).toBeLessThan(200);
  });
});

describe('matchesGlob with IAM options', () => {
  const iam = { hasSingleCharacterWildcard: true, isCaseInsensitive: true };
  it.each([
    ['ecr:*', 'ecr:BatchGetImage', true],
    ['ECR:batchget*', 'ecr:BatchGetImage', true],
    ['ecr:Get?uthorizationToken', 'ecr:GetAuthorizationToken', true],
    ['ecr:Get?', 'ecr:Get', false],
    ['ecr:Put*', 'ecr:BatchGetImage', false],
  ])('%s against %s is %s', (pattern, text, expected) => {
    expect(matchesGlob(pattern, text, iam)).toBe(expected);
  });

  it('keeps case when not asked to ignore it', () => {
    expect(matchesGlob('arn:aws:ecr:*:repository/Team', 'arn:aws:ecr:us-east-1:1:repository/team', { hasSingleCharacterWildcard: true })).toBe(false);
  });
});
