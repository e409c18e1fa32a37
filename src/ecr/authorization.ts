// GetAuthorizationToken: a registry token per requested registry, as `base64("AWS:" + token)`, valid 12 hours
// by default, with the proxyEndpoint of that registry. The data plane verifies it without a lookup.
import type { OperationHandlers } from './ecr-context';

export const authorizationHandlers: OperationHandlers = {
  GetAuthorizationToken(input, context) {
    const { services } = context;
    const expiresAt = new Date(services.clock.now().getTime() + services.tokenTtlSeconds * 1000);
    const accounts = input.registryIds ?? [context.scope.accountId];
    return {
      authorizationData: accounts.map((accountId) => {
        const scope = { accountId, region: context.scope.region };
        const token = services.tokens.issue(scope, expiresAt);
        return {
          authorizationToken: Buffer.from(`AWS:${token}`).toString('base64'),
          expiresAt,
          proxyEndpoint: services.addresses.proxyEndpoint(scope),
        };
      }),
    };
  },
};
