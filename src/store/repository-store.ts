// Repository records and the store contract both planes read them through.
// Names are unique per scope; create is atomic, so of two concurrent creates of one name exactly one wins.
import type { Scope } from '../kernel/scope';

export interface RepositoryTag {
  Key: string;
  Value: string;
}

export interface TagMutabilityExclusionFilter {
  filterType: string;
  filter: string;
}

/** What ECR knows of a repository. Wire-shaped members keep their wire names so handlers map them 1:1. */
export interface RepositoryRecord {
  name: string;
  createdAt: Date;
  imageTagMutability: string;
  imageTagMutabilityExclusionFilters?: TagMutabilityExclusionFilter[];
  imageScanningConfiguration: { scanOnPush: boolean };
  encryptionConfiguration: { encryptionType: string; kmsKey?: string };
  tags: RepositoryTag[];
  policyText?: string;
  lifecyclePolicyText?: string;
  lifecyclePolicyUpdatedAt?: Date;
  /** When lifecycle rules last ran against the repository; unset until they first do. */
  lifecyclePolicyEvaluatedAt?: Date;
}

export interface RepositoryPage {
  repositories: RepositoryRecord[];
  /** Name of the last repository returned when more remain. */
  lastName?: string;
}

/** What a delete did: the store words no error; the core's repository service does. */
export type RepositoryDeletion = { outcome: 'deleted'; record: RepositoryRecord } | { outcome: 'absent' } | { outcome: 'hasImages' };

export interface RepositoryStore {
  /** Inserts the record; false when the name is taken in the scope (of two concurrent creates, one gets true). */
  create(scope: Scope, record: RepositoryRecord): boolean;
  /** Returns undefined when absent. */
  find(scope: Scope, name: string): RepositoryRecord | undefined;
  /** Read-modify-write in one transaction. Returns the updated record, or undefined when absent. */
  update(scope: Scope, name: string, change: (record: RepositoryRecord) => RepositoryRecord): RepositoryRecord | undefined;
  /**
   * Removes the record and everything stored under it, atomically; without `force` only while the repository
   * holds no image (DeleteRepository's rule).
   */
  delete(scope: Scope, name: string, options?: { force?: boolean }): RepositoryDeletion;
  /** Whether any image (manifest) is stored in the repository: DeleteRepository without `force` refuses then. */
  hasImages(scope: Scope, name: string): boolean;
  /** Every scope that has a repository with a lifecycle policy: where the lifecycle runner has work. */
  scopesWithLifecyclePolicies(): Scope[];
  /** Every scope that holds a repository, ordered by account then region: the registries the console offers. */
  scopes(): Scope[];
  /** Ordered by name; `afterName` continues a page. With `names`, those of them that exist (and no paging). */
  list(scope: Scope, options: { afterName?: string; limit: number; names?: string[] }): RepositoryPage;
}
