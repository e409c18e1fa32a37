// ECR's registry authentication: `Authorization: Basic base64("AWS:" + token)`, the token from
// GetAuthorizationToken. The token names the scope; an ECR-style Host must name the same one.
import type { RegistryTokens } from '../auth/registry-token';
import { scopeFromHost } from '../images/registry-address';
import type { Scope } from '../store/scope';
import { OciError } from './oci-errors';

export interface Credentials {
  authorization: string | undefined;
  host: string | undefined;
  scheme: 'http' | 'https';
  now: Date;
}

function challenge(credentials: Credentials, message: string): OciError {
  const realm = `${credentials.scheme}://${credentials.host ?? 'localhost'}/`;
  return new OciError('UNAUTHORIZED', message, undefined, { 'WWW-Authenticate': `Basic realm="${realm}",service="ecr.amazonaws.com"` });
}

function tokenOf(authorization: string | undefined): string | undefined {
  const match = authorization === undefined ? null : /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(authorization);
  if (match === null) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const separator = decoded.indexOf(':');
  if (separator < 0 || decoded.slice(0, separator) !== 'AWS') return undefined;
  return decoded.slice(separator + 1);
}

/** The scope the request may act in. Throws OciError UNAUTHORIZED (with a challenge) or DENIED. */
export function authenticate(tokens: RegistryTokens, credentials: Credentials): Scope {
  const token = tokenOf(credentials.authorization);
  if (token === undefined) throw challenge(credentials, 'Not Authorized');
  const check = tokens.check(token, credentials.now);
  if (!check.isValid) {
    if (check.reason === 'expired') throw challenge(credentials, 'Your authorization token has expired. Reauthenticate and try again.');
    throw challenge(credentials, 'Not Authorized');
  }
  const { scope } = check.claims;
  const hostScope = scopeFromHost(credentials.host);
  if (hostScope !== undefined && (hostScope.accountId !== scope.accountId || hostScope.region !== scope.region)) {
    throw new OciError('DENIED', `Your authorization token is for registry ${scope.accountId} in ${scope.region}, not ${hostScope.accountId} in ${hostScope.region}`);
  }
  return scope;
}
