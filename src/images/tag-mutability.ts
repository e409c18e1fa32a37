// Whether a tag may be moved to another image: the repository's imageTagMutability, with its wildcard
// exclusion filters inverting the rule for the tags they match (ECR's *_WITH_EXCLUSION settings).
import type { RepositoryRecord } from '../store/repository-store';
import { matchesWildcard } from '../kernel/wildcard';

export function isTagImmutable(repository: Pick<RepositoryRecord, 'imageTagMutability' | 'imageTagMutabilityExclusionFilters'>, tag: string): boolean {
  const isExcluded = (repository.imageTagMutabilityExclusionFilters ?? []).some(({ filter }) => matchesWildcard(filter, tag));
  switch (repository.imageTagMutability) {
    case 'IMMUTABLE':
      return true;
    case 'IMMUTABLE_WITH_EXCLUSION':
      return !isExcluded;
    case 'MUTABLE_WITH_EXCLUSION':
      return isExcluded;
    default:
      return false;
  }
}
