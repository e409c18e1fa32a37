// The control plane's door to CREATE_ON_PUSH: InitiateLayerUpload and PutImage, ECR's push operations, create a
// missing repository a creation template covers, once the caller may `ecr:CreateRepository` it.
import { AwsError } from '../../aws/aws-error';
import { repositoryArn } from '../../auth/access';
import { ensureRepositoryForPush } from '../../images/create-on-push';
import type { Scope } from '../../kernel/scope';
import type { EcrContext } from '../ecr-context';

/** Throws AccessDeniedException when a template would create the repository and the caller may not. */
export function ensurePushRepository(context: EcrContext, scope: Scope, name: string): void {
  const { services } = context;
  ensureRepositoryForPush(services, scope, name, services.clock.now(), () => {
    // Creating by a template is a CreateRepository by the caller, decided as the endpoint decides any operation.
    const decision = context.access.decide({
      principal: context.principal,
      action: 'ecr:CreateRepository',
      resource: { scope, arn: repositoryArn(scope, name), repository: name },
      context: context.requestContext,
    });
    if (!decision.isAllowed) throw new AwsError('AccessDeniedException', decision.message);
  });
}
