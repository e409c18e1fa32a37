// Repositories as the core sees them: the one module that says a repository is missing, taken or not empty, for
// both planes and the automation alike. Over the repository store, which only reports what it found.
import type { RepositoryPage, RepositoryRecord, RepositoryStore } from '../store/repository-store';
import type { Scope } from '../kernel/scope';
import { DomainError, repositoryNotFound } from './domain-error';

export interface RepositoryService {
  /** Returns undefined when absent. */
  find(scope: Scope, name: string): RepositoryRecord | undefined;
  /** The existence check every repository operation starts with. Throws RepositoryNotFound. */
  get(scope: Scope, name: string): RepositoryRecord;
  /** Throws RepositoryAlreadyExists; of two concurrent creates of one name exactly one succeeds. */
  create(scope: Scope, record: RepositoryRecord): void;
  /** Creates the record unless the name exists (created concurrently, too); returns the repository there. */
  ensure(scope: Scope, record: RepositoryRecord): RepositoryRecord;
  /** Read-modify-write in one transaction. Throws RepositoryNotFound. */
  update(scope: Scope, name: string, change: (record: RepositoryRecord) => RepositoryRecord): RepositoryRecord;
  /** Throws RepositoryNotFound, and RepositoryNotEmpty while it holds images unless `force` is set. */
  delete(scope: Scope, name: string, options?: { force?: boolean }): RepositoryRecord;
  hasImages(scope: Scope, name: string): boolean;
  scopesWithLifecyclePolicies(): Scope[];
  /** Every scope that holds a repository, ordered by account then region. */
  scopes(): Scope[];
  /** Ordered by name. With `names`, exactly those: throws RepositoryNotFound for the first that is missing. */
  list(scope: Scope, options: { afterName?: string; limit: number; names?: string[] }): RepositoryPage;
}

function alreadyExists(name: string, scope: Scope): DomainError {
  return new DomainError('RepositoryAlreadyExists', `The repository with name '${name}' already exists in the registry with id '${scope.accountId}'`);
}

export interface RepositoryServiceOptions {
  /** Called after a delete took the repository's blob links with it: the composition root reclaims their blobs. */
  afterLinksRemoved?: () => void;
}

export function createRepositoryService(store: RepositoryStore, { afterLinksRemoved }: RepositoryServiceOptions = {}): RepositoryService {
  function get(scope: Scope, name: string): RepositoryRecord {
    const record = store.find(scope, name);
    if (record === undefined) throw repositoryNotFound(name, scope.accountId);
    return record;
  }
  return {
    find: (scope, name) => store.find(scope, name),
    get,
    create(scope, record) {
      if (!store.create(scope, record)) throw alreadyExists(record.name, scope);
    },
    ensure(scope, record) {
      store.create(scope, record);
      return get(scope, record.name);
    },
    update(scope, name, change) {
      const updated = store.update(scope, name, change);
      if (updated === undefined) throw repositoryNotFound(name, scope.accountId);
      return updated;
    },
    delete(scope, name, options) {
      const deletion = store.delete(scope, name, options);
      switch (deletion.outcome) {
        case 'deleted':
          afterLinksRemoved?.();
          return deletion.record;
        case 'absent':
          throw repositoryNotFound(name, scope.accountId);
        case 'hasImages':
          throw new DomainError(
            'RepositoryNotEmpty',
            `The repository with name '${name}' in registry with id '${scope.accountId}' cannot be deleted because it still contains images`,
          );
        default: {
          const unreachable: never = deletion;
          return unreachable;
        }
      }
    },
    hasImages: (scope, name) => store.hasImages(scope, name),
    scopesWithLifecyclePolicies: () => store.scopesWithLifecyclePolicies(),
    scopes: () => store.scopes(),
    list(scope, options) {
      const page = store.list(scope, options);
      if (options.names !== undefined) {
        const found = new Set(page.repositories.map((record) => record.name));
        const missing = options.names.find((name) => !found.has(name));
        if (missing !== undefined) throw repositoryNotFound(missing, scope.accountId);
      }
      return page;
    },
  };
}
