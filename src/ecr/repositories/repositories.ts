// Repositories and their settings: CreateRepository, DescribeRepositories, DeleteRepository, PutImageTagMutability,
// PutImageScanningConfiguration. Tag rules live in resource-tags.ts, policies in their own modules.
import { AwsError, invalidParameter } from '../../aws/aws-error';
import { repositoryArn } from '../../auth/access';
import type { EncryptionConfiguration, ImageTagMutability, ImageTagMutabilityExclusionFilter } from '../../aws/ecr-types.generated';
import { managedKmsKeyArn } from '../../images/managed-kms-key';
import { newRepositoryRecord } from '../../images/repository-defaults';
import type { RepositoryRecord } from '../../store/repository-store';
import type { Scope } from '../../kernel/scope';
import type { EcrContext, OperationHandlers } from '../ecr-context';
import { targetScope } from '../ecr-context';
import { nextTokenFor, pageRequest } from '../pagination';
import { repositoryToWire } from './repository-wire';
import { checkTags } from './resource-tags';

const WITH_EXCLUSION: readonly ImageTagMutability[] = ['IMMUTABLE_WITH_EXCLUSION', 'MUTABLE_WITH_EXCLUSION'];

/** ECR ties exclusion filters to the *_WITH_EXCLUSION settings: required with them, refused with the others. */
function checkExclusionFilters(mutability: ImageTagMutability, filters: readonly ImageTagMutabilityExclusionFilter[] | undefined): void {
  const where = "Invalid parameter at 'imageTagMutabilityExclusionFilters' failed to satisfy constraint:";
  if (WITH_EXCLUSION.includes(mutability) && filters === undefined) {
    throw invalidParameter(`${where} 'ImageTagMutabilityExclusionFilters can't be null when imageTagMutability is set as ${mutability}'`);
  }
  if (!WITH_EXCLUSION.includes(mutability) && filters !== undefined) {
    throw invalidParameter(`${where} 'ImageTagMutabilityExclusionFilters must be null when imageTagMutability is set as ${mutability}'`);
  }
}

/** The record's mutability members; filters are copied member by member, as inputs may carry unmodelled ones. */
function mutabilityMembers(
  mutability: ImageTagMutability,
  filters: readonly ImageTagMutabilityExclusionFilter[] | undefined,
): Pick<RepositoryRecord, 'imageTagMutability' | 'imageTagMutabilityExclusionFilters'> {
  return {
    imageTagMutability: mutability,
    ...(filters !== undefined ? { imageTagMutabilityExclusionFilters: filters.map(({ filterType, filter }) => ({ filterType, filter })) } : {}),
  };
}

/**
 * The repositories of a listing the caller may describe (the endpoint asked nothing up front). When it may describe
 * none of them, the listing is refused as ECR refuses it, naming the registry-wide resource.
 */
function describable(context: EcrContext, scope: Scope, records: RepositoryRecord[]): RepositoryRecord[] {
  const question = (name?: string) => ({
    principal: context.principal,
    action: 'ecr:DescribeRepositories',
    resource: { scope, arn: repositoryArn(scope, name), ...(name !== undefined ? { repository: name } : {}) },
    context: context.requestContext,
  });
  const visible = records.filter((record) => context.access.allows(question(record.name)));
  if (visible.length === 0 && records.length > 0) {
    const decision = context.access.decide(question());
    if (!decision.isAllowed) throw new AwsError('AccessDeniedException', decision.message);
  }
  return visible;
}

/** A KMS key belongs to the KMS types only; without one ECR uses the AWS managed key for ECR. */
function encryptionOf(configuration: EncryptionConfiguration | undefined, scope: Scope): RepositoryRecord['encryptionConfiguration'] {
  if (configuration === undefined) return { encryptionType: 'AES256' };
  if (configuration.encryptionType === 'AES256') {
    if (configuration.kmsKey !== undefined) {
      throw invalidParameter("Invalid parameter at 'encryptionConfiguration' failed to satisfy constraint: 'kmsKey can only be specified when encryptionType is KMS or KMS_DSSE'");
    }
    return { encryptionType: 'AES256' };
  }
  return { encryptionType: configuration.encryptionType, kmsKey: configuration.kmsKey ?? managedKmsKeyArn(scope) };
}

export const repositoryHandlers: OperationHandlers = {
  CreateRepository(input, context) {
    const scope = targetScope(context, input.registryId);
    const tags = input.tags ?? [];
    checkTags(tags);
    const mutability = input.imageTagMutability ?? 'MUTABLE';
    checkExclusionFilters(mutability, input.imageTagMutabilityExclusionFilters);
    const record = newRepositoryRecord(input.repositoryName, context.services.clock.now(), {
      ...mutabilityMembers(mutability, input.imageTagMutabilityExclusionFilters),
      ...(input.imageScanningConfiguration?.scanOnPush !== undefined ? { imageScanningConfiguration: { scanOnPush: input.imageScanningConfiguration.scanOnPush } } : {}),
      encryptionConfiguration: encryptionOf(input.encryptionConfiguration, scope),
      tags: tags.map(({ Key, Value }) => ({ Key, Value })),
    });
    context.services.repositories.create(scope, record);
    return { repository: repositoryToWire(record, scope, context.services) };
  },
  DescribeRepositories(input, context) {
    const scope = targetScope(context, input.registryId);
    const request = pageRequest('DescribeRepositories', input);
    const page = context.services.repositories.list(scope, {
      limit: request.limit,
      ...(input.repositoryNames !== undefined ? { names: input.repositoryNames } : {}),
      ...(request.after !== undefined ? { afterName: request.after } : {}),
    });
    const visible = input.repositoryNames !== undefined ? page.repositories : describable(context, scope, page.repositories);
    return {
      repositories: visible.map((record) => repositoryToWire(record, scope, context.services)),
      ...nextTokenFor(request, page.lastName),
    };
  },
  DeleteRepository(input, context) {
    const scope = targetScope(context, input.registryId);
    const record = context.services.repositories.delete(scope, input.repositoryName, { force: input.force ?? false });
    return { repository: repositoryToWire(record, scope, context.services) };
  },
  PutImageTagMutability(input, context) {
    const scope = targetScope(context, input.registryId);
    const filters = input.imageTagMutabilityExclusionFilters;
    checkExclusionFilters(input.imageTagMutability, filters);
    const record = context.services.repositories.update(scope, input.repositoryName, ({ imageTagMutabilityExclusionFilters: _previous, ...rest }) => ({
      ...rest,
      ...mutabilityMembers(input.imageTagMutability, filters),
    }));
    return {
      registryId: scope.accountId,
      repositoryName: record.name,
      imageTagMutability: input.imageTagMutability,
      ...(filters !== undefined ? { imageTagMutabilityExclusionFilters: filters } : {}),
    };
  },
  PutImageScanningConfiguration(input, context) {
    const scope = targetScope(context, input.registryId);
    const scanOnPush = input.imageScanningConfiguration.scanOnPush ?? false;
    const record = context.services.repositories.update(scope, input.repositoryName, (current) => ({ ...current, imageScanningConfiguration: { scanOnPush } }));
    return { registryId: scope.accountId, repositoryName: record.name, imageScanningConfiguration: record.imageScanningConfiguration };
  },
};
