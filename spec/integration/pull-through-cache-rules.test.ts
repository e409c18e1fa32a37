// Pull-through cache rules through the SDK: creating rules for every upstream ECR supports with what each needs to
// authenticate, describing with prefixes and pages, updating credentials, deleting, validating, and every modelled
// error on the way.
import {
  CreatePullThroughCacheRuleCommand,
  DeletePullThroughCacheRuleCommand,
  DescribePullThroughCacheRulesCommand,
  UpdatePullThroughCacheRuleCommand,
  ValidatePullThroughCacheRuleCommand,
  type CreatePullThroughCacheRuleCommandInput,
} from '@aws-sdk/client-ecr';
import { testClock } from '../helpers/test-clock';
import { useTestEmulator } from '../helpers/test-emulator';

const ACCOUNT = '000000000000';
const OTHER_ACCOUNT = '111122223333';
const SECRET = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:ecr-pullthroughcache/docker-hub-AbCdEf`;
const OTHER_SECRET = `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:ecr-pullthroughcache/rotated-GhIjKl`;
const ROLE = `arn:aws:iam::${ACCOUNT}:role/ecr-pull-through-cache`;
const CROSS_ACCOUNT_UPSTREAM = `${OTHER_ACCOUNT}.dkr.ecr.us-west-2.amazonaws.com`;

const START = new Date('2026-04-02T08:15:30.500Z');
const HOUR_MS = 60 * 60 * 1000;
const clock = testClock(START);
// Docker Hub is pointed at a closed loopback port: these tests never reach the network (valid answers are in
// pull-through-cache-credentials.test.ts, against a live upstream).
const env = useTestEmulator({ clock, startOptions: { upstreams: { 'registry-1.docker.io': 'http://127.0.0.1:1' } } });

function create(input: Partial<CreatePullThroughCacheRuleCommandInput> = {}) {
  return env.ecr.send(new CreatePullThroughCacheRuleCommand({ ecrRepositoryPrefix: 'ecr-public', upstreamRegistryUrl: 'public.ecr.aws', ...input }));
}

async function describePrefixes(input: { maxResults?: number; nextToken?: string } = {}): Promise<{ prefixes: string[]; nextToken?: string }> {
  const answer = await env.ecr.send(new DescribePullThroughCacheRulesCommand(input));
  return { prefixes: answer.pullThroughCacheRules!.map(({ ecrRepositoryPrefix }) => ecrRepositoryPrefix!), ...(answer.nextToken !== undefined ? { nextToken: answer.nextToken } : {}) };
}

describe('CreatePullThroughCacheRule', () => {
  it('creates a rule for Amazon ECR Public and answers it with its registry, upstream and creation time', async () => {
    const rule = await create();
    expect(rule).toEqual(
      expect.objectContaining({ ecrRepositoryPrefix: 'ecr-public', upstreamRegistryUrl: 'public.ecr.aws', registryId: ACCOUNT, upstreamRegistry: 'ecr-public' }),
    );
    expect(rule.credentialArn).toBeUndefined();
    expect(rule.upstreamRepositoryPrefix).toBeUndefined();
    expect(rule.createdAt).toEqual(START);
  });

  it.each([
    ['quay.io', {}, 'quay'],
    ['registry.k8s.io', {}, 'k8s'],
    ['registry-1.docker.io', { credentialArn: SECRET }, 'docker-hub'],
    ['ghcr.io', { credentialArn: SECRET }, 'github-container-registry'],
    ['registry.gitlab.com', { credentialArn: SECRET }, 'gitlab-container-registry'],
    ['myregistry.azurecr.io', { credentialArn: SECRET }, 'azure-container-registry'],
    ['cgr.dev', { credentialArn: SECRET }, 'chainguard'],
    [`${ACCOUNT}.dkr.ecr.us-west-2.amazonaws.com`, {}, 'ecr'],
    [CROSS_ACCOUNT_UPSTREAM, { customRoleArn: ROLE }, 'ecr'],
  ])('recognises %s as its upstream registry', async (upstreamRegistryUrl, extra, upstreamRegistry) => {
    const rule = await create({ ecrRepositoryPrefix: 'cache', upstreamRegistryUrl, ...extra });
    expect(rule).toMatchObject({ upstreamRegistryUrl, upstreamRegistry, ...extra });
  });

  it('accepts the upstream registry named together with its URL', async () => {
    expect((await create({ upstreamRegistry: 'ecr-public' })).upstreamRegistry).toBe('ecr-public');
  });

  it('caches an ECR upstream from its ROOT unless told otherwise', async () => {
    const upstreamRegistryUrl = `${ACCOUNT}.dkr.ecr.us-west-2.amazonaws.com`;
    expect((await create({ ecrRepositoryPrefix: 'mirror', upstreamRegistryUrl })).upstreamRepositoryPrefix).toBe('ROOT');
    expect((await create({ ecrRepositoryPrefix: 'team-a', upstreamRegistryUrl, upstreamRepositoryPrefix: 'team-a' })).upstreamRepositoryPrefix).toBe('team-a');
  });

  it('accepts ROOT as the ECR repository prefix', async () => {
    const rule = await create({ ecrRepositoryPrefix: 'ROOT', upstreamRegistryUrl: `${ACCOUNT}.dkr.ecr.us-west-2.amazonaws.com` });
    expect(rule).toMatchObject({ ecrRepositoryPrefix: 'ROOT', upstreamRepositoryPrefix: 'ROOT' });
  });

  it('creates the rule in the registry named by registryId when that is the caller\'s own', async () => {
    expect((await create({ registryId: ACCOUNT })).registryId).toBe(ACCOUNT);
  });

  it('refuses to create a rule in another account\'s registry with AccessDeniedException', async () => {
    await expect(create({ registryId: OTHER_ACCOUNT })).rejects.toMatchObject({ name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } });
    expect((await env.ecrClient({ accountId: OTHER_ACCOUNT }).send(new DescribePullThroughCacheRulesCommand({}))).pullThroughCacheRules).toEqual([]);
  });

  it.each([
    ['the same prefix', 'ecr-public'],
    ['the same prefix with the slash ECR always assumes', 'ecr-public/'],
  ])('refuses a second rule for %s with PullThroughCacheRuleAlreadyExistsException', async (_label, ecrRepositoryPrefix) => {
    await create();
    await expect(create({ ecrRepositoryPrefix, upstreamRegistryUrl: 'quay.io' })).rejects.toMatchObject({
      name: 'PullThroughCacheRuleAlreadyExistsException',
      message: `The pull through cache rule with Amazon ECR repository prefix '${ecrRepositoryPrefix}' already exists in the registry with id '${ACCOUNT}'`,
    });
    expect((await env.ecr.send(new DescribePullThroughCacheRulesCommand({}))).pullThroughCacheRules).toEqual([
      expect.objectContaining({ ecrRepositoryPrefix: 'ecr-public', upstreamRegistryUrl: 'public.ecr.aws' }),
    ]);
  });

  it.each(['docker.io', 'https://public.ecr.aws', 'registry.example.com', 'ab.azurecr.io'])(
    'refuses the upstream URL %s with UnsupportedUpstreamRegistryException',
    async (upstreamRegistryUrl) => {
      await expect(create({ upstreamRegistryUrl })).rejects.toMatchObject({ name: 'UnsupportedUpstreamRegistryException', message: "The specified upstream registry isn't supported." });
    },
  );

  it.each(['registry-1.docker.io', 'ghcr.io', 'registry.gitlab.com', 'myregistry.azurecr.io', 'cgr.dev'])(
    'refuses %s without a credential ARN with UnsupportedUpstreamRegistryException',
    async (upstreamRegistryUrl) => {
      await expect(create({ upstreamRegistryUrl })).rejects.toMatchObject({
        name: 'UnsupportedUpstreamRegistryException',
        message: 'The specified upstream registry requires authentication. Specify a valid Secrets Manager ARN.',
      });
      expect((await describePrefixes()).prefixes).toEqual([]);
    },
  );

  it.each([
    ['in another Region', `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:ecr-pullthroughcache/docker-hub`],
    ['of another account', `arn:aws:secretsmanager:us-east-1:${OTHER_ACCOUNT}:secret:ecr-pullthroughcache/docker-hub`],
  ])('refuses a secret %s with SecretNotFoundException', async (_label, credentialArn) => {
    await expect(create({ upstreamRegistryUrl: 'registry-1.docker.io', credentialArn })).rejects.toMatchObject({
      name: 'SecretNotFoundException',
      message: 'The ARN of the secret specified in the pull through cache rule was not found. Update the pull through cache rule with a valid secret ARN and try again.',
    });
  });

  it.each([
    [
      'an upstream registry that is not the one of the URL',
      { upstreamRegistryUrl: 'quay.io', upstreamRegistry: 'docker-hub' as const },
      "Invalid parameter at 'upstreamRegistry' failed to satisfy constraint: 'upstream registry docker-hub does not match the upstream registry URL quay.io'",
    ],
    [
      'the ECR registry of another account without a custom role',
      { upstreamRegistryUrl: CROSS_ACCOUNT_UPSTREAM },
      "Invalid parameter at 'customRoleArn' failed to satisfy constraint: 'a custom role is required to cache from the Amazon ECR registry of another account'",
    ],
    [
      'a custom role of another account',
      { upstreamRegistryUrl: CROSS_ACCOUNT_UPSTREAM, customRoleArn: `arn:aws:iam::${OTHER_ACCOUNT}:role/ecr-pull-through-cache` },
      `Invalid parameter at 'customRoleArn' failed to satisfy constraint: 'must be the ARN of an IAM role in the registry's account ${ACCOUNT}'`,
    ],
    [
      'a custom role that is not a role ARN',
      { upstreamRegistryUrl: CROSS_ACCOUNT_UPSTREAM, customRoleArn: `arn:aws:iam::${ACCOUNT}:user/someone` },
      `Invalid parameter at 'customRoleArn' failed to satisfy constraint: 'must be the ARN of an IAM role in the registry's account ${ACCOUNT}'`,
    ],
    [
      'an upstream repository prefix under a ROOT rule',
      { ecrRepositoryPrefix: 'ROOT', upstreamRegistryUrl: `${ACCOUNT}.dkr.ecr.us-west-2.amazonaws.com`, upstreamRepositoryPrefix: 'team-a' },
      "Invalid parameter at 'upstreamRepositoryPrefix' failed to satisfy constraint: 'an upstream repository prefix can be set only when the ECR repository prefix is not ROOT'",
    ],
    [
      'a prefix longer than 30 characters',
      { ecrRepositoryPrefix: 'a'.repeat(31) },
      "Invalid parameter at 'ecrRepositoryPrefix' failed to satisfy constraint: 'Member must have length less than or equal to 30'",
    ],
    [
      'a prefix with capitals',
      { ecrRepositoryPrefix: 'Public' },
      "Invalid parameter at 'ecrRepositoryPrefix' failed to satisfy constraint: 'Member must satisfy regular expression pattern: ^([a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(\\/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*\\/?|ROOT)$'",
    ],
    [
      'an upstream registry ECR does not know',
      { upstreamRegistry: 'artifactory' as never },
      "Invalid parameter at 'upstreamRegistry' failed to satisfy constraint: 'Member must satisfy enum value set: [ecr, ecr-public, quay, k8s, docker-hub, github-container-registry, azure-container-registry, gitlab-container-registry, chainguard]'",
    ],
    [
      'a credential ARN outside the ecr-pullthroughcache/ secrets',
      { upstreamRegistryUrl: 'registry-1.docker.io', credentialArn: `arn:aws:secretsmanager:us-east-1:${ACCOUNT}:secret:docker-hub-credentials` },
      "Invalid parameter at 'credentialArn' failed to satisfy constraint: 'Member must satisfy regular expression pattern: ^arn:aws(-\\w+)*:secretsmanager:[a-zA-Z0-9-:]+:secret:ecr\\-pullthroughcache\\/[a-zA-Z0-9\\/_+=.@-]+$'",
    ],
  ])('refuses %s with InvalidParameterException', async (_label, input, message) => {
    await expect(create(input)).rejects.toMatchObject({ name: 'InvalidParameterException', message });
    expect((await describePrefixes()).prefixes).toEqual([]);
  });

  it.each([
    ['an ECR repository prefix', { upstreamRegistryUrl: 'public.ecr.aws' }, 'ecrRepositoryPrefix'],
    ['an upstream registry URL', { ecrRepositoryPrefix: 'ecr-public' }, 'upstreamRegistryUrl'],
  ])('refuses a request without %s with ValidationException', async (_label, input, member) => {
    await expect(env.ecr.send(new CreatePullThroughCacheRuleCommand(input as never))).rejects.toMatchObject({
      name: 'ValidationException',
      message: `1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`,
    });
  });

  it('refuses the 51st rule of a registry with LimitExceededException', async () => {
    for (let index = 0; index < 50; index += 1) await create({ ecrRepositoryPrefix: `cache-${index}` });
    await expect(create({ ecrRepositoryPrefix: 'one-too-many' })).rejects.toMatchObject({
      name: 'LimitExceededException',
      message: `The registry with id '${ACCOUNT}' already has the maximum of 50 pull through cache rules`,
    });
    expect(await env.ecrClient({ region: 'eu-west-1' }).send(new CreatePullThroughCacheRuleCommand({ ecrRepositoryPrefix: 'one-too-many', upstreamRegistryUrl: 'quay.io' }))).toMatchObject({
      ecrRepositoryPrefix: 'one-too-many',
    });
  });
});

describe('DescribePullThroughCacheRules', () => {
  it('answers no rules for a registry without any', async () => {
    expect(await describePrefixes()).toEqual({ prefixes: [] });
  });

  it('answers every rule ordered by prefix, with creation and update times', async () => {
    await create({ ecrRepositoryPrefix: 'quay', upstreamRegistryUrl: 'quay.io' });
    await create({ ecrRepositoryPrefix: 'docker-hub', upstreamRegistryUrl: 'registry-1.docker.io', credentialArn: SECRET });
    const { pullThroughCacheRules } = await env.ecr.send(new DescribePullThroughCacheRulesCommand({}));
    expect(pullThroughCacheRules!.map(({ ecrRepositoryPrefix }) => ecrRepositoryPrefix)).toEqual(['docker-hub', 'quay']);
    expect(pullThroughCacheRules![0]).toEqual(
      expect.objectContaining({ upstreamRegistryUrl: 'registry-1.docker.io', upstreamRegistry: 'docker-hub', credentialArn: SECRET, registryId: ACCOUNT }),
    );
    expect(pullThroughCacheRules![0]!.updatedAt).toEqual(pullThroughCacheRules![0]!.createdAt);
  });

  it('answers only the rules of the prefixes asked for, with or without the trailing slash', async () => {
    for (const ecrRepositoryPrefix of ['a-cache', 'b-cache', 'c-cache']) await create({ ecrRepositoryPrefix });
    const { pullThroughCacheRules } = await env.ecr.send(new DescribePullThroughCacheRulesCommand({ ecrRepositoryPrefixes: ['c-cache', 'a-cache/'] }));
    expect(pullThroughCacheRules!.map(({ ecrRepositoryPrefix }) => ecrRepositoryPrefix)).toEqual(['a-cache', 'c-cache']);
  });

  it('refuses a prefix without a rule with PullThroughCacheRuleNotFoundException', async () => {
    await create();
    await expect(env.ecr.send(new DescribePullThroughCacheRulesCommand({ ecrRepositoryPrefixes: ['ecr-public', 'quay'] }))).rejects.toMatchObject({
      name: 'PullThroughCacheRuleNotFoundException',
      message: `The pull through cache rule with Amazon ECR repository prefix 'quay' does not exist in the registry with id '${ACCOUNT}'`,
    });
  });

  it('pages with maxResults and nextToken until the last page, which has no token', async () => {
    for (const ecrRepositoryPrefix of ['e-cache', 'a-cache', 'd-cache', 'b-cache', 'c-cache']) await create({ ecrRepositoryPrefix });
    const first = await describePrefixes({ maxResults: 2 });
    expect(first.prefixes).toEqual(['a-cache', 'b-cache']);
    const second = await describePrefixes({ maxResults: 2, nextToken: first.nextToken! });
    expect(second.prefixes).toEqual(['c-cache', 'd-cache']);
    expect(await describePrefixes({ maxResults: 2, nextToken: second.nextToken! })).toEqual({ prefixes: ['e-cache'] });
  });

  it.each([
    ['a forged nextToken', { nextToken: 'not-a-token' }, "Invalid parameter at 'nextToken' failed to satisfy constraint: 'must be a token returned by a previous call'"],
    ['maxResults of 0', { maxResults: 0 }, "Invalid parameter at 'maxResults' failed to satisfy constraint: 'Member must have value greater than or equal to 1'"],
    ['maxResults over 1000', { maxResults: 1001 }, "Invalid parameter at 'maxResults' failed to satisfy constraint: 'Member must have value less than or equal to 1000'"],
    ['an empty prefix list', { ecrRepositoryPrefixes: [] }, "Invalid parameter at 'ecrRepositoryPrefixes' failed to satisfy constraint: 'Member must have length greater than or equal to 1'"],
  ])('refuses %s with InvalidParameterException', async (_label, input, message) => {
    await expect(env.ecr.send(new DescribePullThroughCacheRulesCommand(input))).rejects.toMatchObject({ name: 'InvalidParameterException', message });
  });

  it('shows the rules of one registry only: accounts and regions apart', async () => {
    await create();
    for (const other of [env.ecrClient({ accountId: OTHER_ACCOUNT }), env.ecrClient({ region: 'eu-west-1' })]) {
      expect((await other.send(new DescribePullThroughCacheRulesCommand({}))).pullThroughCacheRules).toEqual([]);
      await expect(other.send(new DescribePullThroughCacheRulesCommand({ ecrRepositoryPrefixes: ['ecr-public'] }))).rejects.toMatchObject({
        name: 'PullThroughCacheRuleNotFoundException',
      });
    }
  });
});

describe('UpdatePullThroughCacheRule', () => {
  it('replaces the credential ARN and reports the update time', async () => {
    const created = await create({ ecrRepositoryPrefix: 'docker-hub', upstreamRegistryUrl: 'registry-1.docker.io', credentialArn: SECRET });
    clock.advance(HOUR_MS);
    const updated = await env.ecr.send(new UpdatePullThroughCacheRuleCommand({ ecrRepositoryPrefix: 'docker-hub', credentialArn: OTHER_SECRET }));
    expect(updated).toEqual(expect.objectContaining({ ecrRepositoryPrefix: 'docker-hub', registryId: ACCOUNT, credentialArn: OTHER_SECRET }));
    expect(created.createdAt).toEqual(START);
    expect(updated.updatedAt).toEqual(new Date(START.getTime() + HOUR_MS));
    const { pullThroughCacheRules } = await env.ecr.send(new DescribePullThroughCacheRulesCommand({ ecrRepositoryPrefixes: ['docker-hub'] }));
    expect(pullThroughCacheRules![0]).toMatchObject({ credentialArn: OTHER_SECRET, upstreamRegistryUrl: 'registry-1.docker.io', createdAt: created.createdAt });
  });

  it('replaces the custom role of a cross-account ECR rule and keeps its upstream prefix', async () => {
    await create({ ecrRepositoryPrefix: 'mirror', upstreamRegistryUrl: CROSS_ACCOUNT_UPSTREAM, customRoleArn: ROLE });
    const role = `arn:aws:iam::${ACCOUNT}:role/rotated`;
    const updated = await env.ecr.send(new UpdatePullThroughCacheRuleCommand({ ecrRepositoryPrefix: 'mirror', customRoleArn: role }));
    expect(updated).toMatchObject({ customRoleArn: role, upstreamRepositoryPrefix: 'ROOT' });
  });

  it('refuses a rule that does not exist with PullThroughCacheRuleNotFoundException', async () => {
    await expect(env.ecr.send(new UpdatePullThroughCacheRuleCommand({ ecrRepositoryPrefix: 'docker-hub', credentialArn: SECRET }))).rejects.toMatchObject({
      name: 'PullThroughCacheRuleNotFoundException',
      message: `The pull through cache rule with Amazon ECR repository prefix 'docker-hub' does not exist in the registry with id '${ACCOUNT}'`,
    });
  });

  it('refuses a secret of another Region with SecretNotFoundException and keeps the one it had', async () => {
    await create({ ecrRepositoryPrefix: 'docker-hub', upstreamRegistryUrl: 'registry-1.docker.io', credentialArn: SECRET });
    const credentialArn = `arn:aws:secretsmanager:eu-west-1:${ACCOUNT}:secret:ecr-pullthroughcache/docker-hub`;
    await expect(env.ecr.send(new UpdatePullThroughCacheRuleCommand({ ecrRepositoryPrefix: 'docker-hub', credentialArn }))).rejects.toMatchObject({ name: 'SecretNotFoundException' });
    expect((await env.ecr.send(new DescribePullThroughCacheRulesCommand({}))).pullThroughCacheRules![0]!.credentialArn).toBe(SECRET);
  });

  it('refuses a custom role of another account with InvalidParameterException', async () => {
    await create({ ecrRepositoryPrefix: 'mirror', upstreamRegistryUrl: CROSS_ACCOUNT_UPSTREAM, customRoleArn: ROLE });
    await expect(
      env.ecr.send(new UpdatePullThroughCacheRuleCommand({ ecrRepositoryPrefix: 'mirror', customRoleArn: `arn:aws:iam::${OTHER_ACCOUNT}:role/other` })),
    ).rejects.toMatchObject({ name: 'InvalidParameterException' });
  });

  it('refuses a request without a prefix with ValidationException', async () => {
    await expect(env.ecr.send(new UpdatePullThroughCacheRuleCommand({} as never))).rejects.toMatchObject({
      name: 'ValidationException',
      message: "1 validation error detected: Value null at 'ecrRepositoryPrefix' failed to satisfy constraint: Member must not be null",
    });
  });
});

describe('DeletePullThroughCacheRule', () => {
  it('deletes the rule and answers it as it was', async () => {
    const created = await create({ ecrRepositoryPrefix: 'docker-hub', upstreamRegistryUrl: 'registry-1.docker.io', credentialArn: SECRET });
    const deleted = await env.ecr.send(new DeletePullThroughCacheRuleCommand({ ecrRepositoryPrefix: 'docker-hub' }));
    expect(deleted).toEqual(
      expect.objectContaining({
        ecrRepositoryPrefix: 'docker-hub',
        upstreamRegistryUrl: 'registry-1.docker.io',
        credentialArn: SECRET,
        registryId: ACCOUNT,
        createdAt: created.createdAt,
      }),
    );
    expect((await describePrefixes()).prefixes).toEqual([]);
  });

  it('frees the prefix for a new rule', async () => {
    await create();
    await env.ecr.send(new DeletePullThroughCacheRuleCommand({ ecrRepositoryPrefix: 'ecr-public' }));
    expect((await create({ upstreamRegistryUrl: 'quay.io' })).upstreamRegistry).toBe('quay');
  });

  it('refuses to delete from another account\'s registry with AccessDeniedException, leaving its rule', async () => {
    const other = env.ecrClient({ accountId: OTHER_ACCOUNT });
    await other.send(new CreatePullThroughCacheRuleCommand({ ecrRepositoryPrefix: 'ecr-public', upstreamRegistryUrl: 'public.ecr.aws' }));
    await expect(env.ecr.send(new DeletePullThroughCacheRuleCommand({ ecrRepositoryPrefix: 'ecr-public', registryId: OTHER_ACCOUNT }))).rejects.toMatchObject({ name: 'AccessDeniedException' });
    expect((await other.send(new DescribePullThroughCacheRulesCommand({}))).pullThroughCacheRules).toHaveLength(1);
  });

  it('refuses a rule that does not exist, or no longer does, with PullThroughCacheRuleNotFoundException', async () => {
    await create();
    await env.ecr.send(new DeletePullThroughCacheRuleCommand({ ecrRepositoryPrefix: 'ecr-public' }));
    await expect(env.ecr.send(new DeletePullThroughCacheRuleCommand({ ecrRepositoryPrefix: 'ecr-public' }))).rejects.toMatchObject({
      name: 'PullThroughCacheRuleNotFoundException',
      message: `The pull through cache rule with Amazon ECR repository prefix 'ecr-public' does not exist in the registry with id '${ACCOUNT}'`,
    });
  });
});

describe('ValidatePullThroughCacheRule', () => {
  it('answers a rule whose upstream does not answer invalid, with its upstream, credentials and the failure', async () => {
    await create({ ecrRepositoryPrefix: 'docker-hub', upstreamRegistryUrl: 'registry-1.docker.io', credentialArn: SECRET });
    const answer = await env.ecr.send(new ValidatePullThroughCacheRuleCommand({ ecrRepositoryPrefix: 'docker-hub' }));
    expect(answer).toEqual(
      expect.objectContaining({ ecrRepositoryPrefix: 'docker-hub', registryId: ACCOUNT, upstreamRegistryUrl: 'registry-1.docker.io', credentialArn: SECRET, isValid: false }),
    );
    expect(answer.failure).toMatch(/^The upstream registry at http:\/\/127\.0\.0\.1:1 did not answer/);
  });

  it('refuses a rule that does not exist with PullThroughCacheRuleNotFoundException', async () => {
    await expect(env.ecr.send(new ValidatePullThroughCacheRuleCommand({ ecrRepositoryPrefix: 'docker-hub' }))).rejects.toMatchObject({
      name: 'PullThroughCacheRuleNotFoundException',
    });
  });

  it('refuses a request without a prefix with ValidationException', async () => {
    await expect(env.ecr.send(new ValidatePullThroughCacheRuleCommand({} as never))).rejects.toMatchObject({ name: 'ValidationException' });
  });
});
