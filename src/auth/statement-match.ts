// Whether one policy statement covers a request: Action/NotAction (case-insensitive), Resource/NotResource
// (case-sensitive, with policy variables) and, in resource policies, how specifically Principal/NotPrincipal names the
// caller. Pure and allocation-light, since it runs for every statement of every request; conditions live elsewhere.
import { actionMatches, type PolicyDocument, type PolicyPrincipal, type PolicyStatement } from './iam-policy';
import { expandPolicyVariables, type ConditionContext } from './policy-conditions';
import { principalMatches } from './principal-match';
import type { Principal } from './principal';
import { matchesGlob } from '../kernel/wildcard';

/**
 * How specifically a resource policy's Allow names the caller. IAM User Guide, "Policy evaluation for requests within
 * a single account": a grant to a user ARN or to a session ARN is "not limited by an implicit deny in an
 * identity-based policy, a permissions boundary, or session policy"; a grant to a role ARN (or to the IAM user who
 * federated a session) is "limited by an implicit deny in a permissions boundary or session policy"; a grant to the
 * account delegates to the account's identity policies and allows nobody by itself.
 */
export type Grant = 'direct' | 'identity' | 'account';

type LiteralMatch = 'no' | 'yes' | 'needs-glob';

/**
 * How far the literal part of `pattern` (up to its first `*`, `?` or `$`) decides a match with `text`: a mismatch
 * there is no match, and a fully literal pattern or one ending in its only `*` is decided by it. Spares most
 * statements the full glob, since patterns name a service and an action, or an ARN, first.
 */
function literalMatch(pattern: string, text: string, isCaseInsensitive: boolean): LiteralMatch {
  for (let index = 0; index < pattern.length; index += 1) {
    const char = pattern.charCodeAt(index);
    // `*`, `?`, `$`: the literal part ends here.
    if (char === 42 || char === 63 || char === 36) return char === 42 && index === pattern.length - 1 ? 'yes' : 'needs-glob';
    if (index >= text.length) return 'no';
    const other = text.charCodeAt(index);
    if (char !== other && !(isCaseInsensitive && (char | 32) === (other | 32) && (char | 32) >= 97 && (char | 32) <= 122)) return 'no';
  }
  return pattern.length === text.length ? 'yes' : 'no';
}

function actionPatternMatches(pattern: string, action: string): boolean {
  const literal = literalMatch(pattern, action, true);
  return literal === 'yes' || (literal === 'needs-glob' && actionMatches(pattern, action));
}

export function coversAction(statement: PolicyStatement, action: string): boolean {
  const patterns = statement.actions ?? statement.notActions ?? [];
  const named = patterns.some((pattern) => actionPatternMatches(pattern, action));
  return statement.actions !== undefined ? named : !named;
}

/**
 * Resource patterns compare case-sensitively with `*` and `?`. Policy variables are read only in 2012-10-17
 * documents ("If you use an earlier version, the variables are treated as literal strings"); one that cannot be
 * resolved matches nothing.
 */
function resourcePatternMatches(pattern: string, document: PolicyDocument, resource: string, context: ConditionContext): boolean {
  const literal = literalMatch(pattern, resource, false);
  if (literal !== 'needs-glob') return literal === 'yes';
  const expanded = document.version === '2012-10-17' && pattern.includes('${') ? expandPolicyVariables(pattern, context) : pattern;
  return expanded !== undefined && matchesGlob(expanded, resource, { hasSingleCharacterWildcard: true });
}

/** A statement without Resource or NotResource (a repository policy's) applies to the resource it is attached to. */
export function coversResource(statement: PolicyStatement, document: PolicyDocument, resource: string, context: ConditionContext): boolean {
  const patterns = statement.resources ?? statement.notResources;
  if (patterns === undefined) return true;
  const named = patterns.some((pattern) => resourcePatternMatches(pattern, document, resource, context));
  return statement.resources !== undefined ? named : !named;
}

/** The most specific way one Principal element names the caller, or undefined when it does not. */
function grantOf(policyPrincipal: PolicyPrincipal, principal: Principal): Grant | undefined {
  if (policyPrincipal === '*') return 'direct';
  let strongest: Grant | undefined;
  for (const entry of policyPrincipal.AWS ?? []) {
    if (entry === '*' || (entry === principal.arn && principal.kind !== 'root')) return 'direct';
    if (principal.identityArn !== undefined && entry === principal.identityArn) strongest = 'identity';
    else if (strongest === undefined && (entry === principal.accountId || entry === `arn:aws:iam::${principal.accountId}:root`)) strongest = 'account';
  }
  return strongest;
}

/**
 * Whether a NotPrincipal lists every level the caller is evaluated at. IAM User Guide, "NotPrincipal": with Deny, "AWS
 * might validate the account first, then the role, and then the assumed-role user", so the examples list the user
 * and its account, or the session, its role and its account; a level left out is denied. Read strictly here.
 */
function listsEveryLevel(notPrincipal: PolicyPrincipal, principal: Principal): boolean {
  if (notPrincipal === '*') return true;
  const entries = notPrincipal.AWS ?? [];
  if (entries.includes('*')) return true;
  const levels = [[principal.accountId, `arn:aws:iam::${principal.accountId}:root`], [principal.arn]];
  if (principal.kind === 'assumed-role' && principal.identityArn !== undefined) levels.push([principal.identityArn]);
  return levels.every((names) => names.some((name) => entries.includes(name)));
}

/**
 * How a resource policy statement names the caller, or undefined when it does not apply to it. An Allow with
 * NotPrincipal names everyone it does not name, as `*` would; a Deny with NotPrincipal everyone it does not list at
 * every level. IAM User Guide, "Permissions boundaries": "The NotPrincipal element with a Deny effect will always
 * deny any IAM principal that has a permissions boundary policy attached, regardless of the values specified in the
 * NotPrincipal element." (`hasBoundary`: the caller has one, and it is evaluated.)
 */
export function principalGrant(statement: PolicyStatement, principal: Principal, hasBoundary: boolean): Grant | undefined {
  if (statement.principal !== undefined) return grantOf(statement.principal, principal);
  if (statement.notPrincipal === undefined) return undefined;
  if (statement.effect === 'Allow') return principalMatches(statement.notPrincipal, principal) ? undefined : 'direct';
  return hasBoundary || !listsEveryLevel(statement.notPrincipal, principal) ? 'direct' : undefined;
}
