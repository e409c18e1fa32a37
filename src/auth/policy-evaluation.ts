// IAM's policy evaluation logic for one request: identity policies, permissions boundary, session policies and the
// resource's policy, within one account and across accounts, to an allow or a deny with the reason and the statements
// that decided it. Pure and per-request cheap: documents arrive parsed; nothing is compiled or parsed here.
import type { PolicyDocument, PolicyStatement } from './iam-policy';
import { conditionsHold, type ConditionContext } from './policy-conditions';
import type { Principal } from './principal';
import { coversAction, coversResource, principalGrant, type Grant } from './statement-match';

export type PolicyKind = 'identity' | 'resource' | 'permissions-boundary' | 'session';

/** One policy that applies to a request, named so a denial can say which policy and statement decided it. */
export interface ApplicablePolicy {
  kind: PolicyKind;
  /** e.g. a policy ARN, `inline policy ecr-push of user/ci`, `repository policy of app` */
  name: string;
  document: PolicyDocument;
}

export interface EvaluationRequest {
  principal: Principal;
  /** `ecr:BatchGetImage` */
  action: string;
  /** `arn:aws:ecr:us-east-1:111111111111:repository/app`, or `*` for an action on no resource. */
  resource: string;
  /** The account that owns the resource (for `*` the caller's registry account). */
  resourceAccountId: string;
  /** Every condition key of the request: the caller's (principalContext) and the request's. */
  context: ConditionContext;
  /** The principal's inline, attached and group policies (none for a root). */
  identityPolicies: ApplicablePolicy[];
  permissionsBoundary?: ApplicablePolicy;
  /**
   * The inline session policy and managed session policies of a session created with them. Undefined or empty: the
   * session was created without any, and none limits it.
   */
  sessionPolicies?: ApplicablePolicy[];
  /** The repository policy (or the registry policy) when one exists. */
  resourcePolicy?: ApplicablePolicy;
  /**
   * When false (the emulator's `--iam off`), identity policies, boundaries and session policies are not evaluated:
   * the principal acts with its account's rights; resource policies and account boundaries still are.
   */
  evaluatesIdentityPolicies: boolean;
}

export type DecisionReason =
  | 'allowed'
  | 'explicit-deny-identity'
  | 'explicit-deny-resource'
  | 'explicit-deny-boundary'
  | 'explicit-deny-session'
  | 'no-identity-allow'
  | 'no-resource-allow'
  | 'no-boundary-allow'
  | 'no-session-allow';

export interface MatchedStatement {
  policy: string;
  kind: PolicyKind;
  /** Sid, or `Statement[3]` */
  statement: string;
  effect: 'Allow' | 'Deny';
  /** The statement's position in its policy's Statement list. */
  index: number;
}

/** What one kind of policy says of the request on its own, before the kinds are combined. */
export type PolicyVerdict = 'allowed' | 'explicit-deny' | 'implicit-deny';

export interface Decision {
  isAllowed: boolean;
  reason: DecisionReason;
  /** The statement that decided (the deny, or the allow that let it through); undefined for an implicit deny. */
  deciding?: MatchedStatement;
  /** Every statement that applied to the request (action, resource, principal and conditions), in evaluation order. */
  matched: MatchedStatement[];
  /** Each kind of policy that was evaluated, with its own verdict (what IAM's simulator reports per policy type). */
  verdicts: Partial<Record<PolicyKind, PolicyVerdict>>;
}

function statementName(statement: PolicyStatement, index: number): string {
  return statement.sid !== undefined && statement.sid !== '' ? statement.sid : `Statement[${index}]`;
}

function hasEvaluatedBoundary(request: EvaluationRequest): boolean {
  return request.evaluatesIdentityPolicies && request.permissionsBoundary !== undefined;
}

/**
 * Whether a statement covers the request's action and resource (and, in a resource policy, names the caller),
 * conditions aside: the statements whose condition keys the request must supply.
 */
export function statementCovers(statement: PolicyStatement, policy: ApplicablePolicy, request: EvaluationRequest): boolean {
  if (!coversAction(statement, request.action)) return false;
  if (!coversResource(statement, policy.document, request.resource, request.context)) return false;
  return policy.kind !== 'resource' || principalGrant(statement, request.principal, hasEvaluatedBoundary(request)) !== undefined;
}

/** Statements of one kind that applied: the first Deny, the first Allow and, for a resource policy, its grants. */
interface KindResult {
  deny?: MatchedStatement;
  allow?: MatchedStatement;
  grants: Partial<Record<Grant, MatchedStatement>>;
}

/**
 * Scans policies of one kind, recording every statement that applies. Cheapest tests first: the action, the
 * resource, the principal (resource policies only), then the conditions.
 */
function scanPolicies(policies: readonly ApplicablePolicy[], request: EvaluationRequest, matched: MatchedStatement[]): KindResult {
  const result: KindResult = { grants: {} };
  for (const policy of policies) {
    const { statements } = policy.document;
    for (let index = 0; index < statements.length; index += 1) {
      const statement = statements[index]!;
      if (!coversAction(statement, request.action) || !coversResource(statement, policy.document, request.resource, request.context)) continue;
      const grant = policy.kind === 'resource' ? principalGrant(statement, request.principal, hasEvaluatedBoundary(request)) : 'direct';
      if (grant === undefined || !conditionsHold(statement.conditions, request.context)) continue;
      const found: MatchedStatement = { policy: policy.name, kind: policy.kind, statement: statementName(statement, index), effect: statement.effect, index };
      matched.push(found);
      if (statement.effect === 'Deny') {
        result.deny ??= found;
      } else {
        result.allow ??= found;
        result.grants[grant] ??= found;
      }
    }
  }
  return result;
}

function verdictOf(result: KindResult): PolicyVerdict {
  if (result.deny !== undefined) return 'explicit-deny';
  return result.allow !== undefined ? 'allowed' : 'implicit-deny';
}

interface Scanned {
  identity: KindResult;
  boundary?: KindResult;
  session?: KindResult;
  resource: KindResult;
}

function scanAll(request: EvaluationRequest, matched: MatchedStatement[]): Scanned {
  const scanned: Scanned = { identity: { grants: {} }, resource: scanPolicies(request.resourcePolicy === undefined ? [] : [request.resourcePolicy], request, matched) };
  if (!request.evaluatesIdentityPolicies) return scanned;
  scanned.identity = scanPolicies(request.identityPolicies, request, matched);
  if (request.permissionsBoundary !== undefined) scanned.boundary = scanPolicies([request.permissionsBoundary], request, matched);
  if (request.sessionPolicies !== undefined && request.sessionPolicies.length > 0) scanned.session = scanPolicies(request.sessionPolicies, request, matched);
  return scanned;
}

function verdictsOf(request: EvaluationRequest, scanned: Scanned): Decision['verdicts'] {
  const verdicts: Decision['verdicts'] = {};
  if (request.evaluatesIdentityPolicies && request.principal.kind !== 'root') verdicts.identity = verdictOf(scanned.identity);
  if (request.resourcePolicy !== undefined) verdicts.resource = verdictOf(scanned.resource);
  if (scanned.boundary !== undefined) verdicts['permissions-boundary'] = verdictOf(scanned.boundary);
  if (scanned.session !== undefined) verdicts.session = verdictOf(scanned.session);
  return verdicts;
}

const DENY_REASONS: Record<PolicyKind, DecisionReason> = {
  identity: 'explicit-deny-identity',
  resource: 'explicit-deny-resource',
  'permissions-boundary': 'explicit-deny-boundary',
  session: 'explicit-deny-session',
};

type Outcome = Pick<Decision, 'isAllowed' | 'reason' | 'deciding'>;

function allowedBy(deciding: MatchedStatement | undefined): Outcome {
  const outcome: Outcome = { isAllowed: true, reason: 'allowed' };
  if (deciding !== undefined) outcome.deciding = deciding;
  return outcome;
}

function denied(reason: DecisionReason): Outcome {
  return { isAllowed: false, reason };
}

/**
 * The identity side of a user or role: an identity policy (or `limitedGrant`, a resource policy naming the role) must
 * allow, and then the boundary and the session policies must too, when there are any.
 */
function identitySide(scanned: Scanned, limitedGrant: MatchedStatement | undefined): Outcome {
  const grant = scanned.identity.allow ?? limitedGrant;
  if (grant === undefined) return denied('no-identity-allow');
  if (scanned.boundary !== undefined && scanned.boundary.allow === undefined) return denied('no-boundary-allow');
  if (scanned.session !== undefined && scanned.session.allow === undefined) return denied('no-session-allow');
  return allowedBy(grant);
}

function decide(request: EvaluationRequest, scanned: Scanned): Outcome {
  const { principal } = request;
  const { grants } = scanned.resource;
  const resourceAllow = grants.direct ?? grants.identity ?? grants.account;
  // The root has no identity policies: "all requests are implicitly denied with the exception of the AWS account
  // root user, which has full access" within its account; `--iam off` gives every principal its account's rights.
  const actsWithAccountRights = principal.kind === 'root' || !request.evaluatesIdentityPolicies;
  if (principal.accountId === request.resourceAccountId) {
    if (actsWithAccountRights) return allowedBy(resourceAllow);
    if (grants.direct !== undefined) return allowedBy(grants.direct);
    return identitySide(scanned, grants.identity);
  }
  // Cross-account policy evaluation logic: the resource's account must allow the caller (by name or by its account)
  // and the caller's account must allow the request, with its boundaries and session policies.
  if (resourceAllow === undefined) return denied('no-resource-allow');
  if (actsWithAccountRights) return allowedBy(resourceAllow);
  const identity = identitySide(scanned, undefined);
  return identity.isAllowed ? allowedBy(resourceAllow) : identity;
}

/**
 * Decides one request as IAM's policy evaluation logic does. An explicit Deny in any evaluated policy wins; the first
 * one found, in the order identity, permissions boundary, session, resource policies, decides. Otherwise: within
 * one account, an identity allow (limited by the boundary and the session policies) or a resource policy naming the
 * caller; across accounts, both sides. Bounded by the statements and their lists; never throws.
 */
export function evaluate(request: EvaluationRequest): Decision {
  const matched: MatchedStatement[] = [];
  const scanned = scanAll(request, matched);
  const verdicts = verdictsOf(request, scanned);
  const deny = scanned.identity.deny ?? scanned.boundary?.deny ?? scanned.session?.deny ?? scanned.resource.deny;
  if (deny !== undefined) return { isAllowed: false, reason: DENY_REASONS[deny.kind], deciding: deny, matched, verdicts };
  const outcome = decide(request, scanned);
  const decision: Decision = { isAllowed: outcome.isAllowed, reason: outcome.reason, matched, verdicts };
  if (outcome.deciding !== undefined) decision.deciding = outcome.deciding;
  return decision;
}

/**
 * AWS's AccessDenied wording for a denied decision (IAM User Guide, "Troubleshoot access denied error messages"):
 * `User: <arn> is not authorized to perform: <action> on resource: <resource> because no identity-based policy allows
 * the <action> action`, `… with an explicit deny in a resource-based policy`, and so on per reason. Throws for an
 * allowed decision, which has no denial to word.
 */
export function denialMessage(request: Pick<EvaluationRequest, 'principal' | 'action' | 'resource'>, decision: Pick<Decision, 'reason'>): string {
  const { principal, action, resource } = request;
  const base = `User: ${principal.arn} is not authorized to perform: ${action} on resource: ${resource}`;
  const noAllow = (policy: string) => `${base} because no ${policy} allows the ${action} action`;
  const explicitDeny = (policy: string) => `${base} with an explicit deny in ${policy}`;
  switch (decision.reason) {
    case 'no-identity-allow':
      return noAllow('identity-based policy');
    case 'no-resource-allow':
      return noAllow('resource-based policy');
    case 'no-boundary-allow':
      return noAllow('permissions boundary');
    case 'no-session-allow':
      return noAllow('session policy');
    case 'explicit-deny-identity':
      return explicitDeny('an identity-based policy');
    case 'explicit-deny-resource':
      return explicitDeny('a resource-based policy');
    case 'explicit-deny-boundary':
      return explicitDeny('a permissions boundary');
    case 'explicit-deny-session':
      return explicitDeny('a session policy');
    case 'allowed':
      throw new Error(`denialMessage: ${action} on ${resource} was allowed`);
    default: {
      const unknownReason: never = decision.reason;
      throw new Error(`unknown decision reason ${String(unknownReason)}`);
    }
  }
}
