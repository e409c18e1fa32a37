// Resolves a request's credentials into its Caller: the one Authenticator both planes' control endpoints use.
// An access key IAM issued (a user's) or STS issued (a session's) must verify with its secret; any other key is an
// account root (12 digits: that account; otherwise the default account) and its signature is not checked, so
// `test`/`test` and 12-digit keys keep working as they always have.
import { AuthenticationError, type Authenticator, type Caller, type SignedRequest } from '../auth/authentication';
import { accountRoot, type Principal } from '../auth/principal';
import { invalidRegionMessage, isKnownRegion } from '../aws/regions';
import { verifySignature } from '../aws/sigv4';
import { readSignatureClaim, SignatureFormatError, type SignatureClaim } from '../aws/sigv4-claim';
import type { Clock } from '../kernel/clock';
import type { IamDirectory } from './iam-directory';
import type { Sessions } from './sessions';

export interface AuthenticatorOptions {
  directory: IamDirectory;
  sessions: Sessions;
  clock: Clock;
  /** The account of keys that are not 12 digits, and the region of unsigned requests. */
  defaults: { accountId: string; region: string };
}

const INVALID_TOKEN = 'The security token included in the request is invalid.';
const EXPIRED_TOKEN = 'The security token included in the request is expired';

/** What a key id is: whose it is and the secret it must be signed with, or a root's, which is not checked. */
type KeyOwner = { kind: 'root'; principal: Principal } | { kind: 'issued'; principal: Principal; secretAccessKey: string; isUserKey: boolean };

export function createAuthenticator(options: AuthenticatorOptions): Authenticator {
  const { directory, sessions, clock, defaults } = options;

  function ownerOf(claim: SignatureClaim, now: Date): KeyOwner {
    const { accessKeyId } = claim;
    const session = sessions.find(accessKeyId);
    if (session !== undefined) {
      // A session's token must come with its key: a key without its token, or with another, is not the session.
      if (claim.securityToken !== session.sessionToken) throw new AuthenticationError('unknown-key', INVALID_TOKEN);
      if (session.expiresAt.getTime() <= now.getTime()) throw new AuthenticationError('expired-token', EXPIRED_TOKEN);
      return { kind: 'issued', principal: session.principal, secretAccessKey: session.secretAccessKey, isUserKey: false };
    }
    const key = directory.findAccessKey(accessKeyId);
    if (key !== undefined) {
      if (key.status !== 'Active') throw new AuthenticationError('inactive-key', INVALID_TOKEN);
      const principal = directory.userPrincipal(key.accountId, key.userName);
      if (principal === undefined) throw new AuthenticationError('unknown-key', INVALID_TOKEN);
      return { kind: 'issued', principal: { ...principal, accessKeyId }, secretAccessKey: key.secretAccessKey, isUserKey: true };
    }
    if (directory.wasAccessKeyIssued(accessKeyId)) throw new AuthenticationError('unknown-key', INVALID_TOKEN);
    return { kind: 'root', principal: accountRoot(/^\d{12}$/.test(accessKeyId) ? accessKeyId : defaults.accountId, accessKeyId) };
  }

  return {
    async authenticate(request: SignedRequest): Promise<Caller> {
      let claim: SignatureClaim | undefined;
      try {
        claim = readSignatureClaim(request);
      } catch (error) {
        if (error instanceof SignatureFormatError) throw new AuthenticationError(error.isIncomplete ? 'malformed-signature' : 'signature-mismatch', error.message);
        throw error;
      }
      if (claim === undefined) return { principal: accountRoot(defaults.accountId), region: defaults.region };
      if (!isKnownRegion(claim.region)) throw new AuthenticationError('invalid-region', invalidRegionMessage(claim.region));
      const now = clock.now();
      const owner = ownerOf(claim, now);
      if (owner.kind === 'issued') {
        const verdict = await verifySignature(request, claim, owner.secretAccessKey, now);
        if (!verdict.isValid) throw new AuthenticationError(verdict.reason === 'mismatch' ? 'signature-mismatch' : 'signature-expired', verdict.message);
        if (owner.isUserKey) directory.noteAccessKeyUse(claim.accessKeyId, { serviceName: claim.service, region: claim.region, at: now });
      }
      return { principal: owner.principal, region: claim.region, service: claim.service };
    },
  };
}
