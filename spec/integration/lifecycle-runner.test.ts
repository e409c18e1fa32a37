// POST /_emulator/lifecycle-policies/run applies every repository's lifecycle policy as ECR would on its own:
// expired images are gone from both planes, transitioned ones archived, lastEvaluatedAt moves, and what happens
// is what GetLifecyclePolicyPreview showed beforehand.
import {
  CreateRepositoryCommand,
  DescribeImagesCommand,
  GetLifecyclePolicyCommand,
  GetLifecyclePolicyPreviewCommand,
  PutLifecyclePolicyCommand,
  StartLifecyclePolicyPreviewCommand,
} from '@aws-sdk/client-ecr';
import { testClock } from '../helpers/test-clock';
import { useTestEmulator } from '../helpers/test-emulator';

const START = new Date('2026-05-01T00:00:00Z');
const DAY_MS = 24 * 60 * 60 * 1000;
const POLICY = JSON.stringify({
  rules: [
    { rulePriority: 1, description: 'keep two releases', selection: { tagStatus: 'tagged', tagPrefixList: ['release-'], countType: 'imageCountMoreThan', countNumber: 2 }, action: { type: 'expire' } },
    { rulePriority: 2, description: 'drop untagged after a day', selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 1 }, action: { type: 'expire' } },
    { rulePriority: 3, description: 'archive old builds', selection: { tagStatus: 'tagged', tagPrefixList: ['build-'], countType: 'sinceImagePushed', countUnit: 'days', countNumber: 1 }, action: { type: 'transition', targetStorageClass: 'archive' } },
  ],
});

const clock = testClock(START);
const env = useTestEmulator({ clock });

async function runLifecyclePolicies(): Promise<{ repositories: { accountId: string; region: string; repository: string; expired: string[]; archived: string[]; kept: string[] }[] }> {
  const response = await fetch(`${env.emulator.endpoint}/_emulator/lifecycle-policies/run`, { method: 'POST' });
  expect(response.status).toBe(200);
  return (await response.json()) as Awaited<ReturnType<typeof runLifecyclePolicies>>;
}

/** Pushes one image per entry, a minute apart; a tag of '' pushes it untagged. Returns digest by name. */
async function pushAll(repository: string, tags: string[]): Promise<Map<string, string>> {
  const digests = new Map<string, string>();
  for (const [index, tag] of tags.entries()) {
    clock.set(new Date(START.getTime() + index * 60_000));
    const { digest } = await env.registry.pushImage(repository, tag === '' ? 'temporary' : tag, { layers: [`layer of ${tag || index}`] });
    if (tag === '') await env.registry.fetch(`/v2/${repository}/manifests/temporary`, { method: 'DELETE' });
    digests.set(tag === '' ? `untagged-${index}` : tag, digest);
  }
  return digests;
}

it('expires and archives what the rules select, on both planes, as the preview said', async () => {
  await env.ecr.send(new CreateRepositoryCommand({ repositoryName: 'app' }));
  const digests = await pushAll('app', ['release-1', 'release-2', 'release-3', '', 'build-1']);
  await env.ecr.send(new PutLifecyclePolicyCommand({ repositoryName: 'app', lifecyclePolicyText: POLICY }));
  clock.set(new Date(START.getTime() + 2 * DAY_MS));

  await env.ecr.send(new StartLifecyclePolicyPreviewCommand({ repositoryName: 'app' }));
  const preview = await env.ecr.send(new GetLifecyclePolicyPreviewCommand({ repositoryName: 'app' }));
  const previewed = (preview.previewResults ?? []).map((result) => [result.imageDigest, result.action?.type]).sort();

  const { repositories } = await runLifecyclePolicies();
  expect(repositories).toEqual([
    {
      accountId: '000000000000',
      region: 'us-east-1',
      repository: 'app',
      expired: expect.arrayContaining([digests.get('release-1'), digests.get('untagged-3')]),
      archived: [digests.get('build-1')],
      kept: [],
    },
  ]);
  expect(repositories[0]!.expired).toHaveLength(2);
  const ran = [...repositories[0]!.expired.map((digest) => [digest, 'EXPIRE']), ...repositories[0]!.archived.map((digest) => [digest, 'TRANSITION'])].sort();
  expect(ran).toEqual(previewed);

  const active = await env.ecr.send(new DescribeImagesCommand({ repositoryName: 'app' }));
  expect(active.imageDetails!.flatMap((image) => image.imageTags ?? []).sort()).toEqual(['release-2', 'release-3']);
  const archived = await env.ecr.send(new DescribeImagesCommand({ repositoryName: 'app', filter: { imageStatus: 'ARCHIVED' } }));
  // Two days on, the first token has expired: log in again, as a user would.
  const registry = await env.loginRegistry();
  expect(archived.imageDetails!.map((image) => image.imageDigest)).toEqual([digests.get('build-1')]);
  expect((await registry.fetch(`/v2/app/manifests/${digests.get('release-1')!}`)).status).toBe(404);
  expect((await registry.fetch('/v2/app/manifests/release-2')).status).toBe(200);

  const policy = await env.ecr.send(new GetLifecyclePolicyCommand({ repositoryName: 'app' }));
  expect(policy.lastEvaluatedAt).toEqual(clock.now());
});

it('leaves repositories without a policy alone, and keeps images an index still lists', async () => {
  await env.ecr.send(new CreateRepositoryCommand({ repositoryName: 'plain' }));
  await pushAll('plain', ['release-1', 'release-2', 'release-3']);
  await env.ecr.send(new CreateRepositoryCommand({ repositoryName: 'multi' }));
  const children = await pushAll('multi', ['', '']);
  const index = JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.index.v1+json',
    manifests: [...children.values()].map((digest) => ({ mediaType: 'application/vnd.docker.distribution.manifest.v2+json', digest, size: 1 })),
  });
  // The index's descriptor sizes are not checked against the children; only their presence is.
  expect((await env.registry.putManifest('multi', 'latest', index, 'application/vnd.oci.image.index.v1+json')).status).toBe(201);
  const untaggedAfterADay = JSON.stringify({ rules: [{ rulePriority: 1, selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 1 }, action: { type: 'expire' } }] });
  await env.ecr.send(new PutLifecyclePolicyCommand({ repositoryName: 'multi', lifecyclePolicyText: untaggedAfterADay }));
  clock.set(new Date(START.getTime() + 2 * DAY_MS));

  const { repositories } = await runLifecyclePolicies();
  expect(repositories).toEqual([{ accountId: '000000000000', region: 'us-east-1', repository: 'multi', expired: [], archived: [], kept: expect.arrayContaining([...children.values()]) }]);
  expect((await env.ecr.send(new DescribeImagesCommand({ repositoryName: 'plain' }))).imageDetails).toHaveLength(3);
  expect((await env.ecr.send(new DescribeImagesCommand({ repositoryName: 'multi' }))).imageDetails).toHaveLength(3);
});
