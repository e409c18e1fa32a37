// Policies decide every request. `enforce`: identity and resource policies evaluated as AWS does on both planes;
// `off`: identity policies not evaluated, account boundaries and resource policies are; `soft`: what enforce would
// deny is allowed and recorded in /_emulator/iam/decisions, from which /_emulator/iam/suggested-policy writes a policy.
import {
  BatchDeleteImageCommand,
  BatchGetImageCommand,
  CreateRepositoryCommand,
  DeleteRepositoryCommand,
  DescribeRepositoriesCommand,
  GetDownloadUrlForLayerCommand,
  ListImagesCommand,
  PutImageCommand,
  SetRepositoryPolicyCommand,
  type ECRClient,
} from '@aws-sdk/client-ecr';
import { AttachUserPolicyCommand, PutRolePolicyCommand, PutUserPolicyCommand, type IAMClient } from '@aws-sdk/client-iam';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import { createRole, createUserWithKey, ecrClientWith, iamClient, rootKeys, sessionKeys, stsClient, trustPolicy, type KeyPair } from '../helpers/identity-clients';
import { allowPolicy, type PolicyDocument } from '../helpers/iam-policy-documents';
import { basicAuthorization, DOCKER_MANIFEST, errorsOf, getWithHost, OCI_MANIFEST, registryClient, sha256, type RegistryClient } from '../helpers/registry-client';
import { useTestEmulator, type TestEmulatorEnvironment } from '../helpers/test-emulator';

const ACCOUNT = '000000000000';
const OTHER_ACCOUNT = '222222222222';
const REGION = 'us-east-1';
const REPOSITORY = 'enforced/app';
const NEW_REPOSITORY = 'enforced/new';
const TEAM_REPOSITORIES = ['team/api', 'team/app'];
const OTHER_REPOSITORY = 'other/tool';
const READ_ONLY = 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly';
const POWER_USER = 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPowerUser';
const FULL_ACCESS = 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryFullAccess';
const PULL_ACTIONS = ['ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchCheckLayerAvailability'];
const PUSH_ACTIONS = ['ecr:InitiateLayerUpload', 'ecr:UploadLayerPart', 'ecr:CompleteLayerUpload', 'ecr:PutImage'];
const ACCEPT_MANIFESTS = [DOCKER_MANIFEST, OCI_MANIFEST].join(', ');
const ACCOUNT_HOST = `${ACCOUNT}.dkr.ecr.${REGION}.localhost`;
const START_REPOSITORIES = [REPOSITORY, ...TEAM_REPOSITORIES, OTHER_REPOSITORY];

const repositoryArn = (name: string): string => `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/${name}`;

/** Why IAM refuses, in the words of its message. */
type DenialReason =
  | 'no identity-based policy allows'
  | 'no resource-based policy allows'
  | 'an explicit deny in an identity-based policy'
  | 'an explicit deny in a resource-based policy';

function denialMessage(principalArn: string, action: string, resource: string, reason: DenialReason): string {
  const why = reason.startsWith('an explicit deny') ? `with ${reason}` : `because ${reason} the ${action} action`;
  return `User: ${principalArn} is not authorized to perform: ${action} on resource: ${resource} ${why}`;
}

function accessDenied(principalArn: string, action: string, resource: string, reason: DenialReason): Record<string, unknown> {
  return { name: 'AccessDeniedException', message: denialMessage(principalArn, action, resource, reason), $metadata: expect.objectContaining({ httpStatusCode: 400 }) };
}

const ALLOWED = { $metadata: expect.objectContaining({ httpStatusCode: 200 }) };

/** A principal a test acts as: its ARN and an ECR client signing with its keys. */
interface Caller {
  arn: string;
  keys: KeyPair;
  ecr: ECRClient;
}

interface Grants {
  managed?: string[];
  inline?: Record<string, PolicyDocument>;
}

/** A user of the default account with an access key, the managed policies attached and the inline policies put. */
async function createCaller(env: TestEmulatorEnvironment, userName: string, grants: Grants = {}): Promise<Caller> {
  const iam = iamClient(env.emulator.endpoint, rootKeys(ACCOUNT));
  const { arn, keys } = await createUserWithKey(iam, userName);
  for (const policyArn of grants.managed ?? []) await iam.send(new AttachUserPolicyCommand({ UserName: userName, PolicyArn: policyArn }));
  for (const [policyName, document] of Object.entries(grants.inline ?? {})) {
    await iam.send(new PutUserPolicyCommand({ UserName: userName, PolicyName: policyName, PolicyDocument: JSON.stringify(document) }));
  }
  return { arn, keys, ecr: ecrClientWith(env.emulator.endpoint, keys) };
}

function policyText(statements: Record<string, unknown>[]): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statements });
}

async function setRepositoryPolicy(env: TestEmulatorEnvironment, statements: Record<string, unknown>[], repositoryName = REPOSITORY): Promise<void> {
  await env.ecr.send(new SetRepositoryPolicyCommand({ repositoryName, policyText: policyText(statements) }));
}

/** A data-plane client logged in as `caller` (GetAuthorizationToken signed with its keys). */
async function registryOf(env: TestEmulatorEnvironment, caller: Caller): Promise<RegistryClient> {
  return registryClient(env.emulator.endpoint, await basicAuthorization(caller.ecr));
}

/** What the root pushed to REPOSITORY as `v1` before each test. */
interface Pushed {
  digest: string;
  manifest: string;
  layerDigest: string;
}

async function pushAsRoot(env: TestEmulatorEnvironment): Promise<Pushed> {
  const { digest, manifest } = await env.registry.pushImage(REPOSITORY, 'v1');
  const layerDigest = (JSON.parse(manifest) as { layers: { digest: string }[] }).layers[0]!.digest;
  return { digest, manifest, layerDigest };
}

/** Control-plane operations on REPOSITORY (or a new repository), with the action and resource IAM checks. */
const OPERATIONS = {
  CreateRepository: {
    action: 'ecr:CreateRepository',
    resource: repositoryArn(NEW_REPOSITORY),
    call: (ecr: ECRClient) => ecr.send(new CreateRepositoryCommand({ repositoryName: NEW_REPOSITORY })),
  },
  DescribeRepositories: {
    action: 'ecr:DescribeRepositories',
    resource: repositoryArn(REPOSITORY),
    call: (ecr: ECRClient) => ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [REPOSITORY] })),
  },
  BatchGetImage: {
    action: 'ecr:BatchGetImage',
    resource: repositoryArn(REPOSITORY),
    call: (ecr: ECRClient) => ecr.send(new BatchGetImageCommand({ repositoryName: REPOSITORY, imageIds: [{ imageTag: 'v1' }] })),
  },
  GetDownloadUrlForLayer: {
    action: 'ecr:GetDownloadUrlForLayer',
    resource: repositoryArn(REPOSITORY),
    call: (ecr: ECRClient, pushed: Pushed) => ecr.send(new GetDownloadUrlForLayerCommand({ repositoryName: REPOSITORY, layerDigest: pushed.layerDigest })),
  },
  ListImages: {
    action: 'ecr:ListImages',
    resource: repositoryArn(REPOSITORY),
    call: (ecr: ECRClient) => ecr.send(new ListImagesCommand({ repositoryName: REPOSITORY })),
  },
  PutImage: {
    action: 'ecr:PutImage',
    resource: repositoryArn(REPOSITORY),
    call: (ecr: ECRClient, pushed: Pushed) => ecr.send(new PutImageCommand({ repositoryName: REPOSITORY, imageManifest: pushed.manifest, imageTag: 'v2' })),
  },
  BatchDeleteImage: {
    action: 'ecr:BatchDeleteImage',
    resource: repositoryArn(REPOSITORY),
    call: (ecr: ECRClient) => ecr.send(new BatchDeleteImageCommand({ repositoryName: REPOSITORY, imageIds: [{ imageTag: 'v1' }] })),
  },
  SetRepositoryPolicy: {
    action: 'ecr:SetRepositoryPolicy',
    resource: repositoryArn(REPOSITORY),
    call: (ecr: ECRClient) =>
      ecr.send(new SetRepositoryPolicyCommand({ repositoryName: REPOSITORY, policyText: policyText([{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: PULL_ACTIONS }]) })),
  },
  DeleteRepository: {
    action: 'ecr:DeleteRepository',
    resource: repositoryArn(REPOSITORY),
    call: (ecr: ECRClient) => ecr.send(new DeleteRepositoryCommand({ repositoryName: REPOSITORY, force: true })),
  },
} as const;
type OperationName = keyof typeof OPERATIONS;

function operate(name: OperationName, ecr: ECRClient, pushed: Pushed): Promise<unknown> {
  const operation: { call: (ecr: ECRClient, pushed: Pushed) => Promise<unknown> } = OPERATIONS[name];
  return operation.call(ecr, pushed);
}

/** Data-plane routes on REPOSITORY and the IAM action each one needs. */
interface RegistryRouteCase {
  route: string;
  action: string;
  /** Reading routes, which AmazonEC2ContainerRegistryReadOnly allows. */
  isRead: boolean;
  /** The status of the route when allowed. */
  allowedStatus: number;
  request(pushed: Pushed, root: RegistryClient): Promise<{ path: string; init: RequestInit & { headers?: Record<string, string> } }>;
}

/** An upload session the root opened in REPOSITORY: its path, from the Location header. */
async function rootUpload(root: RegistryClient): Promise<string> {
  const response = await root.fetch(`/v2/${REPOSITORY}/blobs/uploads/`, { method: 'POST' });
  if (response.status !== 202) throw new Error(`the root could not open an upload: ${response.status} ${await response.text()}`);
  return response.headers.get('location')!;
}

/** The bytes a monolithic PUT of an upload session sends. */
const WHOLE_BLOB = 'a whole blob in one PUT';

const ROUTES: RegistryRouteCase[] = [
  {
    route: 'GET manifest',
    action: 'ecr:BatchGetImage',
    isRead: true,
    allowedStatus: 200,
    request: async () => ({ path: `/v2/${REPOSITORY}/manifests/v1`, init: { headers: { accept: ACCEPT_MANIFESTS } } }),
  },
  {
    route: 'HEAD manifest',
    action: 'ecr:BatchGetImage',
    isRead: true,
    allowedStatus: 200,
    request: async () => ({ path: `/v2/${REPOSITORY}/manifests/v1`, init: { method: 'HEAD', headers: { accept: ACCEPT_MANIFESTS } } }),
  },
  {
    route: 'GET blob',
    action: 'ecr:GetDownloadUrlForLayer',
    isRead: true,
    allowedStatus: 200,
    request: async (pushed) => ({ path: `/v2/${REPOSITORY}/blobs/${pushed.layerDigest}`, init: {} }),
  },
  {
    route: 'HEAD blob',
    action: 'ecr:BatchCheckLayerAvailability',
    isRead: true,
    allowedStatus: 200,
    request: async (pushed) => ({ path: `/v2/${REPOSITORY}/blobs/${pushed.layerDigest}`, init: { method: 'HEAD' } }),
  },
  {
    route: 'GET tags list',
    action: 'ecr:ListImages',
    isRead: true,
    allowedStatus: 200,
    request: async () => ({ path: `/v2/${REPOSITORY}/tags/list`, init: {} }),
  },
  {
    route: 'POST upload',
    action: 'ecr:InitiateLayerUpload',
    isRead: false,
    allowedStatus: 202,
    request: async () => ({ path: `/v2/${REPOSITORY}/blobs/uploads/`, init: { method: 'POST' } }),
  },
  {
    route: 'PATCH upload',
    action: 'ecr:UploadLayerPart',
    isRead: false,
    allowedStatus: 202,
    request: async (_pushed, root) => ({ path: await rootUpload(root), init: { method: 'PATCH', body: 'a part', headers: { 'content-type': 'application/octet-stream' } } }),
  },
  {
    route: 'PUT upload',
    action: 'ecr:CompleteLayerUpload',
    isRead: false,
    allowedStatus: 201,
    request: async (_pushed, root) => ({ path: `${await rootUpload(root)}?digest=${sha256(WHOLE_BLOB)}`, init: { method: 'PUT', body: WHOLE_BLOB } }),
  },
  {
    route: 'PUT manifest',
    action: 'ecr:PutImage',
    isRead: false,
    allowedStatus: 201,
    request: async (pushed) => ({ path: `/v2/${REPOSITORY}/manifests/v2`, init: { method: 'PUT', body: pushed.manifest, headers: { 'content-type': DOCKER_MANIFEST } } }),
  },
  {
    route: 'DELETE manifest',
    action: 'ecr:BatchDeleteImage',
    isRead: false,
    allowedStatus: 202,
    request: async (pushed) => ({ path: `/v2/${REPOSITORY}/manifests/${pushed.digest}`, init: { method: 'DELETE' } }),
  },
];

async function tagsAsRoot(env: TestEmulatorEnvironment): Promise<string[]> {
  const response = await env.registry.fetch(`/v2/${REPOSITORY}/tags/list`);
  return ((await response.json()) as { tags: string[] }).tags;
}

/** A role of OTHER_ACCOUNT its root may assume, with `policy` inline, and a session of it. */
async function otherAccountRoleSession(env: TestEmulatorEnvironment, policy?: PolicyDocument): Promise<Caller> {
  const iam: IAMClient = iamClient(env.emulator.endpoint, rootKeys(OTHER_ACCOUNT));
  const roleArn = await createRole(iam, 'puller', trustPolicy([OTHER_ACCOUNT]));
  if (policy !== undefined) await iam.send(new PutRolePolicyCommand({ RoleName: 'puller', PolicyName: 'pull-anywhere', PolicyDocument: JSON.stringify(policy) }));
  const { Credentials } = await stsClient(env.emulator.endpoint, rootKeys(OTHER_ACCOUNT)).send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'cross-account' }));
  const keys = sessionKeys(Credentials);
  return { arn: `arn:aws:sts::${OTHER_ACCOUNT}:assumed-role/puller/cross-account`, keys, ecr: ecrClientWith(env.emulator.endpoint, keys) };
}

function otherAccountRoot(env: TestEmulatorEnvironment): Caller {
  const keys = rootKeys(OTHER_ACCOUNT);
  return { arn: `arn:aws:iam::${OTHER_ACCOUNT}:root`, keys, ecr: ecrClientWith(env.emulator.endpoint, keys) };
}

/** A's repository policy statement letting account B pull. */
const GRANT_OTHER_ACCOUNT_PULL = { Sid: 'PullFromB', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OTHER_ACCOUNT}:root` }, Action: PULL_ACTIONS };

const crossAccountBatchGetImage = (caller: Caller): Promise<unknown> =>
  caller.ecr.send(new BatchGetImageCommand({ registryId: ACCOUNT, repositoryName: REPOSITORY, imageIds: [{ imageTag: 'v1' }] }));

describe('--iam enforce', () => {
  const env = useTestEmulator({ startOptions: { iamMode: 'enforce' }, repositories: START_REPOSITORIES });
  let pushed: Pushed;
  beforeEach(async () => {
    pushed = await pushAsRoot(env);
  });

  describe('identity policies', () => {
    it('denies CreateRepository to a user without policies with AccessDeniedException naming the user, the action and the repository', async () => {
      const caller = await createCaller(env, 'nobody');
      await expect(OPERATIONS.CreateRepository.call(caller.ecr)).rejects.toMatchObject(
        accessDenied(caller.arn, 'ecr:CreateRepository', repositoryArn(NEW_REPOSITORY), 'no identity-based policy allows'),
      );
    });

    it('creates nothing when CreateRepository is denied', async () => {
      const caller = await createCaller(env, 'nobody');
      await expect(OPERATIONS.CreateRepository.call(caller.ecr)).rejects.toMatchObject({ name: 'AccessDeniedException' });
      await expect(env.ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [NEW_REPOSITORY] }))).rejects.toMatchObject({ name: 'RepositoryNotFoundException' });
    });

    const MATRIX: [string, OperationName, 'allowed' | 'denied', string][] = [
      ['AmazonEC2ContainerRegistryReadOnly', 'DescribeRepositories', 'allowed', READ_ONLY],
      ['AmazonEC2ContainerRegistryReadOnly', 'BatchGetImage', 'allowed', READ_ONLY],
      ['AmazonEC2ContainerRegistryReadOnly', 'GetDownloadUrlForLayer', 'allowed', READ_ONLY],
      ['AmazonEC2ContainerRegistryReadOnly', 'ListImages', 'allowed', READ_ONLY],
      ['AmazonEC2ContainerRegistryReadOnly', 'PutImage', 'denied', READ_ONLY],
      ['AmazonEC2ContainerRegistryReadOnly', 'BatchDeleteImage', 'denied', READ_ONLY],
      ['AmazonEC2ContainerRegistryReadOnly', 'DeleteRepository', 'denied', READ_ONLY],
      ['AmazonEC2ContainerRegistryReadOnly', 'CreateRepository', 'denied', READ_ONLY],
      ['AmazonEC2ContainerRegistryPowerUser', 'BatchGetImage', 'allowed', POWER_USER],
      ['AmazonEC2ContainerRegistryPowerUser', 'PutImage', 'allowed', POWER_USER],
      ['AmazonEC2ContainerRegistryPowerUser', 'DeleteRepository', 'denied', POWER_USER],
      ['AmazonEC2ContainerRegistryPowerUser', 'SetRepositoryPolicy', 'denied', POWER_USER],
      ['AmazonEC2ContainerRegistryPowerUser', 'CreateRepository', 'denied', POWER_USER],
      ['AmazonEC2ContainerRegistryFullAccess', 'CreateRepository', 'allowed', FULL_ACCESS],
      ['AmazonEC2ContainerRegistryFullAccess', 'PutImage', 'allowed', FULL_ACCESS],
      ['AmazonEC2ContainerRegistryFullAccess', 'BatchDeleteImage', 'allowed', FULL_ACCESS],
      ['AmazonEC2ContainerRegistryFullAccess', 'SetRepositoryPolicy', 'allowed', FULL_ACCESS],
      ['AmazonEC2ContainerRegistryFullAccess', 'DeleteRepository', 'allowed', FULL_ACCESS],
    ];

    it.each(MATRIX)('a user with %s: %s is %s', async (_name, operation, outcome, policyArn) => {
      const caller = await createCaller(env, 'attached', { managed: [policyArn] });
      const call = operate(operation, caller.ecr, pushed);
      if (outcome === 'allowed') {
        await expect(call).resolves.toMatchObject(ALLOWED);
      } else {
        const { action, resource } = OPERATIONS[operation];
        await expect(call).rejects.toMatchObject(accessDenied(caller.arn, action, resource, 'no identity-based policy allows'));
      }
    });

    it('lets a user with AmazonEC2ContainerRegistryPowerUser push an image over the data plane, which the root then reads', async () => {
      const caller = await createCaller(env, 'pusher', { managed: [POWER_USER] });
      const { digest } = await (await registryOf(env, caller)).pushImage(REPOSITORY, 'from-power-user', { layers: ['a layer of the power user'] });
      const { images } = await env.ecr.send(new BatchGetImageCommand({ repositoryName: REPOSITORY, imageIds: [{ imageTag: 'from-power-user' }] }));
      expect(images?.map((image) => image.imageId?.imageDigest)).toEqual([digest]);
    });

    const DENY_PULL_HERE = { Version: '2012-10-17' as const, Statement: [{ Effect: 'Deny', Action: 'ecr:BatchGetImage', Resource: repositoryArn(REPOSITORY) }] };

    it('an inline explicit Deny of ecr:BatchGetImage on one repository beats AmazonEC2ContainerRegistryFullAccess there', async () => {
      const caller = await createCaller(env, 'fenced', { managed: [FULL_ACCESS], inline: { 'no-pull-here': DENY_PULL_HERE } });
      await expect(OPERATIONS.BatchGetImage.call(caller.ecr)).rejects.toMatchObject(
        accessDenied(caller.arn, 'ecr:BatchGetImage', repositoryArn(REPOSITORY), 'an explicit deny in an identity-based policy'),
      );
    });

    it('an inline explicit Deny on one repository leaves AmazonEC2ContainerRegistryFullAccess in force on the others', async () => {
      const caller = await createCaller(env, 'fenced', { managed: [FULL_ACCESS], inline: { 'no-pull-here': DENY_PULL_HERE } });
      await env.registry.pushImage(OTHER_REPOSITORY, 'v1');
      await expect(caller.ecr.send(new BatchGetImageCommand({ repositoryName: OTHER_REPOSITORY, imageIds: [{ imageTag: 'v1' }] }))).resolves.toMatchObject(ALLOWED);
    });
  });

  describe('repository policies in the same account', () => {
    it('a repository policy Deny naming the user beats AmazonEC2ContainerRegistryFullAccess: explicit deny in a resource-based policy', async () => {
      const caller = await createCaller(env, 'named', { managed: [FULL_ACCESS] });
      await setRepositoryPolicy(env, [{ Sid: 'DenyNamed', Effect: 'Deny', Principal: { AWS: caller.arn }, Action: 'ecr:BatchGetImage' }]);
      await expect(OPERATIONS.BatchGetImage.call(caller.ecr)).rejects.toMatchObject(
        accessDenied(caller.arn, 'ecr:BatchGetImage', repositoryArn(REPOSITORY), 'an explicit deny in a resource-based policy'),
      );
    });

    it('a repository policy Allow naming the user is enough without any identity policy', async () => {
      const caller = await createCaller(env, 'named');
      await setRepositoryPolicy(env, [{ Sid: 'AllowNamed', Effect: 'Allow', Principal: { AWS: caller.arn }, Action: PULL_ACTIONS }]);
      await expect(OPERATIONS.BatchGetImage.call(caller.ecr)).resolves.toMatchObject(ALLOWED);
    });

    it('a repository policy Allow naming the user grants only its actions', async () => {
      const caller = await createCaller(env, 'named');
      await setRepositoryPolicy(env, [{ Sid: 'AllowNamed', Effect: 'Allow', Principal: { AWS: caller.arn }, Action: PULL_ACTIONS }]);
      await expect(OPERATIONS.PutImage.call(caller.ecr, pushed)).rejects.toMatchObject(
        accessDenied(caller.arn, 'ecr:PutImage', repositoryArn(REPOSITORY), 'no identity-based policy allows'),
      );
    });
  });

  describe('across accounts', () => {
    // The role's own policy allows pulling and pushing anywhere: what decides is A's repository policy.
    const PULL_AND_PUSH_ANYWHERE = allowPolicy(['ecr:GetAuthorizationToken', ...PULL_ACTIONS, ...PUSH_ACTIONS], '*');
    const CALLERS: [string, (env: TestEmulatorEnvironment) => Promise<Caller>][] = [
      ['a role session of account B with an identity policy allowing the pull', (environment) => otherAccountRoleSession(environment, PULL_AND_PUSH_ANYWHERE)],
      ['the root of account B', async (environment) => otherAccountRoot(environment)],
    ];

    it.each(CALLERS)("%s is denied BatchGetImage in A's repository without A's repository policy: no resource-based policy allows it", async (_name, callerOf) => {
      const caller = await callerOf(env);
      await expect(crossAccountBatchGetImage(caller)).rejects.toMatchObject(
        accessDenied(caller.arn, 'ecr:BatchGetImage', repositoryArn(REPOSITORY), 'no resource-based policy allows'),
      );
    });

    it.each(CALLERS)("%s may BatchGetImage in A's repository once A's repository policy grants account B", async (_name, callerOf) => {
      const caller = await callerOf(env);
      await setRepositoryPolicy(env, [GRANT_OTHER_ACCOUNT_PULL]);
      const answer = (await crossAccountBatchGetImage(caller)) as { images?: { imageId?: { imageDigest?: string } }[] };
      expect(answer.images?.map((image) => image.imageId?.imageDigest)).toEqual([pushed.digest]);
    });

    it.each(CALLERS)("%s is refused PutImage in A's repository when A's policy grants only pulls", async (_name, callerOf) => {
      const caller = await callerOf(env);
      await setRepositoryPolicy(env, [GRANT_OTHER_ACCOUNT_PULL]);
      await expect(caller.ecr.send(new PutImageCommand({ registryId: ACCOUNT, repositoryName: REPOSITORY, imageManifest: pushed.manifest, imageTag: 'from-b' }))).rejects.toMatchObject(
        accessDenied(caller.arn, 'ecr:PutImage', repositoryArn(REPOSITORY), 'no resource-based policy allows'),
      );
    });

    it.each(CALLERS)("%s is denied the manifest at A's registry host without A's policy: 403 DENIED", async (_name, callerOf) => {
      const caller = await callerOf(env);
      const answer = await getWithHost(env.emulator.endpoint, `/v2/${REPOSITORY}/manifests/v1`, ACCOUNT_HOST, await basicAuthorization(caller.ecr));
      expect(answer.status).toBe(403);
      expect(JSON.parse(answer.body)).toEqual({
        errors: [expect.objectContaining({ code: 'DENIED', message: denialMessage(caller.arn, 'ecr:BatchGetImage', repositoryArn(REPOSITORY), 'no resource-based policy allows') })],
      });
    });

    it.each(CALLERS)("%s pulls the manifest at A's registry host once A's policy grants account B", async (_name, callerOf) => {
      const caller = await callerOf(env);
      await setRepositoryPolicy(env, [GRANT_OTHER_ACCOUNT_PULL]);
      const answer = await getWithHost(env.emulator.endpoint, `/v2/${REPOSITORY}/manifests/v1`, ACCOUNT_HOST, await basicAuthorization(caller.ecr));
      expect(answer).toEqual({ status: 200, body: pushed.manifest });
    });
  });

  describe('DescribeRepositories', () => {
    const DESCRIBE_TEAM = allowPolicy(['ecr:DescribeRepositories'], `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/team/*`);

    it('without names lists only the repositories the identity policy lets the user describe', async () => {
      const caller = await createCaller(env, 'team-reader', { inline: { 'describe-team': DESCRIBE_TEAM } });
      const { repositories } = await caller.ecr.send(new DescribeRepositoriesCommand({}));
      expect(repositories?.map((repository) => repository.repositoryName).sort()).toEqual(TEAM_REPOSITORIES);
    });

    it('with the name of a repository outside the policy is AccessDeniedException', async () => {
      const caller = await createCaller(env, 'team-reader', { inline: { 'describe-team': DESCRIBE_TEAM } });
      await expect(caller.ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [OTHER_REPOSITORY] }))).rejects.toMatchObject(
        accessDenied(caller.arn, 'ecr:DescribeRepositories', repositoryArn(OTHER_REPOSITORY), 'no identity-based policy allows'),
      );
    });
  });

  describe('the data plane', () => {
    /** Sends the route's request with `caller`'s token; the root's registry client opens upload sessions. */
    async function send(route: RegistryRouteCase, caller: Caller): Promise<Response> {
      const { path, init } = await route.request(pushed, env.registry);
      return (await registryOf(env, caller)).fetch(path, init);
    }

    async function expectDenied(response: Response, caller: Caller, route: RegistryRouteCase): Promise<void> {
      expect(response.status).toBe(403);
      if (route.route.startsWith('HEAD')) {
        // OCI distribution spec: HEAD responses carry headers only.
        expect(await response.text()).toBe('');
      } else {
        expect(await errorsOf(response)).toEqual([
          expect.objectContaining({ code: 'DENIED', message: denialMessage(caller.arn, route.action, repositoryArn(REPOSITORY), 'no identity-based policy allows') }),
        ]);
      }
    }

    it.each(ROUTES.filter((route) => route.isRead))('allows $route ($action) to a token of a user with AmazonEC2ContainerRegistryReadOnly', async (route) => {
      const caller = await createCaller(env, 'reader', { managed: [READ_ONLY] });
      expect((await send(route, caller)).status).toBe(route.allowedStatus);
    });

    it.each(ROUTES.filter((route) => !route.isRead))(
      'denies $route ($action) to a token of a user with AmazonEC2ContainerRegistryReadOnly: 403 DENIED with the message',
      async (route) => {
        const caller = await createCaller(env, 'reader', { managed: [READ_ONLY] });
        await expectDenied(await send(route, caller), caller, route);
      },
    );

    it.each(ROUTES.filter((route) => route.route.endsWith('manifest') && !route.isRead))('leaves the tags as they were after a denied $route', async (route) => {
      const caller = await createCaller(env, 'reader', { managed: [READ_ONLY] });
      await send(route, caller);
      expect(await tagsAsRoot(env)).toEqual(['v1']);
    });

    it.each(ROUTES)('denies $route ($action) to a token of a user who may only log in', async (route) => {
      const caller = await createCaller(env, 'login-only', { inline: { login: allowPolicy(['ecr:GetAuthorizationToken'], '*') } });
      await expectDenied(await send(route, caller), caller, route);
    });

    it.each(ROUTES)('allows $route to a token of a user whose policy allows exactly $action on the repository', async (route) => {
      const exactly: PolicyDocument = {
        Version: '2012-10-17',
        Statement: [
          { Effect: 'Allow', Action: 'ecr:GetAuthorizationToken', Resource: '*' },
          { Effect: 'Allow', Action: route.action, Resource: repositoryArn(REPOSITORY) },
        ],
      };
      const caller = await createCaller(env, 'exact', { inline: { exactly } });
      expect((await send(route, caller)).status).toBe(route.allowedStatus);
    });
  });
});

describe('--iam off', () => {
  const env = useTestEmulator({ startOptions: { iamMode: 'off' }, repositories: START_REPOSITORIES });
  let pushed: Pushed;
  beforeEach(async () => {
    pushed = await pushAsRoot(env);
  });

  const EVERYTHING: OperationName[] = ['CreateRepository', 'DescribeRepositories', 'BatchGetImage', 'GetDownloadUrlForLayer', 'PutImage', 'SetRepositoryPolicy', 'BatchDeleteImage', 'DeleteRepository'];

  it.each(EVERYTHING)('lets a user without policies call %s in its own account', async (operation) => {
    const caller = await createCaller(env, 'nobody');
    await expect(operate(operation, caller.ecr, pushed)).resolves.toMatchObject(ALLOWED);
  });

  it('lets a user without policies log in and push over the data plane in its own account', async () => {
    const caller = await createCaller(env, 'nobody');
    const { digest } = await (await registryOf(env, caller)).pushImage(REPOSITORY, 'from-nobody', { layers: ['a layer of nobody'] });
    const { images } = await env.ecr.send(new BatchGetImageCommand({ repositoryName: REPOSITORY, imageIds: [{ imageTag: 'from-nobody' }] }));
    expect(images?.map((image) => image.imageId?.imageDigest)).toEqual([digest]);
  });

  it("denies the root of account B BatchGetImage in A's repository without a repository policy", async () => {
    const caller = otherAccountRoot(env);
    await expect(crossAccountBatchGetImage(caller)).rejects.toMatchObject(accessDenied(caller.arn, 'ecr:BatchGetImage', repositoryArn(REPOSITORY), 'no resource-based policy allows'));
  });

  it("lets the root of account B BatchGetImage in A's repository once A's repository policy grants B", async () => {
    await setRepositoryPolicy(env, [GRANT_OTHER_ACCOUNT_PULL]);
    await expect(crossAccountBatchGetImage(otherAccountRoot(env))).resolves.toMatchObject(ALLOWED);
  });

  it("lets a role session of account B without any identity policy pull once A's repository policy grants B: identity policies are not evaluated", async () => {
    const caller = await otherAccountRoleSession(env);
    await setRepositoryPolicy(env, [GRANT_OTHER_ACCOUNT_PULL]);
    const answer = await getWithHost(env.emulator.endpoint, `/v2/${REPOSITORY}/manifests/v1`, ACCOUNT_HOST, await basicAuthorization(caller.ecr));
    expect(answer).toEqual({ status: 200, body: pushed.manifest });
  });

  it('applies an explicit Deny of a repository policy to the user it names', async () => {
    const caller = await createCaller(env, 'named');
    await setRepositoryPolicy(env, [{ Sid: 'DenyNamed', Effect: 'Deny', Principal: { AWS: caller.arn }, Action: 'ecr:BatchGetImage' }]);
    await expect(OPERATIONS.BatchGetImage.call(caller.ecr)).rejects.toMatchObject(
      accessDenied(caller.arn, 'ecr:BatchGetImage', repositoryArn(REPOSITORY), 'an explicit deny in a resource-based policy'),
    );
  });

  it('applies an explicit Deny of a repository policy to no one it does not name', async () => {
    const named = await createCaller(env, 'named');
    const other = await createCaller(env, 'other');
    await setRepositoryPolicy(env, [{ Sid: 'DenyNamed', Effect: 'Deny', Principal: { AWS: named.arn }, Action: 'ecr:BatchGetImage' }]);
    await expect(OPERATIONS.BatchGetImage.call(other.ecr)).resolves.toMatchObject(ALLOWED);
  });
});

interface Decision {
  time: string;
  principal: string;
  action: string;
  resource: string;
  decision: 'allowed' | 'denied' | 'would-be-denied';
  reason: string;
  message?: string;
  statements: unknown[];
}

async function decisions(env: TestEmulatorEnvironment, filters: Record<string, string>): Promise<Decision[]> {
  const response = await fetch(`${env.emulator.endpoint}/_emulator/iam/decisions?${new URLSearchParams({ limit: '1000', ...filters }).toString()}`);
  if (response.status !== 200) throw new Error(`GET /_emulator/iam/decisions answered ${response.status}: ${await response.text()}`);
  return ((await response.json()) as { decisions: Decision[] }).decisions;
}

describe('--iam soft', () => {
  const env = useTestEmulator({ startOptions: { iamMode: 'soft' }, repositories: START_REPOSITORIES });
  let pushed: Pushed;
  beforeEach(async () => {
    pushed = await pushAsRoot(env);
  });

  it('allows a user without policies to CreateRepository, which enforce would deny', async () => {
    const caller = await createCaller(env, 'nobody');
    await expect(OPERATIONS.CreateRepository.call(caller.ecr)).resolves.toMatchObject(ALLOWED);
    await expect(env.ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [NEW_REPOSITORY] }))).resolves.toMatchObject(ALLOWED);
  });

  it('records the would-be denial in /_emulator/iam/decisions with the message enforce would answer', async () => {
    const caller = await createCaller(env, 'nobody');
    await OPERATIONS.CreateRepository.call(caller.ecr);
    expect(await decisions(env, { principal: caller.arn, action: 'ecr:CreateRepository' })).toEqual([
      expect.objectContaining({
        time: expect.any(String),
        principal: caller.arn,
        action: 'ecr:CreateRepository',
        resource: repositoryArn(NEW_REPOSITORY),
        decision: 'would-be-denied',
        reason: expect.any(String),
        message: denialMessage(caller.arn, 'ecr:CreateRepository', repositoryArn(NEW_REPOSITORY), 'no identity-based policy allows'),
        // Nothing allowed it, so no statement matched.
        statements: [],
      }),
    ]);
  });

  it('records a data-plane would-be denial too, and serves the request', async () => {
    const caller = await createCaller(env, 'reader', { managed: [READ_ONLY] });
    const response = await (await registryOf(env, caller)).putManifest(REPOSITORY, 'v2', pushed.manifest, DOCKER_MANIFEST);
    expect(response.status).toBe(201);
    expect(await decisions(env, { principal: caller.arn, action: 'ecr:PutImage' })).toEqual([
      expect.objectContaining({ resource: repositoryArn(REPOSITORY), decision: 'would-be-denied' }),
    ]);
  });

  describe('the decisions route', () => {
    let nobody: Caller;
    let reader: Caller;
    beforeEach(async () => {
      nobody = await createCaller(env, 'nobody');
      reader = await createCaller(env, 'reader', { managed: [READ_ONLY] });
      await OPERATIONS.CreateRepository.call(nobody.ecr);
      await OPERATIONS.DescribeRepositories.call(nobody.ecr);
      await OPERATIONS.DescribeRepositories.call(reader.ecr);
      await OPERATIONS.BatchGetImage.call(reader.ecr);
    });

    it('filters by principal', async () => {
      const found = await decisions(env, { principal: nobody.arn });
      expect(new Set(found.map((decision) => decision.principal))).toEqual(new Set([nobody.arn]));
      expect(found.map((decision) => decision.action)).toEqual(expect.arrayContaining(['ecr:CreateRepository', 'ecr:DescribeRepositories']));
    });

    it('filters by action', async () => {
      const found = await decisions(env, { action: 'ecr:DescribeRepositories' });
      expect(new Set(found.map((decision) => decision.action))).toEqual(new Set(['ecr:DescribeRepositories']));
      expect(found.map((decision) => decision.principal)).toEqual(expect.arrayContaining([nobody.arn, reader.arn]));
    });

    it.each([
      ['the user without policies', 'would-be-denied' as const, () => nobody],
      ['the reader', 'allowed' as const, () => reader],
    ])('filters by principal and action together: DescribeRepositories by %s was %s', async (_name, expected, callerOf) => {
      const found = await decisions(env, { principal: callerOf().arn, action: 'ecr:DescribeRepositories' });
      expect(found.map((decision) => decision.decision)).toEqual([expected]);
    });

    it('filters by decision', async () => {
      const found = await decisions(env, { decision: 'would-be-denied' });
      expect(new Set(found.map((decision) => decision.decision))).toEqual(new Set(['would-be-denied']));
      expect(found.map((decision) => `${decision.principal} ${decision.action}`)).toEqual(
        expect.arrayContaining([`${nobody.arn} ecr:CreateRepository`, `${nobody.arn} ecr:DescribeRepositories`]),
      );
    });

    it('answers at most limit decisions', async () => {
      expect(await decisions(env, { principal: nobody.arn, limit: '1' })).toHaveLength(1);
    });
  });

  describe('the suggested policy', () => {
    /** What the user without policies does: log in, read REPOSITORY over both planes. */
    async function work(caller: Caller): Promise<void> {
      await OPERATIONS.DescribeRepositories.call(caller.ecr);
      await OPERATIONS.ListImages.call(caller.ecr);
      await OPERATIONS.BatchGetImage.call(caller.ecr);
      const response = await (await registryOf(env, caller)).fetch(`/v2/${REPOSITORY}/blobs/${pushed.layerDigest}`);
      if (response.status !== 200) throw new Error(`the soft-mode blob GET answered ${response.status}`);
    }

    async function suggestedPolicy(principal: string): Promise<PolicyDocument> {
      const response = await fetch(`${env.emulator.endpoint}/_emulator/iam/suggested-policy?${new URLSearchParams({ principal }).toString()}`);
      if (response.status !== 200) throw new Error(`GET /_emulator/iam/suggested-policy answered ${response.status}: ${await response.text()}`);
      return (await response.json()) as PolicyDocument;
    }

    it('allows every action that was done, once put as the user\'s policy: the same work again is no would-be denial', async () => {
      const caller = await createCaller(env, 'nobody');
      await work(caller);
      const before = await decisions(env, { principal: caller.arn, decision: 'would-be-denied' });
      expect(before.map((decision) => decision.action)).toEqual(
        expect.arrayContaining(['ecr:GetAuthorizationToken', 'ecr:DescribeRepositories', 'ecr:ListImages', 'ecr:BatchGetImage', 'ecr:GetDownloadUrlForLayer']),
      );

      const policy = await suggestedPolicy(caller.arn);
      await iamClient(env.emulator.endpoint, rootKeys(ACCOUNT)).send(new PutUserPolicyCommand({ UserName: 'nobody', PolicyName: 'suggested', PolicyDocument: JSON.stringify(policy) }));
      await work(caller);
      expect(await decisions(env, { principal: caller.arn, decision: 'would-be-denied' })).toHaveLength(before.length);
    });

    it('is an IAM policy document of Allow statements', async () => {
      const caller = await createCaller(env, 'nobody');
      await work(caller);
      const policy = await suggestedPolicy(caller.arn);
      expect(policy.Version).toBe('2012-10-17');
      expect(policy.Statement.length).toBeGreaterThan(0);
      expect(new Set(policy.Statement.map((statement) => statement.Effect))).toEqual(new Set(['Allow']));
    });
  });
});
