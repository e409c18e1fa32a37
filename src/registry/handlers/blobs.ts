// Blob reads and deletes: HEAD / GET (with Range) stream from the blob store, DELETE unlinks from the repository.
import { pipeline } from 'node:stream/promises';
import { parseRangeHeader } from '../http-range';
import { header, param, reply, type RegistryHandler } from '../registry-request';

export const getBlob: RegistryHandler = async (request, response) => {
  const blob = request.services.blobs.stat(request.scope, param(request, 'name'), param(request, 'digest'));
  const range = parseRangeHeader(header(request, 'range'), blob.sizeInBytes);
  const headers = {
    'Content-Type': 'application/octet-stream',
    'Docker-Content-Digest': blob.digest,
    'Accept-Ranges': 'bytes',
    ETag: `"${blob.digest}"`,
    'Cache-Control': 'max-age=31536000',
  };
  if (request.isHead) {
    reply(response, 200, { ...headers, 'Content-Length': blob.sizeInBytes });
    return;
  }
  const source = request.services.blobs.read(blob, range);
  if (range === undefined) {
    response.writeHead(200, { ...headers, 'Content-Length': blob.sizeInBytes });
  } else {
    response.writeHead(206, { ...headers, 'Content-Length': range.end - range.start + 1, 'Content-Range': `bytes ${range.start}-${range.end}/${blob.sizeInBytes}` });
  }
  await pipeline(source, response);
};

export const deleteBlob: RegistryHandler = async (request, response) => {
  await request.services.blobs.unlink(request.scope, param(request, 'name'), param(request, 'digest'));
  reply(response, 202, {});
};
