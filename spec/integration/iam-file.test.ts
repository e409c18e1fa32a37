// --iam-file over HTTP: the example file's users can sign with their fixed keys from the first request, the file
// comes back after a reset, and a bad file stops the start with one line naming the entry.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { GetUserCommand, ListAttachedUserPoliciesCommand, DeleteAccessKeyCommand, GetRoleCommand } from '@aws-sdk/client-iam';
import { startEmulator } from '../../src/index';
import { iamClient, rootKeys } from '../helpers/identity-clients';
import { rejection } from '../helpers/rejection';
import { useTestEmulator } from '../helpers/test-emulator';

const EXAMPLE = path.join(__dirname, '../../fixtures/iam-file.example.json');
const CI_KEYS = { accessKeyId: 'AKIAEXAMPLECI0000001', secretAccessKey: 'ciSecretAccessKeyExample0000000000000000' };

describe('an emulator started with --iam-file', () => {
  const env = useTestEmulator({ startOptions: { iamFile: EXAMPLE } });

  it("signs the file's user in with its fixed key, with its policies attached", async () => {
    const asCi = iamClient(env.emulator.endpoint, CI_KEYS);
    expect((await asCi.send(new GetUserCommand({}))).User?.Arn).toBe('arn:aws:iam::111111111111:user/automation/ci');
    expect((await asCi.send(new ListAttachedUserPoliciesCommand({ UserName: 'ci' }))).AttachedPolicies?.map((policy) => policy.PolicyName)).toEqual(['ecr-push']);
  });

  it("refuses the file's inactive key", async () => {
    const asAuditor = iamClient(env.emulator.endpoint, { accessKeyId: 'AKIAEXAMPLEAUDITOR01', secretAccessKey: 'auditorSecretAccessKeyExample00000000000' });
    expect((await rejection(asAuditor.send(new GetUserCommand({})))).name).toBe('InvalidClientTokenId');
  });

  it('brings the declared identities back after a reset, a deleted key included', async () => {
    const root = iamClient(env.emulator.endpoint, rootKeys('111111111111'));
    await root.send(new DeleteAccessKeyCommand({ UserName: 'ci', AccessKeyId: CI_KEYS.accessKeyId }));
    await env.emulator.reset();
    expect((await iamClient(env.emulator.endpoint, CI_KEYS).send(new GetUserCommand({}))).User?.UserName).toBe('ci');
    expect((await iamClient(env.emulator.endpoint, rootKeys('222222222222')).send(new GetRoleCommand({ RoleName: 'deployer' }))).Role?.MaxSessionDuration).toBe(7200);
  });
});

describe('an emulator started with a bad --iam-file', () => {
  it('does not start, and says which entry is wrong in one line', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'iam-file-')), 'iam.json');
    writeFileSync(file, JSON.stringify({ accounts: { '111111111111': { policies: [{ name: 'p', document: { Statement: [] } }] } } }));
    await expect(startEmulator({ host: '127.0.0.1', port: 0, memory: true, logLevel: 'silent', iamFile: file })).rejects.toThrow(
      `iam file ${file}: accounts["111111111111"].policies[0]: MalformedPolicyDocument: Syntax errors in policy.`,
    );
  });
});
