// STS on the emulator's endpoint: GetCallerIdentity answers the calling principal; AssumeRole checks the role's
// trust policy against the caller and issues a role session; GetSessionToken issues session credentials that act
// as their caller. Sessions expire as STS's do, and a role session's tags are the role's overlaid with the call's.
import { TRUST_POLICY_RULES, parsePolicyDocument, type PolicyDocument } from '../auth/iam-policy';
import { principalContext } from '../auth/principal-match';
import type { Principal } from '../auth/principal';
import type { AccessPolicy } from '../auth/access';
import { trustAllows } from '../auth/trust-policy';
import { DomainError } from '../images/domain-error';
import type { Clock } from '../kernel/clock';
import { QueryError } from '../aws/query-protocol';
import type { StsOperations } from '../aws/sts-types.generated';
import type { IamDirectory } from './iam-directory';
import { validateSessionPolicy } from './identity-policy';
import type { Session, Sessions } from './sessions';

export interface StsContext {
  principal: Principal;
  directory: IamDirectory;
  sessions: Sessions;
  clock: Clock;
  /** Whether the request came over TLS: `aws:SecureTransport` in trust policy conditions. */
  isSecureTransport: boolean;
  /** The credential scope's region: `aws:RequestedRegion`, and where GetRole says the role was last used. */
  region: string;
  /** The access question: AssumeRole asks it for the caller's side under --iam enforce. */
  access: AccessPolicy;
}

type StsHandler<Name extends keyof StsOperations> = (input: StsOperations[Name]['input'], context: StsContext) => StsOperations[Name]['output'];
type StsHandlers = { [Name in keyof StsOperations]?: StsHandler<Name> };

/** STS's limits, in seconds: role sessions 15 minutes to the role's maximum, one hour when chained. */
const MIN_SESSION_SECONDS = 900;
const DEFAULT_ROLE_SESSION_SECONDS = 3600;
const CHAINED_ROLE_MAX_SECONDS = 3600;
const DEFAULT_SESSION_TOKEN_SECONDS = 43_200;
const MAX_USER_SESSION_TOKEN_SECONDS = 129_600;
const MAX_ROOT_SESSION_TOKEN_SECONDS = 3600;
/** STS packs session policies and tags; past this many characters of policy text AWS answers PackedPolicyTooLarge. */
const MAX_SESSION_POLICY_CHARACTERS = 2048;
const MAX_SESSION_TAGS = 50;

function notAuthorized(principal: Principal, action: string, resource: string): QueryError {
  return new QueryError('AccessDenied', `User: ${principal.arn} is not authorized to perform: ${action} on resource: ${resource}`);
}

function credentialsOf(session: Session) {
  return { AccessKeyId: session.accessKeyId, SecretAccessKey: session.secretAccessKey, SessionToken: session.sessionToken, Expiration: session.expiresAt };
}

function trustPolicyOf(text: string): PolicyDocument {
  try {
    return parsePolicyDocument(text, TRUST_POLICY_RULES);
  } catch (error) {
    // A stored trust policy was validated when it was written; one that no longer parses trusts nobody.
    if (error instanceof DomainError) return { statements: [] };
    throw error;
  }
}

function roleDurationSeconds(requested: number | undefined, maxSessionDuration: number, caller: Principal): number {
  const seconds = requested ?? DEFAULT_ROLE_SESSION_SECONDS;
  if (caller.kind === 'assumed-role' && seconds > CHAINED_ROLE_MAX_SECONDS) {
    throw new QueryError('ValidationError', 'The requested DurationSeconds exceeds the 1 hour session limit for roles assumed by role chaining.');
  }
  if (seconds > maxSessionDuration) throw new QueryError('ValidationError', 'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.');
  return Math.max(seconds, MIN_SESSION_SECONDS);
}

function sessionTagsOf(tags: { Key: string; Value: string }[] | undefined): Record<string, string> {
  if ((tags ?? []).length > MAX_SESSION_TAGS) throw new QueryError('ValidationError', `1 validation error detected: Value at 'tags' failed to satisfy constraint: Member must have length less than or equal to ${MAX_SESSION_TAGS}`);
  const result: Record<string, string> = {};
  for (const tag of tags ?? []) {
    // STS refuses the same key twice in one call, whatever the case (tag keys are case-insensitive in sessions).
    if (Object.keys(result).some((key) => key.toLowerCase() === tag.Key.toLowerCase())) {
      throw new QueryError('InvalidParameterValue', 'Duplicate tag keys found. Please note that Tag keys are case insensitive.');
    }
    result[tag.Key] = tag.Value;
  }
  return result;
}

function requestContext(caller: Principal, now: Date, isSecureTransport: boolean, region: string, extra: Record<string, string[]>): Record<string, readonly string[]> {
  return {
    ...principalContext(caller),
    'aws:CurrentTime': [now.toISOString()],
    'aws:EpochTime': [String(Math.floor(now.getTime() / 1000))],
    'aws:SecureTransport': [String(isSecureTransport)],
    'aws:RequestedRegion': [region],
    ...extra,
  };
}

export const stsHandlers: StsHandlers = {
  GetCallerIdentity(_input, { principal }) {
    return { UserId: principal.userId, Account: principal.accountId, Arn: principal.arn };
  },

  AssumeRole(input, context) {
    const { principal: caller, directory, sessions, clock } = context;
    const role = directory.findRoleByArn(input.RoleArn);
    if (role === undefined) throw notAuthorized(caller, 'sts:AssumeRole', input.RoleArn);
    const sessionTags = sessionTagsOf(input.Tags as { Key: string; Value: string }[] | undefined);
    const now = clock.now();
    const conditionKeys: Record<string, string[]> = { 'sts:RoleSessionName': [input.RoleSessionName] };
    if (input.ExternalId !== undefined) conditionKeys['sts:ExternalId'] = [input.ExternalId];
    if (input.SourceIdentity !== undefined) conditionKeys['sts:SourceIdentity'] = [input.SourceIdentity];
    for (const [key, value] of Object.entries(sessionTags)) conditionKeys[`aws:RequestTag/${key}`] = [value];
    if (Object.keys(sessionTags).length > 0) conditionKeys['aws:TagKeys'] = Object.keys(sessionTags);
    const trustRequest = { principal: caller, context: requestContext(caller, now, context.isSecureTransport, context.region, conditionKeys) };
    const trust = trustPolicyOf(role.assumeRolePolicyDocument);
    if (!trustAllows(trust, { ...trustRequest, action: 'sts:AssumeRole' })) throw notAuthorized(caller, 'sts:AssumeRole', role.arn);
    // Under --iam enforce the caller's own account must allow it too (across accounts always; in one account
    // unless the trust policy names the caller itself), with the trust policy as the role's resource policy.
    const decision = context.access.decide({
      principal: caller,
      action: 'sts:AssumeRole',
      resource: { scope: { accountId: role.accountId, region: context.region }, arn: role.arn, trustPolicy: { name: `trust policy of role ${role.roleName}`, document: role.assumeRolePolicyDocument } },
      context: trustRequest.context,
    });
    if (!decision.isAllowed) throw new QueryError('AccessDenied', decision.message);
    // Session tags need a second permission in the trust policy, as in AWS.
    if (Object.keys(sessionTags).length > 0 && !trustAllows(trust, { ...trustRequest, action: 'sts:TagSession' })) {
      throw notAuthorized(caller, 'sts:TagSession', role.arn);
    }
    if (input.Policy !== undefined) {
      if (input.Policy.replace(/\s/g, '').length > MAX_SESSION_POLICY_CHARACTERS) {
        throw new QueryError('PackedPolicyTooLarge', 'Packed policy consumes more than 100% of the allotted space.');
      }
      validateSessionPolicy(input.Policy);
    }
    const seconds = roleDurationSeconds(input.DurationSeconds, role.maxSessionDuration, caller);
    const sessionPolicyArns = (input.PolicyArns ?? []).flatMap((entry) => (entry.arn === undefined ? [] : [entry.arn]));
    const principal: Principal = {
      kind: 'assumed-role',
      arn: `arn:aws:sts::${role.accountId}:assumed-role/${role.roleName}/${input.RoleSessionName}`,
      accountId: role.accountId,
      userId: `${role.roleId}:${input.RoleSessionName}`,
      tags: { ...role.tags, ...sessionTags },
      identityArn: role.arn,
      ...(input.Policy !== undefined ? { sessionPolicy: input.Policy } : {}),
      ...(sessionPolicyArns.length > 0 ? { sessionPolicyArns } : {}),
    };
    const session = sessions.create(principal, new Date(now.getTime() + seconds * 1000));
    directory.noteRoleUse(role.arn, { region: context.region, at: now });
    const isPacked = input.Policy !== undefined || sessionPolicyArns.length > 0 || Object.keys(sessionTags).length > 0;
    return {
      Credentials: credentialsOf(session),
      AssumedRoleUser: { AssumedRoleId: principal.userId, Arn: principal.arn },
      ...(isPacked ? { PackedPolicySize: Math.min(100, Math.ceil(((input.Policy?.length ?? 0) + JSON.stringify(sessionTags).length) / 20)) } : {}),
      ...(input.SourceIdentity !== undefined ? { SourceIdentity: input.SourceIdentity } : {}),
    };
  },

  GetSessionToken(input, { principal: caller, sessions, clock }) {
    if (caller.expiresAt !== undefined) throw new QueryError('AccessDenied', 'Cannot call GetSessionToken with session credentials');
    const max = caller.kind === 'root' ? MAX_ROOT_SESSION_TOKEN_SECONDS : MAX_USER_SESSION_TOKEN_SECONDS;
    const requested = input.DurationSeconds ?? Math.min(DEFAULT_SESSION_TOKEN_SECONDS, max);
    if (requested > MAX_USER_SESSION_TOKEN_SECONDS) {
      throw new QueryError('ValidationError', `1 validation error detected: Value '${requested}' at 'durationSeconds' failed to satisfy constraint: Member must have value less than or equal to ${MAX_USER_SESSION_TOKEN_SECONDS}`);
    }
    // A root's session lasts at most an hour: STS shortens a longer request rather than refusing it.
    const seconds = Math.max(MIN_SESSION_SECONDS, Math.min(requested, max));
    const session = sessions.create(caller, new Date(clock.now().getTime() + seconds * 1000));
    return { Credentials: credentialsOf(session) };
  },
};

/** The STS operations served; the others of the model answer that they are not served. */
export function stsHandlerFor(operation: string): StsHandler<keyof StsOperations> | undefined {
  return Object.hasOwn(stsHandlers, operation) ? (stsHandlers[operation as keyof StsOperations] as StsHandler<keyof StsOperations>) : undefined;
}
