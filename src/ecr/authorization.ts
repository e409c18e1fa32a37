// GetAuthorizationToken: the caller's registry token as `base64("AWS:" + token)`, valid 12 hours by default (never
// past the expiry of the session it was asked with), with the proxyEndpoint of each registry asked for. A token is
// its principal's, not a registry's: `registryIds` (deprecated in the model) only choose the proxyEndpoints; which
// registry it opens is the data plane's question.
import type { OperationHandlers } from './ecr-context';

export const authorizationHandlers: OperationHandlers = {
  GetAuthorizationToken(input, context) {
    const { services, scope, principal } = context;
    const ttlEnd = services.clock.now().getTime() + services.tokenTtlSeconds * 1000;
    const expiresAt = new Date(Math.min(ttlEnd, principal.expiresAt?.getTime() ?? ttlEnd));
    const authorizationToken = Buffer.from(`AWS:${services.tokens.issue(principal, scope.region, expiresAt)}`).toString('base64');
    const accounts = input.registryIds ?? [scope.accountId];
    return {
      authorizationData: accounts.map((accountId) => ({
        authorizationToken,
        expiresAt,
        proxyEndpoint: services.addresses.proxyEndpoint({ accountId, region: scope.region }),
      })),
    };
  },
};
