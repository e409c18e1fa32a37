// Lifecycle policy evaluation: rule order, one action per image, protection by higher-priority rules, counts by
// number and by days since push, pull and transition, and archive transitions.
import { evaluateLifecyclePolicy, type LifecycleImage } from '../../../src/lifecycle/lifecycle-evaluation';
import { parseLifecyclePolicy } from '../../../src/lifecycle/lifecycle-policy';

type Json = Record<string, unknown>;

const NOW = new Date('2026-06-01T00:00:00Z');
const DAY_MS = 24 * 60 * 60 * 1000;
const EXPIRE = { type: 'expire' };
const ARCHIVE = { type: 'transition', targetStorageClass: 'archive' };

function daysAgo(days: number): Date {
  return new Date(NOW.getTime() - days * DAY_MS);
}

function image(digest: string, pushedDaysAgo: number, tags: string[] = [], extra: Partial<LifecycleImage> = {}): LifecycleImage {
  return { digest, tags, pushedAt: daysAgo(pushedDaysAgo), storageClass: 'STANDARD', ...extra };
}

function policy(...rules: Json[]): ReturnType<typeof parseLifecyclePolicy> {
  return parseLifecyclePolicy(JSON.stringify({ rules }));
}

function rule(rulePriority: number, selection: Json, action: Json = EXPIRE): Json {
  return { rulePriority, selection, action };
}

/** digest → priority of the rule that acts on it, in decision order. */
function outcome(rules: Json[], images: LifecycleImage[]): [string, number, string][] {
  return evaluateLifecyclePolicy(policy(...rules), images, NOW).map((decision) => [decision.image.digest, decision.rule.priority, decision.action.type]);
}

describe('evaluateLifecyclePolicy', () => {
  it('keeps the N most recently pushed images of imageCountMoreThan and expires the rest, oldest first', () => {
    const images = [image('a', 5), image('b', 1), image('c', 3), image('d', 4)];
    expect(outcome([rule(1, { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 2 })], images)).toEqual([
      ['a', 1, 'expire'],
      ['d', 1, 'expire'],
    ]);
  });

  it('expires nothing while a rule selects no more images than its count', () => {
    expect(outcome([rule(1, { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 3 })], [image('a', 1), image('b', 2)])).toEqual([]);
  });

  it('expires images pushed more than countNumber days ago with sinceImagePushed', () => {
    const images = [image('old', 15), image('edge', 14), image('new', 2)];
    expect(outcome([rule(1, { tagStatus: 'any', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 14 })], images)).toEqual([['old', 1, 'expire']]);
  });

  it('selects tagged images by prefix, untagged images, or any image', () => {
    const images = [image('release', 30, ['release-1']), image('dev', 30, ['dev-1']), image('bare', 30)];
    const since = { countType: 'sinceImagePushed', countUnit: 'days', countNumber: 1 };
    expect(outcome([rule(1, { tagStatus: 'tagged', tagPrefixList: ['release'], ...since })], images)).toEqual([['release', 1, 'expire']]);
    expect(outcome([rule(1, { tagStatus: 'untagged', ...since })], images)).toEqual([['bare', 1, 'expire']]);
    expect(outcome([rule(1, { tagStatus: 'any', ...since })], images).map(([digest]) => digest).sort()).toEqual(['bare', 'dev', 'release']);
  });

  it('selects tagged images by wildcard pattern', () => {
    const images = [image('prod', 30, ['prod-7']), image('preprod', 30, ['preprod-7'])];
    expect(outcome([rule(1, { tagStatus: 'tagged', tagPatternList: ['prod*'], countType: 'sinceImagePushed', countUnit: 'days', countNumber: 1 })], images)).toEqual([
      ['prod', 1, 'expire'],
    ]);
  });

  it('never lets a lower-priority rule act on an image a higher-priority rule selects, even when that rule keeps it', () => {
    const images = [image('stable-old', 100, ['stable-1']), image('stable-new', 1, ['stable-2']), image('bare', 100)];
    const rules = [
      rule(1, { tagStatus: 'tagged', tagPrefixList: ['stable'], countType: 'imageCountMoreThan', countNumber: 9999 }),
      rule(2, { tagStatus: 'any', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 30 }),
    ];
    expect(outcome(rules, images)).toEqual([['bare', 2, 'expire']]);
  });

  it('acts on an image with the first rule that marks it only', () => {
    const images = [image('old', 60, ['v1']), image('new', 1, ['v2'])];
    const rules = [
      rule(1, { tagStatus: 'tagged', tagPrefixList: ['v'], countType: 'imageCountMoreThan', countNumber: 1 }),
      rule(2, { tagStatus: 'any', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 30 }),
    ];
    expect(outcome(rules, images)).toEqual([['old', 1, 'expire']]);
  });

  it('orders rules by rulePriority whatever their order in the text', () => {
    const images = [image('old', 60, ['v1']), image('bare', 60)];
    const rules = [
      rule(20, { tagStatus: 'any', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 30 }),
      rule(10, { tagStatus: 'untagged', countType: 'imageCountMoreThan', countNumber: 5 }),
    ];
    expect(outcome(rules, images)).toEqual([['old', 20, 'expire']]);
  });

  it('counts days since the last pull with sinceImagePulled, from the push for an image never pulled', () => {
    const images = [image('pulled-lately', 100, [], { lastPulledAt: daysAgo(2) }), image('pulled-long-ago', 100, [], { lastPulledAt: daysAgo(40) }), image('never-pulled', 40)];
    const rules = [rule(1, { tagStatus: 'any', countType: 'sinceImagePulled', countUnit: 'days', countNumber: 30 }, ARCHIVE)];
    expect(outcome(rules, images)).toEqual([
      ['pulled-long-ago', 1, 'transition'],
      ['never-pulled', 1, 'transition'],
    ]);
  });

  it('transitions standard images to archive and leaves archived images to archive rules', () => {
    const images = [image('standard', 100), image('archived', 100, [], { storageClass: 'ARCHIVE', lastArchivedAt: daysAgo(10) })];
    const rules = [rule(1, { tagStatus: 'any', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 30 }, ARCHIVE)];
    const [decision, ...rest] = evaluateLifecyclePolicy(policy(...rules), images, NOW);
    expect(rest).toEqual([]);
    expect(decision).toEqual(expect.objectContaining({ action: { type: 'transition', targetStorageClass: 'archive' } }));
    expect(decision!.image.digest).toBe('standard');
  });

  it('expires archived images by days since their transition with sinceImageTransitioned', () => {
    const images = [
      image('long-archived', 400, [], { storageClass: 'ARCHIVE', lastArchivedAt: daysAgo(200) }),
      image('lately-archived', 400, [], { storageClass: 'ARCHIVE', lastArchivedAt: daysAgo(20) }),
      image('standard', 400),
    ];
    const rules = [rule(1, { tagStatus: 'any', storageClass: 'archive', countType: 'sinceImageTransitioned', countUnit: 'days', countNumber: 90 })];
    expect(outcome(rules, images)).toEqual([['long-archived', 1, 'expire']]);
  });

  it('keeps standard and archive rules apart: a standard rule does not protect archived images', () => {
    const images = [image('archived', 400, ['v1'], { storageClass: 'ARCHIVE', lastArchivedAt: daysAgo(200) })];
    const rules = [
      rule(1, { tagStatus: 'tagged', tagPrefixList: ['v'], countType: 'imageCountMoreThan', countNumber: 9999 }),
      rule(2, { tagStatus: 'any', storageClass: 'archive', countType: 'sinceImageTransitioned', countUnit: 'days', countNumber: 90 }),
    ];
    expect(outcome(rules, images)).toEqual([['archived', 2, 'expire']]);
  });

  it('breaks push-time ties by digest, so the same images always give the same result', () => {
    const images = [image('b', 3), image('a', 3), image('c', 3)];
    expect(outcome([rule(1, { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 1 })], images)).toEqual([
      ['c', 1, 'expire'],
      ['b', 1, 'expire'],
    ]);
  });
});
