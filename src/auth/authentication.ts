// Who is calling, as both planes ask it: the request as it arrived in, a Caller (principal and region) or an
// AuthenticationError out. The interface lives here so planes depend on it without knowing iam/, which implements it.
import type { Principal } from './principal';

/** A request as it arrived: enough to recompute its SigV4 signature. Header names lower-case, as node gives them. */
export interface SignedRequest {
  method: string;
  /** Path and query exactly as sent: `/`, `/?Action=GetCallerIdentity&X-Amz-Signature=…`. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  /** The client's address (`aws:SourceIp`), when the request came over a socket. */
  sourceIp?: string;
  /** Whether it came over TLS (`aws:SecureTransport`). */
  isSecureTransport?: boolean;
}

export interface Caller {
  principal: Principal;
  /** The credential scope's region, or the default region for an unsigned request. */
  region: string;
  /** The credential scope's service (`ecr`, `iam`, `sts`), when the request is signed. */
  service?: string;
}

/**
 * Why a request was refused before anything else was looked at. Each plane words these as its protocol does:
 * ECR's JSON says UnrecognizedClientException, IAM's and STS's XML InvalidClientTokenId, and so on.
 */
export type AuthenticationFailure =
  /** An access key IAM issued and then deleted, or a session key that is not (or no longer) known. */
  | 'unknown-key'
  /** A deactivated access key. */
  | 'inactive-key'
  /** A session whose credentials expired. */
  | 'expired-token'
  /** The signature does not verify with the key's secret, or the session token is not the session's. */
  | 'signature-mismatch'
  /** The request was signed more than 15 minutes from now, or a presigned URL has expired. */
  | 'signature-expired'
  /** The Authorization header or presigned query is not a well-formed SigV4 signature. */
  | 'malformed-signature'
  /** The credential scope names a region no partition has. */
  | 'invalid-region';

export class AuthenticationError extends Error {
  constructor(
    readonly failure: AuthenticationFailure,
    message: string,
  ) {
    super(message);
    this.name = 'AuthenticationError';
  }
}

export interface Authenticator {
  /** The caller of a request. Throws AuthenticationError; never anything else for a bad request. */
  authenticate(request: SignedRequest): Promise<Caller>;
}
