// Lifecycle policy previews: StartLifecyclePolicyPreview evaluates a policy against the repository's images at that
// moment and keeps the result; GetLifecyclePolicyPreview reads it back, filtered and paged. Nothing is expired.
import { AwsError, invalidParameter } from '../aws/aws-error';
import type {
  ImageIdentifier,
  LifecyclePolicyPreviewResult,
  LifecyclePolicyPreviewSummary,
  LifecyclePolicyRuleAction,
  TagStatus,
} from '../aws/ecr-types.generated';
import { evaluateLifecyclePolicy, type LifecycleDecision } from '../lifecycle/lifecycle-evaluation';
import type { Scope } from '../store/scope';
import type { OperationHandlers } from './ecr-context';
import { targetScope } from './ecr-context';
import { pageOf } from './pagination';
import { lifecyclePolicyFrom, lifecyclePolicyNotFound } from './lifecycle-policies';

const KIND = 'lifecycle-policy-preview';
// API reference, GetLifecyclePolicyPreview: up to 100 results a page unless maxResults says otherwise.
const DEFAULT_PAGE_SIZE = 100;

/** One image the previewed policy acts on, as stored (JSON: times as ISO 8601 text). */
interface PreviewResultDocument {
  digest: string;
  tags: string[];
  pushedAt: string;
  action: LifecyclePolicyRuleAction;
  appliedRulePriority: number;
  storageClass: 'STANDARD' | 'ARCHIVE';
}

interface PreviewDocument {
  /** Tells a preview of this repository from one of an earlier repository of the same name. */
  repositoryCreatedAt: string;
  lifecyclePolicyText: string;
  evaluatedAt: string;
  results: PreviewResultDocument[];
}

// No ECR wording is documented; this follows the shape of ECR's other not-found messages.
function previewNotFound(repository: string, scope: Scope): AwsError {
  return new AwsError(
    'LifecyclePolicyPreviewNotFoundException',
    `Lifecycle policy preview does not exist for the repository with name '${repository}' in the registry with id '${scope.accountId}'`,
  );
}

function resultOf(decision: LifecycleDecision): PreviewResultDocument {
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

function toWire(result: PreviewResultDocument): LifecyclePolicyPreviewResult {
  return {
    imageTags: result.tags,
    imageDigest: result.digest,
    imagePushedAt: new Date(result.pushedAt),
    action: result.action,
    appliedRulePriority: result.appliedRulePriority,
    storageClass: result.storageClass,
  };
}

function summaryOf(results: readonly PreviewResultDocument[]): LifecyclePolicyPreviewSummary {
  const transitioning = results.filter((result) => result.action.type === 'TRANSITION').length;
  return {
    expiringImageTotalCount: results.filter((result) => result.action.type === 'EXPIRE').length,
    ...(transitioning > 0 ? { transitioningImageTotalCounts: [{ targetStorageClass: 'ARCHIVE', imageTotalCount: transitioning }] } : {}),
  };
}

function isNamed(result: PreviewResultDocument, imageIds: readonly ImageIdentifier[]): boolean {
  return imageIds.some(({ imageDigest, imageTag }) => {
    if (imageDigest === undefined && imageTag === undefined) return false;
    return (imageDigest === undefined || imageDigest === result.digest) && (imageTag === undefined || result.tags.includes(imageTag));
  });
}

function hasTagStatus(result: PreviewResultDocument, tagStatus: TagStatus | undefined): boolean {
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
    const preview: PreviewDocument = { repositoryCreatedAt: record.createdAt.toISOString(), lifecyclePolicyText: text, evaluatedAt: now.toISOString(), results: decisions.map(resultOf) };
    documents.put(scope, KIND, record.name, preview);
    // ECR answers before the evaluation runs; here it has run by the time GetLifecyclePolicyPreview is called,
    // which reports COMPLETE, so LifecyclePolicyPreviewInProgressException never arises.
    return { registryId: scope.accountId, repositoryName: record.name, lifecyclePolicyText: text, status: 'IN_PROGRESS' };
  },

  GetLifecyclePolicyPreview(input, context) {
    const scope = targetScope(context, input.registryId);
    const record = context.services.repositories.get(scope, input.repositoryName);
    const preview = context.services.documents.get<PreviewDocument>(scope, KIND, record.name);
    if (preview === undefined || preview.repositoryCreatedAt !== record.createdAt.toISOString()) throw previewNotFound(record.name, scope);
    const { imageIds } = input;
    if (imageIds !== undefined && (input.maxResults !== undefined || input.nextToken !== undefined)) {
      throw invalidParameter("Invalid parameter at 'imageIds' failed to satisfy constraint: 'maxResults and nextToken cannot be used together with imageIds'");
    }
    const matching = preview.results
      .map((result, index) => ({ result, position: String(index).padStart(6, '0') }))
      .filter(({ result }) => (imageIds === undefined || isNamed(result, imageIds)) && hasTagStatus(result, input.filter?.tagStatus));
    const { page, nextToken } = pageOf(matching, (item) => item.position, {
      ...(input.maxResults !== undefined ? { maxResults: input.maxResults } : {}),
      ...(input.nextToken !== undefined ? { nextToken: input.nextToken } : {}),
      // imageIds asks for those images, all of them.
      defaultMaxResults: imageIds === undefined ? DEFAULT_PAGE_SIZE : Math.max(matching.length, 1),
    });
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
