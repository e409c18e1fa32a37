// The AWS managed key for ECR (`aws/ecr`) of a registry: what a repository encrypted with KMS uses when no key is
// named, however it is created (CreateRepository, a creation template). Pure: derived from the scope alone.
import { createHash } from 'node:crypto';
import type { Scope } from '../kernel/scope';

/**
 * As DescribeRepositories reports it: a key ARN, not the alias. Its id is a UUID derived from account and region,
 * so it is the same for every repository and every run.
 */
export function managedKmsKeyArn(scope: Scope): string {
  const hex = createHash('sha256').update(`aws/ecr\n${scope.accountId}\n${scope.region}`).digest('hex');
  // RFC 9562 layout, version 4 and variant bits set, so it reads as the random UUIDs KMS key ids are.
  const id = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-${((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16)}${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
  return `arn:aws:kms:${scope.region}:${scope.accountId}:key/${id}`;
}
