// An image's standing beyond its bytes: UpdateImageStorageClass (archive and restore), and the replication and
// signing statuses the registry's configurations give it.
import type { ImageIdentifier, ImageSigningStatus } from '../../aws/ecr-types.generated';
import { matchesWildcard } from '../../kernel/wildcard';
import type { OperationHandlers } from '../ecr-context';
import { targetScope } from '../ecr-context';
import { imageIdOf, requireImage } from './image-ids';
import { imageStatusOf } from './image-listings';
import { replicationStatusesOf } from '../../automation/replication';

export const imageStatusHandlers: OperationHandlers = {
  async UpdateImageStorageClass(input, context) {
    const scope = targetScope(context, input.registryId);
    const repository = input.repositoryName;
    const digest = requireImage(context.services.images, scope, repository, input.imageId);
    const before = context.services.images.details(scope, repository, digest)!;
    const after = await context.services.images.setStorageClass(scope, repository, digest, input.targetStorageClass);
    // ECR restores in the background and answers ACTIVATING; here the restore is done when the call returns, so
    // the next DescribeImages already says ACTIVE (pollers waiting for ACTIVE stop at once).
    const isRestoring = before.storageClass === 'ARCHIVE' && after.storageClass === 'STANDARD';
    const imageId: ImageIdentifier = { ...imageIdOf(input.imageId), imageDigest: digest };
    return { registryId: scope.accountId, repositoryName: repository, imageId, imageStatus: isRestoring ? 'ACTIVATING' : imageStatusOf(after) };
  },

  DescribeImageReplicationStatus(input, context) {
    const scope = targetScope(context, input.registryId);
    const repository = input.repositoryName;
    const digest = requireImage(context.services.images, scope, repository, input.imageId);
    const replicationStatuses = replicationStatusesOf(context.services, scope, repository, digest);
    return { repositoryName: repository, imageId: { ...imageIdOf(input.imageId), imageDigest: digest }, replicationStatuses };
  },

  DescribeImageSigningStatus(input, context) {
    const scope = targetScope(context, input.registryId);
    const repository = input.repositoryName;
    const digest = requireImage(context.services.images, scope, repository, input.imageId);
    const configuration = context.services.documents.get('signing-configuration', scope, 'configuration');
    // One status per signing rule that applies to the repository (a rule without filters applies to all). The
    // emulator records the outcome ECR reports; it does not produce a signature artifact.
    const signingStatuses: ImageSigningStatus[] = (configuration?.rules ?? [])
      .filter((rule) => rule.repositoryFilters === undefined || rule.repositoryFilters.some(({ filter }) => matchesWildcard(filter, repository)))
      .map((rule) => ({ signingProfileArn: rule.signingProfileArn, status: 'COMPLETE' }));
    return { registryId: scope.accountId, repositoryName: repository, imageId: { ...imageIdOf(input.imageId), imageDigest: digest }, signingStatuses };
  },
};
