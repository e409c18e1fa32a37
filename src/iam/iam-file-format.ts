// The IAM file's format (--iam-file): parses its JSON into typed, normalized contents, or throws an Error whose
// message is one line naming the file, the entry and the problem. Knows no directory: iam-file.ts loads the result.

/** A managed policy declared in the file. Documents are JSON text, however the file wrote them. */
export interface FilePolicy {
  name: string;
  path: string;
  description?: string;
  document: string;
}

/** What users, groups and roles can carry: managed policy ARNs (names resolved) and inline documents by name. */
export interface FileHolder {
  name: string;
  path: string;
  managedPolicyArns: string[];
  inlinePolicies: Record<string, string>;
}

export interface FileAccessKey {
  accessKeyId: string;
  secretAccessKey: string;
  status: 'Active' | 'Inactive';
}

export interface FileUser extends FileHolder {
  tags: Record<string, string>;
  groups: string[];
  accessKeys: FileAccessKey[];
  permissionsBoundaryArn?: string;
}

export interface FileRole extends FileHolder {
  description?: string;
  assumeRolePolicy: string;
  maxSessionDuration: number;
  tags: Record<string, string>;
  permissionsBoundaryArn?: string;
}

export interface FileAccount {
  accountId: string;
  policies: FilePolicy[];
  groups: FileHolder[];
  users: FileUser[];
  roles: FileRole[];
}

export interface IamFileContents {
  /** The path the file was read from, for messages. */
  source: string;
  accounts: FileAccount[];
}

type JsonObject = Record<string, unknown>;

/** Where in the file a value is, as it is named in messages: `accounts["111111111111"].users[0].name`. */
type Where = string;

export class IamFileError extends Error {
  constructor(source: string, where: Where, problem: string) {
    super(`iam file ${source}: ${where === '' ? '' : `${where}: `}${problem}`);
    this.name = 'IamFileError';
  }
}

// IAM's name and path rules, as the IAM model states them (userNameType, groupNameType, pathType, policyPathType...).
const NAME = /^[\w+=,.@-]+$/;
const MAX_NAME_LENGTH = { user: 64, group: 128, role: 64, policy: 128 } as const;
const PATH = /^\/$|^\/[\u0021-\u007E]+\/$/;
const POLICY_PATH = /^(\/[A-Za-z0-9.,+@=_-]+)*\/$/;
const POLICY_ARN = /^arn:aws:iam::(\d{12}|aws):policy(\/[A-Za-z0-9.,+@=_-]+)*\/[\w+=,.@-]+$/;
const ACCESS_KEY_ID = /^AKIA[A-Z0-9]{16}$/;
const TAG_KEY = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,128}$/u;
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$/u;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reads one file's entries; every failure names its place. */
function reader(source: string) {
  const fail = (where: Where, problem: string): never => {
    throw new IamFileError(source, where, problem);
  };

  function object(value: unknown, where: Where, members: readonly string[]): JsonObject {
    if (!isObject(value)) return fail(where, 'must be an object');
    const unknown = Object.keys(value).find((member) => !members.includes(member));
    if (unknown !== undefined) fail(`${where}.${unknown}`, `is not a member of this entry (expected one of ${members.join(', ')})`);
    return value;
  }

  function list(value: unknown, where: Where): unknown[] {
    if (value === undefined) return [];
    if (!Array.isArray(value)) return fail(where, 'must be a list');
    return value;
  }

  function text(value: unknown, where: Where, pattern?: RegExp, what?: string): string {
    if (typeof value !== 'string') return fail(where, 'must be a string');
    if (pattern !== undefined && !pattern.test(value)) fail(where, `'${value}' ${what ?? 'is not valid'}`);
    return value;
  }

  function name(value: unknown, where: Where, kind: keyof typeof MAX_NAME_LENGTH): string {
    const given = text(value, where, NAME, 'is not a valid IAM name (letters, digits and +=,.@_-)');
    if (given.length > MAX_NAME_LENGTH[kind]) fail(where, `must be at most ${MAX_NAME_LENGTH[kind]} characters`);
    return given;
  }

  function path(value: unknown, where: Where, pattern: RegExp = PATH): string {
    if (value === undefined) return '/';
    const given = text(value, where, pattern, "is not a valid IAM path (it starts and ends with '/')");
    if (given.length > 512) fail(where, 'must be at most 512 characters');
    return given;
  }

  /** A policy document: a JSON object, or its text. IAM checks the grammar when the file is loaded. */
  function document(value: unknown, where: Where): string {
    if (typeof value === 'string') return value;
    if (isObject(value)) return JSON.stringify(value);
    return fail(where, 'must be a policy document (a JSON object, or its text)');
  }

  function tags(value: unknown, where: Where): Record<string, string> {
    if (value === undefined) return {};
    if (!isObject(value)) return fail(where, 'must be an object of tag keys to values');
    for (const [key, tagValue] of Object.entries(value)) {
      if (!TAG_KEY.test(key)) fail(`${where}["${key}"]`, 'is not a valid tag key');
      text(tagValue, `${where}["${key}"]`, TAG_VALUE, 'is not a valid tag value');
    }
    return value as Record<string, string>;
  }

  function unique(names: readonly string[], where: (index: number) => Where): void {
    names.forEach((candidate, index) => {
      const first = names.findIndex((other) => other.toLowerCase() === candidate.toLowerCase());
      if (first !== index) fail(where(index), `'${candidate}' is declared twice (names are unique case-insensitively, see ${where(first)})`);
    });
  }

  return { fail, object, list, text, name, path, document, tags, unique };
}

type Reader = ReturnType<typeof reader>;

/** Policy references are ARNs, or the names of policies the same account declares. */
function policyArnOf(r: Reader, value: unknown, where: Where, account: { accountId: string; policies: FilePolicy[] }): string {
  const reference = r.text(value, where);
  if (POLICY_ARN.test(reference)) return reference;
  const declared = account.policies.find((policy) => policy.name === reference);
  if (declared === undefined) return r.fail(where, `'${reference}' is neither a policy ARN nor the name of a policy this account declares`);
  return `arn:aws:iam::${account.accountId}:policy${declared.path}${declared.name}`;
}

function holderOf(r: Reader, value: JsonObject, where: Where, kind: 'user' | 'group' | 'role', account: { accountId: string; policies: FilePolicy[] }): FileHolder {
  const inline = value.inlinePolicies === undefined ? {} : value.inlinePolicies;
  if (!isObject(inline)) return r.fail(`${where}.inlinePolicies`, 'must be an object of policy names to documents');
  const inlinePolicies: Record<string, string> = {};
  for (const [policyName, document] of Object.entries(inline)) {
    r.name(policyName, `${where}.inlinePolicies["${policyName}"]`, 'policy');
    inlinePolicies[policyName] = r.document(document, `${where}.inlinePolicies["${policyName}"]`);
  }
  return {
    name: r.name(value.name, `${where}.name`, kind),
    path: r.path(value.path, `${where}.path`),
    managedPolicyArns: r.list(value.managedPolicies, `${where}.managedPolicies`).map((arn, index) => policyArnOf(r, arn, `${where}.managedPolicies[${index}]`, account)),
    inlinePolicies,
  };
}

function accessKeyOf(r: Reader, value: unknown, where: Where): FileAccessKey {
  const key = r.object(value, where, ['accessKeyId', 'secretAccessKey', 'status']);
  const secretAccessKey = r.text(key.secretAccessKey, `${where}.secretAccessKey`);
  if (secretAccessKey.length !== 40) r.fail(`${where}.secretAccessKey`, 'must be 40 characters');
  const status = key.status === undefined ? 'Active' : r.text(key.status, `${where}.status`, /^(Active|Inactive)$/, "is neither 'Active' nor 'Inactive'");
  return {
    accessKeyId: r.text(key.accessKeyId, `${where}.accessKeyId`, ACCESS_KEY_ID, 'is not an access key id (AKIA and 16 upper-case letters or digits)'),
    secretAccessKey,
    status: status as FileAccessKey['status'],
  };
}

function accountOf(r: Reader, accountId: string, value: unknown): FileAccount {
  const where = `accounts["${accountId}"]`;
  if (!/^\d{12}$/.test(accountId)) r.fail(where, 'is not an account id (12 digits)');
  const account = r.object(value, where, ['policies', 'groups', 'users', 'roles']);
  const policies = r.list(account.policies, `${where}.policies`).map((entry, index): FilePolicy => {
    const at = `${where}.policies[${index}]`;
    const policy = r.object(entry, at, ['name', 'path', 'description', 'document']);
    if (policy.document === undefined) r.fail(`${at}.document`, 'is required');
    return {
      name: r.name(policy.name, `${at}.name`, 'policy'),
      path: r.path(policy.path, `${at}.path`, POLICY_PATH),
      ...(policy.description !== undefined ? { description: r.text(policy.description, `${at}.description`) } : {}),
      document: r.document(policy.document, `${at}.document`),
    };
  });
  const scope = { accountId, policies };
  const groups = r.list(account.groups, `${where}.groups`).map((entry, index) => {
    const at = `${where}.groups[${index}]`;
    return holderOf(r, r.object(entry, at, ['name', 'path', 'managedPolicies', 'inlinePolicies']), at, 'group', scope);
  });
  const users = r.list(account.users, `${where}.users`).map((entry, index): FileUser => {
    const at = `${where}.users[${index}]`;
    const user = r.object(entry, at, ['name', 'path', 'tags', 'groups', 'accessKeys', 'managedPolicies', 'inlinePolicies', 'permissionsBoundary']);
    const memberOf = r.list(user.groups, `${at}.groups`).map((group, groupIndex) => {
      const groupName = r.text(group, `${at}.groups[${groupIndex}]`);
      if (!groups.some((declared) => declared.name.toLowerCase() === groupName.toLowerCase())) r.fail(`${at}.groups[${groupIndex}]`, `'${groupName}' is not a group this account declares`);
      return groupName;
    });
    const accessKeys = r.list(user.accessKeys, `${at}.accessKeys`).map((key, keyIndex) => accessKeyOf(r, key, `${at}.accessKeys[${keyIndex}]`));
    if (accessKeys.length > 2) r.fail(`${at}.accessKeys`, 'a user has at most 2 access keys');
    return {
      ...holderOf(r, user, at, 'user', scope),
      tags: r.tags(user.tags, `${at}.tags`),
      groups: memberOf,
      accessKeys,
      ...(user.permissionsBoundary !== undefined ? { permissionsBoundaryArn: policyArnOf(r, user.permissionsBoundary, `${at}.permissionsBoundary`, scope) } : {}),
    };
  });
  const roles = r.list(account.roles, `${where}.roles`).map((entry, index): FileRole => {
    const at = `${where}.roles[${index}]`;
    const role = r.object(entry, at, ['name', 'path', 'description', 'assumeRolePolicy', 'maxSessionDuration', 'tags', 'managedPolicies', 'inlinePolicies', 'permissionsBoundary']);
    if (role.assumeRolePolicy === undefined) r.fail(`${at}.assumeRolePolicy`, 'is required (the trust policy: who may assume the role)');
    const seconds = role.maxSessionDuration ?? 3600;
    if (!Number.isInteger(seconds) || (seconds as number) < 3600 || (seconds as number) > 43200) r.fail(`${at}.maxSessionDuration`, 'must be a whole number of seconds from 3600 to 43200');
    return {
      ...holderOf(r, role, at, 'role', scope),
      ...(role.description !== undefined ? { description: r.text(role.description, `${at}.description`) } : {}),
      assumeRolePolicy: r.document(role.assumeRolePolicy, `${at}.assumeRolePolicy`),
      maxSessionDuration: seconds as number,
      tags: r.tags(role.tags, `${at}.tags`),
      ...(role.permissionsBoundary !== undefined ? { permissionsBoundaryArn: policyArnOf(r, role.permissionsBoundary, `${at}.permissionsBoundary`, scope) } : {}),
    };
  });
  for (const [kind, names] of [['policies', policies], ['groups', groups], ['users', users], ['roles', roles]] as const) {
    r.unique(names.map((entry) => entry.name), (index) => `${where}.${kind}[${index}].name`);
  }
  return { accountId, policies, groups, users, roles };
}

/** Parses and checks the file's text; throws IamFileError with one line naming the entry and the problem. */
export function parseIamFile(text: string, source: string): IamFileContents {
  const r = reader(source);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return r.fail('', `is not valid JSON (${(error as Error).message})`);
  }
  const file = r.object(parsed, '(the file)', ['accounts']);
  if (!isObject(file.accounts)) return r.fail('accounts', 'must be an object of 12-digit account ids to accounts');
  const accounts = Object.entries(file.accounts).map(([accountId, account]) => accountOf(r, accountId, account));
  const keyIds = accounts.flatMap((account) => account.users.flatMap((user, userIndex) => user.accessKeys.map((key, keyIndex) => ({ id: key.accessKeyId, where: `accounts["${account.accountId}"].users[${userIndex}].accessKeys[${keyIndex}].accessKeyId` }))));
  keyIds.forEach((key, index) => {
    const first = keyIds.findIndex((other) => other.id === key.id);
    if (first !== index) r.fail(key.where, `'${key.id}' is declared twice (see ${keyIds[first]!.where})`);
  });
  return { source, accounts };
}
