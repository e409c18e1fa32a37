// Whether a role's trust policy lets a caller act on the role (`sts:AssumeRole`, `sts:TagSession`), as STS decides
// before it issues a session: an explicit Deny wins, then some Allow must name the caller and the action with all its
// conditions holding. Pure: the caller's identity policies are the evaluation engine's business, not this one's.
import type { PolicyDocument, PolicyStatement } from './iam-policy';
import { conditionsHold, type ConditionContext } from './policy-conditions';
import { principalMatches } from './principal-match';
import { coversAction } from './statement-match';
import type { Principal } from './principal';

export interface TrustRequest {
  principal: Principal;
  /** `sts:AssumeRole`, `sts:TagSession`. */
  action: string;
  /** Every condition key of the request: the caller's (principalContext) and the call's (`sts:ExternalId`, …). */
  context: ConditionContext;
}

function appliesTo(statement: PolicyStatement, request: TrustRequest): boolean {
  const namesCaller = statement.principal !== undefined
    ? principalMatches(statement.principal, request.principal)
    : statement.notPrincipal !== undefined && !principalMatches(statement.notPrincipal, request.principal);
  return namesCaller && coversAction(statement, request.action) && conditionsHold(statement.conditions, request.context);
}

export function trustAllows(policy: PolicyDocument, request: TrustRequest): boolean {
  const applicable = policy.statements.filter((statement) => appliesTo(statement, request));
  return !applicable.some((statement) => statement.effect === 'Deny') && applicable.some((statement) => statement.effect === 'Allow');
}
