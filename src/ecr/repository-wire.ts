// RepositoryRecord → the model's `Repository` shape. The one place that builds ARNs and URIs for repositories.
import type { Repository } from '../aws/ecr-types.generated';
import type { RepositoryRecord } from '../store/repository-store';
import type { Scope } from '../store/scope';
import type { EcrServices } from './ecr-context';

export function repositoryArn(scope: Scope, name: string): string {
  return `arn:aws:ecr:${scope.region}:${scope.accountId}:repository/${name}`;
}

export function repositoryToWire(record: RepositoryRecord, scope: Scope, services: EcrServices): Repository {
  return {
    repositoryArn: repositoryArn(scope, record.name),
    registryId: scope.accountId,
    repositoryName: record.name,
    repositoryUri: services.addresses.repositoryUri(scope, record.name),
    createdAt: record.createdAt,
    imageTagMutability: record.imageTagMutability as Repository['imageTagMutability'],
    ...(record.imageTagMutabilityExclusionFilters !== undefined
      ? { imageTagMutabilityExclusionFilters: record.imageTagMutabilityExclusionFilters as Repository['imageTagMutabilityExclusionFilters'] }
      : {}),
    imageScanningConfiguration: record.imageScanningConfiguration,
    encryptionConfiguration: record.encryptionConfiguration as Repository['encryptionConfiguration'],
  };
}
