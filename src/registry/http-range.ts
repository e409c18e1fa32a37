// Byte ranges on the data plane: `Range` on blob GET (RFC 9110, one range) and `Content-Range` on upload PATCH.
import type { AppendRange } from '../images/upload-service';
import type { ByteRange } from '../store/blob-store';
import { OciError } from './oci-errors';

/**
 * The range a blob GET asks for, clamped to the blob; undefined for the whole blob (no header, another unit,
 * or several ranges, which a server may answer with the whole representation). Throws RANGE_INVALID (416).
 */
export function parseRangeHeader(header: string | undefined, sizeInBytes: number): ByteRange | undefined {
  if (header === undefined) return undefined;
  const text = header.trim();
  // RFC 9110 §14.2: a Range in a unit the server does not understand is ignored; §14.1: unit names are case-insensitive.
  if (!/^bytes=/i.test(text)) return undefined;
  const match = /^bytes=\s*(\d*)\s*-\s*(\d*)\s*$/i.exec(text);
  if (match === null) {
    if (text.includes(',')) return undefined;
    throw unsatisfiable(header, sizeInBytes);
  }
  const [, first, last] = match;
  let range: ByteRange;
  if (first === '' && last !== '') {
    const suffix = Number(last);
    if (suffix === 0) throw unsatisfiable(header, sizeInBytes);
    range = { start: Math.max(0, sizeInBytes - suffix), end: sizeInBytes - 1 };
  } else if (first !== '') {
    range = { start: Number(first), end: last === '' ? sizeInBytes - 1 : Math.min(Number(last), sizeInBytes - 1) };
    if (last !== '' && Number(last) < Number(first)) throw unsatisfiable(header, sizeInBytes);
  } else {
    throw unsatisfiable(header, sizeInBytes);
  }
  if (range.start >= sizeInBytes || range.end < range.start) throw unsatisfiable(header, sizeInBytes);
  return range;
}

function unsatisfiable(header: string, sizeInBytes: number): OciError {
  return new OciError('RANGE_INVALID', `requested range not satisfiable: '${header}'`, { size: sizeInBytes }, { 'Content-Range': `bytes */${sizeInBytes}` });
}

/**
 * The chunk a PATCH declares with `Content-Range: <start>-<end>` (inclusive), or undefined without the header.
 * Throws RANGE_INVALID for a malformed range and for a Content-Length that disagrees with it, before any byte is
 * read; a chunked body is counted against the range as it streams (upload-service.ts).
 */
export function chunkRange(contentRange: string | undefined, contentLength: string | undefined): AppendRange | undefined {
  if (contentRange === undefined) return undefined;
  const match = /^(?:bytes[ =])?(\d+)-(\d+)(?:\/(?:\d+|\*))?$/.exec(contentRange.trim());
  if (match === null || Number(match[2]) < Number(match[1])) {
    throw new OciError('RANGE_INVALID', `invalid content range: '${contentRange}'`);
  }
  const range = { startOffset: Number(match[1]), sizeInBytes: Number(match[2]) - Number(match[1]) + 1 };
  if (contentLength !== undefined && Number(contentLength) !== range.sizeInBytes) {
    throw new OciError('RANGE_INVALID', `Content-Range '${contentRange}' spans ${range.sizeInBytes} bytes but Content-Length is ${contentLength}`, {
      contentRange,
      contentLength,
    });
  }
  return range;
}
