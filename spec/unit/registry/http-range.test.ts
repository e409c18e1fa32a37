// Range on blob GET and Content-Range on upload PATCH: what is served, what is ignored, what is refused.
import { chunkRange, parseRangeHeader } from '../../../src/registry/http-range';
import { OciError } from '../../../src/registry/oci-errors';

function codeOf(work: () => unknown): string {
  try {
    work();
    return 'returned';
  } catch (error) {
    return error instanceof OciError ? error.code : String(error);
  }
}

describe('parseRangeHeader', () => {
  it.each([
    ['bytes=2-5', { start: 2, end: 5 }],
    ['bytes=7-', { start: 7, end: 9 }],
    ['bytes=-3', { start: 7, end: 9 }],
    ['bytes=8-100', { start: 8, end: 9 }],
    ['Bytes=0-0', { start: 0, end: 0 }],
  ])('serves %s of a 10-byte blob as %j', (header, range) => {
    expect(parseRangeHeader(header, 10)).toEqual(range);
  });

  it.each([[undefined], ['items=0-5'], ['pages=1-2'], ['bytes0-5'], ['bytes=0-1,4-5']])('answers the whole blob for %s', (header) => {
    expect(parseRangeHeader(header, 10)).toBeUndefined();
  });

  it.each(['bytes=10-', 'bytes=5-2', 'bytes=-0', 'bytes=-', 'bytes=abc'])('refuses %s with RANGE_INVALID', (header) => {
    expect(codeOf(() => parseRangeHeader(header, 10))).toBe('RANGE_INVALID');
  });
});

describe('chunkRange', () => {
  it.each([
    ['0-5', '6', { startOffset: 0, sizeInBytes: 6 }],
    ['bytes=6-10', undefined, { startOffset: 6, sizeInBytes: 5 }],
    ['bytes 6-10/*', '5', { startOffset: 6, sizeInBytes: 5 }],
  ])('reads Content-Range %s with Content-Length %s as %j', (contentRange, contentLength, range) => {
    expect(chunkRange(contentRange, contentLength)).toEqual(range);
  });

  it('is undefined without Content-Range', () => {
    expect(chunkRange(undefined, '12')).toBeUndefined();
  });

  it.each([
    ['a malformed range', 'five-ten', '6'],
    ['an end before the start', '5-2', undefined],
    ['a Content-Length longer than the range', '0-5', '7'],
    ['a Content-Length shorter than the range', '0-5', '5'],
    ['an empty body for a one-byte range', '0-0', '0'],
  ])('refuses %s with RANGE_INVALID', (_case, contentRange, contentLength) => {
    expect(codeOf(() => chunkRange(contentRange, contentLength))).toBe('RANGE_INVALID');
  });
});
