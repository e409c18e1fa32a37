// CREATE_ON_PUSH: the first push to a missing repository whose name a creation template covers creates it from the
// template, for both planes. Asking whether the caller may create it is the plane's (through `authorizeCreate`).
import type { Scope } from '../kernel/scope';
import type { RegistryDocuments } from './registry-documents';
import type { RepositoryService } from './repository-service';
import { repositoryFromTemplate, templateFor } from './repository-templates';

export interface CreateOnPushServices {
  repositories: RepositoryService;
  documents: RegistryDocuments;
}

/**
 * Makes sure a push to `name` has a repository to land in. An existing repository is left alone; a missing one
 * is created from the CREATE_ON_PUSH template that governs its name, after `authorizeCreate` (which throws the
 * plane's refusal) allows it. Without such a template nothing happens and the push fails as it would have.
 * Of concurrent first pushes exactly one creates the repository; the others find it (RepositoryService.ensure).
 * ECR creates the repository as the template's `customRoleArn` when it names one; the emulator asks for the
 * caller's own `ecr:CreateRepository` either way, as ECR does without a role.
 */
export function ensureRepositoryForPush(services: CreateOnPushServices, scope: Scope, name: string, now: Date, authorizeCreate: () => void): void {
  if (services.repositories.find(scope, name) !== undefined) return;
  const template = templateFor(services.documents, scope, name, 'CREATE_ON_PUSH');
  if (template === undefined) return;
  authorizeCreate();
  services.repositories.ensure(scope, repositoryFromTemplate(template, scope, name, now));
}
