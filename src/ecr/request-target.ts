// What a control-plane request acts on, read from its input, as the Service Authorization Reference lists ECR's
// resources: the registry (`registryId`, or the account a `resourceArn` names, else the caller's own) and the ARN of
// each repository it names; an operation that names none (GetAuthorizationToken, the registry-level settings) acts
// on `*`. GetAuthorizationToken's `registryIds` name no target: the model marks them deprecated, and a token is the
// caller's.
import { repositoryArn } from '../auth/access';
import type { Scope } from '../kernel/scope';

export interface RequestTarget {
  scope: Scope;
  arn: string;
  /** The repository the request acts on, when it names one: its policy and tags take part in the decision. */
  repository?: string;
}

// A repository ARN in any partition; its region and name are the handler's to check.
const ARN_ACCOUNT = /^arn:aws(?:-[a-z]+)*:ecr:[a-z0-9-]*:(\d{12}):/;
const REPOSITORY_IN_ARN = /^arn:aws(?:-[a-z]+)*:ecr:[a-z0-9-]*:\d{12}:repository\/(.+)$/;

function repositoryTarget(scope: Scope, name: string): RequestTarget {
  return { scope, arn: repositoryArn(scope, name), repository: name };
}

/** Every resource the request acts on: one for most operations, one per name for a list of repository names. */
export function requestTargets(input: Record<string, unknown>, caller: Scope): RequestTarget[] {
  let accountId = caller.accountId;
  if (typeof input.registryId === 'string') accountId = input.registryId;
  else if (typeof input.resourceArn === 'string') accountId = ARN_ACCOUNT.exec(input.resourceArn)?.[1] ?? caller.accountId;
  const scope = { accountId, region: caller.region };
  if (typeof input.repositoryName === 'string') return [repositoryTarget(scope, input.repositoryName)];
  if (Array.isArray(input.repositoryNames)) {
    return input.repositoryNames.filter((name): name is string => typeof name === 'string').map((name) => repositoryTarget(scope, name));
  }
  if (typeof input.resourceArn === 'string') {
    const repository = REPOSITORY_IN_ARN.exec(input.resourceArn)?.[1];
    return [{ scope, arn: input.resourceArn, ...(repository !== undefined ? { repository } : {}) }];
  }
  return [{ scope, arn: '*' }];
}
