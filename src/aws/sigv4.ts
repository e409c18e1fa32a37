// Checks a SigV4 claim (read by sigv4-claim.ts) by rebuilding the request as it arrived and re-signing it with
// @smithy/signature-v4. Pure: it never looks up keys, reads the clock or answers HTTP; the caller brings the secret
// and `now`, and words the error.
import { createHash, timingSafeEqual } from 'node:crypto';
import { lazy } from '../kernel/lazy';
import { amzDate, firstHeader, headerValues, queryPairs, type ArrivedRequest, type SignatureClaim } from './sigv4-claim';

/** The signer loads most of @smithy/core (a fifth of the start's module loading): on the first signed request instead. */
const smithy = lazy(() => ({
  Hash: (require('@smithy/hash-node') as typeof import('@smithy/hash-node')).Hash,
  HttpRequest: (require('@smithy/protocol-http') as typeof import('@smithy/protocol-http')).HttpRequest,
  SignatureV4: (require('@smithy/signature-v4') as typeof import('@smithy/signature-v4')).SignatureV4,
}));

export type SignatureVerdict =
  | { isValid: true }
  | { isValid: false; reason: 'mismatch' | 'expired' | 'not-yet-current' | 'presigned-expired'; message: string };

/** SigV4: a request is accepted within 15 minutes either side of its X-Amz-Date. */
const CLOCK_SKEW_MS = 15 * 60 * 1000;
const MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

/** Checks the claim's time window, then its signature against one recomputed with `secretAccessKey`. */
export async function verifySignature(request: ArrivedRequest, claim: SignatureClaim, secretAccessKey: string, now: Date): Promise<SignatureVerdict> {
  const timing = timingVerdict(claim, now);
  if (timing !== undefined) return timing;
  const expected = await expectedSignature(request, claim, secretAccessKey);
  const isValid = isSameSignature(expected, claim.signature) && isBodyAsClaimed(request, claim);
  return isValid ? { isValid: true } : { isValid: false, reason: 'mismatch', message: MISMATCH };
}

function timingVerdict(claim: SignatureClaim, now: Date): SignatureVerdict | undefined {
  // AWS compares and words whole seconds.
  const nowMs = Math.floor(now.getTime() / 1000) * 1000;
  const signedAtMs = claim.signedAt.getTime();
  const [signed, current] = [amzDate(claim.signedAt), amzDate(new Date(nowMs))];
  if (signedAtMs > nowMs + CLOCK_SKEW_MS) {
    const message = `Signature not yet current: ${signed} is still later than ${amzDate(new Date(nowMs + CLOCK_SKEW_MS))} (${current} + 15 min.)`;
    return { isValid: false, reason: 'not-yet-current', message };
  }
  if (claim.isPresigned && claim.expiresInSeconds !== undefined) {
    const hasExpired = nowMs > signedAtMs + claim.expiresInSeconds * 1000;
    return hasExpired ? { isValid: false, reason: 'presigned-expired', message: 'Request has expired' } : undefined;
  }
  if (signedAtMs < nowMs - CLOCK_SKEW_MS) {
    const message = `Signature expired: ${signed} is now earlier than ${amzDate(new Date(nowMs - CLOCK_SKEW_MS))} (${current} - 15 min.)`;
    return { isValid: false, reason: 'expired', message };
  }
  return undefined;
}

/**
 * smithy's `sign` is the canonical-request builder for both kinds: it is given exactly the headers the client signed
 * and the query as sent, so the presigned X-Amz-* parameters (Expires included, or absent) stay verbatim in the
 * canonical query, where `presign` would rewrite them. It always sets an x-amz-date header, which is kept out of the
 * canonical headers unless the client signed it; no session token is passed, so smithy adds none and the client's
 * own x-amz-security-token header or parameter is signed only where the client signed it.
 */
async function expectedSignature(request: ArrivedRequest, claim: SignatureClaim, secretAccessKey: string): Promise<string> {
  const { Hash, HttpRequest, SignatureV4 } = smithy();
  const signer = new SignatureV4({
    service: claim.service,
    region: claim.region,
    credentials: { accessKeyId: claim.accessKeyId, secretAccessKey },
    sha256: Hash.bind(null, 'sha256'),
    uriEscapePath: true,
    // Else smithy adds an x-amz-content-sha256 header the client may not have signed; when it did, its value is the payload hash.
    applyChecksum: false,
  });
  const signedHeaderNames = new Set(claim.signedHeaders.map((name) => name.toLowerCase()));
  const questionMark = request.url.indexOf('?');
  const signed = await signer.sign(
    new HttpRequest({
      method: request.method,
      path: (questionMark < 0 ? request.url : request.url.slice(0, questionMark)) || '/',
      query: queryBag(queryPairs(request.url)),
      headers: signedHeaderValues(request, signedHeaderNames),
      body: request.body,
    }),
    { signingDate: claim.signedAt, signableHeaders: signedHeaderNames, unsignableHeaders: new Set(['x-amz-date']) },
  );
  const authorization = String(signed.headers['authorization'] ?? '');
  return authorization.slice(authorization.lastIndexOf('Signature=') + 'Signature='.length);
}

/** Only the signed headers, so smithy's own choice of headers never matters; several values join with `,` as SigV4 says. */
function signedHeaderValues(request: ArrivedRequest, names: Set<string>): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of names) {
    const values = headerValues(request, name);
    if (values !== undefined) headers[name] = values.map((value) => value.trim()).join(',');
  }
  return headers;
}

function queryBag(pairs: Array<[string, string]>): Record<string, string | string[]> {
  const bag = new Map<string, string[]>();
  for (const [name, value] of pairs) bag.set(name, [...(bag.get(name) ?? []), value]);
  return Object.fromEntries([...bag].map(([name, values]) => [name, values.length === 1 ? values[0]! : values]));
}

/**
 * A signed x-amz-content-sha256 stands in for the body in the canonical request, so it must be the body's hash (S3
 * answers XAmzContentSHA256Mismatch) or UNSIGNED-PAYLOAD, the client's choice to leave the body unprotected. Anything
 * else (STREAMING-*: chunk signatures this module does not check) fails closed.
 */
function isBodyAsClaimed(request: ArrivedRequest, claim: SignatureClaim): boolean {
  if (!claim.signedHeaders.some((name) => name.toLowerCase() === 'x-amz-content-sha256')) return true;
  const claimedHash = firstHeader(request, 'x-amz-content-sha256')?.trim() ?? '';
  return claimedHash === 'UNSIGNED-PAYLOAD' || claimedHash.toLowerCase() === createHash('sha256').update(request.body).digest('hex');
}

function isSameSignature(expected: string, provided: string): boolean {
  const expectedBytes = Buffer.from(expected);
  const providedBytes = Buffer.from(provided);
  return expectedBytes.length === providedBytes.length && timingSafeEqual(expectedBytes, providedBytes);
}
