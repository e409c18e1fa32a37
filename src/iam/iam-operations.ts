// The IAM operation table: each served IAM operation maps to its handler in a handler module. Modules export their
// share; this file only joins them, refusing an operation two modules define. Unlisted operations are not served.
import type { IamOperationName } from '../aws/iam-types.generated';
import type { IamHandler, IamHandlers } from './iam-context';
import { accessKeyHandlers } from './handlers/access-keys';
import { attachmentHandlers } from './handlers/attachments';
import { authorizationDetailsHandlers } from './handlers/authorization-details';
import { groupHandlers } from './handlers/groups';
import { inlinePolicyHandlers } from './handlers/inline-policies';
import { permissionsBoundaryHandlers } from './handlers/permission-boundaries';
import { policyHandlers } from './handlers/policies';
import { roleHandlers } from './handlers/roles';
import { simulationHandlers } from './handlers/simulation';
import { userHandlers } from './handlers/users';
import { joinHandlerTables } from '../kernel/handler-tables';

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
  simulationHandlers,
  authorizationDetailsHandlers,
};

/** The modules' shares as one table; throws when two modules define the same operation. */
export function joinIamHandlers(modules: Readonly<Record<string, IamHandlers>>): IamHandlers {
  return joinHandlerTables(modules);
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
