// The IAM file: the example fixture reads and loads (twice changing nothing), and every problem, whether the file's
// form or IAM's rules, is one line naming the file, the entry and the problem.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createIamDirectory, type IamDirectory } from '../../../src/iam/iam-directory';
import { loadIamFile, readIamFile } from '../../../src/iam/iam-file';
import { openDatabase } from '../../../src/store/sqlite/database';
import { createSqliteRegistryDocumentStore } from '../../../src/store/sqlite/sqlite-registry-document-store';
import { testClock } from '../../helpers/test-clock';

const EXAMPLE = path.join(__dirname, '../../../fixtures/iam-file.example.json');
const ACCOUNT = '111111111111';
const directoryFor = (): IamDirectory => createIamDirectory({ documents: createSqliteRegistryDocumentStore(openDatabase(':memory:')), clock: testClock(new Date('2025-01-01T00:00:00Z')) });
const folder = mkdtempSync(path.join(tmpdir(), 'iam-file-'));
const ALLOW = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'ecr:*', Resource: '*' }] };
const TRUST = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: ACCOUNT }, Action: 'sts:AssumeRole' }] };
const KEY = { accessKeyId: 'AKIAEXAMPLEKEY000001', secretAccessKey: 's'.repeat(40) };

function fileWith(contents: unknown, name = 'iam.json'): string {
  const file = path.join(folder, name);
  writeFileSync(file, typeof contents === 'string' ? contents : JSON.stringify(contents));
  return file;
}

function accountFile(account: Record<string, unknown>): string {
  return fileWith({ accounts: { [ACCOUNT]: account } });
}

function loadProblem(file: string): string {
  try {
    loadIamFile(readIamFile(file), directoryFor());
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('the file loaded');
}

describe('the example IAM file', () => {
  it('loads users with their fixed keys, groups, policies and a role in another account', () => {
    const directory = directoryFor();
    loadIamFile(readIamFile(EXAMPLE), directory);
    expect(directory.findAccessKey('AKIAEXAMPLECI0000001')).toMatchObject({ accountId: ACCOUNT, userName: 'ci', secretAccessKey: 'ciSecretAccessKeyExample0000000000000000', status: 'Active' });
    expect(directory.findAccessKey('AKIAEXAMPLEAUDITOR01')?.status).toBe('Inactive');
    expect(directory.getUser(ACCOUNT, 'ci')).toMatchObject({ arn: `arn:aws:iam::${ACCOUNT}:user/automation/ci`, tags: { team: 'platform' } });
    expect(directory.groupsForUser(ACCOUNT, 'ci').map((group) => group.groupName)).toEqual(['developers']);
    expect(directory.attachedPolicies(ACCOUNT, { kind: 'user', name: 'ci' })).toEqual([{ policyName: 'ecr-push', policyArn: `arn:aws:iam::${ACCOUNT}:policy/ci/ecr-push` }]);
    expect(directory.findRoleByArn('arn:aws:iam::222222222222:role/deployer')).toMatchObject({ maxSessionDuration: 7200, tags: { purpose: 'deploy' } });
    expect(directory.inlinePolicyNames('222222222222', { kind: 'role', name: 'deployer' })).toEqual(['create-repositories']);
  });

  it('loads a second time without changing or duplicating anything', () => {
    const directory = directoryFor();
    const contents = readIamFile(EXAMPLE);
    loadIamFile(contents, directory);
    const user = directory.getUser(ACCOUNT, 'ci');
    loadIamFile(contents, directory);
    expect(directory.getUser(ACCOUNT, 'ci')).toEqual(user);
    expect(directory.listAccessKeys(ACCOUNT, 'ci')).toHaveLength(1);
    expect(directory.listPolicyVersions(ACCOUNT, `arn:aws:iam::${ACCOUNT}:policy/ci/ecr-push`)).toHaveLength(1);
  });

  it('leaves a key deleted since an earlier load deleted', () => {
    const directory = directoryFor();
    const contents = readIamFile(EXAMPLE);
    loadIamFile(contents, directory);
    directory.deleteAccessKey(ACCOUNT, 'ci', 'AKIAEXAMPLECI0000001');
    loadIamFile(contents, directory);
    expect(directory.findAccessKey('AKIAEXAMPLECI0000001')).toBeUndefined();
  });
});

describe('IAM file problems', () => {
  it('names a file that cannot be read', () => {
    const missing = path.join(folder, 'missing.json');
    expect(loadProblem(missing)).toBe(`iam file ${missing}: cannot be read (ENOENT)`);
  });

  it.each([
    ['text that is not JSON', '{"accounts":', /^iam file \S+: is not valid JSON \(.+\)$/],
    ['an unknown top-level member', { accounts: {}, users: [] }, /: \(the file\)\.users: is not a member of this entry \(expected one of accounts\)$/],
    ['an account id that is not 12 digits', { accounts: { '1234': {} } }, /: accounts\["1234"\]: is not an account id \(12 digits\)$/],
    ['a user without a name', { accounts: { [ACCOUNT]: { users: [{}] } } }, /: accounts\["111111111111"\]\.users\[0\]\.name: must be a string$/],
    ['a user name IAM does not allow', { accounts: { [ACCOUNT]: { users: [{ name: 'a b' }] } } }, /\.users\[0\]\.name: 'a b' is not a valid IAM name/],
    ['a path without slashes', { accounts: { [ACCOUNT]: { users: [{ name: 'a', path: 'ci' }] } } }, /\.users\[0\]\.path: 'ci' is not a valid IAM path/],
    ['a secret of the wrong length', { accounts: { [ACCOUNT]: { users: [{ name: 'ci', accessKeys: [{ ...KEY, secretAccessKey: 'short' }] }] } } }, /: accounts\["111111111111"\]\.users\[0\]\.accessKeys\[0\]\.secretAccessKey: must be 40 characters$/],
    ['a key id not shaped as IAM makes them', { accounts: { [ACCOUNT]: { users: [{ name: 'ci', accessKeys: [{ ...KEY, accessKeyId: '111111111111' }] }] } } }, /\.accessKeys\[0\]\.accessKeyId: '111111111111' is not an access key id/],
    ['a third key', { accounts: { [ACCOUNT]: { users: [{ name: 'ci', accessKeys: [KEY, { ...KEY, accessKeyId: 'AKIAEXAMPLEKEY000002' }, { ...KEY, accessKeyId: 'AKIAEXAMPLEKEY000003' }] }] } } }, /\.users\[0\]\.accessKeys: a user has at most 2 access keys$/],
    ['a key id declared twice', { accounts: { [ACCOUNT]: { users: [{ name: 'a', accessKeys: [KEY] }, { name: 'b', accessKeys: [KEY] }] } } }, /\.users\[1\]\.accessKeys\[0\]\.accessKeyId: 'AKIAEXAMPLEKEY000001' is declared twice \(see accounts\["111111111111"\]\.users\[0\]\.accessKeys\[0\]\.accessKeyId\)$/],
    ['a user declared twice in another case', { accounts: { [ACCOUNT]: { users: [{ name: 'ci' }, { name: 'CI' }] } } }, /\.users\[1\]\.name: 'CI' is declared twice \(names are unique case-insensitively/],
    ['a group no entry declares', { accounts: { [ACCOUNT]: { users: [{ name: 'ci', groups: ['ops'] }] } } }, /\.users\[0\]\.groups\[0\]: 'ops' is not a group this account declares$/],
    ['a managed policy that is neither ARN nor declared', { accounts: { [ACCOUNT]: { users: [{ name: 'ci', managedPolicies: ['push'] }] } } }, /\.users\[0\]\.managedPolicies\[0\]: 'push' is neither a policy ARN nor the name of a policy this account declares$/],
    ['a role without a trust policy', { accounts: { [ACCOUNT]: { roles: [{ name: 'r' }] } } }, /\.roles\[0\]\.assumeRolePolicy: is required/],
    ['a session duration past twelve hours', { accounts: { [ACCOUNT]: { roles: [{ name: 'r', assumeRolePolicy: TRUST, maxSessionDuration: 50000 }] } } }, /\.roles\[0\]\.maxSessionDuration: must be a whole number of seconds from 3600 to 43200$/],
    ['a policy without a document', { accounts: { [ACCOUNT]: { policies: [{ name: 'p' }] } } }, /\.policies\[0\]\.document: is required$/],
    ['a tag value that is not text', { accounts: { [ACCOUNT]: { users: [{ name: 'ci', tags: { team: 1 } }] } } }, /\.users\[0\]\.tags\["team"\]: must be a string$/],
  ])('refuses %s in one line naming the entry', (_label, contents, message) => {
    const file = fileWith(contents);
    const problem = loadProblem(file);
    expect(problem).toMatch(message);
    expect(problem.startsWith(`iam file ${file}: `)).toBe(true);
    expect(problem).not.toContain('\n');
  });

  it.each([
    ['a policy document IAM refuses', { policies: [{ name: 'p', document: '{"Version":' }] }, 'accounts["111111111111"].policies[0]: MalformedPolicyDocument: Syntax errors in policy.'],
    ['an inline document with a principal', { users: [{ name: 'ci', inlinePolicies: { p: { ...ALLOW, Statement: [{ ...ALLOW.Statement[0], Principal: '*' }] } } }] }, 'accounts["111111111111"].users[0].inlinePolicies["p"]: MalformedPolicyDocument: Policy document should not specify a principal.'],
    ['a trust policy with a Resource', { roles: [{ name: 'r', assumeRolePolicy: { ...TRUST, Statement: [{ ...TRUST.Statement[0], Resource: '*' }] } }] }, 'accounts["111111111111"].roles[0]: MalformedPolicyDocument: Has prohibited field Resource'],
    ['an AWS managed policy the emulator does not know', { roles: [{ name: 'r', assumeRolePolicy: TRUST, managedPolicies: ['arn:aws:iam::aws:policy/Nope'] }] }, 'accounts["111111111111"].roles[0].managedPolicies[0]: NoSuchEntity: Policy arn:aws:iam::aws:policy/Nope does not exist or is not attachable.'],
  ])("reports %s with IAM's code and message, naming the entry", (_label, account, message) => {
    const file = accountFile(account);
    expect(loadProblem(file)).toBe(`iam file ${file}: ${message}`);
  });
});
