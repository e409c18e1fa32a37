// Digest grammar (OCI image spec, descriptor.md), the sha256-only rule of the registry, and hashing exact bytes.
import { hexOf, isDigest, sha256Of, type Sha256Digest } from '../../../src/kernel/digest';
import { parseSha256Digest } from '../../../src/images/image-reference';
import { DomainError } from '../../../src/images/domain-error';
import { thrownBy } from '../../helpers/rejection';

const HEX = '0123456789abcdef'.repeat(4);
const SHA256 = `sha256:${HEX}`;

const domainErrorOf = (work: () => unknown): DomainError => thrownBy(DomainError, work);

describe('isDigest', () => {
  test.each([
    ['a canonical sha256 digest', SHA256],
    ['a sha512 digest', `sha512:${'ab'.repeat(64)}`],
    ['an algorithm with a + separator', 'multihash+base58:QmRZxt2b1FVZPNqd8hsiykDL3TdBDeTSPX9Kv46HmX4Gx8'],
    ['an algorithm with . _ - separators', 'sha256.b_c-d:abc'],
    ['an encoded part with uppercase letters, = _ and -', 'sha256+b64u:LCa0a2j_xo_5m0U8HTBBNBNCLXBkg7-g-YpeiGJm564='],
    ['a one-character algorithm and encoded part', 'a:b'],
  ])('accepts %s', (_case, text) => {
    expect(isDigest(text)).toBe(true);
  });

  test.each([
    ['the empty string', ''],
    ['text without a colon', 'sha256'],
    ['an empty algorithm', `:${HEX}`],
    ['an empty encoded part', 'sha256:'],
    ['an uppercase algorithm', `SHA256:${HEX}`],
    ['an algorithm starting with a separator', `+sha256:${HEX}`],
    ['an algorithm ending with a separator', `sha256+:${HEX}`],
    ['an algorithm with two separators in a row', `sha..256:${HEX}`],
    ['a second colon', `sha256:${HEX}:x`],
    ['a + in the encoded part', 'sha256:abc+def'],
    ['a / in the encoded part', 'sha256:abc/def'],
    ['a space', 'sha256: abc'],
    ['a trailing newline', `${SHA256}\n`],
  ])('refuses %s', (_case, text) => {
    expect(isDigest(text)).toBe(false);
  });
});

describe('parseSha256Digest', () => {
  test('returns a canonical sha256 digest unchanged', () => {
    expect(parseSha256Digest(SHA256)).toBe(SHA256);
  });

  test.each([
    ['sha512', `sha512:${'ab'.repeat(64)}`],
    ['a digest of an unknown algorithm', 'multihash+base58:QmRZxt2b1FVZPNqd8hsiykDL3TdBDeTSPX9Kv46HmX4Gx8'],
  ])('refuses %s with DigestInvalid, as an unsupported algorithm', (_case, text) => {
    const error = domainErrorOf(() => parseSha256Digest(text));
    expect(error.kind).toBe('DigestInvalid');
    expect(error.message).toBe(`provided digest did not match uploaded content: unsupported digest algorithm '${text}'`);
    expect(error.detail).toEqual({ digest: text });
  });

  test.each([
    ['text without a colon', 'latest'],
    ['an empty encoded part', 'sha256:'],
    ['an uppercase algorithm', `SHA256:${HEX}`],
    ['a trailing newline', `${SHA256}\n`],
  ])('refuses %s with DigestInvalid, as an invalid digest', (_case, text) => {
    const error = domainErrorOf(() => parseSha256Digest(text));
    expect(error.kind).toBe('DigestInvalid');
    expect(error.message).toBe(`provided digest did not match uploaded content: invalid digest '${text}'`);
    expect(error.detail).toEqual({ digest: text });
  });

  test.each([
    ['uppercase hex', `sha256:${HEX.toUpperCase()}`],
    ['63 hex digits', `sha256:${HEX.slice(1)}`],
    ['65 hex digits', `sha256:${HEX}0`],
    ['a non-hex letter', `sha256:${HEX.slice(1)}g`],
  ])('refuses a sha256 digest with %s with DigestInvalid', (_case, text) => {
    expect(domainErrorOf(() => parseSha256Digest(text)).kind).toBe('DigestInvalid');
  });

  // The algorithm is sha256, which is supported: the encoded part is what is wrong.
  test.each([
    ['uppercase hex', `sha256:${HEX.toUpperCase()}`],
    ['63 hex digits', `sha256:${HEX.slice(1)}`],
  ])('words a sha256 digest with %s as an invalid digest, not an unsupported algorithm', (_case, text) => {
    expect(domainErrorOf(() => parseSha256Digest(text)).message).toBe(`provided digest did not match uploaded content: invalid digest '${text}'`);
  });
});

describe('sha256Of', () => {
  test.each([
    ['no bytes', '', 'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
    ['"abc"', 'abc', 'sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
  ])('hashes %s to its known digest', (_case, text, digest) => {
    expect(sha256Of(Buffer.from(text))).toBe(digest);
  });

  test('hashes only the bytes of a view, not the rest of its buffer', () => {
    const whole = Buffer.from('xxabcxx');
    expect(sha256Of(new Uint8Array(whole.buffer, whole.byteOffset + 2, 3))).toBe(sha256Of(Buffer.from('abc')));
  });

  test('produces a digest parseSha256Digest accepts', () => {
    const digest = sha256Of(Buffer.from('layer'));
    expect(parseSha256Digest(digest)).toBe(digest);
  });
});

describe('hexOf', () => {
  test('returns the 64 hex digits after the algorithm', () => {
    expect(hexOf(SHA256 as Sha256Digest)).toBe(HEX);
  });
});
