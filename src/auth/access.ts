// Who may act on which registry: the one question each plane asks before it calls the core. Pure.
// Until policies are evaluated (the policy issue), ECR's rule without a resource-based policy holds: a principal
// acts in its own account's registry, and a request into another account's registry is denied, since no
// repository or registry policy is consulted that could allow it.
import type { Scope } from '../kernel/scope';
import type { Principal } from './principal';

export interface AccessRequest {
  principal: Principal;
  /** `ecr:DeleteRepository`, as IAM names actions. */
  action: string;
  /** The registry the request acts in, and the ARN of what it acts on there. */
  resource: { scope: Scope; arn: string };
}

export type AccessDecision = { isAllowed: true } | { isAllowed: false; message: string };

/** A repository's ARN; without a name, every repository of the registry (the resource of registry-wide reads). */
export function repositoryArn(scope: Scope, name?: string): string {
  return `arn:aws:ecr:${scope.region}:${scope.accountId}:repository/${name ?? '*'}`;
}

export function decideAccess(request: AccessRequest): AccessDecision {
  if (request.resource.scope.accountId === request.principal.accountId) return { isAllowed: true };
  const { principal, action, resource } = request;
  // IAM's wording for a cross-account request no resource-based policy allows.
  return {
    isAllowed: false,
    message: `User: ${principal.arn} is not authorized to perform: ${action} on resource: ${resource.arn} because no resource-based policy allows the ${action} action`,
  };
}
