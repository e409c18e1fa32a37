// A layer part's bytes from the base64 text UploadLayerPart carries, decoded a slice at a time as the upload stream
// reads them. A part is up to 20 MiB: decoding it whole would keep a 20 MiB buffer beside its 27 MiB of text, and
// glibc holds such freed buffers long after the request (bench/layer-part-memory.mjs measures it).
import { AwsError } from '../../aws/aws-error';

// A multiple of 4 characters, so every slice decodes on its own; 1 MiB of text is 768 KiB of bytes.
const SLICE_CHARACTERS = 1024 * 1024;
// The last group of four: padding only at its end.
const LAST_GROUP = /^[A-Za-z0-9+/]{2}(?:[A-Za-z0-9+/]{2}|[A-Za-z0-9+/]=|==)$/;

/** The decoded length of canonical base64 text. Throws SerializationException for text of another length. */
export function decodedLength(base64: string): number {
  if (base64.length % 4 !== 0 || (base64.length > 0 && !LAST_GROUP.test(base64.slice(-4)))) {
    throw new AwsError('SerializationException', 'Base64 encoded value of layerPartBlob is not valid.');
  }
  const padding = base64.endsWith('==') ? 2 : base64.endsWith('=') ? 1 : 0;
  return (base64.length / 4) * 3 - padding;
}

/**
 * The bytes, slice by slice. Characters outside the base64 alphabet decode to fewer bytes than decodedLength()
 * promised, which the upload's range check refuses.
 */
export function* decodedSlices(base64: string): Generator<Buffer> {
  for (let start = 0; start < base64.length; start += SLICE_CHARACTERS) {
    yield Buffer.from(base64.slice(start, start + SLICE_CHARACTERS), 'base64');
  }
}
