// Registry tokens as GetAuthorizationToken issues them and the data plane checks them: self-verifying
// (HMAC-SHA256 over principal, region and expiry), so no lookup table is needed and they survive a restart.
// A token is its principal's: it names who it was issued to, not which registry it opens.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { accountRoot, type Principal, type PrincipalKind } from './principal';

export interface TokenClaims {
  /** Who the token was issued to; its tags and session policies are not carried (they are looked up by key id). */
  principal: Principal;
  /** The region the token was issued in: it opens registries of that region only. */
  region: string;
  expiresAt: Date;
}

export type TokenCheck = { isValid: true; claims: TokenClaims } | { isValid: false; reason: 'malformed' | 'signature' | 'expired'; claims?: TokenClaims };

export interface RegistryTokens {
  issue(principal: Principal, region: string, expiresAt: Date): string;
  check(token: string, now: Date): TokenCheck;
}

const KINDS: readonly PrincipalKind[] = ['root', 'user', 'assumed-role', 'federated-user'];

/** The payload on the wire: short keys, since docker keeps the token in every request's Authorization header. */
interface Payload {
  a: string;
  r: string;
  e: number;
  /** Absent in tokens of earlier versions, which were all an account root's. */
  p?: { k: PrincipalKind; n: string; u: string; i?: string; c?: string };
}

function sign(secret: Buffer, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('base64url');
}

function payloadOf(principal: Principal, region: string, expiresAt: Date): Payload {
  const p: Payload['p'] = { k: principal.kind, n: principal.arn, u: principal.userId };
  if (principal.identityArn !== undefined) p.i = principal.identityArn;
  if (principal.accessKeyId !== undefined) p.c = principal.accessKeyId;
  return { a: principal.accountId, r: region, e: Math.floor(expiresAt.getTime() / 1000), p };
}

function isString(value: unknown): value is string {
  return typeof value === 'string';
}

/** The principal a verified payload names, or undefined when its shape is not one this version writes. */
function principalOf(decoded: Record<string, unknown>): Principal | undefined {
  const accountId = decoded.a;
  if (!isString(accountId)) return undefined;
  if (decoded.p === undefined) return accountRoot(accountId);
  const p = decoded.p as Record<string, unknown> | null;
  if (p === null || typeof p !== 'object' || !KINDS.includes(p.k as PrincipalKind) || !isString(p.n) || !isString(p.u)) return undefined;
  if ((p.i !== undefined && !isString(p.i)) || (p.c !== undefined && !isString(p.c))) return undefined;
  return {
    kind: p.k as PrincipalKind,
    arn: p.n,
    accountId,
    userId: p.u,
    tags: {},
    ...(isString(p.i) ? { identityArn: p.i } : {}),
    ...(isString(p.c) ? { accessKeyId: p.c } : {}),
  };
}

export function createRegistryTokens(secret: Buffer): RegistryTokens {
  return {
    issue(principal, region, expiresAt) {
      const payload = Buffer.from(JSON.stringify(payloadOf(principal, region, expiresAt))).toString('base64url');
      return `${payload}.${sign(secret, payload)}`;
    },
    check(token, now) {
      const [payload, signature, ...rest] = token.split('.');
      if (payload === undefined || signature === undefined || rest.length > 0) return { isValid: false, reason: 'malformed' };
      const expected = Buffer.from(sign(secret, payload));
      const given = Buffer.from(signature);
      if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { isValid: false, reason: 'signature' };
      let parsed: unknown;
      try {
        parsed = JSON.parse(Buffer.from(payload, 'base64url').toString());
      } catch {
        return { isValid: false, reason: 'malformed' };
      }
      // Signed is not the same as well-formed: a secret shared with an older version may have signed another shape.
      if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) return { isValid: false, reason: 'malformed' };
      const decoded = parsed as Record<string, unknown>;
      const principal = principalOf(decoded);
      if (principal === undefined || !isString(decoded.r) || typeof decoded.e !== 'number') return { isValid: false, reason: 'malformed' };
      const claims: TokenClaims = { principal, region: decoded.r, expiresAt: new Date(decoded.e * 1000) };
      if (claims.expiresAt.getTime() <= now.getTime()) return { isValid: false, reason: 'expired', claims };
      return { isValid: true, claims };
    },
  };
}

/** The token of `Authorization: Basic base64("AWS:" + token)`, the form docker sends it in; undefined for any other. */
export function tokenFromAuthorization(authorization: string | undefined): string | undefined {
  const match = authorization === undefined ? null : /^Basic\s+([A-Za-z0-9+/=_-]+)\s*$/i.exec(authorization);
  if (match === null) return undefined;
  const decoded = Buffer.from(match[1]!, 'base64').toString('utf8');
  const separator = decoded.indexOf(':');
  if (separator < 0 || decoded.slice(0, separator) !== 'AWS') return undefined;
  return decoded.slice(separator + 1);
}
