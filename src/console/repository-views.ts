// What the console shows of registries and repositories: the scopes that hold state, a page of repositories with
// their counts, one repository with its policies, and the lifecycle preview. Read through the core services only.
import type { AccessPolicy } from '../auth/access';
import type { ImageService } from '../images/image-service';
import type { RepositoryService } from '../images/repository-service';
import type { Clock } from '../kernel/clock';
import type { RegistryAddresses } from '../kernel/registry-address';
import type { Scope } from '../kernel/scope';
import { evaluateLifecyclePolicy } from '../lifecycle/lifecycle-evaluation';
import { parseLifecyclePolicy, type LifecycleRule } from '../lifecycle/lifecycle-policy';
import type { RepositoryRecord } from '../store/repository-store';
import { authorize, mayPerform, type ConsoleCaller } from './console-caller';

export interface RepositoryViewDependencies {
  repositories: RepositoryService;
  images: ImageService;
  addresses: RegistryAddresses;
  access: AccessPolicy;
  clock: Clock;
}

/** How many repository names one search request reads at most: a search over 10,000 repositories stays bounded. */
export const SEARCH_BUDGET = 2000;
/** Repositories read from the store at a time while searching. */
const LIST_PAGE = 100;
/** How many lifecycle preview results one answer lists; the counts cover all of them. */
export const PREVIEW_RESULT_LIMIT = 1000;

/** Every registry (account and Region) that holds a repository, with the configured default first among equals. */
export function registriesView(repositories: RepositoryService, defaults: Scope): { registries: Scope[]; default: Scope } {
  const scopes = repositories.scopes();
  const hasDefault = scopes.some((scope) => scope.accountId === defaults.accountId && scope.region === defaults.region);
  const registries = hasDefault ? scopes : [defaults, ...scopes].sort((left, right) => left.accountId.localeCompare(right.accountId) || left.region.localeCompare(right.region));
  return { registries, default: defaults };
}

function summaryView(dependencies: RepositoryViewDependencies, scope: Scope, record: RepositoryRecord) {
  const summary = dependencies.images.summary(scope, record.name);
  return {
    name: record.name,
    uri: dependencies.addresses.repositoryUri(scope, record.name),
    createdAt: record.createdAt.toISOString(),
    imageTagMutability: record.imageTagMutability,
    scanOnPush: record.imageScanningConfiguration.scanOnPush,
    encryptionType: record.encryptionConfiguration.encryptionType,
    imageCount: summary.imageCount,
    sizeInBytes: summary.sizeInBytes,
    ...(summary.lastPushedAt !== undefined ? { lastPushedAt: summary.lastPushedAt.toISOString() } : {}),
    hasRepositoryPolicy: record.policyText !== undefined,
    hasLifecyclePolicy: record.lifecyclePolicyText !== undefined,
  };
}

export type RepositorySummaryView = ReturnType<typeof summaryView>;

/**
 * A page of the repositories the caller may describe, by name, whose name contains `search`. Reads at most
 * SEARCH_BUDGET names: `next` continues after the last name read, so a sparse search can come back short.
 */
export function repositoriesView(
  dependencies: RepositoryViewDependencies,
  caller: ConsoleCaller,
  scope: Scope,
  options: { search?: string; limit: number; after?: string },
): { repositories: RepositorySummaryView[]; next?: string } {
  const found: RepositoryRecord[] = [];
  let after = options.after;
  let read = 0;
  let isExhausted = false;
  while (!isExhausted && found.length < options.limit && read < SEARCH_BUDGET) {
    const page = dependencies.repositories.list(scope, { limit: Math.min(LIST_PAGE, SEARCH_BUDGET - read), ...(after !== undefined ? { afterName: after } : {}) });
    let consumed = 0;
    for (const record of page.repositories) {
      consumed += 1;
      after = record.name;
      const isMatch = options.search === undefined || record.name.includes(options.search);
      if (isMatch && mayPerform(dependencies.access, caller, scope, 'ecr:DescribeRepositories', record.name)) found.push(record);
      if (found.length === options.limit) break;
    }
    read += consumed;
    isExhausted = page.lastName === undefined && consumed === page.repositories.length;
  }
  const repositories = found.map((record) => summaryView(dependencies, scope, record));
  return !isExhausted && after !== undefined ? { repositories, next: after } : { repositories };
}

/** One repository: its counts, address, tags and, where the caller may read them, its two policies. */
export function repositoryView(dependencies: RepositoryViewDependencies, caller: ConsoleCaller, scope: Scope, name: string) {
  authorize(dependencies.access, caller, scope, 'ecr:DescribeRepositories', name);
  const record = dependencies.repositories.get(scope, name);
  const summary = summaryView(dependencies, scope, record);
  const mayRead = (action: string) => mayPerform(dependencies.access, caller, scope, action, name);
  return {
    ...summary,
    accountId: scope.accountId,
    region: scope.region,
    arn: `arn:aws:ecr:${scope.region}:${scope.accountId}:repository/${name}`,
    registryHost: dependencies.addresses.registryHost(scope),
    pullCommand: `docker pull ${summary.uri}:latest`,
    tags: record.tags,
    ...(record.encryptionConfiguration.kmsKey !== undefined ? { kmsKey: record.encryptionConfiguration.kmsKey } : {}),
    repositoryPolicy: mayRead('ecr:GetRepositoryPolicy') ? { text: record.policyText ?? null } : { isHidden: true },
    lifecyclePolicy: mayRead('ecr:GetLifecyclePolicy') ? { text: record.lifecyclePolicyText ?? null } : { isHidden: true },
  };
}

function ruleView(rule: LifecycleRule) {
  return {
    priority: rule.priority,
    ...(rule.description !== undefined ? { description: rule.description } : {}),
    tags: rule.tags,
    storageClass: rule.storageClass,
    count: rule.count,
    action: rule.action.type,
  };
}

/**
 * What the repository's lifecycle policy would do now, rule by rule, without doing it (GetLifecyclePolicyPreview's
 * evaluation). `policy` is null when the repository has none.
 */
export function lifecyclePreviewView(dependencies: RepositoryViewDependencies, caller: ConsoleCaller, scope: Scope, name: string) {
  authorize(dependencies.access, caller, scope, 'ecr:GetLifecyclePolicyPreview', name);
  const record = dependencies.repositories.get(scope, name);
  if (record.lifecyclePolicyText === undefined) return { policy: null, rules: [], results: [], totalCount: 0 };
  const policy = parseLifecyclePolicy(record.lifecyclePolicyText);
  const decisions = evaluateLifecyclePolicy(policy, dependencies.images.list(scope, name), dependencies.clock.now());
  const countByRule = new Map<number, number>();
  for (const { rule } of decisions) countByRule.set(rule.priority, (countByRule.get(rule.priority) ?? 0) + 1);
  return {
    policy: record.lifecyclePolicyText,
    rules: policy.rules.map((rule) => ({ ...ruleView(rule), imageCount: countByRule.get(rule.priority) ?? 0 })),
    results: decisions.slice(0, PREVIEW_RESULT_LIMIT).map(({ image, rule, action }) => ({
      digest: image.digest,
      tags: [...image.tags],
      pushedAt: image.pushedAt.toISOString(),
      ...(image.lastPulledAt !== undefined ? { lastPulledAt: image.lastPulledAt.toISOString() } : {}),
      storageClass: image.storageClass,
      action: action.type,
      rulePriority: rule.priority,
    })),
    totalCount: decisions.length,
  };
}
