// The least-privilege identity policy a principal's decision records call for: every action it asked for, allowed
// or denied, granted on exactly the resources it asked for. Pure; it reads records and decides nothing.
import type { DecisionRecord } from './decision-log';

export interface SuggestedStatement {
  Sid: string;
  Effect: 'Allow';
  Action: string[];
  Resource: string[];
}

export interface SuggestedPolicy {
  Version: '2012-10-17';
  Statement: SuggestedStatement[];
}

// Actions without a resource ARN (ecr:GetAuthorizationToken, registry-wide settings) are granted on "*".
const ANY_RESOURCE = '*';
const REPOSITORY_ARN = /^arn:[^:]*:ecr:[^:]*:[^:]*:repository\/(.+)$/;

/** `team/web-app` → `TeamWebApp`. IAM allows only letters and digits in a Sid. */
function pascalCase(text: string): string {
  return text
    .split(/[^A-Za-z0-9]+/)
    .filter((word) => word !== '')
    .map((word) => word[0]!.toUpperCase() + word.slice(1))
    .join('');
}

/** The Sid a statement on this resource would like: its repository's name, or `Registry` for "*". */
function preferredSid(resource: string): string {
  if (resource === ANY_RESOURCE) return 'Registry';
  const repository = REPOSITORY_ARN.exec(resource)?.[1];
  if (repository === '*') return 'AllRepositories';
  return pascalCase(repository ?? resource.split(/[:/]/).pop() ?? '');
}

/** Preferred Sids, numbered from 2 on a clash (the same repository name in two accounts or regions). */
function uniqueSids(resources: readonly string[]): string[] {
  const taken = new Set<string>();
  return resources.map((resource, index) => {
    const base = preferredSid(resource) || `Resource${index}`;
    let sid = base;
    for (let suffix = 2; taken.has(sid.toLowerCase()); suffix += 1) sid = `${base}${suffix}`;
    // Sids are unique within a policy regardless of case.
    taken.add(sid.toLowerCase());
    return sid;
  });
}

/** Sorted, one spelling per action: IAM action names are case-insensitive, so `ecr:batchgetimage` is a duplicate. */
function distinctActions(actions: Iterable<string>): string[] {
  const byName = new Map<string, string>();
  for (const action of [...actions].sort()) {
    if (!byName.has(action.toLowerCase())) byName.set(action.toLowerCase(), action);
  }
  return [...byName.values()].sort();
}

/**
 * One statement per resource, resources in code-unit order (so "*" comes first), each with its sorted distinct
 * actions. The same records in any order give the same policy; no records give an empty Statement list.
 */
export function suggestedPolicy(records: readonly DecisionRecord[]): SuggestedPolicy {
  const actionsByResource = new Map<string, Set<string>>();
  for (const { resource, action } of records) {
    const actions = actionsByResource.get(resource) ?? new Set<string>();
    actions.add(action);
    actionsByResource.set(resource, actions);
  }
  const resources = [...actionsByResource.keys()].sort();
  const sids = uniqueSids(resources);
  return {
    Version: '2012-10-17',
    Statement: resources.map((resource, index) => ({
      Sid: sids[index]!,
      Effect: 'Allow',
      Action: distinctActions(actionsByResource.get(resource)!),
      Resource: [resource],
    })),
  };
}
