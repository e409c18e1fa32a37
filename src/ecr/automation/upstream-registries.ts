// The upstream registries a pull-through cache rule can cache from, recognised by the URL forms ECR documents
// (API reference, CreatePullThroughCacheRule: upstreamRegistryUrl), and what each needs to authenticate.
// Pure: it knows names and URL forms, never the network.
import type { UpstreamRegistry } from '../../aws/ecr-types.generated';

export interface Upstream {
  registry: UpstreamRegistry;
  /** The account and Region of an Amazon ECR private upstream (`<account>.dkr.ecr.<region>.amazonaws.com`). */
  privateRegistry?: { accountId: string; region: string };
}

const BY_HOST: Readonly<Record<string, UpstreamRegistry>> = {
  'public.ecr.aws': 'ecr-public',
  'registry-1.docker.io': 'docker-hub',
  'quay.io': 'quay',
  'registry.k8s.io': 'k8s',
  'ghcr.io': 'github-container-registry',
  'registry.gitlab.com': 'gitlab-container-registry',
  'cgr.dev': 'chainguard',
};
const PRIVATE_ECR_HOST = /^(\d{12})\.dkr\.ecr\.([a-z0-9-]+)\.amazonaws\.com$/;
// Azure's naming rules: a registry name is 5 to 50 letters and digits.
const AZURE_HOST = /^[a-z0-9]{5,50}\.azurecr\.io$/;

// User guide, "Sync an upstream registry with an Amazon ECR private registry": these require a Secrets Manager
// secret; Amazon ECR Public, Kubernetes and Quay need none, and Amazon ECR authenticates with an IAM role.
const NEEDS_SECRET: ReadonlySet<UpstreamRegistry> = new Set<UpstreamRegistry>([
  'docker-hub',
  'github-container-registry',
  'gitlab-container-registry',
  'azure-container-registry',
  'chainguard',
]);

/** The registry a URL names, or undefined when ECR does not support it. Host names compare case-insensitively. */
export function upstreamOf(url: string): Upstream | undefined {
  const host = url.toLowerCase();
  const known = BY_HOST[host];
  if (known !== undefined) return { registry: known };
  if (AZURE_HOST.test(host)) return { registry: 'azure-container-registry' };
  const privateRegistry = PRIVATE_ECR_HOST.exec(host);
  if (privateRegistry !== null) return { registry: 'ecr', privateRegistry: { accountId: privateRegistry[1]!, region: privateRegistry[2]! } };
  return undefined;
}

export function needsSecret(registry: UpstreamRegistry): boolean {
  return NEEDS_SECRET.has(registry);
}
