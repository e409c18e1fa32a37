// Pull-through cache rules: Create, Describe, Update, Delete and ValidatePullThroughCacheRule. Rules are kept in the
// registry document store by ECR repository prefix; which upstreams exist and what they need is upstream-registries.ts.
// Only Validate reaches the upstream, through the pull-through cache, with the secret the rule names.
import { AwsError, invalidParameter } from '../../aws/aws-error';
import type { PullThroughCacheRule, UpstreamRegistry } from '../../aws/ecr-types.generated';
import type { StoredPullThroughCacheRule } from '../../images/registry-documents';
import type { Scope } from '../../kernel/scope';
import { checkCustomRoleArn } from './custom-role';
import type { EcrContext, OperationHandlers } from '../ecr-context';
import { targetScope } from '../ecr-context';
import { pageOf, pageRequest } from '../pagination';
import { needsSecret, upstreamOf, type Upstream } from './upstream-registries';

// Service quotas: 50 pull-through cache rules per registry, not adjustable.
const MAX_RULES = 50;
const ROOT = 'ROOT';
const SECRET_ARN = /^arn:[^:]+:secretsmanager:([^:]+):(\d{12}):secret:/;

/** API reference: "There is always an assumed / applied to the end of the prefix", so `team/` and `team` are one rule. */
function keyOf(prefix: string): string {
  return prefix.endsWith('/') ? prefix.slice(0, -1) : prefix;
}

function ruleNotFound(prefix: string, scope: Scope): AwsError {
  return new AwsError(
    'PullThroughCacheRuleNotFoundException',
    `The pull through cache rule with Amazon ECR repository prefix '${prefix}' does not exist in the registry with id '${scope.accountId}'`,
  );
}

function storedRule(context: EcrContext, scope: Scope, prefix: string): StoredPullThroughCacheRule {
  const stored = context.services.documents.get('pull-through-cache-rule', scope, keyOf(prefix));
  if (stored === undefined) throw ruleNotFound(prefix, scope);
  return stored;
}

function ruleToWire(rule: StoredPullThroughCacheRule, scope: Scope): PullThroughCacheRule {
  const { createdAt, updatedAt, ...members } = rule;
  return { ...members, registryId: scope.accountId, createdAt: new Date(createdAt), updatedAt: new Date(updatedAt) };
}

/**
 * User guide, "Creating a pull through cache rule": the secret must be in the account and Region of the rule. The
 * emulator has no Secrets Manager, so a secret elsewhere is the one case it can tell ECR would never find.
 */
function checkCredentialArn(arn: string | undefined, scope: Scope): void {
  if (arn === undefined) return;
  const [, region, accountId] = SECRET_ARN.exec(arn) ?? [];
  if (region !== scope.region || accountId !== scope.accountId) {
    throw new AwsError(
      'SecretNotFoundException',
      'The ARN of the secret specified in the pull through cache rule was not found. Update the pull through cache rule with a valid secret ARN and try again.',
    );
  }
}

/** The upstream the URL names, checked against the request: the registry it claims and what it needs to sign in. */
function upstreamFor(input: { upstreamRegistryUrl: string; upstreamRegistry?: UpstreamRegistry; credentialArn?: string; customRoleArn?: string }, scope: Scope): Upstream {
  const upstream = upstreamOf(input.upstreamRegistryUrl);
  if (upstream === undefined) throw new AwsError('UnsupportedUpstreamRegistryException', "The specified upstream registry isn't supported.");
  if (input.upstreamRegistry !== undefined && input.upstreamRegistry !== upstream.registry) {
    throw invalidParameter(
      `Invalid parameter at 'upstreamRegistry' failed to satisfy constraint: 'upstream registry ${input.upstreamRegistry} does not match the upstream registry URL ${input.upstreamRegistryUrl}'`,
    );
  }
  // Seen from ECR (aws-controllers-k8s/community#2589): an authenticated upstream without a secret is refused so.
  if (needsSecret(upstream.registry) && input.credentialArn === undefined) {
    throw new AwsError('UnsupportedUpstreamRegistryException', 'The specified upstream registry requires authentication. Specify a valid Secrets Manager ARN.');
  }
  // User guide, "Sync an upstream registry": another account's ECR registry is reached through an IAM role.
  if (upstream.privateRegistry !== undefined && upstream.privateRegistry.accountId !== scope.accountId && input.customRoleArn === undefined) {
    throw invalidParameter("Invalid parameter at 'customRoleArn' failed to satisfy constraint: 'a custom role is required to cache from the Amazon ECR registry of another account'");
  }
  return upstream;
}

/** User guide, "Customizing repository prefixes": only for ECR upstreams, defaulting to ROOT, and never under a ROOT rule. */
function upstreamRepositoryPrefixFor(upstream: Upstream, ecrRepositoryPrefix: string, given: string | undefined): string | undefined {
  if (given !== undefined && given !== ROOT && ecrRepositoryPrefix === ROOT) {
    throw invalidParameter(
      "Invalid parameter at 'upstreamRepositoryPrefix' failed to satisfy constraint: 'an upstream repository prefix can be set only when the ECR repository prefix is not ROOT'",
    );
  }
  return given ?? (upstream.registry === 'ecr' ? ROOT : undefined);
}

export const pullThroughCacheRuleHandlers: OperationHandlers = {
  CreatePullThroughCacheRule(input, context) {
    const scope = targetScope(context, input.registryId);
    const upstream = upstreamFor(input, scope);
    checkCredentialArn(input.credentialArn, scope);
    checkCustomRoleArn(input.customRoleArn, scope);
    const upstreamRepositoryPrefix = upstreamRepositoryPrefixFor(upstream, input.ecrRepositoryPrefix, input.upstreamRepositoryPrefix);
    if (context.services.documents.list('pull-through-cache-rule', scope).length >= MAX_RULES) {
      throw new AwsError('LimitExceededException', `The registry with id '${scope.accountId}' already has the maximum of ${MAX_RULES} pull through cache rules`);
    }
    const now = context.services.clock.now().getTime();
    const rule: StoredPullThroughCacheRule = {
      ecrRepositoryPrefix: input.ecrRepositoryPrefix,
      upstreamRegistryUrl: input.upstreamRegistryUrl,
      upstreamRegistry: upstream.registry,
      ...(input.credentialArn !== undefined ? { credentialArn: input.credentialArn } : {}),
      ...(input.customRoleArn !== undefined ? { customRoleArn: input.customRoleArn } : {}),
      ...(upstreamRepositoryPrefix !== undefined ? { upstreamRepositoryPrefix } : {}),
      createdAt: now,
      updatedAt: now,
    };
    if (!context.services.documents.insert('pull-through-cache-rule', scope, keyOf(input.ecrRepositoryPrefix), rule)) {
      throw new AwsError(
        'PullThroughCacheRuleAlreadyExistsException',
        `The pull through cache rule with Amazon ECR repository prefix '${input.ecrRepositoryPrefix}' already exists in the registry with id '${scope.accountId}'`,
      );
    }
    const { updatedAt: _updated, ...created } = ruleToWire(rule, scope);
    return created;
  },
  DescribePullThroughCacheRules(input, context) {
    const scope = targetScope(context, input.registryId);
    const all = context.services.documents.list('pull-through-cache-rule', scope);
    // Every prefix asked for must exist: ECR names the first one that does not.
    const wanted = input.ecrRepositoryPrefixes === undefined ? undefined : new Set(input.ecrRepositoryPrefixes.map(keyOf));
    for (const prefix of input.ecrRepositoryPrefixes ?? []) storedRule(context, scope, prefix);
    const selected = wanted === undefined ? all : all.filter(({ key }) => wanted.has(key));
    const { page, ...next } = pageOf(pageRequest('DescribePullThroughCacheRules', input), selected, ({ key }) => key);
    return { pullThroughCacheRules: page.map(({ value }) => ruleToWire(value, scope)), ...next };
  },
  UpdatePullThroughCacheRule(input, context) {
    const scope = targetScope(context, input.registryId);
    const current = storedRule(context, scope, input.ecrRepositoryPrefix);
    checkCredentialArn(input.credentialArn, scope);
    checkCustomRoleArn(input.customRoleArn, scope);
    const updated: StoredPullThroughCacheRule = {
      ...current,
      ...(input.credentialArn !== undefined ? { credentialArn: input.credentialArn } : {}),
      ...(input.customRoleArn !== undefined ? { customRoleArn: input.customRoleArn } : {}),
      updatedAt: context.services.clock.now().getTime(),
    };
    context.services.documents.put('pull-through-cache-rule', scope, keyOf(input.ecrRepositoryPrefix), updated);
    const { ecrRepositoryPrefix, credentialArn, customRoleArn, upstreamRepositoryPrefix, updatedAt } = ruleToWire(updated, scope);
    return { ecrRepositoryPrefix, registryId: scope.accountId, updatedAt, credentialArn, customRoleArn, upstreamRepositoryPrefix };
  },
  DeletePullThroughCacheRule(input, context) {
    const scope = targetScope(context, input.registryId);
    const current = storedRule(context, scope, input.ecrRepositoryPrefix);
    context.services.documents.delete('pull-through-cache-rule', scope, keyOf(input.ecrRepositoryPrefix));
    const { updatedAt: _updated, upstreamRegistry: _registry, ...deleted } = ruleToWire(current, scope);
    return deleted;
  },
  async ValidatePullThroughCacheRule(input, context) {
    const scope = targetScope(context, input.registryId);
    const rule = storedRule(context, scope, input.ecrRepositoryPrefix);
    const { ecrRepositoryPrefix, upstreamRegistryUrl, credentialArn, customRoleArn, upstreamRepositoryPrefix } = rule;
    // User guide, "Validating pull through cache rules": ECR connects to the upstream, reads the secret and signs in;
    // what went wrong is the answer's failure, not an exception.
    const validation = await context.services.pullThroughCache.validate(scope, rule);
    return { ecrRepositoryPrefix, registryId: scope.accountId, upstreamRegistryUrl, credentialArn, customRoleArn, upstreamRepositoryPrefix, ...validation };
  },
};
