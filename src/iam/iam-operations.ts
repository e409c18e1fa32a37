// The IAM operation table: each served IAM operation maps to its handler in a handler module. Modules export their
// share; this file only joins them, refusing an operation two modules define. Unlisted operations are not served.
import type { IamOperationName } from '../aws/iam-types.generated';
import type { IamHandler, IamHandlers } from './iam-context';
import { accessKeyHandlers } from './handlers/access-keys';
import { attachmentHandlers } from './handlers/attachments';
import { groupHandlers } from './handlers/groups';
import { inlinePolicyHandlers } from './handlers/inline-policies';
import { permissionsBoundaryHandlers } from './handlers/permission-boundaries';
import { policyHandlers } from './handlers/policies';
import { roleHandlers } from './handlers/roles';
import { userHandlers } from './handlers/users';

/** Each handler module's share of the table, by the name it exports. */
export const iamDomainHandlers: Readonly<Record<string, IamHandlers>> = {
  userHandlers,
  accessKeyHandlers,
  groupHandlers,
  roleHandlers,
  policyHandlers,
  attachmentHandlers,
  inlinePolicyHandlers,
  permissionsBoundaryHandlers,
};

/** The modules' shares as one table; throws when two modules define the same operation. */
export function joinIamHandlers(modules: Readonly<Record<string, IamHandlers>>): IamHandlers {
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
  return joined as IamHandlers;
}

const iamHandlers: IamHandlers = joinIamHandlers(iamDomainHandlers);

/** The handler of a served operation, by the table's own keys only (never a prototype's), or undefined. */
export function iamHandlerFor(name: string): IamHandler<IamOperationName> | undefined {
  if (!Object.hasOwn(iamHandlers, name)) return undefined;
  return (iamHandlers as Record<string, IamHandler<IamOperationName> | undefined>)[name];
}

/** The IAM operations the emulator serves, by name. */
export function servedIamOperations(): string[] {
  return Object.keys(iamHandlers).sort();
}
