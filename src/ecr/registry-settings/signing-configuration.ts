// The registry's signing configuration: PutSigningConfiguration, GetSigningConfiguration and
// DeleteSigningConfiguration. Kept as given in the registry document store; nothing here signs images.
import { AwsError } from '../../aws/aws-error';
import type { SigningConfiguration } from '../../aws/ecr-types.generated';
import type { Scope } from '../../kernel/scope';
import type { EcrContext, OperationHandlers } from '../ecr-context';

function configurationNotFound(scope: Scope): AwsError {
  return new AwsError('SigningConfigurationNotFoundException', `Signing configuration does not exist in the registry with id '${scope.accountId}'`);
}

function storedConfiguration(context: EcrContext): SigningConfiguration {
  const stored = context.services.documents.get('signing-configuration', context.scope, 'configuration');
  if (stored === undefined) throw configurationNotFound(context.scope);
  return stored;
}

export const signingConfigurationHandlers: OperationHandlers = {
  PutSigningConfiguration(input, context) {
    // Copied member by member: inputs may carry members the model does not have, and those are not kept. The model
    // already bounds the rules, the profile ARN and the WILDCARD_MATCH filters.
    const stored: SigningConfiguration = {
      rules: input.signingConfiguration.rules.map(({ signingProfileArn, repositoryFilters }) => ({
        signingProfileArn,
        ...(repositoryFilters !== undefined ? { repositoryFilters: repositoryFilters.map(({ filter, filterType }) => ({ filter, filterType })) } : {}),
      })),
    };
    context.services.documents.put('signing-configuration', context.scope, 'configuration', stored);
    return { signingConfiguration: stored };
  },
  GetSigningConfiguration(_input, context) {
    return { registryId: context.scope.accountId, signingConfiguration: storedConfiguration(context) };
  },
  DeleteSigningConfiguration(_input, context) {
    const signingConfiguration = storedConfiguration(context);
    context.services.documents.delete('signing-configuration', context.scope, 'configuration');
    return { registryId: context.scope.accountId, signingConfiguration };
  },
};
