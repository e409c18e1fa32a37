// Repository creation templates applied: which stored template governs a new repository name for one feature,
// and the repository record it yields. Pure over the registry documents; creating the repository is the caller's.
import type { RCTAppliedFor } from '../aws/ecr-types.generated';
import type { Scope } from '../kernel/scope';
import type { RepositoryRecord } from '../store/repository-store';
import type { RegistryDocuments, StoredRepositoryCreationTemplate } from './registry-documents';
import { managedKmsKeyArn } from './managed-kms-key';
import { newRepositoryRecord } from './repository-defaults';

/** API reference, prefix: "use ROOT as the prefix" for repositories no other template's prefix covers. */
const ROOT_PREFIX = 'ROOT';

/** Templates are stored by prefix without its trailing `/` ("There is always an assumed / applied to the end"). */
function keyOf(prefix: string): string {
  return prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
}

/**
 * The template that governs `repositoryName` for `appliedFor`: of those applied for the feature, the one with the
 * longest prefix `<prefix>/` the name begins with, else the ROOT template, else undefined. A template not applied
 * for the feature is passed over, so a shorter prefix (or ROOT) applied for it still governs.
 */
export function templateFor(
  documents: RegistryDocuments,
  scope: Scope,
  repositoryName: string,
  appliedFor: RCTAppliedFor,
): StoredRepositoryCreationTemplate | undefined {
  let best: { key: string; template: StoredRepositoryCreationTemplate } | undefined;
  let root: StoredRepositoryCreationTemplate | undefined;
  for (const { key: storedKey, value: template } of documents.list('repository-creation-template', scope)) {
    if (!template.appliedFor.includes(appliedFor)) continue;
    const key = keyOf(storedKey);
    if (key === ROOT_PREFIX) root = template;
    else if (repositoryName.startsWith(`${key}/`) && (best === undefined || key.length > best.key.length)) best = { key, template };
  }
  return best?.template ?? root;
}

/**
 * The record of a repository `name` created by `template`: its tag mutability (and exclusion filters), encryption,
 * resource tags, repository policy and lifecycle policy; everything else as CreateRepository defaults it. KMS
 * encryption without a key uses the registry's AWS managed key, as CreateRepository does.
 */
export function repositoryFromTemplate(template: StoredRepositoryCreationTemplate, scope: Scope, name: string, now: Date): RepositoryRecord {
  const { encryptionType, kmsKey } = template.encryptionConfiguration;
  return newRepositoryRecord(name, now, {
    imageTagMutability: template.imageTagMutability,
    ...(template.imageTagMutabilityExclusionFilters !== undefined
      ? { imageTagMutabilityExclusionFilters: template.imageTagMutabilityExclusionFilters.map(({ filterType, filter }) => ({ filterType, filter })) }
      : {}),
    encryptionConfiguration: encryptionType === 'AES256' ? { encryptionType } : { encryptionType, kmsKey: kmsKey || managedKmsKeyArn(scope) },
    tags: template.resourceTags.map(({ Key, Value }) => ({ Key, Value })),
    ...(template.repositoryPolicy ? { policyText: template.repositoryPolicy } : {}),
    ...(template.lifecyclePolicy ? { lifecyclePolicyText: template.lifecyclePolicy, lifecyclePolicyUpdatedAt: now } : {}),
  });
}
