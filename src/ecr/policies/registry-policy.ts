// The registry policy of the caller's registry: PutRegistryPolicy, GetRegistryPolicy, DeleteRegistryPolicy. Kept in
// the registry document store, the text exactly as given; auth/iam-policy.ts checks its grammar.
import { AwsError, invalidParameter } from '../../aws/aws-error';
import { parsePolicyDocument, REGISTRY_POLICY_RULES } from '../../auth/iam-policy';
import { DomainError } from '../../images/domain-error';
import type { StoredRegistryPolicy } from '../../images/registry-documents';
import type { Scope } from '../../kernel/scope';
import type { OperationHandlers } from '../ecr-context';

function checkRegistryPolicy(text: string): void {
  try {
    parsePolicyDocument(text, REGISTRY_POLICY_RULES);
  } catch (error) {
    // ECR names no detail: every grammar failure reads the same.
    if (error instanceof DomainError) throw invalidParameter("Invalid parameter at 'PolicyText' failed to satisfy constraint: 'Invalid registry policy provided'");
    throw error;
  }
}

function policyNotFound(scope: Scope): AwsError {
  return new AwsError('RegistryPolicyNotFoundException', `Registry policy does not exist in the registry with id '${scope.accountId}'`);
}

export const registryPolicyHandlers: OperationHandlers = {
  PutRegistryPolicy(input, context) {
    checkRegistryPolicy(input.policyText);
    const stored: StoredRegistryPolicy = { policyText: input.policyText, updatedAt: context.services.clock.now().getTime() };
    context.services.documents.put('registry-policy', context.scope, 'policy', stored);
    return { registryId: context.scope.accountId, policyText: input.policyText };
  },
  GetRegistryPolicy(_input, context) {
    const stored = context.services.documents.get('registry-policy', context.scope, 'policy');
    if (stored === undefined) throw policyNotFound(context.scope);
    return { registryId: context.scope.accountId, policyText: stored.policyText };
  },
  DeleteRegistryPolicy(_input, context) {
    const stored = context.services.documents.get('registry-policy', context.scope, 'policy');
    if (stored === undefined || !context.services.documents.delete('registry-policy', context.scope, 'policy')) throw policyNotFound(context.scope);
    return { registryId: context.scope.accountId, policyText: stored.policyText };
  },
};
