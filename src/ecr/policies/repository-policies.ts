// Repository policies: SetRepositoryPolicy, GetRepositoryPolicy, DeleteRepositoryPolicy. The text is stored and
// returned exactly as given; auth/iam-policy.ts checks its grammar. Nothing here decides access.
import { AwsError, invalidParameter } from '../../aws/aws-error';
import { deniesUnconditionally, parsePolicyDocument, REPOSITORY_POLICY_RULES, type PolicyDocument } from '../../auth/iam-policy';
import { DomainError } from '../../images/domain-error';
import type { Scope } from '../../kernel/scope';
import type { OperationHandlers } from '../ecr-context';
import { targetScope } from '../ecr-context';

// ECR names no detail: every grammar failure reads the same.
const INVALID_POLICY = "Invalid parameter at 'PolicyText' failed to satisfy constraint: 'Invalid repository policy provided'";

function parseRepositoryPolicy(text: string): PolicyDocument {
  try {
    return parsePolicyDocument(text, REPOSITORY_POLICY_RULES);
  } catch (error) {
    if (error instanceof DomainError) throw invalidParameter(INVALID_POLICY);
    throw error;
  }
}

function policyNotFound(name: string, scope: Scope): AwsError {
  return new AwsError(
    'RepositoryPolicyNotFoundException',
    `Repository policy does not exist for the repository with name '${name}' in the registry with id '${scope.accountId}'`,
  );
}

export const repositoryPolicyHandlers: OperationHandlers = {
  SetRepositoryPolicy(input, context) {
    const scope = targetScope(context, input.registryId);
    const record = context.services.repositories.update(scope, input.repositoryName, (current) => {
      const document = parseRepositoryPolicy(input.policyText);
      // `force` exists to stop accidental lock-outs: a policy that denies its author the next SetRepositoryPolicy.
      if (input.force !== true && deniesUnconditionally(document, 'ecr:SetRepositoryPolicy', context.scope.accountId)) {
        throw invalidParameter(
          "Invalid parameter at 'PolicyText' failed to satisfy constraint: 'The policy would prevent the caller from calling SetRepositoryPolicy; set force to apply it anyway'",
        );
      }
      return { ...current, policyText: input.policyText };
    });
    return { registryId: scope.accountId, repositoryName: record.name, policyText: input.policyText };
  },
  GetRepositoryPolicy(input, context) {
    const scope = targetScope(context, input.registryId);
    const { policyText } = context.services.repositories.get(scope, input.repositoryName);
    if (policyText === undefined) throw policyNotFound(input.repositoryName, scope);
    return { registryId: scope.accountId, repositoryName: input.repositoryName, policyText };
  },
  DeleteRepositoryPolicy(input, context) {
    const scope = targetScope(context, input.registryId);
    const { policyText } = context.services.repositories.get(scope, input.repositoryName);
    if (policyText === undefined) throw policyNotFound(input.repositoryName, scope);
    // Handlers run to completion without yielding, so nothing changes the record between the read and this write.
    context.services.repositories.update(scope, input.repositoryName, ({ policyText: _deleted, ...rest }) => rest);
    return { registryId: scope.accountId, repositoryName: input.repositoryName, policyText };
  },
};
