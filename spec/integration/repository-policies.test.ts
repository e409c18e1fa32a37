// Repository policies through the SDK: set, get and delete, the text kept byte for byte, the grammar ECR refuses,
// the lock-out guard behind `force`, and the not-found errors.
import {
  CreateRepositoryCommand,
  DeleteRepositoryCommand,
  DeleteRepositoryPolicyCommand,
  GetRepositoryPolicyCommand,
  SetRepositoryPolicyCommand,
} from '@aws-sdk/client-ecr';
import { useTestEmulator } from '../helpers/test-emulator';

const ACCOUNT = '000000000000';
const INVALID_POLICY = "Invalid parameter at 'PolicyText' failed to satisfy constraint: 'Invalid repository policy provided'";
const PULL_STATEMENT = {
  Sid: 'AllowPull',
  Effect: 'Allow',
  Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
  Action: ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer'],
};
// Indented on purpose: the policy must come back exactly as it was sent.
const POLICY_TEXT = JSON.stringify({ Version: '2012-10-17', Statement: [PULL_STATEMENT] }, null, 2);
const LOCK_OUT = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'NoChanges', Effect: 'Deny', Principal: '*', Action: 'ecr:Set*' }] });

const env = useTestEmulator({ repositories: ['guarded'] });

function notFoundMessage(name: string): string {
  return `Repository policy does not exist for the repository with name '${name}' in the registry with id '${ACCOUNT}'`;
}

describe('SetRepositoryPolicy and GetRepositoryPolicy', () => {
  it('sets a policy and returns its text unchanged, on set and on get', async () => {
    const set = await env.ecr.send(new SetRepositoryPolicyCommand({ repositoryName: 'guarded', policyText: POLICY_TEXT }));
    expect(set).toEqual(expect.objectContaining({ registryId: ACCOUNT, repositoryName: 'guarded', policyText: POLICY_TEXT }));
    const got = await env.ecr.send(new GetRepositoryPolicyCommand({ repositoryName: 'guarded' }));
    expect(got).toEqual(expect.objectContaining({ registryId: ACCOUNT, repositoryName: 'guarded', policyText: POLICY_TEXT }));
  });

  it('replaces the policy a repository has', async () => {
    await env.ecr.send(new SetRepositoryPolicyCommand({ repositoryName: 'guarded', policyText: POLICY_TEXT }));
    const replacement = JSON.stringify({ Version: '2008-10-17', Statement: { ...PULL_STATEMENT, Sid: 'Other' } });
    await env.ecr.send(new SetRepositoryPolicyCommand({ repositoryName: 'guarded', policyText: replacement }));
    expect((await env.ecr.send(new GetRepositoryPolicyCommand({ repositoryName: 'guarded' }))).policyText).toBe(replacement);
  });

  it('refuses to set the policy of another account\'s repository with AccessDeniedException', async () => {
    const other = env.ecrClient({ accountId: '123456789012' });
    await other.send(new CreateRepositoryCommand({ repositoryName: 'shared' }));
    await expect(env.ecr.send(new SetRepositoryPolicyCommand({ registryId: '123456789012', repositoryName: 'shared', policyText: POLICY_TEXT }))).rejects.toMatchObject({
      name: 'AccessDeniedException',
    });
    await expect(other.send(new GetRepositoryPolicyCommand({ repositoryName: 'shared' }))).rejects.toMatchObject({ name: 'RepositoryPolicyNotFoundException' });
  });

  it.each([
    ['text that is not JSON', 'this is not a policy'],
    ['an empty text', ''],
    ['a policy without statements', JSON.stringify({ Version: '2012-10-17' })],
    ['a statement without Principal', JSON.stringify({ Statement: [{ ...PULL_STATEMENT, Principal: undefined }] })],
    ['an Effect other than Allow and Deny', JSON.stringify({ Statement: [{ ...PULL_STATEMENT, Effect: 'Permit' }] })],
    ['an action of another service', JSON.stringify({ Statement: [{ ...PULL_STATEMENT, Action: 's3:GetObject' }] })],
    ['a statement without Action', JSON.stringify({ Statement: [{ ...PULL_STATEMENT, Action: undefined }] })],
    ['a Resource element', JSON.stringify({ Statement: [{ ...PULL_STATEMENT, Resource: '*' }] })],
    ['an unknown Version', JSON.stringify({ Version: '2024-01-01', Statement: [PULL_STATEMENT] })],
  ])('rejects %s with InvalidParameterException and keeps no policy', async (_label, policyText) => {
    await expect(env.ecr.send(new SetRepositoryPolicyCommand({ repositoryName: 'guarded', policyText }))).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: INVALID_POLICY,
    });
    await expect(env.ecr.send(new GetRepositoryPolicyCommand({ repositoryName: 'guarded' }))).rejects.toMatchObject({ name: 'RepositoryPolicyNotFoundException' });
  });

  it('rejects a policy that denies its author SetRepositoryPolicy without force', async () => {
    await expect(env.ecr.send(new SetRepositoryPolicyCommand({ repositoryName: 'guarded', policyText: LOCK_OUT }))).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: "Invalid parameter at 'PolicyText' failed to satisfy constraint: 'The policy would prevent the caller from calling SetRepositoryPolicy; set force to apply it anyway'",
    });
  });

  it('sets a policy that denies its author SetRepositoryPolicy with force', async () => {
    await env.ecr.send(new SetRepositoryPolicyCommand({ repositoryName: 'guarded', policyText: LOCK_OUT, force: true }));
    expect((await env.ecr.send(new GetRepositoryPolicyCommand({ repositoryName: 'guarded' }))).policyText).toBe(LOCK_OUT);
  });

  it('answers GetRepositoryPolicy of a repository without a policy with RepositoryPolicyNotFoundException', async () => {
    await expect(env.ecr.send(new GetRepositoryPolicyCommand({ repositoryName: 'guarded' }))).rejects.toMatchObject({
      name: 'RepositoryPolicyNotFoundException',
      message: notFoundMessage('guarded'),
    });
  });

  it('forgets the policy of a deleted repository', async () => {
    await env.ecr.send(new SetRepositoryPolicyCommand({ repositoryName: 'guarded', policyText: POLICY_TEXT }));
    await env.ecr.send(new DeleteRepositoryCommand({ repositoryName: 'guarded' }));
    await env.ecr.send(new CreateRepositoryCommand({ repositoryName: 'guarded' }));
    await expect(env.ecr.send(new GetRepositoryPolicyCommand({ repositoryName: 'guarded' }))).rejects.toMatchObject({ name: 'RepositoryPolicyNotFoundException' });
  });
});

describe('DeleteRepositoryPolicy', () => {
  it('deletes the policy and returns the text it had', async () => {
    await env.ecr.send(new SetRepositoryPolicyCommand({ repositoryName: 'guarded', policyText: POLICY_TEXT }));
    const deleted = await env.ecr.send(new DeleteRepositoryPolicyCommand({ repositoryName: 'guarded' }));
    expect(deleted).toEqual(expect.objectContaining({ registryId: ACCOUNT, repositoryName: 'guarded', policyText: POLICY_TEXT }));
    await expect(env.ecr.send(new GetRepositoryPolicyCommand({ repositoryName: 'guarded' }))).rejects.toMatchObject({ name: 'RepositoryPolicyNotFoundException' });
  });

  it('answers a repository without a policy with RepositoryPolicyNotFoundException', async () => {
    await expect(env.ecr.send(new DeleteRepositoryPolicyCommand({ repositoryName: 'guarded' }))).rejects.toMatchObject({
      name: 'RepositoryPolicyNotFoundException',
      message: notFoundMessage('guarded'),
    });
  });
});

describe('policies of a missing repository', () => {
  const MISSING = `The repository with name 'missing' does not exist in the registry with id '${ACCOUNT}'`;

  it('answers SetRepositoryPolicy with RepositoryNotFoundException', async () => {
    await expect(env.ecr.send(new SetRepositoryPolicyCommand({ repositoryName: 'missing', policyText: POLICY_TEXT }))).rejects.toMatchObject({ name: 'RepositoryNotFoundException', message: MISSING });
  });

  it('answers GetRepositoryPolicy with RepositoryNotFoundException', async () => {
    await expect(env.ecr.send(new GetRepositoryPolicyCommand({ repositoryName: 'missing' }))).rejects.toMatchObject({ name: 'RepositoryNotFoundException', message: MISSING });
  });

  it('answers DeleteRepositoryPolicy with RepositoryNotFoundException', async () => {
    await expect(env.ecr.send(new DeleteRepositoryPolicyCommand({ repositoryName: 'missing' }))).rejects.toMatchObject({ name: 'RepositoryNotFoundException', message: MISSING });
  });
});
