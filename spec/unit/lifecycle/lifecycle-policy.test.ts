// Lifecycle policy rules: what parses, the typed policy it gives, the failure detail for each broken rule, and
// which tags a rule selects.
import { DomainError } from '../../../src/images/domain-error';
import { parseLifecyclePolicy, selectsTags, type LifecyclePolicy, type LifecycleTagSelection } from '../../../src/lifecycle/lifecycle-policy';

type Json = Record<string, unknown>;

const EXPIRE = { type: 'expire' };
const UNTAGGED_AFTER_14_DAYS = { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 14 };
const KEEP_FIVE_RELEASES = { tagStatus: 'tagged', tagPrefixList: ['release'], countType: 'imageCountMoreThan', countNumber: 5 };

function rule(rulePriority: number, selection: Json, action: Json = EXPIRE, extra: Json = {}): Json {
  return { rulePriority, selection, action, ...extra };
}

function policyText(...rules: Json[]): string {
  return JSON.stringify({ rules });
}

function failureOf(text: string): string {
  try {
    parseLifecyclePolicy(text);
  } catch (error) {
    if (error instanceof DomainError && error.kind === 'InvalidParameter') return error.message;
    throw error;
  }
  throw new Error('the policy was accepted');
}

describe('parseLifecyclePolicy', () => {
  it('parses rules into typed selections and orders them by priority', () => {
    const policy = parseLifecyclePolicy(policyText(rule(10, UNTAGGED_AFTER_14_DAYS), rule(2, KEEP_FIVE_RELEASES, EXPIRE, { description: 'keep five' })));
    expect(policy).toEqual<LifecyclePolicy>({
      rules: [
        {
          priority: 2,
          description: 'keep five',
          tags: { status: 'tagged', matchBy: 'prefix', values: ['release'] },
          storageClass: 'standard',
          count: { type: 'imageCountMoreThan', images: 5 },
          action: { type: 'expire' },
        },
        { priority: 10, tags: { status: 'untagged' }, storageClass: 'standard', count: { type: 'sinceImagePushed', days: 14 }, action: { type: 'expire' } },
      ],
    });
  });

  it('parses archive transitions and expiry of archived images', () => {
    const policy = parseLifecyclePolicy(
      policyText(
        rule(1, { tagStatus: 'tagged', tagPatternList: ['v*-rc*'], countType: 'sinceImagePulled', countUnit: 'days', countNumber: 90 }, { type: 'transition', targetStorageClass: 'archive' }),
        rule(2, { tagStatus: 'any', storageClass: 'archive', countType: 'sinceImageTransitioned', countUnit: 'days', countNumber: 365 }),
      ),
    );
    expect(policy.rules.map(({ storageClass, count, action, tags }) => ({ storageClass, count, action, tags }))).toEqual([
      { storageClass: 'standard', count: { type: 'sinceImagePulled', days: 90 }, action: { type: 'transition', targetStorageClass: 'archive' }, tags: { status: 'tagged', matchBy: 'pattern', values: ['v*-rc*'] } },
      { storageClass: 'archive', count: { type: 'sinceImageTransitioned', days: 365 }, action: { type: 'expire' }, tags: { status: 'any' } },
    ]);
  });

  it.each([
    ['an any rule last', policyText(rule(1, KEEP_FIVE_RELEASES), rule(2, UNTAGGED_AFTER_14_DAYS), rule(3, { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 100 }))],
    ['an any rule last in each storage class', policyText(rule(1, { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 100 }), rule(2, { tagStatus: 'any', storageClass: 'archive', countType: 'sinceImageTransitioned', countUnit: 'days', countNumber: 30 }))],
    ['one untagged rule per storage class', policyText(rule(1, UNTAGGED_AFTER_14_DAYS), rule(2, { tagStatus: 'untagged', storageClass: 'archive', countType: 'sinceImageTransitioned', countUnit: 'days', countNumber: 30 }))],
    ['storageClass standard given explicitly', policyText(rule(1, { ...UNTAGGED_AFTER_14_DAYS, storageClass: 'standard' }))],
    ['a tag pattern with four wildcards', policyText(rule(1, { ...KEEP_FIVE_RELEASES, tagPrefixList: undefined, tagPatternList: ['*test*1*2*3', 'test*1*2*3*'] }))],
  ])('accepts %s', (_label, text) => {
    expect(() => parseLifecyclePolicy(text)).not.toThrow();
  });

  it.each([
    ['text that is not JSON', 'rules: none', 'Could not map policyString into LifecyclePolicy.'],
    ['a JSON array', '[]', 'Could not map policyString into LifecyclePolicy.'],
    ['a document without rules', '{}', 'policy: object has missing required properties (["rules"])'],
    ['an unknown top-level member', JSON.stringify({ rules: [rule(1, UNTAGGED_AFTER_14_DAYS)], version: 1 }), 'policy: object instance has properties which are not allowed by the schema (["version"])'],
    ['rules that are not a list', JSON.stringify({ rules: rule(1, UNTAGGED_AFTER_14_DAYS) }), 'rules: instance type (object) does not match any allowed primitive type (allowed: ["array"])'],
    ['an empty rule list', policyText(), 'rules: array is too short: must have at least 1 elements but instance has 0 elements'],
    ['more than 50 rules', policyText(...Array.from({ length: 51 }, (_, index) => rule(index + 1, KEEP_FIVE_RELEASES))), 'rules: array is too long: must have at most 50 elements but instance has 51 elements'],
    ['a rule that is not an object', policyText('rule' as unknown as Json), 'rules[0]: instance type (string) does not match any allowed primitive type (allowed: ["object"])'],
    ['a rule without priority and action', JSON.stringify({ rules: [{ selection: UNTAGGED_AFTER_14_DAYS }] }), 'rules[0]: object has missing required properties (["rulePriority","action"])'],
    ['an unknown rule member', policyText(rule(1, UNTAGGED_AFTER_14_DAYS, EXPIRE, { name: 'x' })), 'rules[0]: object instance has properties which are not allowed by the schema (["name"])'],
    ['a priority of zero', policyText(rule(0, UNTAGGED_AFTER_14_DAYS)), 'rules[0].rulePriority: numeric instance is lower than the required minimum (minimum: 1, found: 0)'],
    ['a fractional priority', policyText(rule(1.5, UNTAGGED_AFTER_14_DAYS)), 'rules[0].rulePriority: instance type (number) does not match any allowed primitive type (allowed: ["integer"])'],
    ['a priority given as text', policyText(rule('1' as unknown as number, UNTAGGED_AFTER_14_DAYS)), 'rules[0].rulePriority: instance type (string) does not match any allowed primitive type (allowed: ["integer"])'],
    ['a description that is not text', policyText(rule(1, UNTAGGED_AFTER_14_DAYS, EXPIRE, { description: 5 })), 'rules[0].description: instance type (integer) does not match any allowed primitive type (allowed: ["string"])'],
    ['a selection without countNumber', policyText(rule(1, { tagStatus: 'untagged', countType: 'imageCountMoreThan' })), 'rules[0].selection: object has missing required properties (["countNumber"])'],
    ['an unknown selection member', policyText(rule(1, { ...UNTAGGED_AFTER_14_DAYS, tagSuffixList: ['x'] })), 'rules[0].selection: object instance has properties which are not allowed by the schema (["tagSuffixList"])'],
    ['an unknown tagStatus', policyText(rule(1, { ...UNTAGGED_AFTER_14_DAYS, tagStatus: 'TAGGED' })), 'rules[0].selection.tagStatus: instance value ("TAGGED") not found in enum (possible values: ["tagged","untagged","any"])'],
    ['a tagged rule without prefixes or patterns', policyText(rule(1, { tagStatus: 'tagged', countType: 'imageCountMoreThan', countNumber: 1 })), 'Must specify tagPrefixList or tagPatternList when tagStatus=TAGGED.'],
    ['a tagged rule with prefixes and patterns', policyText(rule(1, { ...KEEP_FIVE_RELEASES, tagPatternList: ['v*'] })), 'Specify either tagPrefixList or tagPatternList, not both.'],
    ['an untagged rule with prefixes', policyText(rule(1, { ...UNTAGGED_AFTER_14_DAYS, tagPrefixList: ['v'] })), 'tagPrefixList and tagPatternList can only be specified when tagStatus=TAGGED.'],
    ['an any rule with patterns', policyText(rule(1, { tagStatus: 'any', tagPatternList: ['v*'], countType: 'imageCountMoreThan', countNumber: 1 })), 'tagPrefixList and tagPatternList can only be specified when tagStatus=TAGGED.'],
    ['an empty prefix list', policyText(rule(1, { ...KEEP_FIVE_RELEASES, tagPrefixList: [] })), 'rules[0].selection.tagPrefixList: array is too short: must have at least 1 elements but instance has 0 elements'],
    ['an empty prefix', policyText(rule(1, { ...KEEP_FIVE_RELEASES, tagPrefixList: [''] })), 'rules[0].selection.tagPrefixList[0]: string is too short (length: 0, required minimum: 1)'],
    ['a prefix that is not text', policyText(rule(1, { ...KEEP_FIVE_RELEASES, tagPrefixList: [7] })), 'rules[0].selection.tagPrefixList[0]: instance type (integer) does not match any allowed primitive type (allowed: ["string"])'],
    ['a pattern with five wildcards', policyText(rule(1, { ...KEEP_FIVE_RELEASES, tagPrefixList: undefined, tagPatternList: ['test*1*2*3*4*5'] })), "The tag pattern 'test*1*2*3*4*5' has more than 4 wildcards (*)."],
    ['an unknown countType', policyText(rule(1, { ...UNTAGGED_AFTER_14_DAYS, countType: 'sinceImageBuilt' })), 'rules[0].selection.countType: instance value ("sinceImageBuilt") not found in enum (possible values: ["imageCountMoreThan","sinceImagePushed","sinceImagePulled","sinceImageTransitioned"])'],
    ['a countNumber of zero', policyText(rule(1, { ...UNTAGGED_AFTER_14_DAYS, countNumber: 0 })), 'rules[0].selection.countNumber: numeric instance is lower than the required minimum (minimum: 1, found: 0)'],
    ['an age count without countUnit', policyText(rule(1, { ...UNTAGGED_AFTER_14_DAYS, countUnit: undefined })), 'countUnit is required when countType=sinceImagePushed.'],
    ['a countUnit other than days', policyText(rule(1, { ...UNTAGGED_AFTER_14_DAYS, countUnit: 'hours' })), 'rules[0].selection.countUnit: instance value ("hours") not found in enum (possible values: ["days"])'],
    ['an image count with countUnit', policyText(rule(1, { ...KEEP_FIVE_RELEASES, countUnit: 'days' })), 'countUnit can only be specified when countType is sinceImagePushed, sinceImagePulled or sinceImageTransitioned.'],
    ['an unknown storageClass', policyText(rule(1, { ...UNTAGGED_AFTER_14_DAYS, storageClass: 'glacier' })), 'rules[0].selection.storageClass: instance value ("glacier") not found in enum (possible values: ["standard","archive"])'],
    ['sinceImageTransitioned without the archive class', policyText(rule(1, { ...UNTAGGED_AFTER_14_DAYS, countType: 'sinceImageTransitioned' })), 'storageClass must be archive when countType=sinceImageTransitioned.'],
    ['the archive class with another count', policyText(rule(1, { ...UNTAGGED_AFTER_14_DAYS, storageClass: 'archive' })), 'storageClass archive can only be used with countType=sinceImageTransitioned, not sinceImagePushed.'],
    ['an action without type', policyText(rule(1, UNTAGGED_AFTER_14_DAYS, {})), 'rules[0].action: object has missing required properties (["type"])'],
    ['an unknown action type', policyText(rule(1, UNTAGGED_AFTER_14_DAYS, { type: 'keep' })), 'rules[0].action.type: instance value ("keep") not found in enum (possible values: ["expire","transition"])'],
    ['an unknown action member', policyText(rule(1, UNTAGGED_AFTER_14_DAYS, { type: 'expire', when: 'now' })), 'rules[0].action: object instance has properties which are not allowed by the schema (["when"])'],
    ['an expire action with a target class', policyText(rule(1, UNTAGGED_AFTER_14_DAYS, { type: 'expire', targetStorageClass: 'archive' })), 'targetStorageClass can only be specified when the action type is transition.'],
    ['a transition without a target class', policyText(rule(1, UNTAGGED_AFTER_14_DAYS, { type: 'transition' })), 'targetStorageClass is required when the action type is transition.'],
    ['a transition to an unknown class', policyText(rule(1, UNTAGGED_AFTER_14_DAYS, { type: 'transition', targetStorageClass: 'standard' })), 'rules[0].action.targetStorageClass: instance value ("standard") not found in enum (possible values: ["archive"])'],
    ['a transition of archived images', policyText(rule(1, { tagStatus: 'any', storageClass: 'archive', countType: 'sinceImageTransitioned', countUnit: 'days', countNumber: 30 }, { type: 'transition', targetStorageClass: 'archive' })), 'A transition rule must select images in the standard storage class.'],
    ['two rules with one priority', policyText(rule(1, UNTAGGED_AFTER_14_DAYS), rule(1, KEEP_FIVE_RELEASES)), 'Rule priorities must be unique; rulePriority 1 is used more than once.'],
    ['two untagged rules in one storage class', policyText(rule(1, UNTAGGED_AFTER_14_DAYS), rule(2, { ...UNTAGGED_AFTER_14_DAYS, countType: 'imageCountMoreThan', countUnit: undefined })), 'Only one rule can select Untagged images per storage class.'],
    ['an any rule before another rule', policyText(rule(1, { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 100 }), rule(2, KEEP_FIVE_RELEASES)), 'Rule for tagStatus=ANY must have the lowest priority per storage class.'],
  ])('rejects %s', (_label, text, failure) => {
    expect(failureOf(text)).toBe(failure);
  });
});

describe('selectsTags', () => {
  const prefixes = (...values: string[]): LifecycleTagSelection => ({ status: 'tagged', matchBy: 'prefix', values });
  const patterns = (...values: string[]): LifecycleTagSelection => ({ status: 'tagged', matchBy: 'pattern', values });

  it.each([
    ['any selects an untagged image', { status: 'any' } as LifecycleTagSelection, [], true],
    ['any selects a tagged image', { status: 'any' } as LifecycleTagSelection, ['v1'], true],
    ['untagged selects an untagged image', { status: 'untagged' } as LifecycleTagSelection, [], true],
    ['untagged skips a tagged image', { status: 'untagged' } as LifecycleTagSelection, ['v1'], false],
    ['a prefix selects a tag that starts with it', prefixes('prod'), ['prod1'], true],
    ['a prefix skips a tag that contains it later', prefixes('prod'), ['preprod'], false],
    ['a prefix skips an untagged image', prefixes('prod'), [], false],
    ['several prefixes need every one matched', prefixes('prod', 'v'), ['prod1'], false],
    ['several prefixes select an image matching each', prefixes('prod', 'v'), ['prod1', 'v2'], true],
    ['a pattern selects a wildcard match', patterns('prod*'), ['prod-7'], true],
    ['a pattern matches the whole tag', patterns('prod'), ['prod-7'], false],
    ['a pattern with inner wildcards', patterns('*test*1*'), ['my-test-v1.0'], true],
    ['a pattern treats dots literally', patterns('v1.0'), ['v1x0'], false],
  ])('%s', (_label, selection, tags, expected) => {
    expect(selectsTags(selection, tags as string[])).toBe(expected);
  });
});
