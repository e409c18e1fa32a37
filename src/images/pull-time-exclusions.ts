// Pull-time update exclusions (PutPullTimeUpdateExclusion): pulls by a registered principal do not move an
// image's lastRecordedPullTime, so a scanner or a cache warmer does not keep images "recently pulled" for
// lifecycle rules. Both planes ask before they record a pull.
import type { Scope } from '../kernel/scope';
import type { RegistryDocuments } from './registry-documents';

/**
 * Whether a pull by a principal of these ARNs (its own and, for a role session, its role's: ECR registers IAM
 * principals) records its time in the registry of `scope`.
 */
export function recordsPullTime(documents: RegistryDocuments, scope: Scope, principalArns: readonly string[]): boolean {
  return !principalArns.some((arn) => documents.get('pull-time-update-exclusion', scope, arn) !== undefined);
}
