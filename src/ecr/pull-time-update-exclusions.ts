// Pull-time update exclusions: RegisterPullTimeUpdateExclusion, DeregisterPullTimeUpdateExclusion and
// ListPullTimeUpdateExclusions. The principals are kept in the registry document store by ARN; the data plane, which
// records pull times, is the one to honour them.
import { AwsError } from '../aws/aws-error';
import type { Scope } from '../store/scope';
import type { OperationHandlers } from './ecr-context';
import { pageOf } from './pagination';

const KIND = 'pull-time-update-exclusion';
const DEFAULT_PAGE_SIZE = 100;

interface StoredExclusion {
  principalArn: string;
  /** Epoch milliseconds. */
  createdAt: number;
}

function exclusionNotFound(principalArn: string, scope: Scope): AwsError {
  return new AwsError(
    'ExclusionNotFoundException',
    `The pull time update exclusion for the principal '${principalArn}' does not exist in the registry with id '${scope.accountId}'`,
  );
}

export const pullTimeUpdateExclusionHandlers: OperationHandlers = {
  RegisterPullTimeUpdateExclusion(input, context) {
    const stored: StoredExclusion = { principalArn: input.principalArn, createdAt: context.services.clock.now().getTime() };
    if (!context.services.documents.insert(context.scope, KIND, input.principalArn, stored)) {
      throw new AwsError(
        'ExclusionAlreadyExistsException',
        `The pull time update exclusion for the principal '${input.principalArn}' already exists in the registry with id '${context.scope.accountId}'`,
      );
    }
    return { principalArn: stored.principalArn, createdAt: new Date(stored.createdAt) };
  },
  DeregisterPullTimeUpdateExclusion(input, context) {
    if (!context.services.documents.delete(context.scope, KIND, input.principalArn)) throw exclusionNotFound(input.principalArn, context.scope);
    return { principalArn: input.principalArn };
  },
  ListPullTimeUpdateExclusions(input, context) {
    const all = context.services.documents.list<StoredExclusion>(context.scope, KIND);
    const { page, nextToken } = pageOf(all, ({ key }) => key, { maxResults: input.maxResults, nextToken: input.nextToken, defaultMaxResults: DEFAULT_PAGE_SIZE });
    return { pullTimeUpdateExclusions: page.map(({ value }) => value.principalArn), ...(nextToken !== undefined ? { nextToken } : {}) };
  },
};
