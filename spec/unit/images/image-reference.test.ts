// A manifest reference is a tag (OCI grammar [a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}) or a sha256 digest.
import { DomainError } from '../../../src/images/domain-error';
import { parseImageReference, parseTag } from '../../../src/images/image-reference';
import { thrownBy } from '../../helpers/rejection';

const SHA256 = `sha256:${'0123456789abcdef'.repeat(4)}`;
const TAG_RULE = 'tags match [a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}';

const domainErrorOf = (work: () => unknown): DomainError => thrownBy(DomainError, work);

const VALID_TAGS: [string, string][] = [
  ['a word', 'latest'],
  ['one letter', 'A'],
  ['one digit', '1'],
  ['one underscore', '_'],
  ['a leading underscore', '_build'],
  ['dots, dashes and underscores after the first character', 'v1.2.3-rc_1'],
  ['consecutive dots', 'a..b'],
  ['a trailing dash', 'x-'],
  ['128 characters', `a${'b'.repeat(127)}`],
];

const INVALID_TAGS: [string, string][] = [
  ['the empty string', ''],
  ['a leading dot', '.hidden'],
  ['a leading dash', '-x'],
  ['129 characters', `a${'b'.repeat(128)}`],
  ['a slash', 'a/b'],
  ['a space', 'a b'],
  ['a plus', 'a+b'],
  ['a non-ASCII letter', 'café'],
  ['a trailing newline', 'latest\n'],
  ['an @', 'a@b'],
];

describe('parseTag', () => {
  test.each(VALID_TAGS)('accepts %s', (_case, tag) => {
    expect(parseTag(tag)).toBe(tag);
  });

  test.each(INVALID_TAGS)('refuses %s with ReferenceInvalid', (_case, tag) => {
    const error = domainErrorOf(() => parseTag(tag));
    expect(error.kind).toBe('ReferenceInvalid');
    expect(error.message).toBe(`invalid tag '${tag}': ${TAG_RULE}`);
    expect(error.detail).toEqual({ tag });
  });
});

describe('parseImageReference', () => {
  test.each(VALID_TAGS)('reads %s as a tag', (_case, tag) => {
    expect(parseImageReference(tag)).toEqual({ kind: 'tag', tag });
  });

  test('reads a canonical sha256 digest as a digest', () => {
    expect(parseImageReference(SHA256)).toEqual({ kind: 'digest', digest: SHA256 });
  });

  test.each(INVALID_TAGS)('refuses %s, which has no colon, as a tag with ReferenceInvalid', (_case, text) => {
    expect(domainErrorOf(() => parseImageReference(text)).kind).toBe('ReferenceInvalid');
  });

  test.each([
    ['a tag-like text with a colon', 'repo:latest:x'],
    ['an empty algorithm', `:${'a'.repeat(64)}`],
    ['an empty encoded part', 'sha256:'],
    ['an uppercase algorithm', `SHA256:${'a'.repeat(64)}`],
  ])('refuses %s, which is no digest, with DigestInvalid naming it', (_case, text) => {
    const error = domainErrorOf(() => parseImageReference(text));
    expect(error.kind).toBe('DigestInvalid');
    expect(error.message).toBe(`invalid digest '${text}'`);
    expect(error.detail).toEqual({ digest: text });
  });

  test.each([
    ['a sha512 digest', `sha512:${'ab'.repeat(64)}`],
    ['a sha256 digest in uppercase hex', SHA256.toUpperCase().replace('SHA256', 'sha256')],
    ['a sha256 digest one hex digit short', SHA256.slice(0, -1)],
  ])('refuses %s, well-formed but not canonical sha256, with DigestInvalid', (_case, text) => {
    const error = domainErrorOf(() => parseImageReference(text));
    expect(error.kind).toBe('DigestInvalid');
    expect(error.detail).toEqual({ digest: text });
  });
});
