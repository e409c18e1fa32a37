// IAM's check of a policy document before it keeps one: identity policies (managed, inline, permissions boundaries)
// and role trust policies, in IAM's order and with IAM's MalformedPolicyDocument wording. A document that passes
// also parses under auth/iam-policy.ts's rules, which evaluation uses; this module decides nothing else.
import { parsePolicyDocument, IDENTITY_POLICY_RULES, TRUST_POLICY_RULES } from '../auth/iam-policy';
import { DomainError } from '../images/domain-error';
import { malformedPolicyDocument } from './iam-errors';

export type PolicyDocumentKind = 'identity' | 'trust';

type JsonObject = Record<string, unknown>;

// The wordings are IAM's, as clients report them (terraform-provider-aws #10419, #17987; cfn-lint #2021; the
// trust-policy ones in terraform-aws-iam #47 and ucx #2269) and as moto's policy_validation.py reproduces them,
// with its order of checks: syntax, version, legacy parsing, Sids, actions, resources, resource formats, vendors.
const SYNTAX_ERRORS = 'Syntax errors in policy.';
const LEGACY_PARSING = 'The policy failed legacy parsing';
const OLD_VERSION = 'Policy document must be version 2012-10-17 or greater.';
const PRINCIPAL_IN_IDENTITY_POLICY = 'Policy document should not specify a principal.';
const DUPLICATE_SIDS = 'Statement IDs (SID) in a single policy must be unique.';
const NO_ACTIONS = 'Policy statement must contain actions.';
const NO_RESOURCES = 'Policy statement must contain resources.';
const NO_PRINCIPALS = 'Invalid principal in policy: com.amazon.balsa.error.InvalidPolicyException: The passed in policy has a statement with no principals!';
// No public report quotes IAM's answer to a trust policy granting another service's action; this is its wording as
// remembered, not confirmed.
const NON_STS_TRUST_ACTION = 'AssumeRole policy may only specify STS AssumeRole actions.';

const DOCUMENT_MEMBERS = ['Version', 'Id', 'Statement'];
const STATEMENT_MEMBERS = ['Sid', 'Effect', 'Principal', 'NotPrincipal', 'Action', 'NotAction', 'Resource', 'NotResource', 'Condition'];
const VERSIONS = ['2008-10-17', '2012-10-17'];
const CONDITION_OPERATORS = [
  'StringEquals', 'StringNotEquals', 'StringEqualsIgnoreCase', 'StringNotEqualsIgnoreCase', 'StringLike', 'StringNotLike',
  'NumericEquals', 'NumericNotEquals', 'NumericLessThan', 'NumericLessThanEquals', 'NumericGreaterThan', 'NumericGreaterThanEquals',
  'DateEquals', 'DateNotEquals', 'DateLessThan', 'DateLessThanEquals', 'DateGreaterThan', 'DateGreaterThanEquals',
  'Bool', 'BinaryEquals', 'IpAddress', 'NotIpAddress', 'ArnEquals', 'ArnLike', 'ArnNotEquals', 'ArnNotLike', 'Null',
];
const PARTITIONS = ['aws', 'aws-cn', 'aws-us-gov'];
const IAM_RESOURCE_STARTS = ['user/', 'federated-user/', 'role/', 'group/', 'instance-profile/', 'mfa/', 'server-certificate/', 'policy/', 'sms-mfa/', 'saml-provider/', 'oidc-provider/', 'report/', 'access-report/'];
const TRUST_PRINCIPALS: Record<string, RegExp> = {
  AWS: /^(\*|\d{12}|arn:aws[a-z-]*:iam::\d{12}:(root|user\/\S+|role\/\S+)|arn:aws[a-z-]*:sts::\d{12}:(assumed-role|federated-user)\/\S+)$/,
  Service: /^[a-z0-9.-]+\.amazonaws\.com(\.cn)?$/,
  Federated: /^\S+$/,
};

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function syntax(condition: boolean): asserts condition {
  if (!condition) throw malformedPolicyDocument(SYNTAX_ERRORS);
}

/** The values of a string-or-list element as a list; absent elements give none. */
function listOf(value: unknown): unknown[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

function isStringOrStrings(value: unknown): boolean {
  return value === undefined || typeof value === 'string' || (Array.isArray(value) && value.every((item) => typeof item === 'string'));
}

function isConditionValue(value: unknown): boolean {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean';
}

/** `ForAnyValue:StringLikeIfExists` → `StringLike`. */
function baseOperator(operator: string): string {
  return operator.replace(/^(ForAnyValue|ForAllValues):/, '').replace(/IfExists$/, '');
}

// Stricter than IAM in one place: an operator with no keys, or a key with an empty list, is refused here because
// evaluation (auth/iam-policy.ts) refuses it; IAM keeps such a block and it matches nothing.
function checkConditionSyntax(condition: unknown): void {
  if (condition === undefined) return;
  syntax(isObject(condition));
  for (const [operator, keys] of Object.entries(condition)) {
    syntax(isObject(keys) && Object.keys(keys).length > 0 && CONDITION_OPERATORS.includes(baseOperator(operator)));
    for (const values of Object.values(keys)) {
      syntax(isConditionValue(values) || (Array.isArray(values) && values.length > 0 && values.every(isConditionValue)));
    }
  }
}

function checkStatementSyntax(statement: unknown): asserts statement is JsonObject {
  syntax(isObject(statement));
  syntax(Object.keys(statement).every((member) => STATEMENT_MEMBERS.includes(member)));
  for (const element of ['Action', 'Resource', 'Principal']) syntax(statement[element] === undefined || statement[`Not${element}`] === undefined);
  syntax(typeof statement.Effect === 'string' && ['allow', 'deny'].includes(statement.Effect.toLowerCase()));
  for (const element of ['Action', 'NotAction', 'Resource', 'NotResource']) syntax(isStringOrStrings(statement[element]));
  for (const element of ['Principal', 'NotPrincipal']) {
    const principal = statement[element];
    syntax(principal === undefined || principal === '*' || (isObject(principal) && Object.values(principal).every(isStringOrStrings)));
  }
  checkConditionSyntax(statement.Condition);
  syntax(statement.Sid === undefined || typeof statement.Sid === 'string');
}

function readDocument(text: string): { document: JsonObject; statements: JsonObject[] } {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    throw malformedPolicyDocument(SYNTAX_ERRORS);
  }
  syntax(isObject(document));
  syntax(Object.keys(document).every((member) => DOCUMENT_MEMBERS.includes(member)));
  syntax(document.Version === undefined || (typeof document.Version === 'string' && VERSIONS.includes(document.Version)));
  syntax(document.Id === undefined || typeof document.Id === 'string');
  syntax(isObject(document.Statement) || (Array.isArray(document.Statement) && document.Statement.length > 0));
  const statements: unknown[] = listOf(document.Statement);
  for (const statement of statements) checkStatementSyntax(statement);
  return { document, statements: statements as JsonObject[] };
}

/** IAM's first objection to a resource's form, or undefined when it has none. */
function resourceProblem(resource: string): string | undefined {
  if (resource === '*') return undefined;
  const parts = resource.split(':');
  if (parts.length < 2 || parts[0] !== 'arn' || /\s/.test(resource)) return `Resource ${resource} must be in ARN format or "*".`;
  const partition = parts[1]!;
  if (!PARTITIONS.includes(partition)) {
    const rest = parts.slice(2);
    const shown = [0, 1, 2].map((index) => (rest[index] !== undefined && (rest[index] !== '' || rest.length > index + 1) ? rest[index] : '*'));
    const remainder = rest.length > 3 ? rest.slice(3).join(':') : '*';
    return `Partition "${partition}" is not valid for resource "arn:${partition}:${shown.join(':')}:${remainder}".`;
  }
  if (parts.length < 3) return 'Resource vendor must be fully qualified and cannot contain regexes.';
  const service = parts[2]!;
  const hasRegion = parts.length < 4 || parts[3] !== '';
  if (service === 'iam' && hasRegion) return `IAM resource ${resource} cannot contain region information.`;
  if (service === 's3' && hasRegion) return `Resource ${resource} can not contain region information.`;
  const path = parts.slice(5).join(':');
  if (service === 'iam' && path !== '*' && !IAM_RESOURCE_STARTS.some((start) => path.startsWith(start))) {
    return `IAM resource path must either be "*" or start with ${IAM_RESOURCE_STARTS.join(', ')}.`;
  }
  return undefined;
}

/** IAM's legacy parser: an ARN with `::` needs all its six parts, and a service. */
function passesLegacyParsing(resource: string): boolean {
  if (resource === '*') return true;
  return (resource.split(':').length - 1 >= 5 || !resource.includes('::')) && resource.split(':')[2] !== '';
}

function actionProblem(action: string): string | undefined {
  const parts = action.split(':');
  if (parts.length === 1 && parts[0] !== '*') return 'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.';
  if (parts.length > 2) return 'Actions/Condition can contain only one colon.';
  if (parts[0] !== '*' && !/^[a-zA-Z0-9.-]+$/.test(parts[0]!)) return `Vendor ${parts[0]} is not valid`;
  return undefined;
}

/**
 * The resource problem IAM reports, or undefined. As IAM's parser goes: Resource elements of every statement, then
 * NotResource elements, a list in descending order, each problem replacing the one before; legacy parsing fails
 * first for an element reached before any problem was found.
 */
function reportedResourceProblem(statements: JsonObject[]): string | undefined {
  let problem: string | undefined;
  for (const element of ['Resource', 'NotResource']) {
    for (const statement of statements) {
      const value = statement[element];
      if (value === undefined) continue;
      const resources = typeof value === 'string' ? [value] : [...(value as string[])].sort().reverse();
      for (const resource of resources) problem = resourceProblem(resource) ?? problem;
      if (problem === undefined && !resources.every(passesLegacyParsing)) throw malformedPolicyDocument(LEGACY_PARSING);
    }
  }
  return problem;
}

function checkTrustPrincipals(statement: JsonObject): void {
  const principal = statement.Principal ?? statement.NotPrincipal;
  if (principal === '*') return;
  if (!isObject(principal) || Object.values(principal).every((values) => listOf(values).length === 0)) throw malformedPolicyDocument(NO_PRINCIPALS);
  for (const [type, values] of Object.entries(principal)) {
    for (const value of listOf(values) as string[]) {
      if (!(TRUST_PRINCIPALS[type]?.test(value) ?? false)) throw malformedPolicyDocument(`Invalid principal in policy: "${type}":"${value}"`);
    }
  }
}

function hasNonEmpty(statement: JsonObject, element: string): boolean {
  return [statement[element], statement[`Not${element}`]].some((value) => value !== undefined && listOf(value).length > 0);
}

/**
 * Checks a policy document as IAM does before CreatePolicy, Put*Policy, CreateRole or UpdateAssumeRolePolicy keeps
 * it. Throws QueryError MalformedPolicyDocument with IAM's message for the first problem.
 */
export function checkPolicyDocument(text: string, kind: PolicyDocumentKind): void {
  const { document, statements } = readDocument(text);
  if (kind === 'identity') {
    if (document.Version !== '2012-10-17') throw malformedPolicyDocument(OLD_VERSION);
    if (statements.some((statement) => statement.Principal !== undefined || statement.NotPrincipal !== undefined)) throw malformedPolicyDocument(PRINCIPAL_IN_IDENTITY_POLICY);
  } else {
    const withResource = statements.find((statement) => statement.Resource !== undefined || statement.NotResource !== undefined);
    if (withResource !== undefined) throw malformedPolicyDocument(`Has prohibited field ${withResource.Resource !== undefined ? 'Resource' : 'NotResource'}`);
  }
  if (statements.some((statement) => statement.Effect !== 'Allow' && statement.Effect !== 'Deny')) throw malformedPolicyDocument(LEGACY_PARSING);
  const resourceError = reportedResourceProblem(statements);
  const sids = statements.map((statement) => statement.Sid).filter((sid): sid is string => typeof sid === 'string' && sid !== '');
  if (new Set(sids).size !== sids.length) throw malformedPolicyDocument(DUPLICATE_SIDS);
  if (!statements.every((statement) => hasNonEmpty(statement, 'Action'))) throw malformedPolicyDocument(NO_ACTIONS);
  if (kind === 'identity' && !statements.every((statement) => hasNonEmpty(statement, 'Resource'))) throw malformedPolicyDocument(NO_RESOURCES);
  if (resourceError !== undefined) throw malformedPolicyDocument(resourceError);
  for (const statement of statements) {
    const actions = [...listOf(statement.Action), ...listOf(statement.NotAction)] as string[];
    const problem = actions.map(actionProblem).find((found) => found !== undefined);
    if (problem !== undefined) throw malformedPolicyDocument(problem);
    if (kind === 'trust') {
      checkTrustPrincipals(statement);
      if (!actions.every((action) => action === '*' || /^sts:[A-Za-z0-9*?]+$/i.test(action))) throw malformedPolicyDocument(NON_STS_TRUST_ACTION);
    }
  }
  assertEvaluable(text, kind);
}

/**
 * An STS session policy (AssumeRole's and GetFederationToken's Policy): checked as an identity policy, since it
 * limits the session the way one would. Throws MalformedPolicyDocument as checkPolicyDocument does.
 */
export function validateSessionPolicy(text: string): void {
  checkPolicyDocument(text, 'identity');
}

/** What IAM accepts, evaluation must read: a document auth/ cannot parse is a gap between the two, refused here. */
function assertEvaluable(text: string, kind: PolicyDocumentKind): void {
  try {
    parsePolicyDocument(text, kind === 'identity' ? IDENTITY_POLICY_RULES : TRUST_POLICY_RULES);
  } catch (error) {
    if (error instanceof DomainError) throw malformedPolicyDocument(SYNTAX_ERRORS);
    throw error;
  }
}

/** A document's size as IAM counts it against its quotas: without the whitespace between JSON tokens. */
export function policySizeInCharacters(text: string): number {
  return JSON.stringify(JSON.parse(text)).length;
}
