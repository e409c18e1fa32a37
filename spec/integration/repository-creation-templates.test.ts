// Repository creation templates through the SDK: creating with defaults and with every setting, the ROOT prefix,
// describing by prefixes and in pages, updates that change only what they name, deleting, and the modelled errors.
import {
  CreateRepositoryCreationTemplateCommand,
  DeleteRepositoryCreationTemplateCommand,
  DescribeRepositoryCreationTemplatesCommand,
  UpdateRepositoryCreationTemplateCommand,
  type CreateRepositoryCreationTemplateCommandInput,
  type UpdateRepositoryCreationTemplateCommandInput,
} from '@aws-sdk/client-ecr';
import { testClock } from '../helpers/test-clock';
import { useTestEmulator } from '../helpers/test-emulator';

const ACCOUNT = '000000000000';
const OTHER_ACCOUNT = '111122223333';
const KMS_KEY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const ROLE = `arn:aws:iam::${ACCOUNT}:role/ecr-templates`;
const REPOSITORY_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Sid: 'AllowPull', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${OTHER_ACCOUNT}:root` }, Action: ['ecr:BatchGetImage'] }],
});
const LIFECYCLE_POLICY = JSON.stringify({
  rules: [{ rulePriority: 1, selection: { tagStatus: 'untagged', countType: 'imageCountMoreThan', countNumber: 5 }, action: { type: 'expire' } }],
});

const START = new Date('2026-04-02T08:15:30.500Z');
const HOUR_MS = 60 * 60 * 1000;
const clock = testClock(START);
const env = useTestEmulator({ clock });

function create(input: Partial<CreateRepositoryCreationTemplateCommandInput> = {}) {
  return env.ecr.send(new CreateRepositoryCreationTemplateCommand({ prefix: 'team', appliedFor: ['PULL_THROUGH_CACHE'], ...input }));
}

function update(input: Partial<UpdateRepositoryCreationTemplateCommandInput> = {}) {
  return env.ecr.send(new UpdateRepositoryCreationTemplateCommand({ prefix: 'team', ...input }));
}

async function describeTemplates(input: { prefixes?: string[]; maxResults?: number; nextToken?: string } = {}) {
  return env.ecr.send(new DescribeRepositoryCreationTemplatesCommand(input));
}

describe('CreateRepositoryCreationTemplate', () => {
  it('creates a template with mutable tags and AES-256 encryption unless told otherwise', async () => {
    const answer = await create();
    expect(answer.registryId).toBe(ACCOUNT);
    const template = answer.repositoryCreationTemplate!;
    expect(template).toEqual({
      prefix: 'team',
      appliedFor: ['PULL_THROUGH_CACHE'],
      imageTagMutability: 'MUTABLE',
      encryptionConfiguration: { encryptionType: 'AES256' },
      resourceTags: [],
      createdAt: START,
      updatedAt: START,
    });
  });

  it('keeps every setting it is given', async () => {
    const settings = {
      description: 'repositories the cache creates',
      encryptionConfiguration: { encryptionType: 'KMS' as const, kmsKey: KMS_KEY },
      resourceTags: [{ Key: 'origin', Value: 'cache' }],
      imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION' as const,
      imageTagMutabilityExclusionFilters: [{ filterType: 'WILDCARD' as const, filter: 'latest' }],
      repositoryPolicy: REPOSITORY_POLICY,
      lifecyclePolicy: LIFECYCLE_POLICY,
      appliedFor: ['REPLICATION' as const, 'CREATE_ON_PUSH' as const],
      customRoleArn: ROLE,
    };
    const { repositoryCreationTemplate } = await create(settings);
    expect(repositoryCreationTemplate).toMatchObject({ prefix: 'team', ...settings });
    expect((await describeTemplates()).repositoryCreationTemplates![0]).toMatchObject({ prefix: 'team', ...settings });
  });

  it('accepts ROOT, the template of every repository without a template of its own', async () => {
    expect((await create({ prefix: 'ROOT' })).repositoryCreationTemplate!.prefix).toBe('ROOT');
  });

  it('answers each scenario once when one is named twice', async () => {
    expect((await create({ appliedFor: ['REPLICATION', 'REPLICATION'] })).repositoryCreationTemplate!.appliedFor).toEqual(['REPLICATION']);
  });

  it.each([
    ['the same prefix', 'team'],
    ['the same prefix with the slash ECR always assumes', 'team/'],
  ])('refuses a second template for %s with TemplateAlreadyExistsException', async (_label, prefix) => {
    await create({ description: 'first' });
    await expect(create({ prefix, description: 'second' })).rejects.toMatchObject({
      name: 'TemplateAlreadyExistsException',
      message: `The repository creation template with the prefix '${prefix}' already exists in the registry with id '${ACCOUNT}'`,
    });
    expect((await describeTemplates()).repositoryCreationTemplates).toEqual([expect.objectContaining({ prefix: 'team', description: 'first' })]);
  });

  it.each([
    ['an empty scenario list', { appliedFor: [] }, "Invalid parameter at 'appliedFor' failed to satisfy constraint: 'must have length greater than or equal to 1'"],
    [
      'a scenario ECR does not have',
      { appliedFor: ['PUSH' as never] },
      "Invalid parameter at 'appliedFor' failed to satisfy constraint: 'Member must satisfy constraint: [Member must satisfy enum value set: [REPLICATION, PULL_THROUGH_CACHE, CREATE_ON_PUSH]]'",
    ],
    [
      'a KMS key with AES-256 encryption',
      { encryptionConfiguration: { encryptionType: 'AES256' as const, kmsKey: KMS_KEY } },
      "Invalid parameter at 'encryptionConfiguration' failed to satisfy constraint: 'kmsKey can only be specified when encryptionType is KMS or KMS_DSSE'",
    ],
    [
      'exclusion filters with MUTABLE',
      { imageTagMutability: 'MUTABLE' as const, imageTagMutabilityExclusionFilters: [{ filterType: 'WILDCARD' as const, filter: 'latest' }] },
      "Invalid parameter at 'imageTagMutabilityExclusionFilters' failed to satisfy constraint: 'ImageTagMutabilityExclusionFilters must be null when imageTagMutability is set as MUTABLE'",
    ],
    [
      'MUTABLE_WITH_EXCLUSION without exclusion filters',
      { imageTagMutability: 'MUTABLE_WITH_EXCLUSION' as const },
      "Invalid parameter at 'imageTagMutabilityExclusionFilters' failed to satisfy constraint: 'ImageTagMutabilityExclusionFilters can't be null when imageTagMutability is set as MUTABLE_WITH_EXCLUSION'",
    ],
    ['a repository policy that is not a policy', { repositoryPolicy: '{"Statement": []}' }, "Invalid parameter at 'repositoryPolicy' failed to satisfy constraint: 'Invalid repository policy provided'"],
    [
      'a custom role of another account',
      { customRoleArn: `arn:aws:iam::${OTHER_ACCOUNT}:role/ecr-templates` },
      `Invalid parameter at 'customRoleArn' failed to satisfy constraint: 'must be the ARN of an IAM role in the registry's account ${ACCOUNT}'`,
    ],
    ['a description over 256 characters', { description: 'd'.repeat(257) }, "Invalid parameter at 'description' failed to satisfy constraint: 'Member must have length less than or equal to 256'"],
    [
      'a prefix with capitals',
      { prefix: 'Team' },
      "Invalid parameter at 'prefix' failed to satisfy constraint: 'Member must satisfy regular expression pattern: ^([a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*(\\/[a-z0-9]+((\\.|_|__|-+)[a-z0-9]+)*)*\\/?|ROOT)$'",
    ],
    [
      'a KMS key that is not a key ARN',
      { encryptionConfiguration: { encryptionType: 'KMS' as const, kmsKey: 'alias/ecr' } },
      "Invalid parameter at 'encryptionConfiguration.kmsKey' failed to satisfy constraint: 'Member must satisfy regular expression pattern: ^$|arn:aws[a-z0-9-]*:kms:[a-z0-9-]+:[0-9]{12}:key\\/[a-z0-9-]+'",
    ],
  ])('refuses %s with InvalidParameterException and creates nothing', async (_label, input, message) => {
    await expect(create(input)).rejects.toMatchObject({ name: 'InvalidParameterException', message });
    expect((await describeTemplates()).repositoryCreationTemplates).toEqual([]);
  });

  it('refuses a lifecycle policy ECR would refuse, with the reason', async () => {
    await expect(create({ lifecyclePolicy: '{"rules": []}' })).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: expect.stringMatching(/^Invalid parameter at 'lifecyclePolicy' failed to satisfy constraint: 'Lifecycle policy validation failure: .+'$/) as unknown,
    });
  });

  it('refuses a tag with the reserved aws: prefix with InvalidTagParameterException', async () => {
    await expect(create({ resourceTags: [{ Key: 'aws:origin', Value: 'cache' }] })).rejects.toMatchObject({ name: 'InvalidTagParameterException' });
  });

  it.each([
    ['a prefix', { appliedFor: ['REPLICATION'] }, 'prefix'],
    ['the scenarios it applies for', { prefix: 'team' }, 'appliedFor'],
  ])('refuses a request without %s with ValidationException', async (_label, input, member) => {
    await expect(env.ecr.send(new CreateRepositoryCreationTemplateCommand(input as never))).rejects.toMatchObject({
      name: 'ValidationException',
      message: `1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`,
    });
  });
});

describe('DescribeRepositoryCreationTemplates', () => {
  it('answers the registry and no templates when it has none', async () => {
    const answer = await describeTemplates();
    expect(answer).toEqual(expect.objectContaining({ registryId: ACCOUNT, repositoryCreationTemplates: [] }));
    expect(answer.nextToken).toBeUndefined();
  });

  it('answers every template ordered by prefix', async () => {
    for (const prefix of ['team', 'ROOT', 'apps/web']) await create({ prefix });
    const { repositoryCreationTemplates } = await describeTemplates();
    expect(repositoryCreationTemplates!.map(({ prefix }) => prefix)).toEqual(['ROOT', 'apps/web', 'team']);
  });

  it('answers only the templates of the prefixes asked for, leaving out prefixes without one', async () => {
    for (const prefix of ['team', 'ROOT', 'apps/web']) await create({ prefix });
    const { repositoryCreationTemplates } = await describeTemplates({ prefixes: ['team/', 'ROOT', 'missing'] });
    expect(repositoryCreationTemplates!.map(({ prefix }) => prefix)).toEqual(['ROOT', 'team']);
  });

  it('pages with maxResults and nextToken until the last page, which has no token', async () => {
    for (const prefix of ['e', 'a', 'd', 'b', 'c'].map((letter) => `${letter}-team`)) await create({ prefix });
    const first = await describeTemplates({ maxResults: 2 });
    expect(first.repositoryCreationTemplates!.map(({ prefix }) => prefix)).toEqual(['a-team', 'b-team']);
    const second = await describeTemplates({ maxResults: 2, nextToken: first.nextToken! });
    expect(second.repositoryCreationTemplates!.map(({ prefix }) => prefix)).toEqual(['c-team', 'd-team']);
    const last = await describeTemplates({ maxResults: 2, nextToken: second.nextToken! });
    expect(last.repositoryCreationTemplates!.map(({ prefix }) => prefix)).toEqual(['e-team']);
    expect(last.nextToken).toBeUndefined();
  });

  it.each([
    ['a forged nextToken', { nextToken: 'not-a-token' }, "Invalid parameter at 'nextToken' failed to satisfy constraint: 'must be a token returned by a previous call'"],
    ['maxResults of 0', { maxResults: 0 }, "Invalid parameter at 'maxResults' failed to satisfy constraint: 'Member must have value greater than or equal to 1'"],
  ])('refuses %s with InvalidParameterException', async (_label, input, message) => {
    await expect(describeTemplates(input)).rejects.toMatchObject({ name: 'InvalidParameterException', message });
  });

  it('shows the templates of one registry only: accounts and regions apart', async () => {
    await create();
    for (const other of [env.ecrClient({ accountId: OTHER_ACCOUNT }), env.ecrClient({ region: 'eu-west-1' })]) {
      expect((await other.send(new DescribeRepositoryCreationTemplatesCommand({}))).repositoryCreationTemplates).toEqual([]);
    }
  });
});

describe('UpdateRepositoryCreationTemplate', () => {
  it('changes only the settings it names and reports the update time', async () => {
    const created = (await create({ description: 'cache', resourceTags: [{ Key: 'origin', Value: 'cache' }], repositoryPolicy: REPOSITORY_POLICY })).repositoryCreationTemplate!;
    clock.advance(HOUR_MS);
    const { registryId, repositoryCreationTemplate } = await update({ imageTagMutability: 'IMMUTABLE', appliedFor: ['REPLICATION', 'PULL_THROUGH_CACHE'] });
    expect(registryId).toBe(ACCOUNT);
    expect(repositoryCreationTemplate).toEqual({
      ...created,
      imageTagMutability: 'IMMUTABLE',
      appliedFor: ['REPLICATION', 'PULL_THROUGH_CACHE'],
      updatedAt: new Date(START.getTime() + HOUR_MS),
    });
    expect(created.createdAt).toEqual(START);
    expect((await describeTemplates()).repositoryCreationTemplates![0]).toEqual(repositoryCreationTemplate);
  });

  it('removes a description, role or policy given as empty text', async () => {
    await create({ description: 'cache', customRoleArn: ROLE, repositoryPolicy: REPOSITORY_POLICY, lifecyclePolicy: LIFECYCLE_POLICY });
    const { repositoryCreationTemplate } = await update({ description: '', customRoleArn: '', repositoryPolicy: '', lifecyclePolicy: '' });
    for (const member of ['description', 'customRoleArn', 'repositoryPolicy', 'lifecyclePolicy'] as const) expect(repositoryCreationTemplate![member]).toBeUndefined();
  });

  it('keeps the exclusion filters while the mutability keeps exclusions, and drops them when it stops', async () => {
    const filters = [{ filterType: 'WILDCARD' as const, filter: 'latest' }];
    await create({ imageTagMutability: 'IMMUTABLE_WITH_EXCLUSION', imageTagMutabilityExclusionFilters: filters });
    expect((await update({ imageTagMutability: 'MUTABLE_WITH_EXCLUSION' })).repositoryCreationTemplate!.imageTagMutabilityExclusionFilters).toEqual(filters);
    expect((await update({ imageTagMutability: 'IMMUTABLE' })).repositoryCreationTemplate!.imageTagMutabilityExclusionFilters).toBeUndefined();
  });

  it('replaces the resource tags and the encryption as a whole', async () => {
    await create({ resourceTags: [{ Key: 'origin', Value: 'cache' }], encryptionConfiguration: { encryptionType: 'KMS', kmsKey: KMS_KEY } });
    const { repositoryCreationTemplate } = await update({ resourceTags: [{ Key: 'team', Value: 'infra' }], encryptionConfiguration: { encryptionType: 'AES256' } });
    expect(repositoryCreationTemplate).toMatchObject({ resourceTags: [{ Key: 'team', Value: 'infra' }], encryptionConfiguration: { encryptionType: 'AES256' } });
    expect(repositoryCreationTemplate!.encryptionConfiguration!.kmsKey).toBeUndefined();
  });

  it('refuses a template that does not exist with TemplateNotFoundException', async () => {
    await expect(update({ description: 'cache' })).rejects.toMatchObject({
      name: 'TemplateNotFoundException',
      message: `The repository creation template with the prefix 'team' does not exist in the registry with id '${ACCOUNT}'`,
    });
  });

  it.each([
    [
      'a mutability with exclusions but no filters to keep',
      { imageTagMutability: 'MUTABLE_WITH_EXCLUSION' as const },
      "Invalid parameter at 'imageTagMutabilityExclusionFilters' failed to satisfy constraint: 'ImageTagMutabilityExclusionFilters can't be null when imageTagMutability is set as MUTABLE_WITH_EXCLUSION'",
    ],
    ['an empty scenario list', { appliedFor: [] }, "Invalid parameter at 'appliedFor' failed to satisfy constraint: 'must have length greater than or equal to 1'"],
    ['a repository policy that is not JSON', { repositoryPolicy: '{' }, "Invalid parameter at 'repositoryPolicy' failed to satisfy constraint: 'Invalid repository policy provided'"],
  ])('refuses %s with InvalidParameterException and keeps the template it had', async (_label, input, message) => {
    const created = (await create()).repositoryCreationTemplate!;
    await expect(update(input)).rejects.toMatchObject({ name: 'InvalidParameterException', message });
    expect((await describeTemplates()).repositoryCreationTemplates).toEqual([created]);
  });

  it('refuses a request without a prefix with ValidationException', async () => {
    await expect(env.ecr.send(new UpdateRepositoryCreationTemplateCommand({} as never))).rejects.toMatchObject({
      name: 'ValidationException',
      message: "1 validation error detected: Value null at 'prefix' failed to satisfy constraint: Member must not be null",
    });
  });
});

describe('DeleteRepositoryCreationTemplate', () => {
  it('deletes the template and answers it as it was', async () => {
    const created = (await create({ description: 'cache' })).repositoryCreationTemplate!;
    const answer = await env.ecr.send(new DeleteRepositoryCreationTemplateCommand({ prefix: 'team/' }));
    expect(answer).toEqual(expect.objectContaining({ registryId: ACCOUNT, repositoryCreationTemplate: created }));
    expect((await describeTemplates()).repositoryCreationTemplates).toEqual([]);
  });

  it('refuses a template that does not exist, or no longer does, with TemplateNotFoundException', async () => {
    await create({ prefix: 'ROOT' });
    await env.ecr.send(new DeleteRepositoryCreationTemplateCommand({ prefix: 'ROOT' }));
    await expect(env.ecr.send(new DeleteRepositoryCreationTemplateCommand({ prefix: 'ROOT' }))).rejects.toMatchObject({
      name: 'TemplateNotFoundException',
      message: `The repository creation template with the prefix 'ROOT' does not exist in the registry with id '${ACCOUNT}'`,
    });
  });

  it('refuses to delete the template of another registry', async () => {
    await create();
    await expect(env.ecrClient({ accountId: OTHER_ACCOUNT }).send(new DeleteRepositoryCreationTemplateCommand({ prefix: 'team' }))).rejects.toMatchObject({
      name: 'TemplateNotFoundException',
    });
    expect((await describeTemplates()).repositoryCreationTemplates).toHaveLength(1);
  });

  it('refuses a request without a prefix with ValidationException', async () => {
    await expect(env.ecr.send(new DeleteRepositoryCreationTemplateCommand({} as never))).rejects.toMatchObject({ name: 'ValidationException' });
  });
});
