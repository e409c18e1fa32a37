// The JSON 1.1 request body: objects only, and never a shape that is slow to parse.
import { AwsError } from '../../../src/aws/aws-error';
import { MAX_JSON_DEPTH, nestsDeeperThan, parseRequestBody } from '../../../src/aws/json-protocol';

describe('nestsDeeperThan', () => {
  it.each([
    ['{}', 1, false],
    ['{"a":[{}]}', 3, false],
    ['{"a":[{}]}', 2, true],
    ['{"a":"[[[[[["}', 1, false],
    ['{"a":"\\\\"}', 1, false],
    ['{"a":"\\"[[["}', 1, false],
    ['{"a":"\\\\\\"[[[["}', 1, false],
    ['[[1],[2],[3]]', 2, false],
  ])('%s deeper than %d: %s', (text, limit, expected) => {
    expect(nestsDeeperThan(text, limit)).toBe(expected);
  });
});

describe('parseRequestBody', () => {
  it('refuses a body nested past the limit with SerializationException, without parsing it', () => {
    const depth = 2_000_000;
    const text = `{"repositoryName":"app","x":${'['.repeat(depth)}${']'.repeat(depth)}}`;
    const started = process.hrtime.bigint();
    expect(() => parseRequestBody(text)).toThrow(new AwsError('SerializationException', `Request body nests deeper than ${MAX_JSON_DEPTH} levels.`));
    // JSON.parse alone needs about a second for this body; the depth check stops at the limit.
    expect(Number(process.hrtime.bigint() - started) / 1e6).toBeLessThan(250);
  });

  it('parses a body at the limit', () => {
    const text = `{"x":${'['.repeat(MAX_JSON_DEPTH - 1)}${']'.repeat(MAX_JSON_DEPTH - 1)}}`;
    expect(parseRequestBody(text)).toHaveProperty('x');
  });

  it('parses a long string member quickly, as a layer part carries', () => {
    const blob = Buffer.alloc(20 * 1024 * 1024, 7).toString('base64');
    expect(parseRequestBody(`{"layerPartBlob":"${blob}"}`).layerPartBlob).toHaveLength(blob.length);
  });
});
