// The URLs GetDownloadUrlForLayer returns. ECR answers with a presigned S3 URL that works without registry
// credentials until it expires; ours is a path on the emulator carrying a signed claim (scope, repository, digest,
// expiry), so like S3's it needs no Authorization header and no lookup table. Signed with the data dir's token
// secret under its own purpose label, so a registry token can never pass as a download claim or the reverse.
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { Scope } from '../kernel/scope';

export const LAYER_DOWNLOAD_PATH = '/_emulator/layer-downloads/';

export interface LayerDownloadClaim {
  scope: Scope;
  repository: string;
  digest: string;
  expiresAt: Date;
}

export type LayerDownloadCheck = { isValid: true; claim: LayerDownloadClaim } | { isValid: false; reason: 'malformed' | 'signature' | 'expired' };

export interface LayerDownloadUrls {
  /** The path (from LAYER_DOWNLOAD_PATH) that serves the blob until `claim.expiresAt`. */
  pathFor(claim: LayerDownloadClaim): string;
  /** Checks the last path segment of such a path. */
  check(token: string, now: Date): LayerDownloadCheck;
}

const PURPOSE = 'ecr-emulator layer download v1\n';

interface EncodedClaim {
  a: string;
  r: string;
  n: string;
  d: string;
  e: number;
}

/**
 * The claim a correctly signed payload carries, or undefined when it is not one. A signature proves only that the
 * secret signed these bytes (a secret shared with an older version, say), so the shape is still checked.
 */
function decodeClaim(payload: string): EncodedClaim | undefined {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(payload, 'base64url').toString());
  } catch {
    return undefined;
  }
  if (decoded === null || typeof decoded !== 'object') return undefined;
  const { a, r, n, d, e } = decoded as Record<string, unknown>;
  const isClaim = typeof a === 'string' && typeof r === 'string' && typeof n === 'string' && typeof d === 'string' && typeof e === 'number' && Number.isFinite(e);
  return isClaim ? { a, r, n, d, e } : undefined;
}

export function createLayerDownloadUrls(secret: Buffer): LayerDownloadUrls {
  const sign = (payload: string): string => createHmac('sha256', secret).update(PURPOSE).update(payload).digest('base64url');
  return {
    pathFor(claim) {
      const payload = Buffer.from(
        JSON.stringify({ a: claim.scope.accountId, r: claim.scope.region, n: claim.repository, d: claim.digest, e: Math.floor(claim.expiresAt.getTime() / 1000) }),
      ).toString('base64url');
      return `${LAYER_DOWNLOAD_PATH}${payload}.${sign(payload)}`;
    },
    check(token, now) {
      const [payload, signature, ...rest] = token.split('.');
      if (payload === undefined || signature === undefined || rest.length > 0) return { isValid: false, reason: 'malformed' };
      const expected = Buffer.from(sign(payload));
      const given = Buffer.from(signature);
      if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { isValid: false, reason: 'signature' };
      const decoded = decodeClaim(payload);
      if (decoded === undefined) return { isValid: false, reason: 'malformed' };
      const expiresAt = new Date(decoded.e * 1000);
      if (expiresAt.getTime() <= now.getTime()) return { isValid: false, reason: 'expired' };
      return { isValid: true, claim: { scope: { accountId: decoded.a, region: decoded.r }, repository: decoded.n, digest: decoded.d, expiresAt } };
    },
  };
}
