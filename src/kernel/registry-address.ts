// Where a scope's registry is reached. The advertised host is `localhost:<port>` (or --hostname), the same for every
// account and region: the token names the scope. A Host of the form `<account>.dkr.ecr.<region>.<anything>`
// names the scope itself, as real ECR's registry hosts do.
import type { Scope } from './scope';

export interface RegistryAddresses {
  /** host[:port] that docker, podman and skopeo use, without scheme. */
  registryHost(scope: Scope): string;
  /** `proxyEndpoint` of GetAuthorizationToken: scheme and host. */
  proxyEndpoint(scope: Scope): string;
  repositoryUri(scope: Scope, repositoryName: string): string;
}

export function createRegistryAddresses(options: { advertisedHost: () => string; scheme: () => 'http' | 'https' }): RegistryAddresses {
  const registryHost = (_scope: Scope): string => options.advertisedHost();
  return {
    registryHost,
    proxyEndpoint: (scope) => `${options.scheme()}://${registryHost(scope)}`,
    repositoryUri: (scope, repositoryName) => `${registryHost(scope)}/${repositoryName}`,
  };
}

const ECR_STYLE_HOST = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\./;

/** The scope a Host header names, when it has ECR's registry form; undefined for plain hosts. */
export function scopeFromHost(host: string | undefined): Scope | undefined {
  const match = host === undefined ? null : ECR_STYLE_HOST.exec(host.toLowerCase());
  return match === null ? undefined : { accountId: match[1]!, region: match[2]! };
}
