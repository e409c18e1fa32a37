// Lifecycle policies of repositories: PutLifecyclePolicy, GetLifecyclePolicy, DeleteLifecyclePolicy. The text is
// stored as given once lifecycle/lifecycle-policy.ts accepts it; evaluation and previews live elsewhere.
import { AwsError, invalidParameter } from '../../aws/aws-error';
import { DomainError } from '../../images/domain-error';
import { parseLifecyclePolicy, type LifecyclePolicy } from '../../lifecycle/lifecycle-policy';
import type { RepositoryRecord } from '../../store/repository-store';
import type { Scope } from '../../kernel/scope';
import type { OperationHandlers } from '../ecr-context';
import { targetScope } from '../ecr-context';

// ECR answers `lastEvaluatedAt: 0` for a policy that has not run yet.
const NEVER = new Date(0);

/** Parses a policy text; a policy the parser refuses is InvalidParameterException in PutLifecyclePolicy's words. */
export function lifecyclePolicyFrom(text: string): LifecyclePolicy {
  try {
    return parseLifecyclePolicy(text);
  } catch (error) {
    if (error instanceof DomainError) {
      throw invalidParameter(`Invalid parameter at 'LifecyclePolicyText' failed to satisfy constraint: 'Lifecycle policy validation failure: ${error.message}'`);
    }
    throw error;
  }
}

export function lifecyclePolicyNotFound(name: string, scope: Scope): AwsError {
  return new AwsError(
    'LifecyclePolicyNotFoundException',
    `Lifecycle policy does not exist for the repository with name '${name}' in the registry with id '${scope.accountId}'`,
  );
}

/** The repository's policy text; throws RepositoryNotFound or LifecyclePolicyNotFoundException. */
function withPolicy(record: RepositoryRecord, scope: Scope): RepositoryRecord & { lifecyclePolicyText: string } {
  const { lifecyclePolicyText } = record;
  if (lifecyclePolicyText === undefined) throw lifecyclePolicyNotFound(record.name, scope);
  return { ...record, lifecyclePolicyText };
}

export const lifecyclePolicyHandlers: OperationHandlers = {
  PutLifecyclePolicy(input, context) {
    const scope = targetScope(context, input.registryId);
    const record = context.services.repositories.update(scope, input.repositoryName, (current) => {
      lifecyclePolicyFrom(input.lifecyclePolicyText);
      // A new policy has not run yet, whatever ran before it.
      const { lifecyclePolicyEvaluatedAt: _previous, ...rest } = current;
      return { ...rest, lifecyclePolicyText: input.lifecyclePolicyText, lifecyclePolicyUpdatedAt: context.services.clock.now() };
    });
    return { registryId: scope.accountId, repositoryName: record.name, lifecyclePolicyText: input.lifecyclePolicyText };
  },
  GetLifecyclePolicy(input, context) {
    const scope = targetScope(context, input.registryId);
    const record = withPolicy(context.services.repositories.get(scope, input.repositoryName), scope);
    return {
      registryId: scope.accountId,
      repositoryName: record.name,
      lifecyclePolicyText: record.lifecyclePolicyText,
      lastEvaluatedAt: record.lifecyclePolicyEvaluatedAt ?? NEVER,
    };
  },
  DeleteLifecyclePolicy(input, context) {
    const scope = targetScope(context, input.registryId);
    const record = withPolicy(context.services.repositories.get(scope, input.repositoryName), scope);
    // Handlers run to completion without yielding, so nothing changes the record between the read and this write.
    context.services.repositories.update(scope, input.repositoryName, (current) => {
      const { lifecyclePolicyText: _text, lifecyclePolicyUpdatedAt: _updated, lifecyclePolicyEvaluatedAt: _evaluated, ...rest } = current;
      return rest;
    });
    return {
      registryId: scope.accountId,
      repositoryName: record.name,
      lifecyclePolicyText: record.lifecyclePolicyText,
      lastEvaluatedAt: record.lifecyclePolicyEvaluatedAt ?? NEVER,
    };
  },
};
