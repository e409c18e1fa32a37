// Applies lifecycle policies: what ECR does on its own within a day of a policy's rules matching, done here when
// asked (POST /_emulator/lifecycle-policies/run), so a test decides when images expire. The rules are evaluated
// exactly as GetLifecyclePolicyPreview shows them (lifecycle-evaluation.ts); expiring deletes the image with its
// tags, a transition archives it, and the repository's lastEvaluatedAt moves to the run's time.
import type { Clock } from '../kernel/clock';
import { DomainError } from '../images/domain-error';
import type { ImageService } from '../images/image-service';
import type { RepositoryService } from '../images/repository-service';
import type { Scope } from '../kernel/scope';
import { evaluateLifecyclePolicy } from './lifecycle-evaluation';
import { parseLifecyclePolicy } from './lifecycle-policy';

export interface LifecycleRunResult {
  accountId: string;
  region: string;
  repository: string;
  expired: string[];
  archived: string[];
  /** Images a rule selected but that could not expire: an index in the repository still lists them. */
  kept: string[];
}

export interface LifecycleRunnerDependencies {
  repositories: RepositoryService;
  images: ImageService;
  clock: Clock;
}

const PAGE_SIZE = 100;

async function runRepository(dependencies: LifecycleRunnerDependencies, scope: Scope, repository: string, policyText: string): Promise<LifecycleRunResult> {
  const { images, repositories, clock } = dependencies;
  const now = clock.now();
  const result: LifecycleRunResult = { accountId: scope.accountId, region: scope.region, repository, expired: [], archived: [], kept: [] };
  for (const decision of evaluateLifecyclePolicy(parseLifecyclePolicy(policyText), images.list(scope, repository), now)) {
    const { digest } = decision.image;
    if (decision.action.type === 'transition') {
      await images.setStorageClass(scope, repository, digest, 'ARCHIVE');
      result.archived.push(digest);
      continue;
    }
    try {
      await images.deleteImage(scope, repository, digest);
      result.expired.push(digest);
    } catch (error) {
      if (!(error instanceof DomainError) || (error.kind !== 'ImageReferencedByIndex' && error.kind !== 'ImageNotFound')) throw error;
      result.kept.push(digest);
    }
  }
  repositories.update(scope, repository, (record) => ({ ...record, lifecyclePolicyEvaluatedAt: now }));
  return result;
}

/**
 * Runs one repository's lifecycle policy now; a repository without one is left alone (nothing expired). Throws
 * DomainError RepositoryNotFound.
 */
export async function runLifecyclePolicy(dependencies: LifecycleRunnerDependencies, scope: Scope, repository: string): Promise<LifecycleRunResult> {
  const record = dependencies.repositories.get(scope, repository);
  if (record.lifecyclePolicyText === undefined) return { accountId: scope.accountId, region: scope.region, repository, expired: [], archived: [], kept: [] };
  return runRepository(dependencies, scope, repository, record.lifecyclePolicyText);
}

/** Runs every repository's lifecycle policy in every account and region; one result per repository with a policy. */
export async function runLifecyclePolicies(dependencies: LifecycleRunnerDependencies): Promise<LifecycleRunResult[]> {
  const results: LifecycleRunResult[] = [];
  for (const scope of dependencies.repositories.scopesWithLifecyclePolicies()) {
    let afterName: string | undefined;
    do {
      const page = dependencies.repositories.list(scope, { limit: PAGE_SIZE, ...(afterName !== undefined ? { afterName } : {}) });
      for (const record of page.repositories) {
        if (record.lifecyclePolicyText !== undefined) results.push(await runRepository(dependencies, scope, record.name, record.lifecyclePolicyText));
      }
      afterName = page.lastName;
    } while (afterName !== undefined);
  }
  return results;
}
