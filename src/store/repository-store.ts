// Repository records and the store contract both planes read them through.
// Names are unique per scope; create is atomic, so of two concurrent creates of one name exactly one wins.
import type { Scope } from './scope';

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

export interface RepositoryStore {
  /** Throws DomainError RepositoryAlreadyExists when the name is taken in the scope. */
  create(scope: Scope, record: RepositoryRecord): void;
  /** Returns undefined when absent. */
  find(scope: Scope, name: string): RepositoryRecord | undefined;
  /** Throws DomainError RepositoryNotFound. */
  get(scope: Scope, name: string): RepositoryRecord;
  /** Read-modify-write in one transaction; throws RepositoryNotFound. Returns the updated record. */
  update(scope: Scope, name: string, change: (record: RepositoryRecord) => RepositoryRecord): RepositoryRecord;
  /**
   * Removes the record and everything stored under it, atomically. Throws RepositoryNotFound, and
   * RepositoryNotEmpty when the repository holds images unless `force` is set (DeleteRepository's rule).
   */
  delete(scope: Scope, name: string, options?: { force?: boolean }): RepositoryRecord;
  /** Whether any image (manifest) is stored in the repository: DeleteRepository without `force` refuses then. */
  hasImages(scope: Scope, name: string): boolean;
  /** Every scope that has a repository with a lifecycle policy: where the lifecycle runner has work. */
  scopesWithLifecyclePolicies(): Scope[];
  /** Ordered by name; `afterName` continues a page. */
  list(scope: Scope, options: { afterName?: string; limit: number; names?: string[] }): RepositoryPage;
}
