// STS session credentials: what AssumeRole and GetSessionToken hand out (an `ASIA…` key, a secret, a session token,
// an expiry) and the principal they act as. Kept in the document store, so sessions survive a restart as tokens do.
// Expired sessions are kept too: their key then answers "expired", not "unknown", as AWS's does.
import { randomBytes } from 'node:crypto';
import type { Principal } from '../auth/principal';
import type { Scope } from '../kernel/scope';
import type { RegistryDocumentStore } from '../store/registry-document-store';
import { newIamId, newSecretAccessKey } from './iam-ids';

/** Sessions are global, like IAM, and found by their key id alone: one pseudo-scope holds them all. */
const SESSIONS_SCOPE: Scope = { accountId: 'sts', region: 'global' };
const SESSION_KIND = 'sts-session';

export interface SessionCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  expiresAt: Date;
}

export interface Session extends SessionCredentials {
  /** Who the credentials act as; its `accessKeyId` and `expiresAt` are the session's. */
  principal: Principal;
}

interface StoredSession {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  /** Epoch milliseconds. */
  expiresAt: number;
  principal: Omit<Principal, 'expiresAt' | 'accessKeyId'>;
}

export interface Sessions {
  /** Issues new credentials acting as `principal` until `expiresAt`. */
  create(principal: Principal, expiresAt: Date): Session;
  /** The session of that access key id, expired or not; undefined for a key no session has. */
  find(accessKeyId: string): Session | undefined;
}

/** A session token shaped like STS's: long, opaque base64 (clients only pass it back). */
function newSessionToken(): string {
  return `IQoJb3JpZ2luX2VjE${randomBytes(300).toString('base64')}`;
}

export function createSessions(documents: RegistryDocumentStore): Sessions {
  return {
    create(principal, expiresAt) {
      const credentials: SessionCredentials = { accessKeyId: newIamId('ASIA'), secretAccessKey: newSecretAccessKey(), sessionToken: newSessionToken(), expiresAt };
      const { expiresAt: _previousExpiry, accessKeyId: _previousKey, ...identity } = principal;
      const stored: StoredSession = { ...credentials, expiresAt: expiresAt.getTime(), principal: identity };
      documents.put(SESSIONS_SCOPE, SESSION_KIND, credentials.accessKeyId, stored);
      return { ...credentials, principal: { ...identity, accessKeyId: credentials.accessKeyId, expiresAt } };
    },
    find(accessKeyId) {
      const stored = documents.get(SESSIONS_SCOPE, SESSION_KIND, accessKeyId) as StoredSession | undefined;
      if (stored === undefined) return undefined;
      const expiresAt = new Date(stored.expiresAt);
      return {
        accessKeyId: stored.accessKeyId,
        secretAccessKey: stored.secretAccessKey,
        sessionToken: stored.sessionToken,
        expiresAt,
        principal: { ...stored.principal, accessKeyId: stored.accessKeyId, expiresAt },
      };
    },
  };
}
