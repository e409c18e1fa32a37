// Repository lifecycle: CreateRepository, DescribeRepositories, DeleteRepository.
import type { OperationHandlers } from './ecr-context';
import { targetScope } from './ecr-context';
import { decodeNextToken, encodeNextToken } from './pagination';
import { repositoryToWire } from './repository-wire';

export const repositoryHandlers: OperationHandlers = {
  CreateRepository(input, context) {
    const scope = targetScope(context, input.registryId);
    const record = {
      name: input.repositoryName,
      createdAt: context.services.clock.now(),
      imageTagMutability: input.imageTagMutability ?? 'MUTABLE',
      ...(input.imageTagMutabilityExclusionFilters !== undefined ? { imageTagMutabilityExclusionFilters: input.imageTagMutabilityExclusionFilters } : {}),
      imageScanningConfiguration: { scanOnPush: input.imageScanningConfiguration?.scanOnPush ?? false },
      encryptionConfiguration: input.encryptionConfiguration ?? { encryptionType: 'AES256' },
      tags: input.tags ?? [],
    };
    context.services.repositories.create(scope, record);
    return { repository: repositoryToWire(record, scope, context.services) };
  },
  DescribeRepositories(input, context) {
    const scope = targetScope(context, input.registryId);
    const page = context.services.repositories.list(scope, {
      limit: input.maxResults ?? 100,
      ...(input.repositoryNames !== undefined ? { names: input.repositoryNames } : {}),
      ...(input.nextToken !== undefined ? { afterName: decodeNextToken(input.nextToken) } : {}),
    });
    return {
      repositories: page.repositories.map((record) => repositoryToWire(record, scope, context.services)),
      ...(page.lastName !== undefined ? { nextToken: encodeNextToken(page.lastName) } : {}),
    };
  },
  DeleteRepository(input, context) {
    const scope = targetScope(context, input.registryId);
    const record = context.services.repositories.delete(scope, input.repositoryName);
    return { repository: repositoryToWire(record, scope, context.services) };
  },
};
