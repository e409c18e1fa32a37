// Whether a policy's Principal names a caller, as IAM reads Principal in resource-based and trust policies, and the
// condition keys that describe the caller (`aws:PrincipalArn`, `aws:PrincipalAccount`, `aws:PrincipalTag/…`). Pure.
import type { PolicyPrincipal } from './iam-policy';
import type { ConditionContext } from './policy-conditions';
import type { Principal } from './principal';

const PRINCIPAL_TYPES: Record<Principal['kind'], string> = {
  root: 'Account',
  user: 'User',
  'assumed-role': 'AssumedRole',
  'federated-user': 'FederatedUser',
};

/** The ARN that stands for the caller in `aws:PrincipalArn`: a session's role, not the session. */
export function principalArnOf(principal: Principal): string {
  return principal.kind === 'assumed-role' && principal.identityArn !== undefined ? principal.identityArn : principal.arn;
}

/**
 * Whether one `"AWS"` entry names the caller: `*`; an account id or its root ARN (anyone of that account: the
 * account delegates to its own IAM policies); the caller's own ARN; the role ARN of an assumed-role session.
 */
export function awsPrincipalNames(entry: string, principal: Principal): boolean {
  if (entry === '*') return true;
  if (entry === principal.accountId || entry === `arn:aws:iam::${principal.accountId}:root`) return true;
  if (entry === principal.arn) return true;
  return principal.identityArn !== undefined && entry === principal.identityArn;
}

/** Whether a Principal element names the caller. Service, Federated and CanonicalUser principals never name an IAM caller. */
export function principalMatches(policyPrincipal: PolicyPrincipal, principal: Principal): boolean {
  if (policyPrincipal === '*') return true;
  return (policyPrincipal.AWS ?? []).some((entry) => awsPrincipalNames(entry, principal));
}

/** The global condition keys of the caller, as IAM puts them in every request context. */
export function principalContext(principal: Principal): ConditionContext {
  const context: Record<string, string[]> = {
    'aws:PrincipalArn': [principalArnOf(principal)],
    'aws:PrincipalAccount': [principal.accountId],
    'aws:PrincipalType': [PRINCIPAL_TYPES[principal.kind]],
    'aws:userid': [principal.userId],
  };
  if (principal.kind === 'user') context['aws:username'] = [principal.arn.slice(principal.arn.lastIndexOf('/') + 1)];
  for (const [key, value] of Object.entries(principal.tags)) context[`aws:PrincipalTag/${key}`] = [value];
  const tagKeys = Object.keys(principal.tags);
  if (tagKeys.length > 0) context['aws:PrincipalTagKeys'] = tagKeys;
  return context;
}
