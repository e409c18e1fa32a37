// The AccessPolicy both planes ask: gathers what applies to a request (the caller's identity policies, boundary and
// session policies from IAM and STS, the repository's or registry's policy and tags from the core), evaluates it
// with auth/policy-evaluation.ts as the --iam mode says, and records every decision in the decision log.
import type { AccessDecision, AccessPolicy, AccessRequest, IamMode } from '../auth/access';
import type { DecisionLog, DecisionResult } from '../auth/decision-log';
import { IDENTITY_POLICY_RULES, REGISTRY_POLICY_RULES, REPOSITORY_POLICY_RULES, TRUST_POLICY_RULES, parsePolicyDocument, type PolicyDocument, type PolicyRules } from '../auth/iam-policy';
import type { ConditionContext } from '../auth/policy-conditions';
import { denialMessage, evaluate, type ApplicablePolicy, type Decision, type EvaluationRequest, type PolicyKind } from '../auth/policy-evaluation';
import { principalContext } from '../auth/principal-match';
import type { Principal } from '../auth/principal';
import type { RegistryDocuments } from '../images/registry-documents';
import type { RepositoryService } from '../images/repository-service';
import type { Clock } from '../kernel/clock';
import type { IamDirectory, NamedPolicy } from './iam-directory';
import type { Sessions } from './sessions';

export interface Refusal {
  principal: string;
  action: string;
  resource: string;
  reason: string;
  message: string;
  /** `<policy> <Sid or Statement[i]>` of the deciding statement, absent for an implicit deny. */
  statement?: string;
}

export interface AccessDeciderOptions {
  mode: IamMode;
  directory: IamDirectory;
  sessions: Sessions;
  repositories: RepositoryService;
  documents: RegistryDocuments;
  clock: Clock;
  decisions: DecisionLog;
  /**
   * Told of every refusal, naming who, what, where and the deciding policy and statement: `isSoft` when soft mode
   * let the request through anyway (a warning), else a denial.
   */
  onRefusal?: (refusal: Refusal, isSoft: boolean) => void;
}

/** Parsed documents by their text: a policy is parsed once, not once per request. Bounded: cleared when full. */
const PARSED_LIMIT = 2000;
/** The same text parses differently under different rules: the cache key says which. */
const RULE_KEYS = new Map<PolicyRules, string>([
  [IDENTITY_POLICY_RULES, 'i'],
  [REPOSITORY_POLICY_RULES, 'p'],
  [REGISTRY_POLICY_RULES, 'r'],
  [TRUST_POLICY_RULES, 't'],
]);

function createParsedPolicies() {
  const parsed = new Map<string, PolicyDocument | null>();
  return (text: string, rules: PolicyRules): PolicyDocument | undefined => {
    const key = `${RULE_KEYS.get(rules) ?? '?'}${text}`;
    let document = parsed.get(key);
    if (document === undefined) {
      if (parsed.size >= PARSED_LIMIT) parsed.clear();
      try {
        document = parsePolicyDocument(text, rules);
      } catch {
        // Every stored policy was validated when written; one that no longer parses grants and denies nothing.
        document = null;
      }
      parsed.set(key, document);
    }
    return document ?? undefined;
  };
}

type IdentitySide = Pick<EvaluationRequest, 'identityPolicies' | 'permissionsBoundary' | 'sessionPolicies'>;

function resultOf(decision: Decision, mode: IamMode): DecisionResult {
  if (decision.isAllowed) return 'allowed';
  return mode === 'soft' ? 'would-be-denied' : 'denied';
}

export interface AccessDecider extends AccessPolicy {
  /** Drops what it derived from IAM: after a reset, which empties the store beneath the directory. */
  forget(): void;
}

/** Identity sides kept per principal while IAM does not change; bounded: cleared when full. */
const IDENTITY_SIDES_LIMIT = 1000;

export function createAccessDecider(options: AccessDeciderOptions): AccessDecider {
  const { mode, directory, sessions, repositories, documents, clock } = options;
  const parse = createParsedPolicies();
  // A push is dozens of requests by one principal: its policies are gathered once per IAM generation, not per request.
  let identitySides = new Map<string, IdentitySide>();
  let identitySidesGeneration = directory.generation();

  let completedPrincipals = new Map<string, Principal>();

  /** Drops what was derived from IAM when IAM changed since, or when the tables are full. */
  function keepCurrent(): void {
    if (directory.generation() === identitySidesGeneration && identitySides.size < IDENTITY_SIDES_LIMIT && completedPrincipals.size < IDENTITY_SIDES_LIMIT) return;
    identitySides = new Map();
    completedPrincipals = new Map();
    identitySidesGeneration = directory.generation();
  }

  function cachedCompleted(principal: Principal): Principal {
    if (principal.accessKeyId === undefined || principal.kind === 'root') return principal;
    keepCurrent();
    const key = `${principal.arn}\n${principal.accessKeyId}`;
    let found = completedPrincipals.get(key);
    if (found === undefined) {
      found = completed(principal);
      completedPrincipals.set(key, found);
    }
    return principal.expiresAt !== undefined ? { ...found, expiresAt: principal.expiresAt } : found;
  }

  function cachedIdentitySide(principal: Principal): IdentitySide {
    keepCurrent();
    const key = `${principal.identityArn ?? principal.arn}\n${principal.sessionPolicy ?? ''}\n${(principal.sessionPolicyArns ?? []).join(',')}`;
    let side = identitySides.get(key);
    if (side === undefined) {
      side = identitySide(principal);
      identitySides.set(key, side);
    }
    return side;
  }

  function applicable(kind: PolicyKind, named: NamedPolicy, rules: PolicyRules = IDENTITY_POLICY_RULES): ApplicablePolicy[] {
    const document = parse(named.document, rules);
    return document === undefined ? [] : [{ kind, name: named.name, document }];
  }

  /**
   * The principal with what a registry token does not carry: a user's tags, a session's tags and policies.
   * Looked up by the access key the principal signed with.
   */
  function completed(principal: Principal): Principal {
    if (principal.accessKeyId === undefined || principal.kind === 'root') return principal;
    const session = sessions.find(principal.accessKeyId);
    if (session !== undefined) return { ...session.principal, ...(principal.expiresAt !== undefined ? { expiresAt: principal.expiresAt } : {}) };
    if (principal.kind !== 'user' || Object.keys(principal.tags).length > 0) return principal;
    const key = directory.findAccessKey(principal.accessKeyId);
    const user = key === undefined ? undefined : directory.userPrincipal(key.accountId, key.userName);
    return user === undefined ? principal : { ...user, accessKeyId: principal.accessKeyId };
  }

  function identitySide(principal: Principal): IdentitySide {
    if (principal.kind === 'root' || principal.identityArn === undefined) return { identityPolicies: [] };
    const policies = directory.policiesFor(principal.identityArn);
    const sessionPolicies = [
      ...(principal.sessionPolicy !== undefined ? applicable('session', { name: 'session policy', document: principal.sessionPolicy }) : []),
      ...(principal.sessionPolicyArns ?? []).flatMap((arn) => {
        const document = directory.defaultDocument(principal.accountId, arn);
        return document === undefined ? [] : applicable('session', { name: arn, document });
      }),
    ];
    const boundary = policies?.permissionsBoundary === undefined ? [] : applicable('permissions-boundary', policies.permissionsBoundary);
    return {
      identityPolicies: (policies?.documents ?? []).flatMap((named) => applicable('identity', named)),
      ...(boundary[0] !== undefined ? { permissionsBoundary: boundary[0] } : {}),
      ...(principal.sessionPolicy !== undefined || (principal.sessionPolicyArns ?? []).length > 0 ? { sessionPolicies } : {}),
    };
  }

  /** The repository's policy and tags for a repository resource; the registry policy for a registry-wide one. */
  function resourceSide(request: AccessRequest): { resourcePolicy?: ApplicablePolicy; context: ConditionContext } {
    const { scope, repository: name, trustPolicy } = request.resource;
    if (trustPolicy !== undefined) {
      const [policy] = applicable('resource', trustPolicy, TRUST_POLICY_RULES);
      return { ...(policy !== undefined ? { resourcePolicy: policy } : {}), context: {} };
    }
    if (name === undefined) {
      const registryPolicy = documents.get('registry-policy', scope, 'policy');
      const [policy] = registryPolicy === undefined ? [] : applicable('resource', { name: `registry policy of ${scope.accountId}`, document: registryPolicy.policyText }, REGISTRY_POLICY_RULES);
      return { ...(policy !== undefined ? { resourcePolicy: policy } : {}), context: {} };
    }
    const record = repositories.find(scope, name);
    const context: Record<string, string[]> = {};
    for (const tag of record?.tags ?? []) {
      context[`aws:ResourceTag/${tag.Key}`] = [tag.Value];
      context[`ecr:ResourceTag/${tag.Key}`] = [tag.Value];
    }
    const [policy] = record?.policyText === undefined ? [] : applicable('resource', { name: `repository policy of ${name}`, document: record.policyText }, REPOSITORY_POLICY_RULES);
    return { ...(policy !== undefined ? { resourcePolicy: policy } : {}), context };
  }

  function evaluated(request: AccessRequest): { evaluation: EvaluationRequest; decision: Decision } {
    const principal = cachedCompleted(request.principal);
    const now = clock.now();
    const resource = resourceSide(request);
    // Condition keys are read by statements only: `--iam off` without a resource policy evaluates none.
    const readsConditionKeys = mode !== 'off' || resource.resourcePolicy !== undefined;
    const evaluation: EvaluationRequest = {
      principal,
      action: request.action,
      resource: request.resource.arn,
      resourceAccountId: request.resource.scope.accountId,
      context: readsConditionKeys
        ? {
            ...principalContext(principal),
            'aws:CurrentTime': [now.toISOString()],
            'aws:EpochTime': [String(Math.floor(now.getTime() / 1000))],
            'aws:RequestedRegion': [request.resource.scope.region],
            ...resource.context,
            ...request.context,
          }
        : {},
      ...(mode === 'off' ? { identityPolicies: [] } : cachedIdentitySide(principal)),
      ...(resource.resourcePolicy !== undefined ? { resourcePolicy: resource.resourcePolicy } : {}),
      evaluatesIdentityPolicies: mode !== 'off',
    };
    return { evaluation, decision: evaluate(evaluation) };
  }

  return {
    decide(request): AccessDecision {
      const { evaluation, decision } = evaluated(request);
      const message = decision.isAllowed ? undefined : denialMessage(evaluation, decision);
      options.decisions.record({
        at: clock.now(),
        principal: evaluation.principal.arn,
        action: request.action,
        resource: request.resource.arn,
        result: resultOf(decision, mode),
        reason: decision.reason,
        ...(message !== undefined ? { message } : {}),
        statements: decision.matched,
      });
      if (message === undefined) return { isAllowed: true };
      const statement = decision.deciding === undefined ? undefined : `${decision.deciding.policy} ${decision.deciding.statement}`;
      const refusal: Refusal = { principal: evaluation.principal.arn, action: request.action, resource: request.resource.arn, reason: decision.reason, message, ...(statement !== undefined ? { statement } : {}) };
      options.onRefusal?.(refusal, mode === 'soft');
      return mode === 'soft' ? { isAllowed: true } : { isAllowed: false, message };
    },
    allows(request) {
      return mode === 'soft' || evaluated(request).decision.isAllowed;
    },
    forget() {
      identitySides = new Map();
      completedPrincipals = new Map();
    },
  };
}
