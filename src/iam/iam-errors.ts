// IAM's error wordings, in one place: each function builds the QueryError IAM answers for one situation, so the
// directory and the handlers never spell a message themselves. Wordings are IAM's own as clients and moto report
// them; the few no public report confirms are marked so.
import { QueryError } from '../aws/query-error';

/** What a policy can be attached to, and what an inline policy is embedded in. */
export type PolicyHolderKind = 'user' | 'group' | 'role';

const ENTITY_WORD: Record<PolicyHolderKind, string> = { user: 'User', group: 'Group', role: 'Role' };

/** NoSuchEntity for a user, group or role: `The user with name bob cannot be found.` */
export function entityNotFound(kind: PolicyHolderKind, name: string): QueryError {
  return new QueryError('NoSuchEntity', `The ${kind} with name ${name} cannot be found.`);
}

/** EntityAlreadyExists for a user, group or role: `User with name Alice already exists.` */
export function entityAlreadyExists(kind: PolicyHolderKind, name: string): QueryError {
  return new QueryError('EntityAlreadyExists', `${ENTITY_WORD[kind]} with name ${name} already exists.`);
}

export function policyAlreadyExists(name: string): QueryError {
  return new QueryError('EntityAlreadyExists', `A policy called ${name} already exists. Duplicate names are not allowed.`);
}

/** GetPolicy, DeletePolicy, ListPolicyVersions... of a policy that is not there. */
export function policyNotFound(arn: string): QueryError {
  return new QueryError('NoSuchEntity', `Policy ${arn} was not found.`);
}

/** Attach*Policy and permissions boundaries naming a policy that is not there (or not in the caller's account). */
export function policyNotAttachable(arn: string): QueryError {
  return new QueryError('NoSuchEntity', `Policy ${arn} does not exist or is not attachable.`);
}

export function policyVersionNotFound(arn: string, versionId: string): QueryError {
  return new QueryError('NoSuchEntity', `Policy ${arn} version ${versionId} does not exist or is not attachable.`);
}

/** Get/Delete*Policy of an inline policy: `The user policy with name x cannot be found.` */
export function inlinePolicyNotFound(kind: PolicyHolderKind, policyName: string): QueryError {
  return new QueryError('NoSuchEntity', `The ${kind} policy with name ${policyName} cannot be found.`);
}

/** Only fixed key ids (the IAM file) can collide; IAM itself never reissues an id. */
export function accessKeyAlreadyIssued(accessKeyId: string): QueryError {
  return new QueryError('EntityAlreadyExists', `The Access Key with id ${accessKeyId} has already been issued.`);
}

export function accessKeyNotFound(accessKeyId: string): QueryError {
  return new QueryError('NoSuchEntity', `The Access Key with id ${accessKeyId} cannot be found.`);
}

/** Whatever still hangs on an entity being deleted, in the order IAM reports it. */
export type DeleteBlocker = 'attached-policies' | 'inline-policies' | 'access-keys' | 'group-members' | 'group-memberships';

const BLOCKER_WORDING: Record<DeleteBlocker, string> = {
  'attached-policies': 'must detach all policies first.',
  'inline-policies': 'must delete policies first.',
  'access-keys': 'must delete access keys first.',
  'group-members': 'must remove users from group first.',
  // IAM answers a user still in groups with the group wording too.
  'group-memberships': 'must remove users from group first.',
};

export function deleteConflict(blocker: DeleteBlocker): QueryError {
  return new QueryError('DeleteConflict', `Cannot delete entity, ${BLOCKER_WORDING[blocker]}`);
}

export function policyStillAttached(): QueryError {
  return new QueryError('DeleteConflict', 'Cannot delete a policy attached to entities.');
}

export function policyHasVersions(): QueryError {
  return new QueryError('DeleteConflict', "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.");
}

export function defaultVersionUndeletable(): QueryError {
  return new QueryError('DeleteConflict', 'Cannot delete the default version of a policy.');
}

export function tooManyPolicyVersions(maximum: number): QueryError {
  return new QueryError('LimitExceeded', `A managed policy can have up to ${maximum} versions. Before you create a new version, you must delete an existing version.`);
}

/** IAM's quota wording: `Cannot exceed quota for AccessKeysPerUser: 2`. */
export function quotaExceeded(quota: string, limit: number): QueryError {
  return new QueryError('LimitExceeded', `Cannot exceed quota for ${quota}: ${limit}`);
}

/** The aggregate size of an entity's inline policies: `Maximum policy size of 2048 bytes exceeded for user bob`. */
export function inlinePolicySizeExceeded(kind: PolicyHolderKind, name: string, limit: number): QueryError {
  return new QueryError('LimitExceeded', `Maximum policy size of ${limit} bytes exceeded for ${kind} ${name}`);
}

export function invalidArn(arn: string): QueryError {
  return new QueryError('InvalidInput', `ARN ${arn} is not valid.`);
}

export function malformedPolicyDocument(message: string): QueryError {
  return new QueryError('MalformedPolicyDocument', message);
}

/** Tag keys are unique case-insensitively within one request. */
export function duplicateTagKeys(): QueryError {
  return new QueryError('InvalidInput', 'Duplicate tag keys found. Please note that Tag keys are case insensitive.');
}

/** A caller that is not an IAM user calling an operation whose UserName defaults to the caller (wording not confirmed). */
export function userNameRequired(): QueryError {
  return new QueryError('ValidationError', 'Must specify userName when calling with non-User credentials');
}

/**
 * A caller acting on what no policy of its account can grant: AWS managed policies belong to AWS. IAM's usual
 * AccessDenied wording; that IAM answers changes to AWS managed policies with it is not confirmed.
 */
export function notAuthorized(callerArn: string, action: string, resource: string): QueryError {
  return new QueryError('AccessDenied', `User: ${callerArn} is not authorized to perform: ${action} on resource: ${resource}`);
}
