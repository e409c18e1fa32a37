// The registry policy through the SDK: put, get and delete per registry, the text kept byte for byte, the grammar
// ECR refuses, and RegistryPolicyNotFoundException.
import { DeleteRegistryPolicyCommand, GetRegistryPolicyCommand, PutRegistryPolicyCommand } from '@aws-sdk/client-ecr';
import { useTestEmulator } from '../helpers/test-emulator';

const ACCOUNT = '000000000000';
const REPLICATION = {
  Sid: 'ReplicationAccess',
  Effect: 'Allow',
  Principal: { AWS: 'arn:aws:iam::111122223333:root' },
  Action: ['ecr:CreateRepository', 'ecr:ReplicateImage'],
  Resource: [`arn:aws:ecr:us-east-1:${ACCOUNT}:repository/*`],
};
// Indented on purpose: the policy must come back exactly as it was sent.
const POLICY_TEXT = JSON.stringify({ Version: '2012-10-17', Statement: [REPLICATION] }, null, 4);

const env = useTestEmulator();

describe('PutRegistryPolicy and GetRegistryPolicy', () => {
  it('puts a policy and returns its text unchanged, on put and on get', async () => {
    const put = await env.ecr.send(new PutRegistryPolicyCommand({ policyText: POLICY_TEXT }));
    expect(put).toEqual(expect.objectContaining({ registryId: ACCOUNT, policyText: POLICY_TEXT }));
    const got = await env.ecr.send(new GetRegistryPolicyCommand({}));
    expect(got).toEqual(expect.objectContaining({ registryId: ACCOUNT, policyText: POLICY_TEXT }));
  });

  it('replaces the policy the registry has', async () => {
    await env.ecr.send(new PutRegistryPolicyCommand({ policyText: POLICY_TEXT }));
    const pullThrough = JSON.stringify({ Version: '2012-10-17', Statement: { ...REPLICATION, Action: ['ecr:CreateRepository', 'ecr:BatchImportUpstreamImage'] } });
    await env.ecr.send(new PutRegistryPolicyCommand({ policyText: pullThrough }));
    expect((await env.ecr.send(new GetRegistryPolicyCommand({}))).policyText).toBe(pullThrough);
  });

  it('keeps one policy per registry: accounts and regions apart', async () => {
    await env.ecr.send(new PutRegistryPolicyCommand({ policyText: POLICY_TEXT }));
    for (const other of [env.ecrClient({ accountId: '123456789012' }), env.ecrClient({ region: 'eu-west-1' })]) {
      await expect(other.send(new GetRegistryPolicyCommand({}))).rejects.toMatchObject({ name: 'RegistryPolicyNotFoundException' });
    }
  });

  it('names the caller\'s registry in the answer', async () => {
    const put = await env.ecrClient({ accountId: '123456789012' }).send(new PutRegistryPolicyCommand({ policyText: POLICY_TEXT }));
    expect(put.registryId).toBe('123456789012');
  });

  it.each([
    ['text that is not JSON', '{"Version": '],
    ['an empty text', ''],
    ['a policy without statements', JSON.stringify({ Version: '2012-10-17', Statement: [] })],
    ['a statement without Principal', JSON.stringify({ Statement: [{ ...REPLICATION, Principal: undefined }] })],
    ['an action of another service', JSON.stringify({ Statement: [{ ...REPLICATION, Action: 'iam:PassRole' }] })],
    ['a Resource that is not an ARN', JSON.stringify({ Statement: [{ ...REPLICATION, Resource: 'repository/*' }] })],
    ['an unknown statement element', JSON.stringify({ Statement: [{ ...REPLICATION, Effects: 'Allow' }] })],
  ])('rejects %s with InvalidParameterException and keeps no policy', async (_label, policyText) => {
    await expect(env.ecr.send(new PutRegistryPolicyCommand({ policyText }))).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: "Invalid parameter at 'PolicyText' failed to satisfy constraint: 'Invalid registry policy provided'",
    });
    await expect(env.ecr.send(new GetRegistryPolicyCommand({}))).rejects.toMatchObject({ name: 'RegistryPolicyNotFoundException' });
  });

  it('rejects a request without policyText with ValidationException', async () => {
    await expect(env.ecr.send(new PutRegistryPolicyCommand({} as never))).rejects.toMatchObject({
      name: 'ValidationException',
      message: "1 validation error detected: Value null at 'policyText' failed to satisfy constraint: Member must not be null",
    });
  });

  it('answers GetRegistryPolicy without a policy with RegistryPolicyNotFoundException', async () => {
    await expect(env.ecr.send(new GetRegistryPolicyCommand({}))).rejects.toMatchObject({
      name: 'RegistryPolicyNotFoundException',
      message: `Registry policy does not exist in the registry with id '${ACCOUNT}'`,
    });
  });
});

describe('DeleteRegistryPolicy', () => {
  it('deletes the policy and returns the text it had', async () => {
    await env.ecr.send(new PutRegistryPolicyCommand({ policyText: POLICY_TEXT }));
    const deleted = await env.ecr.send(new DeleteRegistryPolicyCommand({}));
    expect(deleted).toEqual(expect.objectContaining({ registryId: ACCOUNT, policyText: POLICY_TEXT }));
    await expect(env.ecr.send(new GetRegistryPolicyCommand({}))).rejects.toMatchObject({ name: 'RegistryPolicyNotFoundException' });
  });

  it('answers a registry without a policy with RegistryPolicyNotFoundException', async () => {
    await expect(env.ecr.send(new DeleteRegistryPolicyCommand({}))).rejects.toMatchObject({
      name: 'RegistryPolicyNotFoundException',
      message: `Registry policy does not exist in the registry with id '${ACCOUNT}'`,
    });
  });
});
