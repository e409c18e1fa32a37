// The rules of private image replication, pure over the registry documents: which destinations a push goes to
// (PREFIX_MATCH filters) and whether a destination in another account lets the source replicate into it (its
// registry policy). Copying is replication.ts's; nothing here writes.
import type { ReplicationConfiguration } from '../aws/ecr-types.generated';
import { repositoryArn } from '../auth/access';
import { parsePolicyDocument, REGISTRY_POLICY_RULES } from '../auth/iam-policy';
import { evaluate } from '../auth/policy-evaluation';
import { accountRoot } from '../auth/principal';
import type { RegistryDocuments } from '../images/registry-documents';
import type { Scope } from '../kernel/scope';

/**
 * The destination registries whose rules match `repository`, each once, in rule order. User guide, "Private image
 * replication": a PREFIX_MATCH filter matches repository names that begin with it; a rule without filters matches
 * every repository. The source registry itself is never a destination.
 */
export function replicationDestinationsOf(configuration: ReplicationConfiguration | undefined, source: Scope, repository: string): Scope[] {
  const destinations = new Map<string, Scope>();
  for (const rule of configuration?.rules ?? []) {
    const filters = rule.repositoryFilters ?? [];
    if (filters.length > 0 && !filters.some(({ filter, filterType }) => filterType === 'PREFIX_MATCH' && repository.startsWith(filter))) continue;
    for (const { region, registryId } of rule.destinations) {
      if (region === source.region && registryId === source.accountId) continue;
      destinations.set(`${registryId}/${region}`, { accountId: registryId, region });
    }
  }
  return [...destinations.values()];
}

export interface ReplicationPermissionQuestion {
  source: Scope;
  destination: Scope;
  repository: string;
  /** Whether the destination repository exists already: only creating one needs ecr:CreateRepository. */
  hasRepository: boolean;
}

/** The actions a destination's registry policy must allow the source account, in the order they are asked. */
export function requiredReplicationActions(hasRepository: boolean): string[] {
  return hasRepository ? ['ecr:ReplicateImage'] : ['ecr:CreateRepository', 'ecr:ReplicateImage'];
}

/**
 * Why the destination refuses the source's replication, or undefined when it may go ahead. User guide, "Granting
 * registry permissions for cross account replication": within one account (another Region) no policy is needed;
 * across accounts the destination's registry policy must grant the source account ecr:ReplicateImage, and
 * ecr:CreateRepository when the repository does not exist there yet. Evaluated as a resource policy for the source
 * account's root, so only the registry policy decides.
 */
export function replicationRefusal(documents: RegistryDocuments, question: ReplicationPermissionQuestion): string | undefined {
  const { source, destination, repository, hasRepository } = question;
  if (source.accountId === destination.accountId) return undefined;
  const stored = documents.get('registry-policy', destination, 'policy');
  const resourcePolicy = stored === undefined ? undefined : { kind: 'resource' as const, name: `registry policy of ${destination.accountId}`, document: parsePolicyDocument(stored.policyText, REGISTRY_POLICY_RULES) };
  for (const action of requiredReplicationActions(hasRepository)) {
    const decision = evaluate({
      principal: accountRoot(source.accountId),
      action,
      resource: repositoryArn(destination, repository),
      resourceAccountId: destination.accountId,
      context: { 'aws:RequestedRegion': [destination.region] },
      identityPolicies: [],
      ...(resourcePolicy !== undefined ? { resourcePolicy } : {}),
      evaluatesIdentityPolicies: false,
    });
    if (!decision.isAllowed) {
      return `The registry policy of ${destination.accountId} in ${destination.region} does not allow account ${source.accountId} ${action} on repository '${repository}'`;
    }
  }
  return undefined;
}
