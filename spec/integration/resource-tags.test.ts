// Tags on repositories through the SDK: adding, replacing, removing and listing them by repository ARN, their
// limits, and the errors for bad ARNs, missing repositories and bad tags.
import {
  CreateRepositoryCommand,
  ListTagsForResourceCommand,
  TagResourceCommand,
  UntagResourceCommand,
  type Tag,
} from '@aws-sdk/client-ecr';
import { useTestEmulator } from '../helpers/test-emulator';

const ACCOUNT = '000000000000';
const ARN = `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/team/app`;
const env = useTestEmulator({ repositories: [{ repositoryName: 'team/app', tags: [{ Key: 'team', Value: 'infra' }] }] });

async function tagsOf(resourceArn = ARN): Promise<Tag[]> {
  return (await env.ecr.send(new ListTagsForResourceCommand({ resourceArn }))).tags ?? [];
}

/** Sends any of the tag commands, for tables that run one case through each. */
function sendAny(command: ListTagsForResourceCommand | TagResourceCommand | UntagResourceCommand): Promise<unknown> {
  if (command instanceof ListTagsForResourceCommand) return env.ecr.send(command);
  if (command instanceof TagResourceCommand) return env.ecr.send(command);
  return env.ecr.send(command);
}

function numberedTags(count: number, from = 0): Tag[] {
  return Array.from({ length: count }, (_, index) => ({ Key: `key-${from + index}`, Value: `${index}` }));
}

describe('TagResource and ListTagsForResource', () => {
  it('adds tags after the existing ones and lists them all', async () => {
    await env.ecr.send(new TagResourceCommand({ resourceArn: ARN, tags: [{ Key: 'env', Value: 'prod' }, { Key: 'cost-center', Value: '42' }] }));
    expect(await tagsOf()).toEqual([{ Key: 'team', Value: 'infra' }, { Key: 'env', Value: 'prod' }, { Key: 'cost-center', Value: '42' }]);
  });

  it('replaces the value of a key that exists, keeping its place', async () => {
    await env.ecr.send(new TagResourceCommand({ resourceArn: ARN, tags: [{ Key: 'env', Value: 'dev' }] }));
    await env.ecr.send(new TagResourceCommand({ resourceArn: ARN, tags: [{ Key: 'team', Value: 'platform' }] }));
    expect(await tagsOf()).toEqual([{ Key: 'team', Value: 'platform' }, { Key: 'env', Value: 'dev' }]);
  });

  it('treats keys as case-sensitive', async () => {
    await env.ecr.send(new TagResourceCommand({ resourceArn: ARN, tags: [{ Key: 'Team', Value: 'other' }] }));
    expect(await tagsOf()).toEqual([{ Key: 'team', Value: 'infra' }, { Key: 'Team', Value: 'other' }]);
  });

  it('lists no tags for a repository without any', async () => {
    await env.ecr.send(new CreateRepositoryCommand({ repositoryName: 'bare' }));
    expect(await tagsOf(`arn:aws:ecr:us-east-1:${ACCOUNT}:repository/bare`)).toEqual([]);
  });

  it('refuses to tag a repository of another account named by the ARN with AccessDeniedException', async () => {
    const other = env.ecrClient({ accountId: '123456789012' });
    await other.send(new CreateRepositoryCommand({ repositoryName: 'shared' }));
    const arn = 'arn:aws:ecr:us-east-1:123456789012:repository/shared';
    await expect(env.ecr.send(new TagResourceCommand({ resourceArn: arn, tags: [{ Key: 'owner', Value: 'me' }] }))).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: expect.stringContaining(`ecr:TagResource on resource: ${arn} because no resource-based policy allows`),
    });
    expect((await other.send(new ListTagsForResourceCommand({ resourceArn: arn }))).tags).toEqual([]);
  });

  it('fills a repository up to 50 tags, counting replaced keys once', async () => {
    await env.ecr.send(new TagResourceCommand({ resourceArn: ARN, tags: [...numberedTags(49), { Key: 'team', Value: 'new' }] }));
    expect(await tagsOf()).toHaveLength(50);
  });

  it('rejects tags that would take a repository past 50 with TooManyTagsException and keeps the old ones', async () => {
    await env.ecr.send(new TagResourceCommand({ resourceArn: ARN, tags: numberedTags(40) }));
    await expect(env.ecr.send(new TagResourceCommand({ resourceArn: ARN, tags: numberedTags(10, 40) }))).rejects.toMatchObject({
      name: 'TooManyTagsException',
      message: `The repository with name 'team/app' in the registry with id '${ACCOUNT}' would have 51 tags; a repository can have at most 50 tags`,
    });
    expect(await tagsOf()).toHaveLength(41);
  });

  it('rejects more than 50 tags in one request with TooManyTagsException', async () => {
    await expect(env.ecr.send(new TagResourceCommand({ resourceArn: ARN, tags: numberedTags(51) }))).rejects.toMatchObject({ name: 'TooManyTagsException' });
  });

  it.each([
    ['an empty key', [{ Key: '', Value: 'x' }]],
    ['a reserved aws: key', [{ Key: 'aws:cloudformation:stack-name', Value: 'x' }]],
    ['a value of 257 characters', [{ Key: 'env', Value: 'v'.repeat(257) }]],
    ['a key given twice', [{ Key: 'env', Value: 'a' }, { Key: 'env', Value: 'b' }]],
  ])('rejects %s with InvalidTagParameterException and changes nothing', async (_label, tags) => {
    await expect(env.ecr.send(new TagResourceCommand({ resourceArn: ARN, tags }))).rejects.toMatchObject({ name: 'InvalidTagParameterException' });
    expect(await tagsOf()).toEqual([{ Key: 'team', Value: 'infra' }]);
  });
});

describe('UntagResource', () => {
  it('removes the keys it names and ignores keys the repository does not have', async () => {
    await env.ecr.send(new TagResourceCommand({ resourceArn: ARN, tags: [{ Key: 'env', Value: 'prod' }, { Key: 'tier', Value: 'web' }] }));
    await env.ecr.send(new UntagResourceCommand({ resourceArn: ARN, tagKeys: ['team', 'tier', 'absent'] }));
    expect(await tagsOf()).toEqual([{ Key: 'env', Value: 'prod' }]);
  });

  it.each([
    ['an empty key', ''],
    ['a reserved aws: key', 'aws:createdBy'],
    ['a key of 129 characters', 'k'.repeat(129)],
  ])('rejects %s with InvalidTagParameterException', async (_label, key) => {
    await expect(env.ecr.send(new UntagResourceCommand({ resourceArn: ARN, tagKeys: [key] }))).rejects.toMatchObject({ name: 'InvalidTagParameterException' });
    expect(await tagsOf()).toEqual([{ Key: 'team', Value: 'infra' }]);
  });
});

describe('repository ARNs', () => {
  const MISSING = `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/missing`;

  it.each([
    ['ListTagsForResource', () => new ListTagsForResourceCommand({ resourceArn: MISSING })],
    ['TagResource', () => new TagResourceCommand({ resourceArn: MISSING, tags: [{ Key: 'a', Value: 'b' }] })],
    ['UntagResource', () => new UntagResourceCommand({ resourceArn: MISSING, tagKeys: ['a'] })],
  ])('%s of a missing repository answers RepositoryNotFoundException', async (_operation, command) => {
    await expect(sendAny(command())).rejects.toMatchObject({
      name: 'RepositoryNotFoundException',
      message: `The repository with name 'missing' does not exist in the registry with id '${ACCOUNT}'`,
    });
  });

  it.each([
    ['text that is not an ARN', 'team/app'],
    ['an ARN of another service', `arn:aws:s3:us-east-1:${ACCOUNT}:repository/team/app`],
    ['an ARN of another ECR resource', `arn:aws:ecr:us-east-1:${ACCOUNT}:pull-through-cache-rule/team`],
    ['an account id that is not 12 digits', 'arn:aws:ecr:us-east-1:1234:repository/team/app'],
    ['a repository name ECR would refuse', `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/Team/App`],
  ])('rejects %s with InvalidParameterException', async (_label, resourceArn) => {
    for (const command of [
      new ListTagsForResourceCommand({ resourceArn }),
      new TagResourceCommand({ resourceArn, tags: [{ Key: 'a', Value: 'b' }] }),
      new UntagResourceCommand({ resourceArn, tagKeys: ['a'] }),
    ]) {
      await expect(sendAny(command)).rejects.toMatchObject({
        name: 'InvalidParameterException',
        message: "Invalid parameter at 'resourceArn' failed to satisfy constraint: 'Invalid ARN'",
      });
    }
  });

  it('rejects an ARN of another region with InvalidParameterException', async () => {
    await expect(env.ecr.send(new ListTagsForResourceCommand({ resourceArn: `arn:aws:ecr:eu-west-1:${ACCOUNT}:repository/team/app` }))).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: "Invalid parameter at 'resourceArn' failed to satisfy constraint: 'The ARN names region eu-west-1, but the request was made to us-east-1'",
    });
  });
});
