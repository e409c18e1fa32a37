// Tags on repositories: TagResource, UntagResource, ListTagsForResource, and the tag rules CreateRepository shares
// (AWS's tag restrictions: key 1-128 and value 0-256 characters of letters, digits, spaces and _.:/=+-@, no `aws:`
// prefix, unique keys, at most 50 tags on a repository).
import { AwsError, invalidParameter } from '../../aws/aws-error';
import type { Tag } from '../../aws/ecr-types.generated';
import { linearRegExp } from '../../aws/linear-reg-exp';
import { lazy } from '../../kernel/lazy';
import { shapeNamed } from '../../aws/model';
import { anchoredPattern } from '../../aws/shape-schema';
import type { RepositoryTag } from '../../store/repository-store';
import type { Scope } from '../../kernel/scope';
import type { EcrContext, OperationHandlers } from '../ecr-context';

export const MAX_TAGS_PER_REPOSITORY = 50;
const MAX_KEY_LENGTH = 128;
const MAX_VALUE_LENGTH = 256;
const TAG_CHARACTERS = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u;
const REPOSITORY_ARN = /^arn:aws(?:-[a-z]+)*:ecr:([a-z0-9-]+):(\d{12}):repository\/(.+)$/;

function invalidTag(message: string): AwsError {
  return new AwsError('InvalidTagParameterException', message);
}

/** Lengths count characters, not UTF-16 units, as AWS's limits do. */
function characterCount(text: string): number {
  return [...text].length;
}

export function checkTagKey(key: string): void {
  if (characterCount(key) < 1 || characterCount(key) > MAX_KEY_LENGTH) {
    throw invalidTag(`The tag key '${key}' is invalid: tag keys must be 1 to ${MAX_KEY_LENGTH} characters long`);
  }
  if (!TAG_CHARACTERS.test(key)) {
    throw invalidTag(`The tag key '${key}' is invalid: tag keys may contain only letters, digits, spaces and _ . : / = + - @`);
  }
  // AWS reserves the prefix for its own tags, which users can neither set nor remove.
  if (key.toLowerCase().startsWith('aws:')) throw invalidTag(`The tag key '${key}' is invalid: the aws: prefix is reserved for AWS use`);
}

function checkTagValue(key: string, value: string): void {
  if (characterCount(value) > MAX_VALUE_LENGTH) {
    throw invalidTag(`The value of tag '${key}' is invalid: tag values can be at most ${MAX_VALUE_LENGTH} characters long`);
  }
  if (!TAG_CHARACTERS.test(value)) {
    throw invalidTag(`The value of tag '${key}' is invalid: tag values may contain only letters, digits, spaces and _ . : / = + - @`);
  }
}

/** Checks every tag of one request; throws InvalidTagParameterException, TooManyTagsException past the limit. */
export function checkTags(tags: readonly Tag[]): void {
  const keys = new Set<string>();
  for (const { Key, Value } of tags) {
    checkTagKey(Key);
    checkTagValue(Key, Value);
    if (keys.has(Key)) throw invalidTag(`The tag key '${Key}' is given more than once: tag keys must be unique`);
    keys.add(Key);
  }
  if (tags.length > MAX_TAGS_PER_REPOSITORY) {
    throw new AwsError('TooManyTagsException', `${tags.length} tags were given; a repository can have at most ${MAX_TAGS_PER_REPOSITORY} tags`);
  }
}

/** `current` with `added` applied: existing keys take the new value in place, new keys go last. */
function mergedTags(current: readonly RepositoryTag[], added: readonly Tag[], name: string, scope: Scope): RepositoryTag[] {
  const merged = new Map(current.map((tag) => [tag.Key, tag.Value]));
  for (const tag of added) merged.set(tag.Key, tag.Value);
  if (merged.size > MAX_TAGS_PER_REPOSITORY) {
    throw new AwsError(
      'TooManyTagsException',
      `The repository with name '${name}' in the registry with id '${scope.accountId}' would have ${merged.size} tags; a repository can have at most ${MAX_TAGS_PER_REPOSITORY} tags`,
    );
  }
  return [...merged].map(([Key, Value]) => ({ Key, Value }));
}

const REPOSITORY_NAME = shapeNamed('RepositoryName');
// The model's pattern, on the same linear-time engine the validator uses: the ARN is the caller's text. Compiled on
// first use: nothing is compiled at import.
const repositoryNamePattern = lazy(() => linearRegExp(anchoredPattern(REPOSITORY_NAME.pattern ?? '.*'), ''));

function isRepositoryName(name: string): boolean {
  return name.length >= (REPOSITORY_NAME.min ?? 0) && name.length <= (REPOSITORY_NAME.max ?? Infinity) && repositoryNamePattern().test(name);
}

/** The repository a `resourceArn` names, in the account it names; ECR tags repositories only. */
function repositoryOfArn(arn: string, context: EcrContext): { scope: Scope; name: string } {
  const match = REPOSITORY_ARN.exec(arn);
  if (match === null || !isRepositoryName(match[3]!)) {
    throw invalidParameter("Invalid parameter at 'resourceArn' failed to satisfy constraint: 'Invalid ARN'");
  }
  const region = match[1]!;
  const accountId = match[2]!;
  const name = match[3]!;
  if (region !== context.scope.region) {
    throw invalidParameter(`Invalid parameter at 'resourceArn' failed to satisfy constraint: 'The ARN names region ${region}, but the request was made to ${context.scope.region}'`);
  }
  return { scope: { accountId, region }, name };
}

export const resourceTagHandlers: OperationHandlers = {
  TagResource(input, context) {
    const { scope, name } = repositoryOfArn(input.resourceArn, context);
    checkTags(input.tags);
    context.services.repositories.update(scope, name, (record) => ({ ...record, tags: mergedTags(record.tags, input.tags, name, scope) }));
    return {};
  },
  UntagResource(input, context) {
    const { scope, name } = repositoryOfArn(input.resourceArn, context);
    input.tagKeys.forEach(checkTagKey);
    const removed = new Set(input.tagKeys);
    context.services.repositories.update(scope, name, (record) => ({ ...record, tags: record.tags.filter((tag) => !removed.has(tag.Key)) }));
    return {};
  },
  ListTagsForResource(input, context) {
    const { scope, name } = repositoryOfArn(input.resourceArn, context);
    return { tags: context.services.repositories.get(scope, name).tags };
  },
};
