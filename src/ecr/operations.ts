// The operation table: every model operation maps to a handler of a domain module, or is not implemented yet.
// Domain modules export their share; this file only joins them, refusing an operation two modules define.
import { operationNames } from '../aws/model';
import type { EcrOperationName } from '../aws/ecr-types.generated';
import type { OperationHandler, OperationHandlers } from './ecr-context';
import { authorizationHandlers } from './authorization';
import { repositoryHandlers } from './repositories/repositories';
import { resourceTagHandlers } from './repositories/resource-tags';
import { repositoryPolicyHandlers } from './policies/repository-policies';
import { registryPolicyHandlers } from './policies/registry-policy';
import { lifecyclePolicyHandlers } from './policies/lifecycle-policies';
import { registryHandlers } from './registry-settings/registry';
import { registryScanningHandlers } from './registry-settings/registry-scanning';
import { pullThroughCacheRuleHandlers } from './automation/pull-through-cache-rules';
import { repositoryCreationTemplateHandlers } from './automation/repository-creation-templates';
import { accountSettingHandlers } from './registry-settings/account-settings';
import { signingConfigurationHandlers } from './registry-settings/signing-configuration';
import { pullTimeUpdateExclusionHandlers } from './registry-settings/pull-time-update-exclusions';
import { imageHandlers } from './images/images';
import { imageListingHandlers } from './images/image-listings';
import { imageStatusHandlers } from './images/image-status';
import { layerHandlers } from './layers/layers';
import { imageScanningHandlers } from './images/image-scanning';
import { lifecyclePolicyPreviewHandlers } from './policies/lifecycle-policy-preview';
import { joinHandlerTables } from '../kernel/handler-tables';

/** Each domain module's share of the table, by the name it exports. */
export const domainHandlers: Readonly<Record<string, OperationHandlers>> = {
  authorizationHandlers,
  repositoryHandlers,
  resourceTagHandlers,
  repositoryPolicyHandlers,
  registryPolicyHandlers,
  lifecyclePolicyHandlers,
  registryHandlers,
  registryScanningHandlers,
  pullThroughCacheRuleHandlers,
  repositoryCreationTemplateHandlers,
  accountSettingHandlers,
  signingConfigurationHandlers,
  pullTimeUpdateExclusionHandlers,
  imageHandlers,
  imageListingHandlers,
  imageStatusHandlers,
  layerHandlers,
  imageScanningHandlers,
  lifecyclePolicyPreviewHandlers,
};

/** The modules' shares as one table; throws when two modules define the same operation. */
export function joinHandlers(modules: Readonly<Record<string, OperationHandlers>>): OperationHandlers {
  return joinHandlerTables(modules);
}

export const operationHandlers: OperationHandlers = joinHandlers(domainHandlers);

export function handlerFor(name: string): OperationHandler<EcrOperationName> | undefined {
  if (!Object.hasOwn(operationHandlers, name)) return undefined;
  return (operationHandlers as Record<string, OperationHandler<EcrOperationName> | undefined>)[name];
}

/** Model operations without a handler: they answer a clear error until their issue lands. */
export function notImplementedOperations(): string[] {
  return operationNames().filter((name) => handlerFor(name) === undefined);
}
