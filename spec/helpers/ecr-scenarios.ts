// One table of control-plane conversations, each with the outcome it must have. Written once against an ECRClient
// factory, run over HTTP and in process (spec/integration/in-process.test.ts) so the two modes are proven alike.
// Outcomes are normalized: request ids, times, tokens and the registry host vary between runs, their types do not.
import { createHash } from 'node:crypto';
import {
  BatchDeleteImageCommand,
  BatchGetImageCommand,
  CompleteLayerUploadCommand,
  CreateRepositoryCommand,
  DescribeImagesCommand,
  InitiateLayerUploadCommand,
  PutImageCommand,
  UploadLayerPartCommand,
  DeleteRepositoryCommand,
  DescribeRepositoriesCommand,
  ECRServiceException,
  GetAuthorizationTokenCommand,
  GetLifecyclePolicyCommand,
  ListTagsForResourceCommand,
  PutLifecyclePolicyCommand,
  TagResourceCommand,
  type CreateRepositoryCommandInput,
  type ECRClient,
} from '@aws-sdk/client-ecr';

export interface ScenarioClients {
  /** A client of the emulator under test; a 12-digit `accountId` becomes the access key, which selects the account. */
  client(options?: { accountId?: string; region?: string }): ECRClient;
}

export interface NormalizedError {
  /** The class the SDK threw: the modelled exception class, or one the SDK names after an unmodelled `__type`. */
  errorClass: string;
  isServiceException: boolean;
  name: string;
  message: string;
  fault: unknown;
  httpStatusCode: number | undefined;
}

export type Outcome = { output: unknown } | { error: NormalizedError };

export interface EcrScenario {
  name: string;
  /** Runs on an empty emulator and returns the outcome of each step. */
  run(clients: ScenarioClients): Promise<Outcome[]>;
  /** What the outcomes must match (toMatchObject, so jest's asymmetric matchers work), in both modes. */
  expected: unknown[];
}

const LIFECYCLE_POLICY = JSON.stringify({
  rules: [{ rulePriority: 1, selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 14 }, action: { type: 'expire' } }],
});

function normalizeValue(value: unknown, key: string): unknown {
  if (value instanceof Date) return '<Date>';
  if (typeof value === 'string') {
    if (key === 'authorizationToken') return Buffer.from(value, 'base64').toString().startsWith('AWS:') ? '<AWS:token>' : value;
    if (key === 'nextToken') return '<nextToken>';
    // The registry host carries the HTTP server's port; in process there is none.
    return value.replace(/localhost:\d+/g, '<registry>');
  }
  if (Array.isArray(value)) return value.map((item) => normalizeValue(item, key));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([member]) => member !== '$metadata')
        .map(([member, item]) => [member, normalizeValue(item, member)]),
    );
  }
  return value;
}

/** The outcome of one SDK call: its output without $metadata, or what identifies the error it threw. */
export async function outcomeOf(call: Promise<unknown>): Promise<Outcome> {
  try {
    return { output: normalizeValue(await call, '') };
  } catch (error) {
    if (!(error instanceof Error)) throw error;
    const { $fault, $metadata } = error as Partial<ECRServiceException>;
    return {
      error: {
        errorClass: error.constructor.name,
        isServiceException: error instanceof ECRServiceException,
        name: error.name,
        message: error.message,
        fault: $fault,
        httpStatusCode: $metadata?.httpStatusCode,
      },
    };
  }
}

/** A modelled client error: its own SDK class, `$fault` client, status 400. `message` may be an asymmetric matcher. */
function clientError(errorClass: string, message: unknown): { error: Record<keyof NormalizedError, unknown> } {
  return { error: { errorClass, name: errorClass, isServiceException: true, fault: 'client', httpStatusCode: 400, message } };
}

const create = (input: CreateRepositoryCommandInput) => new CreateRepositoryCommand(input);

const sha256 = (bytes: Buffer): string => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

/** Uploads `bytes` as one layer part with the layer API; returns its digest. */
async function uploadLayer(ecr: ECRClient, repositoryName: string, bytes: Buffer): Promise<string> {
  const { uploadId } = await ecr.send(new InitiateLayerUploadCommand({ repositoryName }));
  await ecr.send(new UploadLayerPartCommand({ repositoryName, uploadId: uploadId!, partFirstByte: 0, partLastByte: bytes.length - 1, layerPartBlob: bytes }));
  const { layerDigest } = await ecr.send(new CompleteLayerUploadCommand({ repositoryName, uploadId: uploadId!, layerDigests: [sha256(bytes)] }));
  return layerDigest!;
}

const IMAGE_CONFIG = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] } }));
const IMAGE_LAYER = Buffer.from('a layer uploaded with the layer API');
const IMAGE_MANIFEST = JSON.stringify({
  schemaVersion: 2,
  mediaType: 'application/vnd.oci.image.manifest.v1+json',
  config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256(IMAGE_CONFIG), size: IMAGE_CONFIG.length },
  layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: sha256(IMAGE_LAYER), size: IMAGE_LAYER.length }],
});
const IMAGE_DIGEST = sha256(Buffer.from(IMAGE_MANIFEST));

export const ECR_SCENARIOS: EcrScenario[] = [
  {
    name: 'creates a repository and describes it with Date timestamps',
    async run({ client }) {
      const ecr = client();
      return [await outcomeOf(ecr.send(create({ repositoryName: 'team/app' }))), await outcomeOf(ecr.send(new DescribeRepositoriesCommand({})))];
    },
    expected: [
      { output: { repository: { repositoryName: 'team/app', registryId: '000000000000', repositoryUri: '<registry>/team/app', createdAt: '<Date>', imageTagMutability: 'MUTABLE' } } },
      { output: { repositories: [{ repositoryName: 'team/app', repositoryArn: 'arn:aws:ecr:us-east-1:000000000000:repository/team/app' }] } },
    ],
  },
  {
    name: 'rejects a second repository of the same name with RepositoryAlreadyExistsException',
    async run({ client }) {
      const ecr = client();
      await ecr.send(create({ repositoryName: 'twice' }));
      return [await outcomeOf(ecr.send(create({ repositoryName: 'twice' })))];
    },
    expected: [clientError('RepositoryAlreadyExistsException', "The repository with name 'twice' already exists in the registry with id '000000000000'")],
  },
  {
    name: 'answers a repository that does not exist with RepositoryNotFoundException',
    async run({ client }) {
      return [await outcomeOf(client().send(new DescribeRepositoriesCommand({ repositoryNames: ['missing'] })))];
    },
    expected: [clientError('RepositoryNotFoundException', "The repository with name 'missing' does not exist in the registry with id '000000000000'")],
  },
  {
    name: 'deletes a repository, after which it is not found',
    async run({ client }) {
      const ecr = client();
      await ecr.send(create({ repositoryName: 'short-lived' }));
      return [
        await outcomeOf(ecr.send(new DeleteRepositoryCommand({ repositoryName: 'short-lived' }))),
        await outcomeOf(ecr.send(new DeleteRepositoryCommand({ repositoryName: 'short-lived' }))),
      ];
    },
    expected: [{ output: { repository: { repositoryName: 'short-lived', createdAt: '<Date>' } } }, clientError('RepositoryNotFoundException', expect.stringContaining("'short-lived'"))],
  },
  {
    name: 'issues an authorization token for the registry with its expiry and proxy endpoint',
    async run({ client }) {
      return [await outcomeOf(client().send(new GetAuthorizationTokenCommand({})))];
    },
    expected: [{ output: { authorizationData: [{ authorizationToken: '<AWS:token>', expiresAt: '<Date>', proxyEndpoint: 'http://<registry>' }] } }],
  },
  {
    name: 'rejects a repository name the model forbids with InvalidParameterException worded as ECR words it',
    async run({ client }) {
      return [await outcomeOf(client().send(create({ repositoryName: 'A' })))];
    },
    expected: [clientError('InvalidParameterException', "Invalid parameter at 'repositoryName' failed to satisfy constraint: 'must have length greater than or equal to 2'")],
  },
  {
    name: 'answers a missing required member with ValidationException, an ECRServiceException the model does not list',
    async run({ client }) {
      return [await outcomeOf(client().send(create({} as CreateRepositoryCommandInput)))];
    },
    expected: [
      {
        error: {
          errorClass: 'ValidationException',
          isServiceException: true,
          name: 'ValidationException',
          message: "1 validation error detected: Value null at 'repositoryName' failed to satisfy constraint: Member must not be null",
          httpStatusCode: 400,
        },
      },
    ],
  },
  {
    name: 'keeps repositories apart by account (12-digit access key) and by region',
    async run({ client }) {
      await client({ accountId: '111111111111' }).send(create({ repositoryName: 'mine' }));
      return [
        await outcomeOf(client({ accountId: '111111111111' }).send(new DescribeRepositoriesCommand({}))),
        await outcomeOf(client({ accountId: '222222222222' }).send(new DescribeRepositoriesCommand({}))),
        await outcomeOf(client({ accountId: '111111111111', region: 'eu-west-1' }).send(new DescribeRepositoriesCommand({}))),
      ];
    },
    expected: [
      { output: { repositories: [{ repositoryName: 'mine', registryId: '111111111111' }] } },
      { output: { repositories: [] } },
      { output: { repositories: [] } },
    ],
  },
  {
    name: 'pages DescribeRepositories with maxResults and nextToken',
    async run({ client }) {
      const ecr = client();
      for (const name of ['one', 'two', 'three']) await ecr.send(create({ repositoryName: name }));
      const first = await ecr.send(new DescribeRepositoriesCommand({ maxResults: 2 }));
      return [
        await outcomeOf(Promise.resolve(first)),
        await outcomeOf(ecr.send(new DescribeRepositoriesCommand({ maxResults: 2, ...(first.nextToken ? { nextToken: first.nextToken } : {}) }))),
      ];
    },
    expected: [{ output: { repositories: [{}, {}], nextToken: '<nextToken>' } }, { output: { repositories: [{}] } }],
  },
  {
    name: 'tags a repository and lists its tags',
    async run({ client }) {
      const ecr = client();
      const { repository } = await ecr.send(create({ repositoryName: 'tagged', tags: [{ Key: 'team', Value: 'blue' }] }));
      await ecr.send(new TagResourceCommand({ resourceArn: repository!.repositoryArn!, tags: [{ Key: 'stage', Value: 'dev' }] }));
      return [await outcomeOf(ecr.send(new ListTagsForResourceCommand({ resourceArn: repository!.repositoryArn! })))];
    },
    expected: [{ output: { tags: expect.arrayContaining([{ Key: 'team', Value: 'blue' }, { Key: 'stage', Value: 'dev' }]) } }],
  },
  {
    name: 'round-trips a lifecycle policy with lastEvaluatedAt as a Date',
    async run({ client }) {
      const ecr = client();
      await ecr.send(create({ repositoryName: 'pruned' }));
      await ecr.send(new PutLifecyclePolicyCommand({ repositoryName: 'pruned', lifecyclePolicyText: LIFECYCLE_POLICY }));
      const got = await ecr.send(new GetLifecyclePolicyCommand({ repositoryName: 'pruned' }));
      return [await outcomeOf(Promise.resolve(got)), { output: got.lastEvaluatedAt instanceof Date ? got.lastEvaluatedAt.getTime() : 'not a Date' }];
    },
    expected: [{ output: { repositoryName: 'pruned', lifecyclePolicyText: LIFECYCLE_POLICY, lastEvaluatedAt: '<Date>' } }, { output: 0 }],
  },
  {
    name: 'makes an image from layer-API uploads and PutImage, describes, gets and deletes it',
    async run({ client }) {
      const ecr = client();
      await ecr.send(create({ repositoryName: 'built' }));
      await uploadLayer(ecr, 'built', IMAGE_CONFIG);
      await uploadLayer(ecr, 'built', IMAGE_LAYER);
      return [
        await outcomeOf(ecr.send(new PutImageCommand({ repositoryName: 'built', imageManifest: IMAGE_MANIFEST, imageTag: 'v1' }))),
        await outcomeOf(ecr.send(new DescribeImagesCommand({ repositoryName: 'built' }))),
        await outcomeOf(ecr.send(new BatchGetImageCommand({ repositoryName: 'built', imageIds: [{ imageTag: 'v1' }, { imageTag: 'v2' }] }))),
        await outcomeOf(ecr.send(new BatchDeleteImageCommand({ repositoryName: 'built', imageIds: [{ imageTag: 'v1' }] }))),
        await outcomeOf(ecr.send(new DescribeImagesCommand({ repositoryName: 'built', imageIds: [{ imageTag: 'v1' }] }))),
      ];
    },
    expected: [
      { output: { image: { registryId: '000000000000', repositoryName: 'built', imageId: { imageDigest: IMAGE_DIGEST, imageTag: 'v1' }, imageManifest: IMAGE_MANIFEST } } },
      { output: { imageDetails: [{ imageDigest: IMAGE_DIGEST, imageTags: ['v1'], imageSizeInBytes: IMAGE_CONFIG.length + IMAGE_LAYER.length, imagePushedAt: '<Date>', imageStatus: 'ACTIVE' }] } },
      {
        output: {
          images: [{ imageId: { imageDigest: IMAGE_DIGEST, imageTag: 'v1' }, imageManifest: IMAGE_MANIFEST }],
          failures: [{ imageId: { imageTag: 'v2' }, failureCode: 'ImageNotFound', failureReason: 'Requested image not found' }],
        },
      },
      { output: { imageIds: [{ imageDigest: IMAGE_DIGEST, imageTag: 'v1' }], failures: [] } },
      clientError('ImageNotFoundException', "The image with imageId {imageDigest:'null', imageTag:'v1'} does not exist within the repository with name 'built' in the registry with id '000000000000'"),
    ],
  },
];
