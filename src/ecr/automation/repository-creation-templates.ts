// Repository creation templates: Create, Describe, Update and DeleteRepositoryCreationTemplate. Templates are kept
// in the registry document store by prefix; policies and tags are checked with the rules their own operations use.
// Applying them to new repositories is src/images/repository-templates.ts.
import { AwsError, invalidParameter } from '../../aws/aws-error';
import type { ImageTagMutability, RepositoryCreationTemplate, UpdateRepositoryCreationTemplateRequest } from '../../aws/ecr-types.generated';
import { parsePolicyDocument, REPOSITORY_POLICY_RULES } from '../../auth/iam-policy';
import { DomainError } from '../../images/domain-error';
import type { StoredRepositoryCreationTemplate } from '../../images/registry-documents';
import { parseLifecyclePolicy } from '../../lifecycle/lifecycle-policy';
import type { Scope } from '../../kernel/scope';
import { checkCustomRoleArn } from './custom-role';
import type { EcrContext, OperationHandlers } from '../ecr-context';
import { pageOf, pageRequest } from '../pagination';
import { checkTags } from '../repositories/resource-tags';

const WITH_EXCLUSION: readonly ImageTagMutability[] = ['IMMUTABLE_WITH_EXCLUSION', 'MUTABLE_WITH_EXCLUSION'];

/** The members a template takes from a request; Update gives any of them, Create the required ones too. */
type TemplateSettings = Omit<UpdateRepositoryCreationTemplateRequest, 'prefix'>;

/** API reference: "There is always an assumed / applied to the end of the prefix", so `team/` and `team` are one template. */
function keyOf(prefix: string): string {
  return prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
}

function templateNotFound(prefix: string, scope: Scope): AwsError {
  return new AwsError('TemplateNotFoundException', `The repository creation template with the prefix '${prefix}' does not exist in the registry with id '${scope.accountId}'`);
}

function storedTemplate(context: EcrContext, prefix: string): StoredRepositoryCreationTemplate {
  const stored = context.services.documents.get('repository-creation-template', context.scope, keyOf(prefix));
  if (stored === undefined) throw templateNotFound(prefix, context.scope);
  return stored;
}

function templateToWire({ createdAt, updatedAt, ...members }: StoredRepositoryCreationTemplate): RepositoryCreationTemplate {
  return { ...members, createdAt: new Date(createdAt), updatedAt: new Date(updatedAt) };
}

/** The same grammar SetRepositoryPolicy and PutLifecyclePolicy enforce; the empty text means no policy. */
function checkPolicies(settings: TemplateSettings): void {
  try {
    if (settings.repositoryPolicy) parsePolicyDocument(settings.repositoryPolicy, REPOSITORY_POLICY_RULES);
  } catch (error) {
    if (error instanceof DomainError) throw invalidParameter("Invalid parameter at 'repositoryPolicy' failed to satisfy constraint: 'Invalid repository policy provided'");
    throw error;
  }
  try {
    if (settings.lifecyclePolicy) parseLifecyclePolicy(settings.lifecyclePolicy);
  } catch (error) {
    if (error instanceof DomainError) {
      throw invalidParameter(`Invalid parameter at 'lifecyclePolicy' failed to satisfy constraint: 'Lifecycle policy validation failure: ${error.message}'`);
    }
    throw error;
  }
}

/** As CreateRepository: a KMS key belongs to the KMS types only, and exclusion filters to the *_WITH_EXCLUSION settings. */
function checkTemplate(template: StoredRepositoryCreationTemplate): void {
  const { encryptionType, kmsKey } = template.encryptionConfiguration;
  if (encryptionType === 'AES256' && kmsKey) {
    throw invalidParameter("Invalid parameter at 'encryptionConfiguration' failed to satisfy constraint: 'kmsKey can only be specified when encryptionType is KMS or KMS_DSSE'");
  }
  const mutability = template.imageTagMutability;
  const hasFilters = template.imageTagMutabilityExclusionFilters !== undefined;
  if (WITH_EXCLUSION.includes(mutability) !== hasFilters) {
    const rule = hasFilters ? 'must be null' : "can't be null";
    throw invalidParameter(
      `Invalid parameter at 'imageTagMutabilityExclusionFilters' failed to satisfy constraint: 'ImageTagMutabilityExclusionFilters ${rule} when imageTagMutability is set as ${mutability}'`,
    );
  }
  if (template.appliedFor.length === 0) {
    throw invalidParameter("Invalid parameter at 'appliedFor' failed to satisfy constraint: 'must have length greater than or equal to 1'");
  }
}

/** `current` with every member the request gives replaced; the empty text removes an optional text member. */
function merged(current: StoredRepositoryCreationTemplate, settings: TemplateSettings, now: number): StoredRepositoryCreationTemplate {
  const next: StoredRepositoryCreationTemplate = { ...current, updatedAt: now };
  for (const member of ['description', 'repositoryPolicy', 'lifecyclePolicy', 'customRoleArn'] as const) {
    const value = settings[member];
    if (value === '') delete next[member];
    else if (value !== undefined) next[member] = value;
  }
  if (settings.encryptionConfiguration !== undefined) {
    const { encryptionType, kmsKey } = settings.encryptionConfiguration;
    next.encryptionConfiguration = { encryptionType, ...(kmsKey ? { kmsKey } : {}) };
  }
  if (settings.resourceTags !== undefined) next.resourceTags = settings.resourceTags.map(({ Key, Value }) => ({ Key, Value }));
  if (settings.appliedFor !== undefined) next.appliedFor = [...new Set(settings.appliedFor)];
  if (settings.imageTagMutability !== undefined) next.imageTagMutability = settings.imageTagMutability;
  // Filters go with the *_WITH_EXCLUSION settings: a change to another setting drops them unless new ones are given.
  const filters = settings.imageTagMutabilityExclusionFilters ?? (WITH_EXCLUSION.includes(next.imageTagMutability) ? current.imageTagMutabilityExclusionFilters : undefined);
  delete next.imageTagMutabilityExclusionFilters;
  if (filters !== undefined) next.imageTagMutabilityExclusionFilters = filters.map(({ filterType, filter }) => ({ filterType, filter }));
  return next;
}

function checkSettings(settings: TemplateSettings, context: EcrContext): void {
  checkTags(settings.resourceTags ?? []);
  checkPolicies(settings);
  checkCustomRoleArn(settings.customRoleArn, context.scope);
}

export const repositoryCreationTemplateHandlers: OperationHandlers = {
  CreateRepositoryCreationTemplate(input, context) {
    checkSettings(input, context);
    const now = context.services.clock.now().getTime();
    // User guide, "Templates to control repositories": without settings, mutable tags and AES-256 encryption.
    const defaults: StoredRepositoryCreationTemplate = {
      prefix: input.prefix,
      encryptionConfiguration: { encryptionType: 'AES256' },
      resourceTags: [],
      imageTagMutability: 'MUTABLE',
      appliedFor: [],
      createdAt: now,
      updatedAt: now,
    };
    const template = merged(defaults, input, now);
    checkTemplate(template);
    if (!context.services.documents.insert('repository-creation-template', context.scope, keyOf(input.prefix), template)) {
      throw new AwsError(
        'TemplateAlreadyExistsException',
        `The repository creation template with the prefix '${input.prefix}' already exists in the registry with id '${context.scope.accountId}'`,
      );
    }
    return { registryId: context.scope.accountId, repositoryCreationTemplate: templateToWire(template) };
  },
  DescribeRepositoryCreationTemplates(input, context) {
    const all = context.services.documents.list('repository-creation-template', context.scope);
    // Prefixes without a template are left out: the model gives this operation no not-found error.
    const wanted = input.prefixes === undefined ? undefined : new Set(input.prefixes.map(keyOf));
    const selected = wanted === undefined ? all : all.filter(({ key }) => wanted.has(key));
    const { page, ...next } = pageOf(pageRequest('DescribeRepositoryCreationTemplates', input), selected, ({ key }) => key);
    return { registryId: context.scope.accountId, repositoryCreationTemplates: page.map(({ value }) => templateToWire(value)), ...next };
  },
  UpdateRepositoryCreationTemplate(input, context) {
    const current = storedTemplate(context, input.prefix);
    checkSettings(input, context);
    const template = merged(current, input, context.services.clock.now().getTime());
    checkTemplate(template);
    context.services.documents.put('repository-creation-template', context.scope, keyOf(input.prefix), template);
    return { registryId: context.scope.accountId, repositoryCreationTemplate: templateToWire(template) };
  },
  DeleteRepositoryCreationTemplate(input, context) {
    const current = storedTemplate(context, input.prefix);
    context.services.documents.delete('repository-creation-template', context.scope, keyOf(input.prefix));
    return { registryId: context.scope.accountId, repositoryCreationTemplate: templateToWire(current) };
  },
};
