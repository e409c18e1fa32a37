// CREATE_ON_PUSH templates on both planes: the first push to a missing repository a template covers creates it
// with the template's settings; without a template the push fails as before; creation is a CreateRepository the
// caller must be allowed.
import {
  CreateRepositoryCreationTemplateCommand,
  DescribeRepositoriesCommand,
  GetLifecyclePolicyCommand,
  GetRepositoryPolicyCommand,
  InitiateLayerUploadCommand,
  ListTagsForResourceCommand,
  PutImageCommand,
  type CreateRepositoryCreationTemplateCommandInput,
  type ECRClient,
} from '@aws-sdk/client-ecr';
import { PutUserPolicyCommand } from '@aws-sdk/client-iam';
import { allowPolicy } from '../helpers/iam-policy-documents';
import { createUserWithKey, ecrClientWith, iamClient, rootKeys } from '../helpers/identity-clients';
import { basicAuthorization, errorsOf, OCI_INDEX, registryClient, sha256 } from '../helpers/registry-client';
import { useTestEmulator } from '../helpers/test-emulator';

const ACCOUNT = '000000000000';
const REGION = 'us-east-1';
const REPOSITORY_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Sid: 'AllowPull', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: ['ecr:BatchGetImage'] }],
});
const LIFECYCLE_POLICY = JSON.stringify({
  rules: [{ rulePriority: 1, selection: { tagStatus: 'untagged', countType: 'imageCountMoreThan', countNumber: 5 }, action: { type: 'expire' } }],
});
// An image index of no images: a manifest PutImage accepts with no blob in the repository.
const EMPTY_INDEX = JSON.stringify({ schemaVersion: 2, mediaType: OCI_INDEX, manifests: [] });

const repositoryArn = (name: string): string => `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/${name}`;

function createTemplate(ecr: ECRClient, input: Partial<CreateRepositoryCreationTemplateCommandInput> = {}) {
  return ecr.send(
    new CreateRepositoryCreationTemplateCommand({
      prefix: 'team',
      appliedFor: ['CREATE_ON_PUSH'],
      imageTagMutability: 'IMMUTABLE',
      resourceTags: [{ Key: 'owner', Value: 'team' }],
      repositoryPolicy: REPOSITORY_POLICY,
      lifecyclePolicy: LIFECYCLE_POLICY,
      ...input,
    }),
  );
}

async function describeRepository(ecr: ECRClient, name: string) {
  const { repositories } = await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [name] }));
  return repositories![0]!;
}

async function repositoryNames(ecr: ECRClient): Promise<string[]> {
  const { repositories } = await ecr.send(new DescribeRepositoriesCommand({}));
  return (repositories ?? []).map(({ repositoryName }) => repositoryName!);
}

describe('CREATE_ON_PUSH on the data plane', () => {
  const env = useTestEmulator();

  it("creates the repository a template covers on the first push, with the template's settings", async () => {
    await createTemplate(env.ecr);
    await env.registry.pushImage('team/app', 'v1');
    const repository = await describeRepository(env.ecr, 'team/app');
    expect(repository).toMatchObject({ imageTagMutability: 'IMMUTABLE', encryptionConfiguration: { encryptionType: 'AES256' } });
    expect((await env.ecr.send(new ListTagsForResourceCommand({ resourceArn: repositoryArn('team/app') }))).tags).toEqual([{ Key: 'owner', Value: 'team' }]);
    expect((await env.ecr.send(new GetRepositoryPolicyCommand({ repositoryName: 'team/app' }))).policyText).toBe(REPOSITORY_POLICY);
    expect((await env.ecr.send(new GetLifecyclePolicyCommand({ repositoryName: 'team/app' }))).lifecyclePolicyText).toBe(LIFECYCLE_POLICY);
  });

  it('keeps the pushed image in the created repository', async () => {
    await createTemplate(env.ecr);
    const { digest } = await env.registry.pushImage('team/app', 'v1');
    const response = await env.registry.fetch('/v2/team/app/manifests/v1', { method: 'HEAD' });
    expect(response.headers.get('docker-content-digest')).toBe(digest);
  });

  test.each([
    { how: 'a chunked upload session', path: '/v2/team/app/blobs/uploads/', expected: 202 },
    { how: 'a monolithic upload', path: `/v2/team/app/blobs/uploads/?digest=${sha256('layer')}`, expected: 201 },
    { how: 'a mount (answered with a session when mounting is off)', path: `/v2/team/app/blobs/uploads/?mount=${sha256('layer')}&from=other`, expected: 202 },
  ])('creates the repository when $how starts', async ({ path, expected }) => {
    await createTemplate(env.ecr);
    const response = await env.registry.fetch(path, { method: 'POST', body: path.includes('digest=') ? 'layer' : '' });
    expect(response.status).toBe(expected);
    expect(await repositoryNames(env.ecr)).toEqual(['team/app']);
  });

  it('creates the repository on a manifest PUT', async () => {
    await createTemplate(env.ecr);
    const response = await env.registry.putManifest('team/app', 'v1', EMPTY_INDEX, OCI_INDEX);
    expect(response.status).toBe(201);
    expect(await repositoryNames(env.ecr)).toEqual(['team/app']);
  });

  it('creates a repository no other template covers from the ROOT template', async () => {
    await createTemplate(env.ecr, { prefix: 'ROOT', imageTagMutability: 'MUTABLE', resourceTags: [{ Key: 'from', Value: 'root' }] });
    await createTemplate(env.ecr);
    await env.registry.pushImage('other/app', 'v1');
    await env.registry.pushImage('team/app', 'v1');
    expect((await describeRepository(env.ecr, 'other/app')).imageTagMutability).toBe('MUTABLE');
    expect((await describeRepository(env.ecr, 'team/app')).imageTagMutability).toBe('IMMUTABLE');
    expect((await env.ecr.send(new ListTagsForResourceCommand({ resourceArn: repositoryArn('other/app') }))).tags).toEqual([{ Key: 'from', Value: 'root' }]);
  });

  it('creates one repository of two concurrent first pushes, and both pushes land', async () => {
    await createTemplate(env.ecr, { imageTagMutability: 'MUTABLE' });
    const [first, second] = await Promise.all([env.registry.pushImage('team/app', 'v1', { layers: ['one'] }), env.registry.pushImage('team/app', 'v2', { layers: ['two'] })]);
    expect(await repositoryNames(env.ecr)).toEqual(['team/app']);
    for (const [tag, pushed] of [['v1', first], ['v2', second]] as const) {
      const response = await env.registry.fetch(`/v2/team/app/manifests/${tag}`, { method: 'HEAD' });
      expect(response.headers.get('docker-content-digest')).toBe(pushed.digest);
    }
  });

  test.each([
    { why: 'no template', template: undefined },
    { why: 'a template of another prefix', template: { prefix: 'other' } },
    { why: 'a template not applied for CREATE_ON_PUSH', template: { appliedFor: ['PULL_THROUGH_CACHE' as const] } },
  ])('refuses a push to a missing repository with NAME_UNKNOWN given $why', async ({ template }) => {
    if (template !== undefined) await createTemplate(env.ecr, template);
    const response = await env.registry.fetch('/v2/team/app/blobs/uploads/', { method: 'POST' });
    expect(response.status).toBe(404);
    expect((await errorsOf(response))[0]!.code).toBe('NAME_UNKNOWN');
    expect(await repositoryNames(env.ecr)).toEqual([]);
  });

  it('leaves a repository that exists as it is, whatever template is created later', async () => {
    await createTemplate(env.ecr);
    await env.registry.pushImage('team/app', 'v1');
    await env.ecr.send(new CreateRepositoryCreationTemplateCommand({ prefix: 'team/app', appliedFor: ['CREATE_ON_PUSH'], imageTagMutability: 'MUTABLE' }));
    await env.registry.pushImage('team/app', 'v2');
    expect((await describeRepository(env.ecr, 'team/app')).imageTagMutability).toBe('IMMUTABLE');
  });
});

describe('CREATE_ON_PUSH on the control plane', () => {
  const env = useTestEmulator();

  it("creates the repository on InitiateLayerUpload, with the template's settings", async () => {
    await createTemplate(env.ecr);
    const { uploadId } = await env.ecr.send(new InitiateLayerUploadCommand({ repositoryName: 'team/app' }));
    expect(uploadId).toEqual(expect.any(String));
    expect((await describeRepository(env.ecr, 'team/app')).imageTagMutability).toBe('IMMUTABLE');
  });

  it('creates the repository on PutImage and stores the image', async () => {
    await createTemplate(env.ecr);
    const { image } = await env.ecr.send(new PutImageCommand({ repositoryName: 'team/app', imageManifest: EMPTY_INDEX, imageTag: 'v1' }));
    expect(image?.imageId?.imageDigest).toBe(sha256(EMPTY_INDEX));
    expect((await env.ecr.send(new ListTagsForResourceCommand({ resourceArn: repositoryArn('team/app') }))).tags).toEqual([{ Key: 'owner', Value: 'team' }]);
  });

  test.each([
    { operation: 'InitiateLayerUpload', call: (ecr: ECRClient) => ecr.send(new InitiateLayerUploadCommand({ repositoryName: 'team/app' })) },
    { operation: 'PutImage', call: (ecr: ECRClient) => ecr.send(new PutImageCommand({ repositoryName: 'team/app', imageManifest: EMPTY_INDEX })) },
  ])('refuses $operation to a missing repository without a template with RepositoryNotFoundException', async ({ call }) => {
    await createTemplate(env.ecr, { prefix: 'other' });
    await expect(call(env.ecr)).rejects.toMatchObject({ name: 'RepositoryNotFoundException' });
    expect(await repositoryNames(env.ecr)).toEqual([]);
  });
});

describe('CREATE_ON_PUSH under IAM enforcement', () => {
  const env = useTestEmulator({ startOptions: { iamMode: 'enforce' } });
  const PUSH_ACTIONS = ['ecr:GetAuthorizationToken', 'ecr:InitiateLayerUpload', 'ecr:UploadLayerPart', 'ecr:CompleteLayerUpload', 'ecr:PutImage', 'ecr:BatchCheckLayerAvailability'];

  /** A user of the default account allowed the push actions, and `ecr:CreateRepository` too when `mayCreate`. */
  async function pusher(userName: string, mayCreate: boolean): Promise<{ arn: string; ecr: ECRClient }> {
    const iam = iamClient(env.emulator.endpoint, rootKeys(ACCOUNT));
    const { arn, keys } = await createUserWithKey(iam, userName);
    const actions = mayCreate ? [...PUSH_ACTIONS, 'ecr:CreateRepository'] : PUSH_ACTIONS;
    await iam.send(new PutUserPolicyCommand({ UserName: userName, PolicyName: 'push', PolicyDocument: JSON.stringify(allowPolicy(actions, '*')) }));
    return { arn, ecr: ecrClientWith(env.emulator.endpoint, keys) };
  }

  function denial(arn: string, name: string): string {
    return `User: ${arn} is not authorized to perform: ecr:CreateRepository on resource: ${repositoryArn(name)} because no identity-based policy allows the ecr:CreateRepository action`;
  }

  beforeEach(async () => {
    await createTemplate(env.ecr);
  });

  it('creates the repository for a caller allowed ecr:CreateRepository', async () => {
    const caller = await pusher('creator', true);
    await registryClient(env.emulator.endpoint, await basicAuthorization(caller.ecr)).pushImage('team/app', 'v1');
    expect(await repositoryNames(env.ecr)).toEqual(['team/app']);
  });

  it('refuses a data-plane push that would create the repository with DENIED naming ecr:CreateRepository', async () => {
    const caller = await pusher('pusher', false);
    const registry = registryClient(env.emulator.endpoint, await basicAuthorization(caller.ecr));
    const response = await registry.fetch('/v2/team/app/blobs/uploads/', { method: 'POST' });
    expect(response.status).toBe(403);
    expect(await errorsOf(response)).toEqual([expect.objectContaining({ code: 'DENIED', message: denial(caller.arn, 'team/app') })]);
    expect(await repositoryNames(env.ecr)).toEqual([]);
  });

  test.each([
    { operation: 'InitiateLayerUpload', call: (ecr: ECRClient) => ecr.send(new InitiateLayerUploadCommand({ repositoryName: 'team/app' })) },
    { operation: 'PutImage', call: (ecr: ECRClient) => ecr.send(new PutImageCommand({ repositoryName: 'team/app', imageManifest: EMPTY_INDEX })) },
  ])('refuses $operation that would create the repository with AccessDeniedException naming ecr:CreateRepository', async ({ call }) => {
    const caller = await pusher('pusher', false);
    await expect(call(caller.ecr)).rejects.toMatchObject({ name: 'AccessDeniedException', message: denial(caller.arn, 'team/app') });
    expect(await repositoryNames(env.ecr)).toEqual([]);
  });
});
