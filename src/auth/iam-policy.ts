// IAM policy documents: ECR's repository and registry policies, IAM identity policies and role trust policies. Parses
// the JSON grammar (Version, Id, Statement with Sid, Effect, Principal, Action, Resource, Condition) into a typed
// document under each kind's rules, or throws. Pure: it decides no request and knows no service's error wording.
import { DomainError } from '../images/domain-error';
import { matchesGlob } from '../kernel/wildcard';

export type PolicyEffect = 'Allow' | 'Deny';
export type PrincipalType = 'AWS' | 'Service' | 'Federated' | 'CanonicalUser';

/** `'*'` is anyone; otherwise the principals of each type, as written. */
export type PolicyPrincipal = '*' | Partial<Record<PrincipalType, string[]>>;

export interface PolicyStatement {
  sid?: string;
  effect: PolicyEffect;
  principal?: PolicyPrincipal;
  notPrincipal?: PolicyPrincipal;
  /** Exactly one of `actions` and `notActions` is set. */
  actions?: string[];
  notActions?: string[];
  resources?: string[];
  notResources?: string[];
  /** Operator → condition key → values, numbers and booleans as strings (IAM compares them as text). */
  conditions?: Record<string, Record<string, string[]>>;
}

export interface PolicyDocument {
  version?: string;
  id?: string;
  statements: PolicyStatement[];
}

export interface PolicyRules {
  /**
   * Resource-based and trust policies must say whom they apply to (Principal or NotPrincipal); identity policies must
   * not, since they apply to whoever holds them.
   */
  principal: 'required' | 'forbidden';
  /**
   * ECR refuses a Resource in a repository policy (the policy applies to its own repository), and a trust policy has
   * none (its role is its resource); identity policies must name theirs.
   */
  resource: 'forbidden' | 'optional' | 'required';
  /** The one service whose actions statements may name (`*` is always allowed), or undefined for any service's. */
  actionService?: 'ecr' | 'sts';
}

export const REPOSITORY_POLICY_RULES: PolicyRules = { principal: 'required', resource: 'forbidden', actionService: 'ecr' };
export const REGISTRY_POLICY_RULES: PolicyRules = { principal: 'required', resource: 'optional', actionService: 'ecr' };
/** Policies attached to users, groups and roles (managed or inline), and permissions boundaries. */
export const IDENTITY_POLICY_RULES: PolicyRules = { principal: 'forbidden', resource: 'required' };
/** A role's AssumeRolePolicyDocument: who may assume it, with `sts:` actions only. */
export const TRUST_POLICY_RULES: PolicyRules = { principal: 'required', resource: 'forbidden', actionService: 'sts' };

const VERSIONS = ['2012-10-17', '2008-10-17'];
const DOCUMENT_MEMBERS = ['Version', 'Id', 'Statement'];
const STATEMENT_MEMBERS = ['Sid', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition'];
const PRINCIPAL_TYPES: readonly PrincipalType[] = ['AWS', 'Service', 'Federated', 'CanonicalUser'];
// ECR policies grant ECR actions only, trust policies STS actions; `*` is every action. Identity policies name any
// service's: a vendor prefix, one colon and the action (IAM does not check that the action exists).
const ACTIONS: Record<'ecr' | 'sts' | 'any', { pattern: RegExp; what: string }> = {
  ecr: { pattern: /^(\*|ecr:[A-Za-z0-9*?]+)$/i, what: "'*' or an ecr: action" },
  sts: { pattern: /^(\*|sts:[A-Za-z0-9*?]+)$/i, what: "'*' or an sts: action" },
  any: { pattern: /^(\*|[A-Za-z0-9.*?-]+:[^:]*)$/, what: "'*' or a service:action" },
};
const AWS_PRINCIPAL = /^(\*|\d{12}|arn:[a-z-]+:(iam|sts)::\d{12}:\S+)$/;
const RESOURCE = /^(\*|arn:\S+)$/;

type JsonObject = Record<string, unknown>;

function invalid(path: string, problem: string): never {
  throw new DomainError('InvalidParameter', `${path}: ${problem}`);
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function checkMembers(object: JsonObject, allowed: readonly string[], path: string): void {
  const unknown = Object.keys(object).filter((member) => !allowed.includes(member));
  if (unknown.length > 0) invalid(path, `unknown element ${unknown.join(', ')}`);
}

/** IAM accepts one string or a non-empty list of them wherever a list is allowed. */
function stringList(value: unknown, path: string): string[] {
  const list = Array.isArray(value) ? value : [value];
  if (list.length === 0) invalid(path, 'must not be an empty list');
  return list.map((item, index) => {
    if (typeof item !== 'string' || item.length === 0) invalid(Array.isArray(value) ? `${path}[${index}]` : path, 'must be a non-empty string');
    return item;
  });
}

function matchingList(value: unknown, pattern: RegExp, path: string, what: string): string[] {
  const list = stringList(value, path);
  const bad = list.find((item) => !pattern.test(item));
  if (bad !== undefined) invalid(path, `'${bad}' is not ${what}`);
  return list;
}

function parsePrincipal(value: unknown, path: string): PolicyPrincipal {
  if (value === '*') return '*';
  if (!isObject(value) || Object.keys(value).length === 0) invalid(path, "must be '*' or an object of principal types");
  checkMembers(value, PRINCIPAL_TYPES, path);
  const principal: Partial<Record<PrincipalType, string[]>> = {};
  for (const type of PRINCIPAL_TYPES) {
    if (value[type] === undefined) continue;
    principal[type] = type === 'AWS'
      ? matchingList(value[type], AWS_PRINCIPAL, `${path}.AWS`, "'*', an account id or an IAM ARN")
      : matchingList(value[type], /^\S+$/, `${path}.${type}`, 'a principal name');
  }
  return principal;
}

function conditionValue(value: unknown, path: string): string {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return String(value);
  return invalid(path, 'condition values must be strings, numbers or booleans');
}

function parseConditions(value: unknown, path: string): Record<string, Record<string, string[]>> {
  if (!isObject(value)) invalid(path, 'must be an object of condition operators');
  const conditions: Record<string, Record<string, string[]>> = {};
  for (const [operator, keys] of Object.entries(value)) {
    if (!isObject(keys) || Object.keys(keys).length === 0) invalid(`${path}.${operator}`, 'must be an object of condition keys');
    conditions[operator] = Object.fromEntries(
      Object.entries(keys).map(([key, values]) => {
        const list = Array.isArray(values) ? values : [values];
        if (list.length === 0) invalid(`${path}.${operator}.${key}`, 'must not be an empty list');
        return [key, list.map((item) => conditionValue(item, `${path}.${operator}.${key}`))];
      }),
    );
  }
  return conditions;
}

/** Of two elements that exclude each other (Action/NotAction, ...), which one is present; throws if both are. */
function oneOf(statement: JsonObject, name: string, path: string): 'plain' | 'not' | undefined {
  const hasPlain = statement[name] !== undefined;
  const hasNot = statement[`Not${name}`] !== undefined;
  if (hasPlain && hasNot) invalid(path, `${name} and Not${name} cannot both be given`);
  if (hasPlain) return 'plain';
  return hasNot ? 'not' : undefined;
}

function parsePrincipals(statement: JsonObject, rules: PolicyRules, path: string): Pick<PolicyStatement, 'principal' | 'notPrincipal'> {
  const principal = oneOf(statement, 'Principal', path);
  if (principal === undefined) {
    if (rules.principal === 'required') invalid(path, 'Principal or NotPrincipal is required');
    return {};
  }
  if (rules.principal === 'forbidden') invalid(path, `${principal === 'plain' ? 'Principal' : 'NotPrincipal'} is not allowed in this policy`);
  return principal === 'plain'
    ? { principal: parsePrincipal(statement.Principal, `${path}.Principal`) }
    : { notPrincipal: parsePrincipal(statement.NotPrincipal, `${path}.NotPrincipal`) };
}

function parseResources(statement: JsonObject, rules: PolicyRules, path: string): Pick<PolicyStatement, 'resources' | 'notResources'> {
  const resource = oneOf(statement, 'Resource', path);
  if (resource === undefined) {
    if (rules.resource === 'required') invalid(path, 'Resource or NotResource is required');
    return {};
  }
  if (rules.resource === 'forbidden') invalid(path, `${resource === 'plain' ? 'Resource' : 'NotResource'} is not allowed in this policy`);
  return resource === 'plain'
    ? { resources: matchingList(statement.Resource, RESOURCE, `${path}.Resource`, "'*' or an ARN") }
    : { notResources: matchingList(statement.NotResource, RESOURCE, `${path}.NotResource`, "'*' or an ARN") };
}

function parseStatement(value: unknown, rules: PolicyRules, path: string): PolicyStatement {
  if (!isObject(value)) invalid(path, 'must be an object');
  checkMembers(value, STATEMENT_MEMBERS, path);
  if (value.Sid !== undefined && typeof value.Sid !== 'string') invalid(`${path}.Sid`, 'must be a string');
  if (value.Effect !== 'Allow' && value.Effect !== 'Deny') invalid(`${path}.Effect`, "must be 'Allow' or 'Deny'");
  const action = oneOf(value, 'Action', path);
  if (action === undefined) invalid(path, 'Action or NotAction is required');
  const allowed = ACTIONS[rules.actionService ?? 'any'];
  const actions = matchingList(action === 'plain' ? value.Action : value.NotAction, allowed.pattern, `${path}.${action === 'plain' ? 'Action' : 'NotAction'}`, allowed.what);
  return {
    ...(typeof value.Sid === 'string' ? { sid: value.Sid } : {}),
    effect: value.Effect,
    ...parsePrincipals(value, rules, path),
    ...parseResources(value, rules, path),
    ...(action === 'plain' ? { actions } : { notActions: actions }),
    ...(value.Condition !== undefined ? { conditions: parseConditions(value.Condition, `${path}.Condition`) } : {}),
  };
}

/**
 * Parses a policy document. Throws DomainError InvalidParameter naming the first problem (`Statement[0].Effect:
 * must be 'Allow' or 'Deny'`); the caller words it as its API does.
 */
export function parsePolicyDocument(text: string, rules: PolicyRules): PolicyDocument {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    invalid('policy', 'is not valid JSON');
  }
  if (!isObject(parsed)) invalid('policy', 'must be a JSON object');
  checkMembers(parsed, DOCUMENT_MEMBERS, 'policy');
  if (parsed.Version !== undefined && (typeof parsed.Version !== 'string' || !VERSIONS.includes(parsed.Version))) invalid('Version', `must be one of ${VERSIONS.join(', ')}`);
  if (parsed.Id !== undefined && typeof parsed.Id !== 'string') invalid('Id', 'must be a string');
  if (parsed.Statement === undefined) invalid('policy', 'Statement is required');
  const statements = Array.isArray(parsed.Statement) ? parsed.Statement : [parsed.Statement];
  if (statements.length === 0) invalid('Statement', 'must not be an empty list');
  return {
    ...(typeof parsed.Version === 'string' ? { version: parsed.Version } : {}),
    ...(typeof parsed.Id === 'string' ? { id: parsed.Id } : {}),
    statements: statements.map((statement, index) => parseStatement(statement, rules, `Statement[${index}]`)),
  };
}

/** IAM action matching: case-insensitive, `*` any run of characters, `?` one character. */
export function actionMatches(pattern: string, action: string): boolean {
  return matchesGlob(pattern, action, { hasSingleCharacterWildcard: true, isCaseInsensitive: true });
}

function namesAccount(principal: PolicyPrincipal, accountId: string): boolean {
  if (principal === '*') return true;
  return (principal.AWS ?? []).some((name) => name === '*' || name === accountId || name === `arn:aws:iam::${accountId}:root`);
}

/**
 * Whether a statement without conditions denies `action` to the root of `accountId`: the check ECR makes before
 * accepting a policy that would lock its author out (SetRepositoryPolicy without `force`).
 */
export function deniesUnconditionally(document: PolicyDocument, action: string, accountId: string): boolean {
  return document.statements.some((statement) => {
    if (statement.effect !== 'Deny' || statement.conditions !== undefined) return false;
    const coversAction = statement.actions !== undefined
      ? statement.actions.some((pattern) => actionMatches(pattern, action))
      : !(statement.notActions ?? []).some((pattern) => actionMatches(pattern, action));
    const coversCaller = statement.principal !== undefined
      ? namesAccount(statement.principal, accountId)
      : statement.notPrincipal !== undefined && !namesAccount(statement.notPrincipal, accountId);
    return coversAction && coversCaller;
  });
}
