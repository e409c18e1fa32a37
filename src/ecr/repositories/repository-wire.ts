// RepositoryRecord → the model's `Repository` shape, with the ARN and URI the auth and address modules build.
import type { Repository } from '../../aws/ecr-types.generated';
import { repositoryArn } from '../../auth/access';
import type { RepositoryRecord } from '../../store/repository-store';
import type { Scope } from '../../kernel/scope';
import type { EcrServices } from '../ecr-context';

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
