// The operation table: every model operation maps to a handler of a domain module, or is not implemented yet.
// Domain modules export their share; this file only joins them, refusing an operation two modules define.
import { operationNames } from '../aws/model';
import type { EcrOperationName } from '../aws/ecr-types.generated';
import type { OperationHandler, OperationHandlers } from './ecr-context';
import { authorizationHandlers } from './authorization';
import { repositoryHandlers } from './repositories';
import { resourceTagHandlers } from './resource-tags';
import { repositoryPolicyHandlers } from './repository-policies';
import { registryPolicyHandlers } from './registry-policy';
import { lifecyclePolicyHandlers } from './lifecycle-policies';
import { registryHandlers } from './registry';
import { registryScanningHandlers } from './registry-scanning';
import { pullThroughCacheRuleHandlers } from './pull-through-cache-rules';
import { repositoryCreationTemplateHandlers } from './repository-creation-templates';
import { accountSettingHandlers } from './account-settings';
import { signingConfigurationHandlers } from './signing-configuration';
import { pullTimeUpdateExclusionHandlers } from './pull-time-update-exclusions';
import { imageHandlers } from './images';
import { imageListingHandlers } from './image-listings';
import { imageStatusHandlers } from './image-status';
import { layerHandlers } from './layers';
import { imageScanningHandlers } from './image-scanning';
import { lifecyclePolicyPreviewHandlers } from './lifecycle-policy-preview';

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

/**
 * The modules' shares as one table. Throws when two modules define the same operation: a later module must not
 * silently replace an earlier one's handler.
 */
export function joinHandlers(modules: Readonly<Record<string, OperationHandlers>>): OperationHandlers {
  const joined: Record<string, unknown> = {};
  const definedBy = new Map<string, string>();
  for (const [module, handlers] of Object.entries(modules)) {
    for (const [operation, handler] of Object.entries(handlers)) {
      const earlier = definedBy.get(operation);
      if (earlier !== undefined) throw new Error(`${operation} is defined by both ${earlier} and ${module}`);
      definedBy.set(operation, module);
      joined[operation] = handler;
    }
  }
  return joined as OperationHandlers;
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
