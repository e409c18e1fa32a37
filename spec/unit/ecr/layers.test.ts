// UploadLayerPart hands the part the protocol layer decoded to the upload as it is: a part is up to 20 MiB, and
// each copy of it is that much more memory per request.
import type { Readable } from 'node:stream';
import type { EcrContext, EcrServices } from '../../../src/ecr/ecr-context';
import { layerHandlers } from '../../../src/ecr/layers';
import type { AppendRange, UploadService } from '../../../src/images/upload-service';

const PART_BYTES = 64 * 1024;

/** A context whose upload service records what UploadLayerPart appends. */
function recordingContext(appended: Uint8Array[], ranges: (AppendRange | undefined)[]): EcrContext {
  const uploads: Pick<UploadService, 'append'> = {
    async append(_scope, _repository, uploadId, source: Readable, range) {
      for await (const chunk of source) appended.push(chunk as Uint8Array);
      ranges.push(range);
      return { id: uploadId, sizeInBytes: PART_BYTES };
    },
  };
  return { scope: { accountId: '000000000000', region: 'us-east-1' }, services: { uploads } as unknown as EcrServices };
}

it.each([
  ['a Buffer', () => Buffer.alloc(PART_BYTES, 7)],
  ['a Uint8Array view into a larger buffer', () => new Uint8Array(new ArrayBuffer(PART_BYTES * 2), PART_BYTES, PART_BYTES)],
])('appends the part given as %s without copying it', async (_case, makePart) => {
  const part = makePart();
  const appended: Uint8Array[] = [];
  const ranges: (AppendRange | undefined)[] = [];
  const input = { repositoryName: 'app', uploadId: 'u1', partFirstByte: 0, partLastByte: PART_BYTES - 1, layerPartBlob: part };
  await layerHandlers.UploadLayerPart!(input, recordingContext(appended, ranges));
  expect(appended).toHaveLength(1);
  expect(appended[0]!.buffer).toBe(part.buffer);
  expect([appended[0]!.byteOffset, appended[0]!.byteLength]).toEqual([part.byteOffset, PART_BYTES]);
  expect(ranges).toEqual([{ startOffset: 0 }]);
});
