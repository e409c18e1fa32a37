// The IAM file (--iam-file, ECR_EMULATOR_IAM_FILE): reads it (format in iam-file-format.ts) and loads it into the
// directory through the directory's own rules, so a CI job finds its users, keys, roles and policies at start.
// Every failure is one line naming the file, the entry and the problem.
import { readFileSync } from 'node:fs';
import { QueryError } from '../aws/query-error';
import type { IamDirectory } from './iam-directory';
import { IamFileError, parseIamFile, type FileAccount, type FileHolder, type IamFileContents } from './iam-file-format';
import type { PolicyHolder } from './iam-entities';

export type { IamFileContents } from './iam-file-format';

/** Reads and checks the file; throws an Error whose message is one line (`iam file ./iam.json: accounts[…]…: …`). */
export function readIamFile(path: string): IamFileContents {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new IamFileError(path, '', `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  return parseIamFile(text, path);
}

/** Runs one step of the load; a directory refusal becomes one line naming the entry (`… .document: MalformedPolicyDocument: …`). */
function step(contents: IamFileContents, where: string, action: () => void): void {
  try {
    action();
  } catch (error) {
    if (error instanceof QueryError) throw new IamFileError(contents.source, where, `${error.code}: ${error.message}`);
    throw error;
  }
}

function toTags(tags: Record<string, string>): { key: string; value: string }[] {
  return Object.entries(tags).map(([key, value]) => ({ key, value }));
}

/** Attaches and embeds what the file gives a holder, skipping what it already has. */
function loadHolderPolicies(contents: IamFileContents, directory: IamDirectory, accountId: string, holder: PolicyHolder, entry: FileHolder, where: string): void {
  const attached = directory.attachedPolicies(accountId, holder).map((policy) => policy.policyArn);
  entry.managedPolicyArns.forEach((arn, index) => {
    if (!attached.includes(arn)) step(contents, `${where}.managedPolicies[${index}]`, () => directory.attachPolicy(accountId, holder, arn));
  });
  const embedded = directory.inlinePolicyNames(accountId, holder);
  for (const [policyName, document] of Object.entries(entry.inlinePolicies)) {
    if (!embedded.includes(policyName)) step(contents, `${where}.inlinePolicies["${policyName}"]`, () => directory.putInlinePolicy(accountId, holder, policyName, document));
  }
}

function loadAccount(contents: IamFileContents, directory: IamDirectory, account: FileAccount): void {
  const { accountId } = account;
  const at = `accounts["${accountId}"]`;
  const existingPolicies = directory.listPolicies(accountId, { scope: 'Local' }).map((policy) => policy.policyName.toLowerCase());
  account.policies.forEach((policy, index) => {
    if (existingPolicies.includes(policy.name.toLowerCase())) return;
    step(contents, `${at}.policies[${index}]`, () =>
      directory.createPolicy(accountId, { policyName: policy.name, path: policy.path, document: policy.document, ...(policy.description !== undefined ? { description: policy.description } : {}) }),
    );
  });
  const existingGroups = directory.listGroups(accountId).map((group) => group.groupName.toLowerCase());
  account.groups.forEach((group, index) => {
    const where = `${at}.groups[${index}]`;
    if (!existingGroups.includes(group.name.toLowerCase())) step(contents, where, () => directory.createGroup(accountId, { groupName: group.name, path: group.path }));
    loadHolderPolicies(contents, directory, accountId, { kind: 'group', name: group.name }, group, where);
  });
  account.users.forEach((user, index) => {
    const where = `${at}.users[${index}]`;
    if (directory.getUser(accountId, user.name) === undefined) {
      step(contents, where, () =>
        directory.createUser(accountId, { userName: user.name, path: user.path, tags: toTags(user.tags), ...(user.permissionsBoundaryArn !== undefined ? { permissionsBoundaryArn: user.permissionsBoundaryArn } : {}) }),
      );
    }
    for (const group of user.groups) directory.addUserToGroup(accountId, group, user.name);
    user.accessKeys.forEach((key, keyIndex) => {
      // A key the emulator already issued (an earlier start on the same data dir) is left as it is, deleted or not.
      if (directory.wasAccessKeyIssued(key.accessKeyId)) return;
      step(contents, `${where}.accessKeys[${keyIndex}]`, () => directory.createAccessKey(accountId, user.name, key));
    });
    loadHolderPolicies(contents, directory, accountId, { kind: 'user', name: user.name }, user, where);
  });
  account.roles.forEach((role, index) => {
    const where = `${at}.roles[${index}]`;
    if (directory.getRole(accountId, role.name) === undefined) {
      step(contents, where, () =>
        directory.createRole(accountId, {
          roleName: role.name,
          path: role.path,
          assumeRolePolicyDocument: role.assumeRolePolicy,
          ...(role.description !== undefined ? { description: role.description } : {}),
          maxSessionDurationSeconds: role.maxSessionDuration,
          tags: toTags(role.tags),
          ...(role.permissionsBoundaryArn !== undefined ? { permissionsBoundaryArn: role.permissionsBoundaryArn } : {}),
        }),
      );
    }
    loadHolderPolicies(contents, directory, accountId, { kind: 'role', name: role.name }, role, where);
  });
}

/**
 * Creates what the file declares, account by account: policies, groups, users (memberships, keys), roles, then
 * their attachments and inline policies. What already exists (a data dir from an earlier start) is kept as it is
 * and only what is missing is added, so loading twice changes nothing. Throws an Error of one line (IamFileError)
 * naming the entry the directory refused and IAM's code and message; what was created before it stays.
 */
export function loadIamFile(contents: IamFileContents, directory: IamDirectory): void {
  for (const account of contents.accounts) loadAccount(contents, directory, account);
}
