// --lifecycle-interval: the lifecycle policies run by themselves at the interval, as ECR runs them within a day,
// without anyone asking POST /_emulator/lifecycle-policies/run.
import { DescribeImagesCommand, PutLifecyclePolicyCommand } from '@aws-sdk/client-ecr';
import { useTestEmulator } from '../helpers/test-emulator';

const KEEP_ONE = JSON.stringify({
  rules: [{ rulePriority: 1, description: 'keep one release', selection: { tagStatus: 'tagged', tagPrefixList: ['release-'], countType: 'imageCountMoreThan', countNumber: 1 }, action: { type: 'expire' } }],
});
const env = useTestEmulator({ startOptions: { lifecycleIntervalSeconds: 1 }, repositories: ['app'] });

/** The repository's tags, once they equal `expected` or after `timeoutMs` (the run is the emulator's to schedule). */
async function tagsOnceSettled(expected: string[], timeoutMs: number): Promise<string[]> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const details = (await env.ecr.send(new DescribeImagesCommand({ repositoryName: 'app' }))).imageDetails ?? [];
    const tags = details.flatMap((detail) => detail.imageTags ?? []).sort();
    if (JSON.stringify(tags) === JSON.stringify(expected) || Date.now() > deadline) return tags;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

test('expires what the policy selects within an interval, unasked', async () => {
  await env.registry.pushImage('app', 'release-1', { layers: ['first'] });
  await env.registry.pushImage('app', 'release-2', { layers: ['second'] });
  await env.ecr.send(new PutLifecyclePolicyCommand({ repositoryName: 'app', lifecyclePolicyText: KEEP_ONE }));
  expect(await tagsOnceSettled(['release-2'], 5000)).toEqual(['release-2']);
});
