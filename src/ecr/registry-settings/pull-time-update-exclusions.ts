// Pull-time update exclusions: RegisterPullTimeUpdateExclusion, DeregisterPullTimeUpdateExclusion and
// ListPullTimeUpdateExclusions. The principals are kept in the registry document store by ARN; the data plane, which
// records pull times, is the one to honour them.
import { AwsError } from '../../aws/aws-error';
import type { StoredPullTimeUpdateExclusion } from '../../images/registry-documents';
import type { Scope } from '../../kernel/scope';
import type { OperationHandlers } from '../ecr-context';
import { pageOf, pageRequest } from '../pagination';

function exclusionNotFound(principalArn: string, scope: Scope): AwsError {
  return new AwsError(
    'ExclusionNotFoundException',
    `The pull time update exclusion for the principal '${principalArn}' does not exist in the registry with id '${scope.accountId}'`,
  );
}

export const pullTimeUpdateExclusionHandlers: OperationHandlers = {
  RegisterPullTimeUpdateExclusion(input, context) {
    const stored: StoredPullTimeUpdateExclusion = { principalArn: input.principalArn, createdAt: context.services.clock.now().getTime() };
    if (!context.services.documents.insert('pull-time-update-exclusion', context.scope, input.principalArn, stored)) {
      throw new AwsError(
        'ExclusionAlreadyExistsException',
        `The pull time update exclusion for the principal '${input.principalArn}' already exists in the registry with id '${context.scope.accountId}'`,
      );
    }
    return { principalArn: stored.principalArn, createdAt: new Date(stored.createdAt) };
  },
  DeregisterPullTimeUpdateExclusion(input, context) {
    if (!context.services.documents.delete('pull-time-update-exclusion', context.scope, input.principalArn)) throw exclusionNotFound(input.principalArn, context.scope);
    return { principalArn: input.principalArn };
  },
  ListPullTimeUpdateExclusions(input, context) {
    const all = context.services.documents.list('pull-time-update-exclusion', context.scope);
    const { page, ...next } = pageOf(pageRequest('ListPullTimeUpdateExclusions', input), all, ({ key }) => key);
    return { pullTimeUpdateExclusions: page.map(({ value }) => value.principalArn), ...next };
  },
};
