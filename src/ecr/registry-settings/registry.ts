// The registry's own settings: DescribeRegistry and PutReplicationConfiguration. The replication configuration is
// kept as given in the registry document store; nothing here replicates images. The registry policy is not here.
import { invalidParameter } from '../../aws/aws-error';
import type { ReplicationConfiguration, ReplicationRule } from '../../aws/ecr-types.generated';
import type { Scope } from '../../kernel/scope';
import type { EcrContext, OperationHandlers } from '../ecr-context';

// User guide, "Private image replication": at most 25 unique destinations across all rules.
const MAX_DESTINATIONS = 25;
const WHERE = "Invalid parameter at 'replicationConfiguration' failed to satisfy constraint:";

/** Copied member by member: inputs may carry members the model does not have, and those are not kept. */
function copyRules(rules: readonly ReplicationRule[]): ReplicationRule[] {
  return rules.map(({ destinations, repositoryFilters }) => ({
    destinations: destinations.map(({ region, registryId }) => ({ region, registryId })),
    ...(repositoryFilters !== undefined ? { repositoryFilters: repositoryFilters.map(({ filter, filterType }) => ({ filter, filterType })) } : {}),
  }));
}

/** What the model's lengths and patterns cannot say; ECR's own rules for a replication configuration. */
function checkReplicationConfiguration(configuration: ReplicationConfiguration, source: Scope): void {
  const unique = new Set<string>();
  for (const rule of configuration.rules) {
    if (rule.destinations.length === 0) throw invalidParameter(`${WHERE} 'Replication rule must have at least one destination'`);
    for (const { region, registryId } of rule.destinations) {
      // Replicating a registry onto itself would loop; ECR refuses it.
      if (region === source.region && registryId === source.accountId) {
        throw invalidParameter(`${WHERE} 'Replication destination cannot be the same as the source registry'`);
      }
      unique.add(`${registryId}/${region}`);
    }
  }
  if (unique.size > MAX_DESTINATIONS) {
    throw invalidParameter(`${WHERE} 'Replication configuration can have at most ${MAX_DESTINATIONS} unique destinations, ${unique.size} given'`);
  }
}

/** The stored configuration; a registry that never set one replicates nothing: `{ rules: [] }`. */
function replicationConfigurationOf(context: EcrContext): ReplicationConfiguration {
  return context.services.documents.get('replication-configuration', context.scope, 'configuration') ?? { rules: [] };
}

export const registryHandlers: OperationHandlers = {
  DescribeRegistry(_input, context) {
    return { registryId: context.scope.accountId, replicationConfiguration: replicationConfigurationOf(context) };
  },
  PutReplicationConfiguration(input, context) {
    checkReplicationConfiguration(input.replicationConfiguration, context.scope);
    const stored: ReplicationConfiguration = { rules: copyRules(input.replicationConfiguration.rules) };
    context.services.documents.put('replication-configuration', context.scope, 'configuration', stored);
    return { replicationConfiguration: stored };
  },
};
