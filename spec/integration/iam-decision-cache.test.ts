// Decisions follow IAM as it changes: what the decider gathered of a principal's policies is dropped when a
// policy is attached or detached, and when the emulator is reset and the same user is made again.
import { CreateRepositoryCommand, DescribeRepositoriesCommand } from '@aws-sdk/client-ecr';
import { AttachUserPolicyCommand, DetachUserPolicyCommand } from '@aws-sdk/client-iam';
import { createUserWithKey, ecrClientWith, iamClient, rootKeys } from '../helpers/identity-clients';
import { rejection } from '../helpers/rejection';
import { testClock } from '../helpers/test-clock';
import { useTestEmulator } from '../helpers/test-emulator';

const ACCOUNT = '111111111111';
const FULL_ACCESS = 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryFullAccess';
const clock = testClock(new Date(Math.floor(Date.now() / 1000) * 1000));
const env = useTestEmulator({ clock, startOptions: { iamMode: 'enforce' } });

async function alice() {
  const iam = iamClient(env.emulator.endpoint, rootKeys(ACCOUNT));
  const user = await createUserWithKey(iam, 'alice');
  return { iam, ecr: ecrClientWith(env.emulator.endpoint, user.keys) };
}

const describeOutcome = (ecr: ReturnType<typeof ecrClientWith>) => ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ['app'] })).then(
  () => 'allowed',
  (error: Error) => error.name,
);

beforeEach(async () => {
  await ecrClientWith(env.emulator.endpoint, rootKeys(ACCOUNT)).send(new CreateRepositoryCommand({ repositoryName: 'app' }));
});

test('a policy attached after a denial allows at once, and its detachment denies at once', async () => {
  const { iam, ecr } = await alice();
  const before = await describeOutcome(ecr);
  await iam.send(new AttachUserPolicyCommand({ UserName: 'alice', PolicyArn: FULL_ACCESS }));
  const attached = await describeOutcome(ecr);
  await iam.send(new DetachUserPolicyCommand({ UserName: 'alice', PolicyArn: FULL_ACCESS }));
  expect([before, attached, await describeOutcome(ecr)]).toEqual(['AccessDeniedException', 'allowed', 'AccessDeniedException']);
});

test('a user made again after a reset acts with its new policies, not the old ones', async () => {
  const first = await alice();
  await first.iam.send(new AttachUserPolicyCommand({ UserName: 'alice', PolicyArn: FULL_ACCESS }));
  expect(await describeOutcome(first.ecr)).toBe('allowed');
  await env.emulator.reset();
  await ecrClientWith(env.emulator.endpoint, rootKeys(ACCOUNT)).send(new CreateRepositoryCommand({ repositoryName: 'app' }));
  const second = await alice();
  expect((await rejection(second.ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ['app'] })))).name).toBe('AccessDeniedException');
});
