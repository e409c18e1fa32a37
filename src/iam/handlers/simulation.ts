// IAM's policy simulator over the wire: SimulatePrincipalPolicy (a user's, group's or role's own policies, a user's
// groups', its boundary) and SimulateCustomPolicy (policies given as text), every action × resource decided by
// auth/policy-evaluation and answered as IAM's EvaluationResults. A simulation decides; it performs nothing.
import { IDENTITY_POLICY_RULES, parsePolicyDocument, type PolicyDocument, type PolicyRules } from '../../auth/iam-policy';
import { evaluate, statementCovers, type ApplicablePolicy, type Decision, type EvaluationRequest, type PolicyKind, type PolicyVerdict } from '../../auth/policy-evaluation';
import type { ConditionContext } from '../../auth/policy-conditions';
import { principalContext } from '../../auth/principal-match';
import type { Principal } from '../../auth/principal';
import type { ContextEntry, EvaluationResult, PolicyEvaluationDecisionType, PolicySourceType, SimulatePolicyResponse, SimulatePrincipalPolicyRequest, Statement } from '../../aws/iam-types.generated';
import { QueryError } from '../../aws/query-error';
import { DomainError } from '../../images/domain-error';
import { isAwsManagedPolicyArn } from '../aws-managed-policies';
import type { IamContext, IamHandlers } from '../iam-context';
import type { IamDirectory } from '../iam-directory';
import type { IamGroup, IamRole, IamUser, PolicyHolder } from '../iam-entities';
import { entityNotFound, invalidArn } from '../iam-errors';
import { pageOf } from '../iam-paging';
import { statementSpans } from '../policy-positions';

/**
 * A policy in the simulation, with what IAM reports of it: its id (a policy name, `PolicyInputList.1`), its type and
 * its text. `name` is unique in the simulation (a user's and a group's inline policies may share a policy name).
 */
interface SimulatedPolicy extends ApplicablePolicy {
  sourcePolicyId: string;
  sourceType: PolicySourceType;
  text: string;
}

/** Everything a simulation decides with, whichever operation assembled it. */
interface Simulation {
  /**
   * Whom the request is decided as: the caller (CallerArn, or the user PolicySourceArn names), a role as its
   * session, or an anonymous principal of the account.
   */
  actingAs: Principal;
  context: ConditionContext;
  identityPolicies: SimulatedPolicy[];
  boundary?: SimulatedPolicy;
  resourcePolicy?: SimulatedPolicy;
  /** The account of resources whose ARN names none, and of the resource policy. */
  resourceOwner: string;
}

/** What both operations take: SimulateCustomPolicy's input has every member but PolicySourceArn. */
type SimulationInput = Omit<SimulatePrincipalPolicyRequest, 'PolicySourceArn'>;

// Any service's resource policy can be simulated (an S3 bucket policy as well as a repository policy).
const RESOURCE_POLICY_RULES: PolicyRules = { principal: 'required', resource: 'optional' };
const IAM_ARN = /^arn:aws:iam::(\d{12}):(user|group|role)(\/(?:[^/]+\/)*)([^/]+)$/;

/** IAM words no refusal of a simulated document that any public report quotes: these wordings are the emulator's. */
function parseInput(text: string, rules: PolicyRules, what: string): PolicyDocument {
  try {
    return parsePolicyDocument(text, rules);
  } catch (error) {
    if (error instanceof DomainError) throw new QueryError('InvalidInput', `${what} is not a valid policy: ${error.message}`);
    throw error;
  }
}

function inputPolicies(texts: readonly string[] | undefined, list: string, kind: PolicyKind): SimulatedPolicy[] {
  return (texts ?? []).map((text, index) => {
    const name = `${list}.${index + 1}`;
    return { kind, name, sourcePolicyId: name, sourceType: 'none', text, document: parseInput(text, IDENTITY_POLICY_RULES, name) };
  });
}

function managedPolicy(directory: IamDirectory, accountId: string, arn: string, kind: PolicyKind): SimulatedPolicy[] {
  const text = directory.defaultDocument(accountId, arn);
  if (text === undefined) return [];
  // A stored document passed IAM's checks, which include evaluation's grammar.
  const sourceType = isAwsManagedPolicyArn(arn) ? 'aws-managed' : 'user-managed';
  return [{ kind, name: arn, sourcePolicyId: arn.slice(arn.lastIndexOf('/') + 1), sourceType, text, document: parsePolicyDocument(text, IDENTITY_POLICY_RULES) }];
}

/** The holders' inline policies (typed by the holder's kind), then their managed policies, each once. */
function holderPolicies(directory: IamDirectory, accountId: string, holders: readonly PolicyHolder[]): SimulatedPolicy[] {
  const inline = holders.flatMap((holder) => directory.inlinePolicyNames(accountId, holder).map((policyName): SimulatedPolicy => {
    const text = directory.getInlinePolicy(accountId, holder, policyName);
    const name = `inline policy ${policyName} of ${holder.kind}/${holder.name}`;
    return { kind: 'identity', name, sourcePolicyId: policyName, sourceType: holder.kind, text, document: parsePolicyDocument(text, IDENTITY_POLICY_RULES) };
  }));
  const arns = new Set(holders.flatMap((holder) => directory.attachedPolicies(accountId, holder).map(({ policyArn }) => policyArn)));
  return [...inline, ...[...arns].flatMap((arn) => managedPolicy(directory, accountId, arn, 'identity'))];
}

/** The simulated caller CallerArn names: "You can specify only the ARN of an IAM user." */
function callerUser(directory: IamDirectory, callerArn: string): Principal {
  const match = IAM_ARN.exec(callerArn);
  if (match === null || match[2] !== 'user') throw new QueryError('InvalidInput', `Invalid CallerArn ${callerArn}: only the ARN of an IAM user can be the simulated caller.`);
  const found = directory.getUser(match[1]!, match[4]!);
  const isKnown = found !== undefined && found.arn === callerArn;
  return { kind: 'user', arn: callerArn, accountId: match[1]!, userId: isKnown ? found.userId : '', tags: isKnown ? { ...found.tags } : {}, identityArn: callerArn };
}

/** Without a caller, the simulation decides as a principal of the account that no Principal element names. */
function anonymousCaller(accountId: string): Principal {
  return { kind: 'user', arn: '', accountId, userId: '', tags: {} };
}

/** The principal's keys (none without one), then ContextEntries, which override them. */
function contextOf(entries: readonly ContextEntry[] | undefined, principal: Principal | undefined): ConditionContext {
  const context: Record<string, readonly string[]> = principal === undefined ? {} : { ...principalContext(principal) };
  for (const entry of entries ?? []) if (entry.ContextKeyName !== undefined) context[entry.ContextKeyName] = entry.ContextKeyValues ?? [];
  return context;
}

/** ResourceOwner as IAM takes it: `arn:aws:iam::<account>:root` (or the bare account id). */
function ownerAccount(resourceOwner: string | undefined, fallback: string): string {
  if (resourceOwner === undefined) return fallback;
  const match = /^(?:arn:aws:iam::(\d{12}):root|(\d{12}))$/.exec(resourceOwner);
  if (match === null) throw invalidArn(resourceOwner);
  return match[1] ?? match[2]!;
}

function resourcePolicyOf(input: SimulationInput, caller: Principal | undefined): SimulatedPolicy | undefined {
  if (input.ResourcePolicy === undefined) return undefined;
  // "CallerArn is required if you include a ResourcePolicy and the PolicySourceArn is not the ARN for an IAM user."
  if (caller === undefined) throw new QueryError('InvalidInput', 'CallerArn is required when ResourcePolicy is given and PolicySourceArn is not an IAM user.');
  const document = parseInput(input.ResourcePolicy, RESOURCE_POLICY_RULES, 'ResourcePolicy');
  return { kind: 'resource', name: 'ResourcePolicy', sourcePolicyId: 'ResourcePolicy', sourceType: 'resource', text: input.ResourcePolicy, document };
}

function boundaryOf(input: SimulationInput, stored: SimulatedPolicy | undefined): SimulatedPolicy | undefined {
  const given = inputPolicies(input.PermissionsBoundaryPolicyInputList, 'PermissionsBoundaryPolicyInputList', 'permissions-boundary');
  // "You can input only one permissions boundary"; one given replaces the entity's own for the simulation.
  if (given.length > 1) throw new QueryError('InvalidInput', 'Only one permissions boundary policy can be simulated.');
  return given[0] ?? stored;
}

interface Subject {
  accountId: string;
  /** The IAM user the simulation calls as, when there is one: only a caller can be named by a resource policy. */
  caller?: Principal;
  /** A role simulated without a CallerArn acts as its session. */
  role?: Principal;
  identityPolicies: SimulatedPolicy[];
  storedBoundary?: SimulatedPolicy;
}

function simulationOf(input: SimulationInput, subject: Subject): Simulation {
  const { caller, identityPolicies } = subject;
  const named = caller ?? subject.role;
  const actingAs = named ?? anonymousCaller(subject.accountId);
  const boundary = boundaryOf(input, subject.storedBoundary);
  const resourcePolicy = resourcePolicyOf(input, caller);
  return {
    actingAs,
    context: contextOf(input.ContextEntries, named),
    identityPolicies: [...identityPolicies, ...inputPolicies(input.PolicyInputList, 'PolicyInputList', 'identity')],
    ...(boundary !== undefined ? { boundary } : {}),
    ...(resourcePolicy !== undefined ? { resourcePolicy } : {}),
    resourceOwner: ownerAccount(input.ResourceOwner, actingAs.accountId),
  };
}

/** The condition keys and policy variables a statement reads. */
function keysRead(statement: PolicyDocument['statements'][number]): string[] {
  const conditions = Object.values(statement.conditions ?? {});
  const texts = [...(statement.resources ?? statement.notResources ?? []), ...conditions.flatMap((keys) => Object.values(keys).flat())];
  const variables = texts.flatMap((text) => [...text.matchAll(/\$\{([^}]+)\}/g)].map((found) => found[1]!.split(',')[0]!.trim()));
  return [...conditions.flatMap((keys) => Object.keys(keys)), ...variables.filter((name) => !['*', '?', '$'].includes(name))];
}

/** "Context keys that are required by the included input policies but that were not provided": of covering statements. */
function missingContextValues(policies: readonly SimulatedPolicy[], request: EvaluationRequest): string[] {
  const present = new Set(Object.keys(request.context).map((key) => key.toLowerCase()));
  const missing = new Map<string, string>();
  for (const policy of policies) {
    for (const statement of policy.document.statements) {
      if (!statementCovers(statement, policy, request)) continue;
      for (const key of keysRead(statement)) if (!present.has(key.toLowerCase())) missing.set(key.toLowerCase(), key);
    }
  }
  return [...missing.values()];
}

const DECISIONS: Record<PolicyVerdict, PolicyEvaluationDecisionType> = { allowed: 'allowed', 'explicit-deny': 'explicitDeny', 'implicit-deny': 'implicitDeny' };

function decisionOf(decision: Decision): PolicyEvaluationDecisionType {
  if (decision.isAllowed) return 'allowed';
  return decision.reason.startsWith('explicit-deny') ? 'explicitDeny' : 'implicitDeny';
}

/** "The statements in the input policies that determine the result": the Denies of a deny, the Allows of an allow. */
function matchedStatements(decision: Decision, policies: readonly SimulatedPolicy[]): Statement[] {
  const effect = decision.isAllowed ? 'Allow' : decision.reason.startsWith('explicit-deny') ? 'Deny' : undefined;
  return decision.matched.filter((matched) => matched.effect === effect).map((matched) => {
    const policy = policies.find((candidate) => candidate.kind === matched.kind && candidate.name === matched.policy)!;
    const span = statementSpans(policy.text, policy.document.statements.length)?.[matched.index];
    return { SourcePolicyId: policy.sourcePolicyId, SourcePolicyType: policy.sourceType, ...(span !== undefined ? { StartPosition: span.start, EndPosition: span.end } : {}) };
  });
}

/**
 * EvalDecisionDetails, as its documentation has it: per policy type for a cross-account simulation, present but
 * empty within one account for a named resource, absent for `*`. The keys ("IAM Policy", "Resource Policy") are not
 * documented; these are the emulator's.
 */
function decisionDetails(decision: Decision, request: EvaluationRequest): { EvalDecisionDetails?: Record<string, PolicyEvaluationDecisionType> } {
  if (request.principal.accountId !== request.resourceAccountId) {
    return { EvalDecisionDetails: { 'IAM Policy': DECISIONS[decision.verdicts.identity ?? 'implicit-deny'], 'Resource Policy': DECISIONS[decision.verdicts.resource ?? 'implicit-deny'] } };
  }
  return request.resource === '*' ? {} : { EvalDecisionDetails: {} };
}

function resultOf(simulation: Simulation, action: string, resource: string, hasResourceList: boolean): EvaluationResult {
  const arnAccount = resource.split(':')[4] ?? '';
  const request: EvaluationRequest = {
    principal: simulation.actingAs,
    action,
    resource,
    resourceAccountId: /^\d{12}$/.test(arnAccount) ? arnAccount : simulation.resourceOwner,
    context: simulation.context,
    identityPolicies: simulation.identityPolicies,
    ...(simulation.boundary !== undefined ? { permissionsBoundary: simulation.boundary } : {}),
    ...(simulation.resourcePolicy !== undefined ? { resourcePolicy: simulation.resourcePolicy } : {}),
    evaluatesIdentityPolicies: true,
  };
  const policies = [...simulation.identityPolicies, ...(simulation.boundary ? [simulation.boundary] : []), ...(simulation.resourcePolicy ? [simulation.resourcePolicy] : [])];
  const decision = evaluate(request);
  const [EvalDecision, MatchedStatements, missing] = [decisionOf(decision), matchedStatements(decision, policies), missingContextValues(policies, request)];
  const boundaryDetail = simulation.boundary === undefined ? {} : { PermissionsBoundaryDecisionDetail: { AllowedByPermissionsBoundary: decision.verdicts['permissions-boundary'] === 'allowed' } };
  const details = decisionDetails(decision, request);
  return {
    EvalActionName: action,
    EvalResourceName: resource,
    EvalDecision,
    MatchedStatements,
    // "This list is used when the resource in a simulation is '*' … If you include a list of resources, then any
    // missing context values are instead included under the ResourceSpecificResults section."
    MissingContextValues: resource === '*' ? missing : [],
    ...boundaryDetail,
    ...details,
    ...(hasResourceList ? { ResourceSpecificResults: [{ EvalResourceName: resource, EvalResourceDecision: EvalDecision, MatchedStatements, MissingContextValues: missing, ...details, ...boundaryDetail }] } : {}),
  };
}

/** One result per action and resource, actions in the order given, paged by MaxItems and Marker. */
function simulate(simulation: Simulation, input: SimulationInput): SimulatePolicyResponse {
  const resources = input.ResourceArns ?? ['*'];
  const results = input.ActionNames.flatMap((action) => resources.map((resource) => ({ action, resource })));
  const { items, ...page } = pageOf(results, input);
  return { EvaluationResults: items.map(({ action, resource }) => resultOf(simulation, action, resource, input.ResourceArns !== undefined)), ...page };
}

function findEntity(directory: IamDirectory, accountId: string, holder: PolicyHolder): IamUser | IamRole | IamGroup | undefined {
  switch (holder.kind) {
    case 'user':
      return directory.getUser(accountId, holder.name);
    case 'role':
      return directory.getRole(accountId, holder.name);
    case 'group':
      return directory.listGroups(accountId).find((group) => group.groupName.toLowerCase() === holder.name.toLowerCase());
    default: {
      const unknownKind: never = holder.kind;
      throw new Error(`unknown policy holder kind ${String(unknownKind)}`);
    }
  }
}

/** The entity PolicySourceArn names in the caller's account, its policies (a user's groups' too) and its boundary. */
function principalSimulation(input: SimulatePrincipalPolicyRequest, { principal, directory }: IamContext): Simulation {
  const match = IAM_ARN.exec(input.PolicySourceArn);
  if (match === null) throw invalidArn(input.PolicySourceArn);
  const [, accountId, kind, path, name] = match as unknown as [string, string, PolicyHolder['kind'], string, string];
  const entity = accountId === principal.accountId ? findEntity(directory, accountId, { kind, name }) : undefined;
  if (entity === undefined || entity.path !== path) throw entityNotFound(kind, name);
  const groups = kind === 'user' ? directory.groupsForUser(accountId, name).map((group): PolicyHolder => ({ kind: 'group', name: group.groupName })) : [];
  const boundaryArn = 'permissionsBoundaryArn' in entity ? entity.permissionsBoundaryArn : undefined;
  const storedBoundary = boundaryArn === undefined ? undefined : managedPolicy(directory, accountId, boundaryArn, 'permissions-boundary')[0];
  const caller = input.CallerArn !== undefined ? callerUser(directory, input.CallerArn) : kind === 'user' ? directory.userPrincipal(accountId, name) : undefined;
  const role: Principal | undefined = 'roleName' in entity ? { kind: 'assumed-role', arn: entity.arn, accountId, userId: entity.roleId, tags: { ...entity.tags }, identityArn: entity.arn } : undefined;
  return simulationOf(input, {
    accountId,
    ...(caller !== undefined ? { caller } : {}),
    ...(role !== undefined ? { role } : {}),
    identityPolicies: holderPolicies(directory, accountId, [{ kind, name }, ...groups]),
    ...(storedBoundary !== undefined ? { storedBoundary } : {}),
  });
}

export const simulationHandlers: IamHandlers = {
  SimulatePrincipalPolicy(input, context) {
    return simulate(principalSimulation(input, context), input);
  },

  SimulateCustomPolicy(input, { principal, directory }) {
    const caller = input.CallerArn !== undefined ? callerUser(directory, input.CallerArn) : undefined;
    return simulate(simulationOf(input, { accountId: principal.accountId, ...(caller !== undefined ? { caller } : {}), identityPolicies: [] }), input);
  },
};
