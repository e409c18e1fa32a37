// What a control-plane request acts on, read from its input: the registry (`registryId`, or the account a
// `resourceArn` names, else the caller's own) and the ARN of the repository, for the access decision.
// GetAuthorizationToken's `registryIds` name no target: the model marks them deprecated, and a token is the caller's.
import { repositoryArn } from '../auth/access';
import type { Scope } from '../kernel/scope';

export interface RequestTarget {
  scope: Scope;
  arn: string;
}

// A repository ARN in any partition; its region and name are the handler's to check.
const ARN_ACCOUNT = /^arn:aws(?:-[a-z]+)*:ecr:[a-z0-9-]*:(\d{12}):/;

export function requestTarget(input: Record<string, unknown>, caller: Scope): RequestTarget {
  let accountId = caller.accountId;
  if (typeof input.registryId === 'string') accountId = input.registryId;
  else if (typeof input.resourceArn === 'string') accountId = ARN_ACCOUNT.exec(input.resourceArn)?.[1] ?? caller.accountId;
  const scope = { accountId, region: caller.region };
  const name = typeof input.repositoryName === 'string' ? input.repositoryName : undefined;
  if (typeof input.resourceArn === 'string' && name === undefined) return { scope, arn: input.resourceArn };
  return { scope, arn: repositoryArn(scope, name) };
}
