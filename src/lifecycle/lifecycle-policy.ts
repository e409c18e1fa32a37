// Lifecycle policy documents: parses and validates the rules ECR accepts (priority, tag selection, storage class,
// count, action) into a typed policy that evaluation and previews read, and says which tags a rule selects.
// Pure: it never touches images. Rules follow the user guide's "Lifecycle policy properties" page.
import { DomainError } from '../images/domain-error';
import { matchesWildcard } from '../kernel/wildcard';

export type LifecycleStorageClass = 'standard' | 'archive';

export type LifecycleTagSelection =
  | { status: 'any' }
  | { status: 'untagged' }
  | { status: 'tagged'; matchBy: 'prefix' | 'pattern'; values: string[] };

export type LifecycleCount =
  | { type: 'imageCountMoreThan'; images: number }
  | { type: 'sinceImagePushed' | 'sinceImagePulled' | 'sinceImageTransitioned'; days: number };

export type LifecycleAction = { type: 'expire' } | { type: 'transition'; targetStorageClass: 'archive' };

export interface LifecycleRule {
  priority: number;
  description?: string;
  tags: LifecycleTagSelection;
  /** The storage class the rule selects images from; `standard` when the policy names none. */
  storageClass: LifecycleStorageClass;
  count: LifecycleCount;
  action: LifecycleAction;
}

export interface LifecyclePolicy {
  /** Lowest priority number first: the order ECR applies them in. */
  rules: LifecycleRule[];
}

/** ECR's quota of rules per lifecycle policy. */
export const MAX_LIFECYCLE_RULES = 50;
export const MAX_PATTERN_WILDCARDS = 4;

const RULE_MEMBERS = ['rulePriority', 'description', 'selection', 'action'];
const SELECTION_MEMBERS = ['tagStatus', 'tagPatternList', 'tagPrefixList', 'storageClass', 'countType', 'countUnit', 'countNumber'];
const ACTION_MEMBERS = ['type', 'targetStorageClass'];
const TAG_STATUSES = ['tagged', 'untagged', 'any'] as const;
const STORAGE_CLASSES = ['standard', 'archive'] as const;
const COUNT_TYPES = ['imageCountMoreThan', 'sinceImagePushed', 'sinceImagePulled', 'sinceImageTransitioned'] as const;
const ACTION_TYPES = ['expire', 'transition'] as const;

type JsonObject = Record<string, unknown>;

/** Throws the validation failure; the message is the detail ECR puts after "Lifecycle policy validation failure: ". */
function fail(detail: string): never {
  throw new DomainError('InvalidParameter', detail);
}

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

// The structural messages follow the JSON-schema validator wording ECR answers with, prefixed by where it failed.
function wrongType(path: string, value: unknown, allowed: string): never {
  return fail(`${path}: instance type (${jsonType(value)}) does not match any allowed primitive type (allowed: ["${allowed}"])`);
}

function objectAt(value: unknown, path: string, required: readonly string[], allowed: readonly string[]): JsonObject {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) wrongType(path, value, 'object');
  const object = value as JsonObject;
  const missing = required.filter((member) => object[member] === undefined);
  if (missing.length > 0) fail(`${path}: object has missing required properties (${JSON.stringify(missing)})`);
  const unknown = Object.keys(object).filter((member) => !allowed.includes(member));
  if (unknown.length > 0) fail(`${path}: object instance has properties which are not allowed by the schema (${JSON.stringify(unknown)})`);
  return object;
}

function positiveInteger(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) wrongType(path, value, 'integer');
  if (value < 1) fail(`${path}: numeric instance is lower than the required minimum (minimum: 1, found: ${value})`);
  return value;
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], path: string): T {
  if (typeof value !== 'string') wrongType(path, value, 'string');
  if (!(allowed as readonly string[]).includes(value)) fail(`${path}: instance value (${JSON.stringify(value)}) not found in enum (possible values: ${JSON.stringify(allowed)})`);
  return value as T;
}

function nonEmptyStrings(value: unknown, path: string): string[] {
  if (!Array.isArray(value)) wrongType(path, value, 'array');
  if (value.length === 0) fail(`${path}: array is too short: must have at least 1 elements but instance has 0 elements`);
  return value.map((item, index) => {
    if (typeof item !== 'string') wrongType(`${path}[${index}]`, item, 'string');
    if (item.length === 0) fail(`${path}[${index}]: string is too short (length: 0, required minimum: 1)`);
    return item;
  });
}

function parseTags(selection: JsonObject, path: string): LifecycleTagSelection {
  const status = oneOf(selection.tagStatus, TAG_STATUSES, `${path}.tagStatus`);
  const hasPrefixes = selection.tagPrefixList !== undefined;
  const hasPatterns = selection.tagPatternList !== undefined;
  if (status !== 'tagged') {
    if (hasPrefixes || hasPatterns) fail('tagPrefixList and tagPatternList can only be specified when tagStatus=TAGGED.');
    return { status };
  }
  if (!hasPrefixes && !hasPatterns) fail('Must specify tagPrefixList or tagPatternList when tagStatus=TAGGED.');
  if (hasPrefixes && hasPatterns) fail('Specify either tagPrefixList or tagPatternList, not both.');
  if (hasPrefixes) return { status, matchBy: 'prefix', values: nonEmptyStrings(selection.tagPrefixList, `${path}.tagPrefixList`) };
  const patterns = nonEmptyStrings(selection.tagPatternList, `${path}.tagPatternList`);
  const crowded = patterns.find((pattern) => pattern.split('*').length - 1 > MAX_PATTERN_WILDCARDS);
  if (crowded !== undefined) fail(`The tag pattern '${crowded}' has more than ${MAX_PATTERN_WILDCARDS} wildcards (*).`);
  return { status, matchBy: 'pattern', values: patterns };
}

function parseCount(selection: JsonObject, path: string): LifecycleCount {
  const type = oneOf(selection.countType, COUNT_TYPES, `${path}.countType`);
  const number = positiveInteger(selection.countNumber, `${path}.countNumber`);
  if (type === 'imageCountMoreThan') {
    if (selection.countUnit !== undefined) fail('countUnit can only be specified when countType is sinceImagePushed, sinceImagePulled or sinceImageTransitioned.');
    return { type, images: number };
  }
  if (selection.countUnit === undefined) fail(`countUnit is required when countType=${type}.`);
  oneOf(selection.countUnit, ['days'], `${path}.countUnit`);
  return { type, days: number };
}

function parseStorageClass(selection: JsonObject, count: LifecycleCount, path: string): LifecycleStorageClass {
  const storageClass = selection.storageClass === undefined ? undefined : oneOf(selection.storageClass, STORAGE_CLASSES, `${path}.storageClass`);
  // Only archived images have a transition time; every other count selects standard images.
  if (count.type === 'sinceImageTransitioned') {
    if (storageClass !== 'archive') fail('storageClass must be archive when countType=sinceImageTransitioned.');
    return 'archive';
  }
  if (storageClass === 'archive') fail(`storageClass archive can only be used with countType=sinceImageTransitioned, not ${count.type}.`);
  return 'standard';
}

function parseAction(value: unknown, storageClass: LifecycleStorageClass, path: string): LifecycleAction {
  const action = objectAt(value, path, ['type'], ACTION_MEMBERS);
  const type = oneOf(action.type, ACTION_TYPES, `${path}.type`);
  if (type === 'expire') {
    if (action.targetStorageClass !== undefined) fail('targetStorageClass can only be specified when the action type is transition.');
    return { type };
  }
  if (action.targetStorageClass === undefined) fail('targetStorageClass is required when the action type is transition.');
  const targetStorageClass = oneOf(action.targetStorageClass, ['archive'] as const, `${path}.targetStorageClass`);
  if (storageClass !== 'standard') fail('A transition rule must select images in the standard storage class.');
  return { type, targetStorageClass };
}

function parseRule(value: unknown, path: string): LifecycleRule {
  const rule = objectAt(value, path, ['rulePriority', 'selection', 'action'], RULE_MEMBERS);
  const priority = positiveInteger(rule.rulePriority, `${path}.rulePriority`);
  if (rule.description !== undefined && typeof rule.description !== 'string') wrongType(`${path}.description`, rule.description, 'string');
  const selectionPath = `${path}.selection`;
  const selection = objectAt(rule.selection, selectionPath, ['tagStatus', 'countType', 'countNumber'], SELECTION_MEMBERS);
  const tags = parseTags(selection, selectionPath);
  const count = parseCount(selection, selectionPath);
  const storageClass = parseStorageClass(selection, count, selectionPath);
  return {
    priority,
    ...(typeof rule.description === 'string' ? { description: rule.description } : {}),
    tags,
    storageClass,
    count,
    action: parseAction(rule.action, storageClass, `${path}.action`),
  };
}

/** Rules that only make sense together: unique priorities, one untagged rule and the `any` rule last, per storage class. */
function checkRuleSet(rules: LifecycleRule[]): void {
  const priorities = new Set<number>();
  for (const rule of rules) {
    if (priorities.has(rule.priority)) fail(`Rule priorities must be unique; rulePriority ${rule.priority} is used more than once.`);
    priorities.add(rule.priority);
  }
  for (const storageClass of STORAGE_CLASSES) {
    const inClass = rules.filter((rule) => rule.storageClass === storageClass);
    if (inClass.filter((rule) => rule.tags.status === 'untagged').length > 1) fail('Only one rule can select Untagged images per storage class.');
    const last = inClass[inClass.length - 1];
    if (inClass.some((rule) => rule.tags.status === 'any' && rule !== last)) fail('Rule for tagStatus=ANY must have the lowest priority per storage class.');
  }
}

/**
 * Parses a lifecycle policy text. Throws DomainError InvalidParameter whose message is the failure detail
 * (`Must specify tagPrefixList or tagPatternList when tagStatus=TAGGED.`); the caller words it as its API does.
 */
export function parseLifecyclePolicy(text: string): LifecyclePolicy {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    fail('Could not map policyString into LifecyclePolicy.');
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document)) fail('Could not map policyString into LifecyclePolicy.');
  const { rules } = objectAt(document, 'policy', ['rules'], ['rules']);
  if (!Array.isArray(rules)) wrongType('rules', rules, 'array');
  if (rules.length === 0) fail('rules: array is too short: must have at least 1 elements but instance has 0 elements');
  if (rules.length > MAX_LIFECYCLE_RULES) fail(`rules: array is too long: must have at most ${MAX_LIFECYCLE_RULES} elements but instance has ${rules.length} elements`);
  const parsed = rules.map((rule, index) => parseRule(rule, `rules[${index}]`)).sort((left, right) => left.priority - right.priority);
  checkRuleSet(parsed);
  return { rules: parsed };
}

/**
 * Whether a rule's tag selection takes an image with these tags. With several prefixes or patterns, ECR selects
 * only images that match every one of them (each by some tag).
 */
export function selectsTags(selection: LifecycleTagSelection, tags: readonly string[]): boolean {
  switch (selection.status) {
    case 'any':
      return true;
    case 'untagged':
      return tags.length === 0;
    case 'tagged':
      return selection.values.every((value) =>
        tags.some((tag) => (selection.matchBy === 'prefix' ? tag.startsWith(value) : matchesWildcard(value, tag))),
      );
    default: {
      const unreachable: never = selection;
      return unreachable;
    }
  }
}
