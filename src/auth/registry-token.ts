// Registry tokens as GetAuthorizationToken issues them and the data plane checks them: self-verifying
// (HMAC-SHA256 over account, region and expiry), so no lookup table is needed and they survive a restart.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Scope } from '../kernel/scope';

export interface TokenClaims {
  scope: Scope;
  expiresAt: Date;
}

export type TokenCheck = { isValid: true; claims: TokenClaims } | { isValid: false; reason: 'malformed' | 'signature' | 'expired'; claims?: TokenClaims };

export interface RegistryTokens {
  issue(scope: Scope, expiresAt: Date): string;
  check(token: string, now: Date): TokenCheck;
}

function sign(secret: Buffer, payload: string): string {
  return createHmac('sha256', secret).update(payload).digest('base64url');
}

export function createRegistryTokens(secret: Buffer): RegistryTokens {
  return {
    issue(scope, expiresAt) {
      const payload = Buffer.from(JSON.stringify({ a: scope.accountId, r: scope.region, e: Math.floor(expiresAt.getTime() / 1000) })).toString('base64url');
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
      if (parsed === null || typeof parsed !== 'object') return { isValid: false, reason: 'malformed' };
      const decoded = parsed as { a?: unknown; r?: unknown; e?: unknown };
      if (typeof decoded.a !== 'string' || typeof decoded.r !== 'string' || typeof decoded.e !== 'number') {
        return { isValid: false, reason: 'malformed' };
      }
      const claims: TokenClaims = { scope: { accountId: decoded.a, region: decoded.r }, expiresAt: new Date(decoded.e * 1000) };
      if (claims.expiresAt.getTime() <= now.getTime()) return { isValid: false, reason: 'expired', claims };
      return { isValid: true, claims };
    },
  };
}
