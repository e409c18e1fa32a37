// Who the console acts as, and the one access question it asks before it reads or changes anything. Without
// credentials the console is the root of the account being viewed (what a developer on their own laptop is);
// with `Authorization: Basic AWS:<token>` (from `aws ecr get-login-password`) it is the token's principal, and the
// access policy decides each request as it decides the same ECR action on either plane.
import { repositoryArn, type AccessPolicy } from '../auth/access';
import { accountRoot, type Principal } from '../auth/principal';
import { tokenFromAuthorization, type RegistryTokens } from '../auth/registry-token';
import type { Scope } from '../kernel/scope';
import { ConsoleError } from './console-error';

export interface ConsoleCaller {
  /** undefined: no credentials, the root of whichever account is viewed. */
  principal: Principal | undefined;
  sourceIp?: string;
  isSecureTransport: boolean;
}

/** The principal the caller acts as in `scope`: its own, else the account's root. */
function principalIn(caller: ConsoleCaller, scope: Scope): Principal {
  return caller.principal ?? accountRoot(scope.accountId);
}

/** Resolves the request's credentials. Throws ConsoleError 401 for a header that is not a valid, current token. */
export function consoleCaller(tokens: RegistryTokens, request: { authorization?: string; sourceIp?: string; isSecureTransport: boolean; now: Date }): ConsoleCaller {
  const origin = { ...(request.sourceIp !== undefined ? { sourceIp: request.sourceIp } : {}), isSecureTransport: request.isSecureTransport };
  if (request.authorization === undefined || request.authorization === '') return { principal: undefined, ...origin };
  const token = tokenFromAuthorization(request.authorization);
  if (token === undefined) throw new ConsoleError(401, 'Authorization must be Basic base64("AWS:" + token), with the token of aws ecr get-login-password.');
  const check = tokens.check(token, request.now);
  if (!check.isValid) {
    throw new ConsoleError(401, check.reason === 'expired' ? 'Your authorization token has expired. Reauthenticate and try again.' : 'The authorization token is not valid.');
  }
  return { principal: check.claims.principal, ...origin };
}

/**
 * Asks whether the caller may perform `action` on the repository (or the registry, without one). A credentialed
 * request is decided and recorded like any other; the root view asks without recording, so reading the console
 * does not fill the decision feed. Throws ConsoleError 403 with IAM's explanation when refused.
 */
export function authorize(access: AccessPolicy, caller: ConsoleCaller, scope: Scope, action: string, repository?: string): void {
  const request = accessRequest(caller, scope, action, repository);
  if (caller.principal === undefined && access.allows(request)) return;
  const decision = access.decide(request);
  if (!decision.isAllowed) throw new ConsoleError(403, decision.message);
}

/** Whether the caller may perform `action`; never recorded: for what a listing shows or a page leaves out. */
export function mayPerform(access: AccessPolicy, caller: ConsoleCaller, scope: Scope, action: string, repository?: string): boolean {
  return access.allows(accessRequest(caller, scope, action, repository));
}

function accessRequest(caller: ConsoleCaller, scope: Scope, action: string, repository: string | undefined) {
  return {
    principal: principalIn(caller, scope),
    action,
    resource: { scope, arn: repositoryArn(scope, repository), ...(repository !== undefined ? { repository } : {}) },
    context: {
      'aws:SecureTransport': [String(caller.isSecureTransport)],
      ...(caller.sourceIp !== undefined ? { 'aws:SourceIp': [caller.sourceIp] } : {}),
    },
  };
}
