// GetAuthorizationToken: the caller's registry token as `base64("AWS:" + token)`, valid 12 hours by default, with
// the proxyEndpoint of each registry asked for. A token is its principal's, not a registry's: `registryIds`
// (deprecated in the model) only choose the proxyEndpoints; which registry it opens is the data plane's question.
import type { OperationHandlers } from './ecr-context';

export const authorizationHandlers: OperationHandlers = {
  GetAuthorizationToken(input, context) {
    const { services, scope } = context;
    const expiresAt = new Date(services.clock.now().getTime() + services.tokenTtlSeconds * 1000);
    const authorizationToken = Buffer.from(`AWS:${services.tokens.issue(scope, expiresAt)}`).toString('base64');
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
