// Lifecycle policies through the SDK: put, get and delete, the text kept as given, lastEvaluatedAt before any run,
// the rules ECR refuses (worded as ECR words them), and the not-found errors.
import {
  DeleteLifecyclePolicyCommand,
  GetLifecyclePolicyCommand,
  PutLifecyclePolicyCommand,
} from '@aws-sdk/client-ecr';
import { useTestEmulator } from '../helpers/test-emulator';

const ACCOUNT = '000000000000';
const KEEP_RELEASES = {
  rulePriority: 1,
  description: 'keep the last five release images',
  selection: { tagStatus: 'tagged', tagPrefixList: ['release'], countType: 'imageCountMoreThan', countNumber: 5 },
  action: { type: 'expire' },
};
const EXPIRE_UNTAGGED = {
  rulePriority: 2,
  description: 'expire untagged images after 14 days',
  selection: { tagStatus: 'untagged', countType: 'sinceImagePushed', countUnit: 'days', countNumber: 14 },
  action: { type: 'expire' },
};
// Indented on purpose: the policy must come back exactly as it was sent.
const POLICY_TEXT = JSON.stringify({ rules: [KEEP_RELEASES, EXPIRE_UNTAGGED] }, null, 2);

const env = useTestEmulator({ repositories: ['pruned'] });

function withRules(...rules: unknown[]): string {
  // Padded past the model's 100-character minimum, so the rules themselves are what gets judged.
  return JSON.stringify({ rules }, null, 8).padEnd(100, ' ');
}

describe('PutLifecyclePolicy and GetLifecyclePolicy', () => {
  it('puts a policy and returns its text unchanged, on put and on get', async () => {
    const put = await env.ecr.send(new PutLifecyclePolicyCommand({ repositoryName: 'pruned', lifecyclePolicyText: POLICY_TEXT }));
    expect(put).toEqual(expect.objectContaining({ registryId: ACCOUNT, repositoryName: 'pruned', lifecyclePolicyText: POLICY_TEXT }));
    const got = await env.ecr.send(new GetLifecyclePolicyCommand({ repositoryName: 'pruned' }));
    expect(got).toEqual(expect.objectContaining({ registryId: ACCOUNT, repositoryName: 'pruned', lifecyclePolicyText: POLICY_TEXT }));
  });

  it('answers lastEvaluatedAt 0 for a policy that has not run, as ECR does', async () => {
    await env.ecr.send(new PutLifecyclePolicyCommand({ repositoryName: 'pruned', lifecyclePolicyText: POLICY_TEXT }));
    const { lastEvaluatedAt } = await env.ecr.send(new GetLifecyclePolicyCommand({ repositoryName: 'pruned' }));
    expect(lastEvaluatedAt).toEqual(new Date(0));
  });

  it('replaces the policy a repository has', async () => {
    await env.ecr.send(new PutLifecyclePolicyCommand({ repositoryName: 'pruned', lifecyclePolicyText: POLICY_TEXT }));
    const replacement = withRules({ ...EXPIRE_UNTAGGED, rulePriority: 1 });
    await env.ecr.send(new PutLifecyclePolicyCommand({ repositoryName: 'pruned', lifecyclePolicyText: replacement }));
    expect((await env.ecr.send(new GetLifecyclePolicyCommand({ repositoryName: 'pruned' }))).lifecyclePolicyText).toBe(replacement);
  });

  it('accepts archive transitions and expiry of archived images', async () => {
    const text = withRules(
      { rulePriority: 1, selection: { tagStatus: 'any', countType: 'sinceImagePulled', countUnit: 'days', countNumber: 90 }, action: { type: 'transition', targetStorageClass: 'archive' } },
      { rulePriority: 2, selection: { tagStatus: 'any', storageClass: 'archive', countType: 'sinceImageTransitioned', countUnit: 'days', countNumber: 365 }, action: { type: 'expire' } },
    );
    await expect(env.ecr.send(new PutLifecyclePolicyCommand({ repositoryName: 'pruned', lifecyclePolicyText: text }))).resolves.toBeDefined();
  });

  it.each([
    ['text that is not JSON', 'rules: none'.padEnd(100, '.'), 'Could not map policyString into LifecyclePolicy.'],
    ['a tagged rule without tag prefixes or patterns', withRules({ ...KEEP_RELEASES, selection: { ...KEEP_RELEASES.selection, tagPrefixList: undefined } }), 'Must specify tagPrefixList or tagPatternList when tagStatus=TAGGED.'],
    ['two rules with the same priority', withRules(KEEP_RELEASES, { ...EXPIRE_UNTAGGED, rulePriority: 1 }), 'Rule priorities must be unique; rulePriority 1 is used more than once.'],
    ['two untagged rules', withRules(EXPIRE_UNTAGGED, { ...EXPIRE_UNTAGGED, rulePriority: 3 }), 'Only one rule can select Untagged images per storage class.'],
    ['an any rule that is not last', withRules({ ...EXPIRE_UNTAGGED, selection: { ...EXPIRE_UNTAGGED.selection, tagStatus: 'any' } }, { ...KEEP_RELEASES, rulePriority: 3 }), 'Rule for tagStatus=ANY must have the lowest priority per storage class.'],
    ['a pattern with five wildcards', withRules({ ...KEEP_RELEASES, selection: { ...KEEP_RELEASES.selection, tagPrefixList: undefined, tagPatternList: ['a*b*c*d*e*'] } }), "The tag pattern 'a*b*c*d*e*' has more than 4 wildcards (*)."],
    ['an age count without countUnit', withRules({ ...EXPIRE_UNTAGGED, selection: { ...EXPIRE_UNTAGGED.selection, countUnit: undefined } }), 'countUnit is required when countType=sinceImagePushed.'],
    ['a countNumber of zero', withRules({ ...KEEP_RELEASES, selection: { ...KEEP_RELEASES.selection, countNumber: 0 } }), 'rules[0].selection.countNumber: numeric instance is lower than the required minimum (minimum: 1, found: 0)'],
    ['an unknown action', withRules({ ...KEEP_RELEASES, action: { type: 'delete' } }), 'rules[0].action.type: instance value ("delete") not found in enum (possible values: ["expire","transition"])'],
    ['an empty rule list', withRules(), 'rules: array is too short: must have at least 1 elements but instance has 0 elements'],
  ])('rejects %s with InvalidParameterException and keeps no policy', async (_label, lifecyclePolicyText, detail) => {
    await expect(env.ecr.send(new PutLifecyclePolicyCommand({ repositoryName: 'pruned', lifecyclePolicyText }))).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: `Invalid parameter at 'LifecyclePolicyText' failed to satisfy constraint: 'Lifecycle policy validation failure: ${detail}'`,
    });
    await expect(env.ecr.send(new GetLifecyclePolicyCommand({ repositoryName: 'pruned' }))).rejects.toMatchObject({ name: 'LifecyclePolicyNotFoundException' });
  });

  it('rejects a text shorter than the model allows with InvalidParameterException', async () => {
    await expect(env.ecr.send(new PutLifecyclePolicyCommand({ repositoryName: 'pruned', lifecyclePolicyText: '{"rules":[]}' }))).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: "Invalid parameter at 'lifecyclePolicyText' failed to satisfy constraint: 'Member must have length greater than or equal to 100'",
    });
  });

  it('rejects a request without lifecyclePolicyText with ValidationException', async () => {
    await expect(env.ecr.send(new PutLifecyclePolicyCommand({ repositoryName: 'pruned' } as never))).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('answers GetLifecyclePolicy of a repository without a policy with LifecyclePolicyNotFoundException', async () => {
    await expect(env.ecr.send(new GetLifecyclePolicyCommand({ repositoryName: 'pruned' }))).rejects.toMatchObject({
      name: 'LifecyclePolicyNotFoundException',
      message: `Lifecycle policy does not exist for the repository with name 'pruned' in the registry with id '${ACCOUNT}'`,
    });
  });
});

describe('DeleteLifecyclePolicy', () => {
  it('deletes the policy and returns the text it had and lastEvaluatedAt', async () => {
    await env.ecr.send(new PutLifecyclePolicyCommand({ repositoryName: 'pruned', lifecyclePolicyText: POLICY_TEXT }));
    const deleted = await env.ecr.send(new DeleteLifecyclePolicyCommand({ repositoryName: 'pruned' }));
    expect(deleted).toEqual(expect.objectContaining({ registryId: ACCOUNT, repositoryName: 'pruned', lifecyclePolicyText: POLICY_TEXT, lastEvaluatedAt: new Date(0) }));
    await expect(env.ecr.send(new GetLifecyclePolicyCommand({ repositoryName: 'pruned' }))).rejects.toMatchObject({ name: 'LifecyclePolicyNotFoundException' });
  });

  it('answers a repository without a policy with LifecyclePolicyNotFoundException', async () => {
    await expect(env.ecr.send(new DeleteLifecyclePolicyCommand({ repositoryName: 'pruned' }))).rejects.toMatchObject({
      name: 'LifecyclePolicyNotFoundException',
      message: `Lifecycle policy does not exist for the repository with name 'pruned' in the registry with id '${ACCOUNT}'`,
    });
  });
});

describe('lifecycle policies of a missing repository', () => {
  const MISSING = `The repository with name 'missing' does not exist in the registry with id '${ACCOUNT}'`;

  it('answers PutLifecyclePolicy with RepositoryNotFoundException', async () => {
    await expect(env.ecr.send(new PutLifecyclePolicyCommand({ repositoryName: 'missing', lifecyclePolicyText: POLICY_TEXT }))).rejects.toMatchObject({ name: 'RepositoryNotFoundException', message: MISSING });
  });

  it('answers GetLifecyclePolicy with RepositoryNotFoundException', async () => {
    await expect(env.ecr.send(new GetLifecyclePolicyCommand({ repositoryName: 'missing' }))).rejects.toMatchObject({ name: 'RepositoryNotFoundException', message: MISSING });
  });

  it('answers DeleteLifecyclePolicy with RepositoryNotFoundException', async () => {
    await expect(env.ecr.send(new DeleteLifecyclePolicyCommand({ repositoryName: 'missing' }))).rejects.toMatchObject({ name: 'RepositoryNotFoundException', message: MISSING });
  });
});
