// The AWS managed policies the emulator knows, as AWS publishes them: ids, default version, dates and documents
// (aws-managed-policies.json). Read-only and the same in every account; which account attaches them is the
// directory's business, not this module's.
import vendored from './aws-managed-policies.json';
import { lazy } from '../kernel/lazy';

/**
 * Documents and metadata as the AWS Managed Policy Reference and GetPolicy/GetPolicyVersion list them
 * (docs.aws.amazon.com/aws-managed-policy/latest/reference/<name>.html; ids as GetPolicy answers them).
 * ReadOnlyAccess is abridged (`isAbridged`): its real v133 document grants reads of every service in some 100 KB,
 * past what an emulator should carry; only its ECR, ECR Public, IAM and STS actions are kept, in the statements
 * (by Sid) where AWS puts them.
 */
interface VendoredPolicy {
  id: string;
  description: string;
  createDate: string;
  versionId: string;
  versionCreateDate: string;
  isAbridged?: boolean;
  document: unknown;
}

export interface AwsManagedPolicy {
  arn: string;
  name: string;
  path: string;
  id: string;
  description: string;
  createdAt: Date;
  /** The default (and only served) version. */
  versionId: string;
  versionCreatedAt: Date;
  /** The document as JSON text, indented as IAM hands AWS managed documents out. */
  document: string;
}

/** AWS managed policies live in the pseudo-account `aws`. */
export const AWS_MANAGED_POLICY_ARN_PREFIX = 'arn:aws:iam::aws:policy/';

/** Built on first use: localeCompare's first call loads the collator, a cost the start need not pay. */
const policies = lazy((): readonly AwsManagedPolicy[] => Object.entries(vendored as Record<string, VendoredPolicy>)
  .map(([name, policy]) => ({
    arn: `${AWS_MANAGED_POLICY_ARN_PREFIX}${name}`,
    name,
    path: '/',
    id: policy.id,
    description: policy.description,
    createdAt: new Date(policy.createDate),
    versionId: policy.versionId,
    versionCreatedAt: new Date(policy.versionCreateDate),
    document: JSON.stringify(policy.document, null, 4),
  }))
  .sort((left, right) => left.name.localeCompare(right.name)));

/** Whether an ARN names a policy of AWS's (known to the emulator or not). */
export function isAwsManagedPolicyArn(arn: string): boolean {
  return arn.startsWith('arn:aws:iam::aws:policy/');
}

/** The AWS managed policy with that ARN, or undefined. */
export function awsManagedPolicy(arn: string): AwsManagedPolicy | undefined {
  return policies().find((policy) => policy.arn === arn);
}

/** Every AWS managed policy the emulator knows, by name. */
export function awsManagedPolicies(): readonly AwsManagedPolicy[] {
  return policies();
}
