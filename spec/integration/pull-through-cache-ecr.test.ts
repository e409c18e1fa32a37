// An ECR-to-ECR pull-through cache rule between two accounts of the emulator: account 222222222222 caches from
// 111111111111's registry, which the emulator reads directly (no HTTP, no --upstream).
import { CreatePullThroughCacheRuleCommand, CreateRepositoryCommand, DescribeImagesCommand, ValidatePullThroughCacheRuleCommand } from '@aws-sdk/client-ecr';
import { basicAuthorization, errorsOf } from '../helpers/registry-client';
import { pushToRegistry } from '../helpers/reference-registry';
import { useTestEmulator } from '../helpers/test-emulator';

const UPSTREAM_ACCOUNT = '111111111111';
const DOWNSTREAM_ACCOUNT = '222222222222';
const env = useTestEmulator();
let pushed: { digest: string; manifest: string };

beforeEach(async () => {
  const upstreamEcr = env.ecrClient({ accountId: UPSTREAM_ACCOUNT });
  await upstreamEcr.send(new CreateRepositoryCommand({ repositoryName: 'base/app' }));
  pushed = await pushToRegistry(env.emulator.endpoint, 'base/app', '1.0', ['upstream layer'], { authorization: await basicAuthorization(upstreamEcr) });
  await env.ecrClient({ accountId: DOWNSTREAM_ACCOUNT }).send(
    new CreatePullThroughCacheRuleCommand({
      ecrRepositoryPrefix: 'mirror',
      upstreamRegistryUrl: `${UPSTREAM_ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com`,
      upstreamRegistry: 'ecr',
      customRoleArn: `arn:aws:iam::${DOWNSTREAM_ACCOUNT}:role/pull-through`,
    }),
  );
});

const downstreamRegistry = () => env.loginRegistry(env.ecrClient({ accountId: DOWNSTREAM_ACCOUNT }));

describe('an ECR upstream that is an account of the emulator', () => {
  it("serves the other account's image under the rule's prefix, with its digest", async () => {
    const response = await (await downstreamRegistry()).fetch('/v2/mirror/base/app/manifests/1.0');
    expect(response.status).toBe(200);
    expect(response.headers.get('docker-content-digest')).toBe(pushed.digest);
    expect(await response.text()).toBe(pushed.manifest);
  });

  it('stores the image and its layer in the downstream account', async () => {
    const registry = await downstreamRegistry();
    await registry.fetch('/v2/mirror/base/app/manifests/1.0');
    const { imageDetails } = await env.ecrClient({ accountId: DOWNSTREAM_ACCOUNT }).send(new DescribeImagesCommand({ repositoryName: 'mirror/base/app' }));
    expect(imageDetails?.map((image) => [image.imageDigest, image.imageTags])).toEqual([[pushed.digest, ['1.0']]]);
    const layer = (JSON.parse(pushed.manifest) as { layers: { digest: string }[] }).layers[0]!;
    expect(await (await registry.fetch(`/v2/mirror/base/app/blobs/${layer.digest}`)).text()).toBe('upstream layer');
  });

  it('answers MANIFEST_UNKNOWN for an image the upstream account does not have', async () => {
    const response = await (await downstreamRegistry()).fetch('/v2/mirror/base/absent/manifests/1.0');
    expect(response.status).toBe(404);
    expect((await errorsOf(response))[0]?.code).toBe('MANIFEST_UNKNOWN');
  });

  it('validates the rule', async () => {
    const answer = await env.ecrClient({ accountId: DOWNSTREAM_ACCOUNT }).send(new ValidatePullThroughCacheRuleCommand({ ecrRepositoryPrefix: 'mirror' }));
    expect(answer.isValid).toBe(true);
  });
});
