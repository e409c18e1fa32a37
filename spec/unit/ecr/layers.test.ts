// UploadLayerPart decodes its base64 part a slice at a time into the upload and declares the part's length, so the
// upload refuses a part whose bytes do not fill its range; a part is up to 20 MiB, never held decoded whole.
import { randomBytes } from 'node:crypto';
import type { Readable } from 'node:stream';
import { AwsError } from '../../../src/aws/aws-error';
import type { EcrContext, EcrServices } from '../../../src/ecr/ecr-context';
import { decodedLength, decodedSlices } from '../../../src/ecr/layers/layer-part';
import { layerHandlers } from '../../../src/ecr/layers/layers';
import type { AppendRange, UploadService } from '../../../src/images/upload-service';
import { accountRoot } from '../../../src/auth/principal';

/** A context whose upload service records what UploadLayerPart appends. */
function recordingContext(appended: Buffer[], ranges: (AppendRange | undefined)[]): EcrContext {
  const uploads: Pick<UploadService, 'append'> = {
    async append(_scope, _repository, uploadId, source: Readable, range) {
      for await (const chunk of source) appended.push(chunk as Buffer);
      ranges.push(range);
      return { id: uploadId, sizeInBytes: 0 };
    },
  };
  return { scope: { accountId: '000000000000', region: 'us-east-1' }, principal: accountRoot('000000000000'), access: { decide: () => ({ isAllowed: true }), allows: () => true }, requestContext: {}, services: { uploads } as unknown as EcrServices };
}

describe('UploadLayerPart', () => {
  it('appends the decoded part in slices of at most 768 KiB, declaring its range', async () => {
    const part = randomBytes(3 * 1024 * 1024 + 5);
    const appended: Buffer[] = [];
    const ranges: (AppendRange | undefined)[] = [];
    const input = { repositoryName: 'app', uploadId: 'u1', partFirstByte: 10, partLastByte: 10 + part.length - 1, layerPartBlob: part.toString('base64') };
    await layerHandlers.UploadLayerPart!(input, recordingContext(appended, ranges));
    expect(Buffer.concat(appended).equals(part)).toBe(true);
    expect(appended.length).toBeGreaterThan(4);
    expect(Math.max(...appended.map((slice) => slice.length))).toBeLessThanOrEqual(768 * 1024);
    expect(ranges).toEqual([{ startOffset: 10, sizeInBytes: part.length }]);
  });

  it('refuses a range that does not span the part with InvalidLayerPartException before appending', async () => {
    const appended: Buffer[] = [];
    const input = { repositoryName: 'app', uploadId: 'u1', partFirstByte: 0, partLastByte: 9, layerPartBlob: Buffer.alloc(4).toString('base64') };
    await expect(layerHandlers.UploadLayerPart!(input, recordingContext(appended, []))).rejects.toMatchObject({ type: 'InvalidLayerPartException' });
    expect(appended).toEqual([]);
  });
});

describe('layer part base64', () => {
  it.each([
    ['', 0],
    ['AAAA', 3],
    ['AAA=', 2],
    ['AA==', 1],
    [Buffer.alloc(1000, 1).toString('base64'), 1000],
  ])('counts %p as %d bytes', (text, bytes) => {
    expect(decodedLength(text)).toBe(bytes);
  });

  it.each(['A', 'AAAAA', 'A===', 'AA=A'])('refuses %p with SerializationException', (text) => {
    expect(() => decodedLength(text)).toThrow(AwsError);
    expect(() => decodedLength(text)).toThrow('Base64 encoded value of layerPartBlob is not valid.');
  });

  it('decodes each slice on its own to the bytes of the whole', () => {
    const bytes = randomBytes(2 * 1024 * 1024 + 1);
    expect(Buffer.concat([...decodedSlices(bytes.toString('base64'))]).equals(bytes)).toBe(true);
  });
});
