// ECR's registry authentication and the access question: `Authorization: Basic base64("AWS:" + token)`, the token
// from GetAuthorizationToken. The token names its principal; the registry acted in is the one an ECR-style Host
// names (`<account>.dkr.ecr.<region>.…`), else the principal's own. auth/ decides whether the principal may act there.
import { repositoryArn, type AccessPolicy } from '../auth/access';
import type { ConditionContext } from '../auth/policy-conditions';
import type { Principal } from '../auth/principal';
import { tokenFromAuthorization, type RegistryTokens } from '../auth/registry-token';
import { scopeFromHost } from '../kernel/registry-address';
import type { Scope } from '../kernel/scope';
import { OciError } from './oci-errors';

export interface Credentials {
  authorization: string | undefined;
  host: string | undefined;
  scheme: 'http' | 'https';
  now: Date;
}

export interface Caller {
  principal: Principal;
  /** The region the token was issued in: it opens registries of that region only. */
  region: string;
}

function challenge(credentials: Credentials, message: string): OciError {
  const realm = `${credentials.scheme}://${credentials.host ?? 'localhost'}/`;
  return new OciError('UNAUTHORIZED', message, undefined, { 'WWW-Authenticate': `Basic realm="${realm}",service="ecr.amazonaws.com"` });
}

/**
 * Who is calling. Throws OciError UNAUTHORIZED (with a challenge) without a valid token, and DENIED for an
 * expired one: ECR answers 403 "Your authorization token has expired…", which docker shows as `denied: …`.
 */
export function authenticate(tokens: RegistryTokens, credentials: Credentials): Caller {
  const token = tokenFromAuthorization(credentials.authorization);
  if (token === undefined) throw challenge(credentials, 'Not Authorized');
  const check = tokens.check(token, credentials.now);
  if (!check.isValid) {
    if (check.reason === 'expired') throw new OciError('DENIED', 'Your authorization token has expired. Reauthenticate and try again.');
    throw challenge(credentials, 'Not Authorized');
  }
  return { principal: check.claims.principal, region: check.claims.region };
}

/** Where a data-plane request came from, for the condition keys `aws:SourceIp` and `aws:SecureTransport`. */
export interface RequestOrigin {
  sourceIp?: string;
  isSecureTransport: boolean;
}

function originContext(origin: RequestOrigin): ConditionContext {
  return { 'aws:SecureTransport': [String(origin.isSecureTransport)], ...(origin.sourceIp !== undefined ? { 'aws:SourceIp': [origin.sourceIp] } : {}) };
}

/** The registry a request acts in: an ECR-style Host's, else the caller's own. Throws BAD_REQUEST for another region's. */
export function registryScope(caller: Caller, host: string | undefined): Scope {
  const scope = scopeFromHost(host) ?? { accountId: caller.principal.accountId, region: caller.region };
  if (scope.region !== caller.region) {
    throw new OciError('BAD_REQUEST', `Your authorization token was issued for ${caller.region}, not for the registry in ${scope.region}. Get a token in ${scope.region}.`);
  }
  return scope;
}

/**
 * Asks the access policy whether the caller may act on `repository` of `scope` with `action`. Throws DENIED with
 * IAM's explanation when access is refused (403; docker prints `denied: <message>`).
 */
export function requireAccess(access: AccessPolicy, caller: Caller, scope: Scope, action: string, repository: string | undefined, origin: RequestOrigin): void {
  const decision = access.decide({
    principal: caller.principal,
    action,
    resource: { scope, arn: repositoryArn(scope, repository), ...(repository !== undefined ? { repository } : {}) },
    context: originContext(origin),
  });
  if (!decision.isAllowed) throw new OciError('DENIED', decision.message);
}
