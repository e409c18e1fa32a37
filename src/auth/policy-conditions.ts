// IAM's Condition element evaluated against a request context: the operators of the IAM policy grammar (String,
// Numeric, Date, Bool, Binary, IpAddress, Arn, Null), their `…IfExists` forms and the `ForAnyValue:` /
// `ForAllValues:` set qualifiers, with policy variables (`${aws:username}`). Pure; no operator runs a user's regex.
import { matchesGlob } from '../kernel/wildcard';

/**
 * The request's condition keys, each with its values (single-valued keys have one). Keys are looked up
 * case-insensitively, as IAM does: store them in any case.
 */
export type ConditionContext = Record<string, readonly string[]>;

/** Operator → condition key → values, as `parsePolicyDocument` gives them. */
export type Conditions = Record<string, Record<string, string[]>>;

type Comparison = (contextValue: string, policyValue: string) => boolean;

const IGNORE_CASE: Comparison = (a, b) => a.toLowerCase() === b.toLowerCase();

function numeric(compare: (a: number, b: number) => boolean): Comparison {
  return (a, b) => {
    const left = Number(a);
    const right = Number(b);
    return a.trim() !== '' && b.trim() !== '' && Number.isFinite(left) && Number.isFinite(right) && compare(left, right);
  };
}

/** IAM dates are ISO 8601 text or epoch seconds. */
function epochMs(text: string): number {
  return /^\d+$/.test(text) ? Number(text) * 1000 : Date.parse(text);
}

function date(compare: (a: number, b: number) => boolean): Comparison {
  return (a, b) => {
    const left = epochMs(a);
    const right = epochMs(b);
    return Number.isFinite(left) && Number.isFinite(right) && compare(left, right);
  };
}

function ipv4(text: string): number | undefined {
  const parts = text.split('.');
  if (parts.length !== 4 || parts.some((part) => !/^\d{1,3}$/.test(part) || Number(part) > 255)) return undefined;
  return parts.reduce((value, part) => value * 256 + Number(part), 0);
}

/** `203.0.113.0/24` (or a bare address) contains the context address; IPv6 is compared as written. */
const IN_CIDR: Comparison = (address, cidr) => {
  const [network = '', bitsText] = cidr.split('/');
  const bits = bitsText === undefined ? 32 : Number(bitsText);
  const value = ipv4(address);
  const base = ipv4(network);
  if (value === undefined || base === undefined || !Number.isInteger(bits) || bits < 0 || bits > 32) return address === cidr;
  const size = 2 ** (32 - bits);
  return Math.floor(value / size) === Math.floor(base / size);
};

/** The positive form of each operator and whether the operator negates it. */
const OPERATORS: Record<string, { compare: Comparison; isNegated: boolean; expandsVariables: boolean }> = {
  StringEquals: { compare: (a, b) => a === b, isNegated: false, expandsVariables: true },
  StringNotEquals: { compare: (a, b) => a === b, isNegated: true, expandsVariables: true },
  StringEqualsIgnoreCase: { compare: IGNORE_CASE, isNegated: false, expandsVariables: true },
  StringNotEqualsIgnoreCase: { compare: IGNORE_CASE, isNegated: true, expandsVariables: true },
  StringLike: { compare: (a, b) => matchesGlob(b, a, { hasSingleCharacterWildcard: true }), isNegated: false, expandsVariables: true },
  StringNotLike: { compare: (a, b) => matchesGlob(b, a, { hasSingleCharacterWildcard: true }), isNegated: true, expandsVariables: true },
  ArnEquals: { compare: (a, b) => matchesGlob(b, a, { hasSingleCharacterWildcard: true }), isNegated: false, expandsVariables: true },
  ArnLike: { compare: (a, b) => matchesGlob(b, a, { hasSingleCharacterWildcard: true }), isNegated: false, expandsVariables: true },
  ArnNotEquals: { compare: (a, b) => matchesGlob(b, a, { hasSingleCharacterWildcard: true }), isNegated: true, expandsVariables: true },
  ArnNotLike: { compare: (a, b) => matchesGlob(b, a, { hasSingleCharacterWildcard: true }), isNegated: true, expandsVariables: true },
  NumericEquals: { compare: numeric((a, b) => a === b), isNegated: false, expandsVariables: false },
  NumericNotEquals: { compare: numeric((a, b) => a === b), isNegated: true, expandsVariables: false },
  NumericLessThan: { compare: numeric((a, b) => a < b), isNegated: false, expandsVariables: false },
  NumericLessThanEquals: { compare: numeric((a, b) => a <= b), isNegated: false, expandsVariables: false },
  NumericGreaterThan: { compare: numeric((a, b) => a > b), isNegated: false, expandsVariables: false },
  NumericGreaterThanEquals: { compare: numeric((a, b) => a >= b), isNegated: false, expandsVariables: false },
  DateEquals: { compare: date((a, b) => a === b), isNegated: false, expandsVariables: false },
  DateNotEquals: { compare: date((a, b) => a === b), isNegated: true, expandsVariables: false },
  DateLessThan: { compare: date((a, b) => a < b), isNegated: false, expandsVariables: false },
  DateLessThanEquals: { compare: date((a, b) => a <= b), isNegated: false, expandsVariables: false },
  DateGreaterThan: { compare: date((a, b) => a > b), isNegated: false, expandsVariables: false },
  DateGreaterThanEquals: { compare: date((a, b) => a >= b), isNegated: false, expandsVariables: false },
  Bool: { compare: IGNORE_CASE, isNegated: false, expandsVariables: false },
  BinaryEquals: { compare: (a, b) => a === b, isNegated: false, expandsVariables: false },
  IpAddress: { compare: IN_CIDR, isNegated: false, expandsVariables: false },
  NotIpAddress: { compare: IN_CIDR, isNegated: true, expandsVariables: false },
};

/** Whether `name` is an operator this module knows, with its qualifiers: IAM refuses any other at write time. */
export function isConditionOperator(name: string): boolean {
  return parseOperator(name) !== undefined;
}

interface ParsedOperator {
  base: string;
  set: 'any' | 'all' | undefined;
  isIfExists: boolean;
}

function parseOperator(name: string): ParsedOperator | undefined {
  let rest = name;
  let set: ParsedOperator['set'];
  if (rest.startsWith('ForAnyValue:')) [set, rest] = ['any', rest.slice('ForAnyValue:'.length)];
  else if (rest.startsWith('ForAllValues:')) [set, rest] = ['all', rest.slice('ForAllValues:'.length)];
  const isIfExists = rest.endsWith('IfExists') && rest !== 'IfExists';
  const base = isIfExists ? rest.slice(0, -'IfExists'.length) : rest;
  if (base !== 'Null' && !Object.hasOwn(OPERATORS, base)) return undefined;
  if (base === 'Null' && (isIfExists || set !== undefined)) return undefined;
  return { base, set, isIfExists };
}

function valuesOf(context: ConditionContext, key: string): readonly string[] | undefined {
  // The exact spelling first: most policies write keys as AWS documents them, and so does the context.
  if (Object.hasOwn(context, key)) return context[key];
  const wanted = key.toLowerCase();
  const found = Object.keys(context).find((name) => name.toLowerCase() === wanted);
  return found === undefined ? undefined : context[found];
}

/**
 * `${aws:username}` and the escapes `${*}`, `${?}`, `${$}` in a policy value. A variable whose key is absent
 * leaves the value unmatched, unless it names a default (`${aws:username, 'none'}`).
 */
export function expandPolicyVariables(value: string, context: ConditionContext): string | undefined {
  if (!value.includes('${')) return value;
  let unresolved = false;
  const expanded = value.replace(/\$\{([^}]{1,256})\}/g, (_whole, inner: string) => {
    if (inner === '*' || inner === '?' || inner === '$') return inner;
    const [key = '', fallback] = inner.split(',', 2).map((part) => part.trim());
    const values = valuesOf(context, key);
    if (values !== undefined && values.length > 0) return values[0]!;
    const literal = fallback === undefined ? undefined : /^'(.*)'$/.exec(fallback)?.[1];
    if (literal !== undefined) return literal;
    unresolved = true;
    return '';
  });
  return unresolved ? undefined : expanded;
}

function keyHolds(operator: ParsedOperator, policyValues: readonly string[], contextValues: readonly string[] | undefined, context: ConditionContext): boolean {
  if (operator.base === 'Null') {
    const isAbsent = contextValues === undefined || contextValues.length === 0;
    return policyValues.some((value) => (value.toLowerCase() === 'true') === isAbsent);
  }
  const { compare, isNegated, expandsVariables } = OPERATORS[operator.base]!;
  const expanded = expandsVariables ? policyValues.map((value) => expandPolicyVariables(value, context)) : policyValues;
  const matchesSome = (contextValue: string) => expanded.some((value) => value !== undefined && compare(contextValue, value));
  const isMatch = (contextValue: string) => (isNegated ? !matchesSome(contextValue) : matchesSome(contextValue));
  if (contextValues === undefined || contextValues.length === 0) {
    // ForAllValues over nothing holds; a missing key matches no value, so only negations and IfExists hold.
    if (operator.set === 'all') return true;
    return operator.isIfExists || isNegated;
  }
  if (operator.set === 'all') return contextValues.every(isMatch);
  if (operator.set === 'any') return contextValues.some(isMatch);
  return isNegated ? contextValues.every(isMatch) : contextValues.some(isMatch);
}

/** Whether every condition of a statement holds (all operators, all keys: AND; a key's values: OR). */
export function conditionsHold(conditions: Conditions | undefined, context: ConditionContext): boolean {
  if (conditions === undefined) return true;
  return Object.entries(conditions).every(([operatorName, keys]) => {
    const operator = parseOperator(operatorName);
    // An operator IAM does not know never holds: a statement should not apply on a condition nobody can read.
    if (operator === undefined) return false;
    return Object.entries(keys).every(([key, values]) => keyHolds(operator, values, valuesOf(context, key), context));
  });
}
