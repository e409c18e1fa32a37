// Lifecycle policy previews: StartLifecyclePolicyPreview evaluates a policy against the repository's images at that
// moment and keeps the result; GetLifecyclePolicyPreview reads it back, filtered and paged. Nothing is expired.
import { AwsError } from '../../aws/aws-error';
import type {
  ImageIdentifier,
  LifecyclePolicyPreviewResult,
  LifecyclePolicyPreviewSummary,
  TagStatus,
} from '../../aws/ecr-types.generated';
import type { StoredLifecyclePolicyPreview, StoredPreviewResult } from '../../images/registry-documents';
import { evaluateLifecyclePolicy, type LifecycleDecision } from '../../lifecycle/lifecycle-evaluation';
import type { Scope } from '../../kernel/scope';
import type { OperationHandlers } from '../ecr-context';
import { targetScope } from '../ecr-context';
import { pageOf, pageRequest } from '../pagination';
import { lifecyclePolicyFrom, lifecyclePolicyNotFound } from './lifecycle-policies';

// No ECR wording is documented; this follows the shape of ECR's other not-found messages.
function previewNotFound(repository: string, scope: Scope): AwsError {
  return new AwsError(
    'LifecyclePolicyPreviewNotFoundException',
    `Lifecycle policy preview does not exist for the repository with name '${repository}' in the registry with id '${scope.accountId}'`,
  );
}

function resultOf(decision: LifecycleDecision): StoredPreviewResult {
  const { image, rule, action } = decision;
  return {
    digest: image.digest,
    tags: [...image.tags],
    pushedAt: image.pushedAt.toISOString(),
    action: action.type === 'expire' ? { type: 'EXPIRE' } : { type: 'TRANSITION', targetStorageClass: 'ARCHIVE' },
    appliedRulePriority: rule.priority,
    storageClass: image.storageClass,
  };
}

function toWire(result: StoredPreviewResult): LifecyclePolicyPreviewResult {
  return {
    imageTags: result.tags,
    imageDigest: result.digest,
    imagePushedAt: new Date(result.pushedAt),
    action: result.action,
    appliedRulePriority: result.appliedRulePriority,
    storageClass: result.storageClass,
  };
}

function summaryOf(results: readonly StoredPreviewResult[]): LifecyclePolicyPreviewSummary {
  const transitioning = results.filter((result) => result.action.type === 'TRANSITION').length;
  return {
    expiringImageTotalCount: results.filter((result) => result.action.type === 'EXPIRE').length,
    ...(transitioning > 0 ? { transitioningImageTotalCounts: [{ targetStorageClass: 'ARCHIVE', imageTotalCount: transitioning }] } : {}),
  };
}

function isNamed(result: StoredPreviewResult, imageIds: readonly ImageIdentifier[]): boolean {
  return imageIds.some(({ imageDigest, imageTag }) => {
    if (imageDigest === undefined && imageTag === undefined) return false;
    return (imageDigest === undefined || imageDigest === result.digest) && (imageTag === undefined || result.tags.includes(imageTag));
  });
}

function hasTagStatus(result: StoredPreviewResult, tagStatus: TagStatus | undefined): boolean {
  if (tagStatus === 'TAGGED') return result.tags.length > 0;
  if (tagStatus === 'UNTAGGED') return result.tags.length === 0;
  return true;
}

export const lifecyclePolicyPreviewHandlers: OperationHandlers = {
  StartLifecyclePolicyPreview(input, context) {
    const scope = targetScope(context, input.registryId);
    const { repositories, images, documents, clock } = context.services;
    const record = repositories.get(scope, input.repositoryName);
    const text = input.lifecyclePolicyText ?? record.lifecyclePolicyText;
    if (text === undefined) throw lifecyclePolicyNotFound(record.name, scope);
    const policy = lifecyclePolicyFrom(text);
    const now = clock.now();
    const decisions = evaluateLifecyclePolicy(policy, images.list(scope, record.name), now);
    const preview: StoredLifecyclePolicyPreview = { repositoryCreatedAt: record.createdAt.toISOString(), lifecyclePolicyText: text, evaluatedAt: now.toISOString(), results: decisions.map(resultOf) };
    documents.put('lifecycle-policy-preview', scope, record.name, preview);
    // ECR answers before the evaluation runs; here it has run by the time GetLifecyclePolicyPreview is called,
    // which reports COMPLETE, so LifecyclePolicyPreviewInProgressException never arises.
    return { registryId: scope.accountId, repositoryName: record.name, lifecyclePolicyText: text, status: 'IN_PROGRESS' };
  },

  GetLifecyclePolicyPreview(input, context) {
    const scope = targetScope(context, input.registryId);
    const record = context.services.repositories.get(scope, input.repositoryName);
    const preview = context.services.documents.get('lifecycle-policy-preview', scope, record.name);
    if (preview === undefined || preview.repositoryCreatedAt !== record.createdAt.toISOString()) throw previewNotFound(record.name, scope);
    const request = pageRequest('GetLifecyclePolicyPreview', input);
    const { imageIds } = input;
    const matching = preview.results
      .map((result, index) => ({ result, position: String(index).padStart(6, '0') }))
      .filter(({ result }) => (imageIds === undefined || isNamed(result, imageIds)) && hasTagStatus(result, input.filter?.tagStatus));
    // imageIds asks for those images, all of them.
    const { page, nextToken } = imageIds === undefined ? pageOf(request, matching, (item) => item.position) : { page: matching, nextToken: undefined };
    return {
      registryId: scope.accountId,
      repositoryName: record.name,
      lifecyclePolicyText: preview.lifecyclePolicyText,
      status: 'COMPLETE',
      previewResults: page.map(({ result }) => toWire(result)),
      // The summary counts the whole preview, whatever the filter and page.
      summary: summaryOf(preview.results),
      ...(nextToken !== undefined ? { nextToken } : {}),
    };
  },
};
