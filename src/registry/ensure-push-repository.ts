// The data plane's door to CREATE_ON_PUSH: an upload start or a manifest PUT creates a missing repository a
// creation template covers, once the caller may `ecr:CreateRepository` it.
import { ensureRepositoryForPush } from '../images/create-on-push';
import type { RegistryRequest } from './registry-request';

/** Throws DENIED when a template would create the repository and the caller may not. */
export function ensurePushRepository(request: RegistryRequest, name: string): void {
  const { services, scope } = request;
  ensureRepositoryForPush(services, scope, name, services.clock.now(), () => request.requireAccess('ecr:CreateRepository', name));
}
