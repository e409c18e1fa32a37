// Lifecycle policy previews through the SDK: StartLifecyclePolicyPreview with a given or the stored policy, the
// evaluation GetLifecyclePolicyPreview reports (counts, ages, rule protection, archive transitions), its filters and
// paging, and the not-found and validation errors.
import {
  CreateRepositoryCommand,
  DeleteRepositoryCommand,
  DescribeImagesCommand,
  GetLifecyclePolicyPreviewCommand,
  PutLifecyclePolicyCommand,
  StartLifecyclePolicyPreviewCommand,
  type GetLifecyclePolicyPreviewCommandInput,
  type LifecyclePolicyPreviewResult,
} from '@aws-sdk/client-ecr';
import { rejection } from '../helpers/rejection';
import { testClock } from '../helpers/test-clock';
import { useTestEmulator } from '../helpers/test-emulator';

const ACCOUNT = '000000000000';
const START = new Date('2026-03-01T00:00:00Z');
const DAY_MS = 24 * 60 * 60 * 1000;

const clock = testClock(START);
const env = useTestEmulator({ clock, repositories: ['app'] });

function day(days: number): Date {
  return new Date(START.getTime() + days * DAY_MS);
}

/** Pushes an image on day `pushedOnDay` (with a token of that day), tagged `tag` or left untagged. */
async function pushOn(pushedOnDay: number, name: string, tag?: string): Promise<string> {
  clock.set(day(pushedOnDay));
  const registry = await env.loginRegistry();
  if (tag !== undefined) return (await registry.pushImage('app', tag, { layers: [`layer of ${name}`] })).digest;
  // An untagged image: push it tagged, move the tag to another image, then delete that one.
  const pushed = await registry.pushImage('app', 'untagging', { layers: [`layer of ${name}`] });
  const mover = await registry.pushImage('app', 'untagging', { layers: [`mover of ${name}`] });
  expect((await registry.fetch(`/v2/app/manifests/${mover.digest}`, { method: 'DELETE' })).status).toBe(202);
  return pushed.digest;
}

function rules(...list: unknown[]): string {
  // Padded past the model's 100-character minimum.
  return JSON.stringify({ rules: list }).padEnd(100, ' ');
}

const KEEP_TWO = { rulePriority: 1, selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 2 }, action: { type: 'expire' } };

async function preview(input: Partial<GetLifecyclePolicyPreviewCommandInput> = {}): Promise<LifecyclePolicyPreviewResult[]> {
  return (await env.ecr.send(new GetLifecyclePolicyPreviewCommand({ repositoryName: 'app', ...input }))).previewResults ?? [];
}

describe('StartLifecyclePolicyPreview', () => {
  it('answers IN_PROGRESS with the policy it previews', async () => {
    const text = rules(KEEP_TWO);
    const started = await env.ecr.send(new StartLifecyclePolicyPreviewCommand({ repositoryName: 'app', lifecyclePolicyText: text }));
    expect(started).toEqual(expect.objectContaining({ registryId: ACCOUNT, repositoryName: 'app', lifecyclePolicyText: text, status: 'IN_PROGRESS' }));
  });

  it('previews the repository’s stored policy when no text is given', async () => {
    const text = rules(KEEP_TWO);
    await env.ecr.send(new PutLifecyclePolicyCommand({ repositoryName: 'app', lifecyclePolicyText: text }));
    const started = await env.ecr.send(new StartLifecyclePolicyPreviewCommand({ repositoryName: 'app' }));
    expect(started.lifecyclePolicyText).toBe(text);
    expect((await env.ecr.send(new GetLifecyclePolicyPreviewCommand({ repositoryName: 'app' }))).lifecyclePolicyText).toBe(text);
  });

  it('answers LifecyclePolicyNotFoundException without text when the repository has no policy', async () => {
    expect(await rejection(env.ecr.send(new StartLifecyclePolicyPreviewCommand({ repositoryName: 'app' })))).toEqual({
      name: 'LifecyclePolicyNotFoundException',
      message: `Lifecycle policy does not exist for the repository with name 'app' in the registry with id '${ACCOUNT}'`,
    });
  });

  it('refuses a policy PutLifecyclePolicy would refuse, worded the same way', async () => {
    const text = rules({ rulePriority: 1, selection: { tagStatus: 'tagged', countType: 'imageCountMoreThan', countNumber: 1 }, action: { type: 'expire' } });
    expect(await rejection(env.ecr.send(new StartLifecyclePolicyPreviewCommand({ repositoryName: 'app', lifecyclePolicyText: text })))).toEqual({
      name: 'InvalidParameterException',
      message: "Invalid parameter at 'LifecyclePolicyText' failed to satisfy constraint: 'Lifecycle policy validation failure: Must specify tagPrefixList or tagPatternList when tagStatus=TAGGED.'",
    });
  });

  it('answers InvalidParameterException for policy text shorter than the model allows', async () => {
    const error = await rejection(env.ecr.send(new StartLifecyclePolicyPreviewCommand({ repositoryName: 'app', lifecyclePolicyText: '{"rules":[]}' })));
    expect(error.name).toBe('InvalidParameterException');
    expect(error.message).toContain("'lifecyclePolicyText'");
  });

  it('answers RepositoryNotFoundException for a repository that does not exist', async () => {
    const error = await rejection(env.ecr.send(new StartLifecyclePolicyPreviewCommand({ repositoryName: 'nothing-here', lifecyclePolicyText: rules(KEEP_TWO) })));
    expect(error).toEqual({ name: 'RepositoryNotFoundException', message: `The repository with name 'nothing-here' does not exist in the registry with id '${ACCOUNT}'` });
  });

  it('expires nothing: the images are all still there after a preview', async () => {
    for (const [index, tag] of ['a', 'b', 'c', 'd'].entries()) await pushOn(index, tag, tag);
    await env.ecr.send(new StartLifecyclePolicyPreviewCommand({ repositoryName: 'app', lifecyclePolicyText: rules(KEEP_TWO) }));
    expect(await preview()).toHaveLength(2);
    expect((await env.ecr.send(new DescribeImagesCommand({ repositoryName: 'app' }))).imageDetails).toHaveLength(4);
  });
});

describe('input validation', () => {
  it.each([
    ['StartLifecyclePolicyPreview', () => new StartLifecyclePolicyPreviewCommand({} as never)],
    ['GetLifecyclePolicyPreview', () => new GetLifecyclePolicyPreviewCommand({} as never)],
  ])('answers ValidationException for %s without a repositoryName', async (_name, command) => {
    expect(await rejection(env.ecr.send(command() as never))).toEqual({
      name: 'ValidationException',
      message: "1 validation error detected: Value null at 'repositoryName' failed to satisfy constraint: Member must not be null",
    });
  });
});

describe('GetLifecyclePolicyPreview', () => {
  it('answers LifecyclePolicyPreviewNotFoundException before any preview was started', async () => {
    expect(await rejection(env.ecr.send(new GetLifecyclePolicyPreviewCommand({ repositoryName: 'app' })))).toEqual({
      name: 'LifecyclePolicyPreviewNotFoundException',
      message: `Lifecycle policy preview does not exist for the repository with name 'app' in the registry with id '${ACCOUNT}'`,
    });
  });

  it('answers RepositoryNotFoundException for a repository that does not exist', async () => {
    expect((await rejection(env.ecr.send(new GetLifecyclePolicyPreviewCommand({ repositoryName: 'nothing-here' })))).name).toBe('RepositoryNotFoundException');
  });

  it('does not report the preview of a deleted repository for a new one of the same name', async () => {
    await env.ecr.send(new StartLifecyclePolicyPreviewCommand({ repositoryName: 'app', lifecyclePolicyText: rules(KEEP_TWO) }));
    await env.ecr.send(new DeleteRepositoryCommand({ repositoryName: 'app', force: true }));
    clock.set(day(1));
    await env.ecr.send(new CreateRepositoryCommand({ repositoryName: 'app' }));
    expect((await rejection(env.ecr.send(new GetLifecyclePolicyPreviewCommand({ repositoryName: 'app' })))).name).toBe('LifecyclePolicyPreviewNotFoundException');
  });

  it('reports COMPLETE with the images beyond imageCountMoreThan, oldest first, and the summary', async () => {
    const digests = [await pushOn(0, 'a', 'a'), await pushOn(1, 'b', 'b'), await pushOn(2, 'c', 'c'), await pushOn(3, 'd', 'd')];
    const text = rules(KEEP_TWO);
    await env.ecr.send(new StartLifecyclePolicyPreviewCommand({ repositoryName: 'app', lifecyclePolicyText: text }));
    const answer = await env.ecr.send(new GetLifecyclePolicyPreviewCommand({ repositoryName: 'app' }));
    expect(answer).toEqual(
      expect.objectContaining({
        registryId: ACCOUNT,
        repositoryName: 'app',
        lifecyclePolicyText: text,
        status: 'COMPLETE',
        previewResults: [
          { imageTags: ['a'], imageDigest: digests[0], imagePushedAt: day(0), action: { type: 'EXPIRE' }, appliedRulePriority: 1, storageClass: 'STANDARD' },
          { imageTags: ['b'], imageDigest: digests[1], imagePushedAt: day(1), action: { type: 'EXPIRE' }, appliedRulePriority: 1, storageClass: 'STANDARD' },
        ],
        summary: { expiringImageTotalCount: 2 },
      }),
    );
  });

  it('expires by age with sinceImagePushed, counted at the time the preview started', async () => {
    const old = await pushOn(0, 'old', 'old');
    await pushOn(20, 'new', 'new');
    clock.set(day(25));
    const since = { rulePriority: 1, selection: { tagStatus: 'any', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 10 }, action: { type: 'expire' } };
    await env.ecr.send(new StartLifecyclePolicyPreviewCommand({ repositoryName: 'app', lifecyclePolicyText: rules(since) }));
    clock.set(day(100));
    expect((await preview()).map((result) => result.imageDigest)).toEqual([old]);
  });

  it('never expires with a later rule an image an earlier rule selects', async () => {
    await pushOn(0, 'stable', 'stable-1');
    const untagged = await pushOn(0, 'dangling');
    clock.set(day(60));
    const text = rules(
      { rulePriority: 1, selection: { tagStatus: 'tagged', tagPrefixList: ['stable'], countType: 'imageCountMoreThan', countNumber: 9999 }, action: { type: 'expire' } },
      { rulePriority: 2, selection: { tagStatus: 'any', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 30 }, action: { type: 'expire' } },
    );
    await env.ecr.send(new StartLifecyclePolicyPreviewCommand({ repositoryName: 'app', lifecyclePolicyText: text }));
    expect((await preview()).map((result) => [result.imageDigest, result.appliedRulePriority])).toEqual([[untagged, 2]]);
  });

  it('reports archive transitions with their target storage class, counted apart from expiries', async () => {
    const old = await pushOn(0, 'old', 'old');
    await pushOn(50, 'new', 'new');
    clock.set(day(60));
    const text = rules({ rulePriority: 1, selection: { tagStatus: 'any', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 30 }, action: { type: 'transition', targetStorageClass: 'archive' } });
    await env.ecr.send(new StartLifecyclePolicyPreviewCommand({ repositoryName: 'app', lifecyclePolicyText: text }));
    const answer = await env.ecr.send(new GetLifecyclePolicyPreviewCommand({ repositoryName: 'app' }));
    expect(answer.previewResults).toEqual([expect.objectContaining({ imageDigest: old, action: { type: 'TRANSITION', targetStorageClass: 'ARCHIVE' }, storageClass: 'STANDARD' })]);
    expect(answer.summary).toEqual({ expiringImageTotalCount: 0, transitioningImageTotalCounts: [{ targetStorageClass: 'ARCHIVE', imageTotalCount: 1 }] });
  });

  it.each([
    ['TAGGED', ['tagged']],
    ['UNTAGGED', ['untagged']],
    ['ANY', ['tagged', 'untagged']],
  ] as const)('filters the results by tagStatus %s', async (tagStatus, expected) => {
    const digests: Record<string, string> = { tagged: await pushOn(0, 'tagged', 'v1'), untagged: await pushOn(0, 'untagged') };
    clock.set(day(10));
    const since = { rulePriority: 1, selection: { tagStatus: 'any', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 1 }, action: { type: 'expire' } };
    await env.ecr.send(new StartLifecyclePolicyPreviewCommand({ repositoryName: 'app', lifecyclePolicyText: rules(since) }));
    const found = (await preview({ filter: { tagStatus } })).map((result) => result.imageDigest).sort();
    expect(found).toEqual(expected.map((name) => digests[name]).sort());
  });

  it('reports only the images imageIds names, by tag or by digest', async () => {
    const a = await pushOn(0, 'a', 'a');
    await pushOn(1, 'b', 'b');
    const c = await pushOn(2, 'c', 'c');
    await pushOn(3, 'd', 'd');
    await pushOn(4, 'e', 'e');
    await env.ecr.send(new StartLifecyclePolicyPreviewCommand({ repositoryName: 'app', lifecyclePolicyText: rules(KEEP_TWO) }));
    const found = await preview({ imageIds: [{ imageTag: 'a' }, { imageDigest: c }, { imageTag: 'e' }] });
    expect(found.map((result) => result.imageDigest)).toEqual([a, c]);
  });

  it('pages the results with maxResults and nextToken, each image once', async () => {
    for (let index = 0; index < 7; index += 1) await pushOn(index, `image-${index}`, `t${index}`);
    await env.ecr.send(new StartLifecyclePolicyPreviewCommand({ repositoryName: 'app', lifecyclePolicyText: rules(KEEP_TWO) }));
    const pages: LifecyclePolicyPreviewResult[][] = [];
    let nextToken: string | undefined;
    do {
      const answer = await env.ecr.send(new GetLifecyclePolicyPreviewCommand({ repositoryName: 'app', maxResults: 2, ...(nextToken !== undefined ? { nextToken } : {}) }));
      pages.push(answer.previewResults ?? []);
      expect(answer.summary).toEqual({ expiringImageTotalCount: 5 });
      nextToken = answer.nextToken;
    } while (nextToken !== undefined);
    expect(pages.map((page) => page.length)).toEqual([2, 2, 1]);
    expect(pages.flat().map((result) => result.imageTags)).toEqual([['t0'], ['t1'], ['t2'], ['t3'], ['t4']]);
  });

  it('refuses imageIds together with maxResults with InvalidParameterException', async () => {
    await env.ecr.send(new StartLifecyclePolicyPreviewCommand({ repositoryName: 'app', lifecyclePolicyText: rules(KEEP_TWO) }));
    expect(await rejection(preview({ imageIds: [{ imageTag: 'a' }], maxResults: 5 }))).toEqual({
      name: 'InvalidParameterException',
      message: "Invalid parameter at 'imageIds' failed to satisfy constraint: 'maxResults and nextToken cannot be used together with imageIds'",
    });
  });

  it('answers InvalidParameterException for maxResults above 100', async () => {
    await env.ecr.send(new StartLifecyclePolicyPreviewCommand({ repositoryName: 'app', lifecyclePolicyText: rules(KEEP_TWO) }));
    const error = await rejection(preview({ maxResults: 101 }));
    expect(error.name).toBe('InvalidParameterException');
    expect(error.message).toContain("'maxResults'");
  });

  it('answers InvalidParameterException for a nextToken it did not hand out', async () => {
    await env.ecr.send(new StartLifecyclePolicyPreviewCommand({ repositoryName: 'app', lifecyclePolicyText: rules(KEEP_TWO) }));
    expect((await rejection(preview({ nextToken: 'forged' }))).name).toBe('InvalidParameterException');
  });

  it('keeps reporting the images as they were when the preview started', async () => {
    const first = await pushOn(0, 'a', 'a');
    await pushOn(1, 'b', 'b');
    await pushOn(2, 'c', 'c');
    await env.ecr.send(new StartLifecyclePolicyPreviewCommand({ repositoryName: 'app', lifecyclePolicyText: rules(KEEP_TWO) }));
    await pushOn(3, 'd', 'd');
    expect((await preview()).map((result) => result.imageDigest)).toEqual([first]);
  });
});
