// Who may act on which registry: the one question each plane asks before it calls the core, and the ARNs it asks
// about. The answer comes from an AccessPolicy (iam/access-decider.ts evaluates IAM, repository and registry
// policies as the --iam mode says); the planes only ask and word the refusal.
import type { Scope } from '../kernel/scope';
import type { ConditionContext } from './policy-conditions';
import type { Principal } from './principal';

export interface AccessRequest {
  principal: Principal;
  /** `ecr:DeleteRepository`, as IAM names actions. */
  action: string;
  /**
   * The registry the request acts in, the ARN of what it acts on there, and the repository when it acts on one
   * (its policy and tags take part in the decision).
   */
  resource: {
    scope: Scope;
    arn: string;
    repository?: string;
    /** The resource's own policy when it is no repository's or registry's: a role's trust policy, for sts:AssumeRole. */
    trustPolicy?: { name: string; document: string };
  };
  /** Condition keys of the request itself: `aws:SourceIp`, `aws:SecureTransport`, `aws:RequestTag/…`, `aws:TagKeys`. */
  context?: ConditionContext;
}

/**
 * How policies decide (`--iam`): `off` evaluates resource policies and account boundaries only (every principal
 * acts with its account's rights), `enforce` AWS's whole evaluation, `soft` the whole evaluation but lets a
 * would-be denial through, logged and recorded.
 */
export type IamMode = 'off' | 'soft' | 'enforce';

export type AccessDecision = { isAllowed: true } | { isAllowed: false; message: string };

export interface AccessPolicy {
  /** Decides, and records the decision in the decision log. */
  decide(request: AccessRequest): AccessDecision;
  /** Whether the request would be allowed, without recording it: for filtering what a listing shows. */
  allows(request: AccessRequest): boolean;
}

/** A repository's ARN; without a name, every repository of the registry (the resource of registry-wide reads). */
export function repositoryArn(scope: Scope, name?: string): string {
  return `arn:aws:ecr:${scope.region}:${scope.accountId}:repository/${name ?? '*'}`;
}
