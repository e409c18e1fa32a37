// Blob reads and deletes: HEAD / GET (with Range) stream from the blob store, or from the upstream for a blob a
// pull-through manifest left pending; DELETE unlinks from the repository.
import type { ServerResponse } from 'node:http';
import { pipeline } from 'node:stream/promises';
import { parseRangeHeader } from '../http-range';
import { header, param, reply, replyStored, type RegistryHandler, type RegistryRequest } from '../registry-request';

function blobHeaders(digest: string): Record<string, string> {
  return {
    'Content-Type': 'application/octet-stream',
    'Docker-Content-Digest': digest,
    'Accept-Ranges': 'bytes',
    ETag: `"${digest}"`,
    'Cache-Control': 'max-age=31536000',
  };
}

/**
 * A blob still to come from the upstream: HEAD answers from the manifest's descriptor without downloading; a GET
 * streams the download while it is stored. Returns false when the caller is to serve the stored blob instead: a
 * Range request, or a GET that joined another's download (it waits for the store rather than fetch twice).
 */
async function servePending(request: RegistryRequest, response: ServerResponse, name: string, digest: string): Promise<boolean> {
  const { pendingBlobs } = request.services.pullThroughCache;
  const pending = pendingBlobs.find(request.scope, name, digest);
  if (pending === undefined) return false;
  if (request.isHead) {
    reply(response, 200, { ...blobHeaders(pending.digest), 'Content-Length': pending.sizeInBytes });
    return true;
  }
  const isRanged = header(request, 'range') !== undefined;
  const { stream, started, stored } = pendingBlobs.fetch(request.scope, name, digest, { isStreamed: !isRanged });
  if (stream === undefined || started === undefined) {
    await stored;
    return false;
  }
  // An upstream that refuses the blob is answered as an error (BLOB_UNKNOWN); once it answers, headers go out at once.
  await started;
  response.writeHead(200, { ...blobHeaders(pending.digest), 'Content-Length': pending.sizeInBytes });
  response.flushHeaders();
  // A failed download errors the stream after the headers went out: the router then cuts the connection short.
  await pipeline(stream, response);
  return true;
}

export const getBlob: RegistryHandler = async (request, response) => {
  const name = param(request, 'name');
  if (await servePending(request, response, name, param(request, 'digest'))) return;
  const blob = request.services.blobs.stat(request.scope, name, param(request, 'digest'));
  const range = parseRangeHeader(header(request, 'range'), blob.sizeInBytes);
  const headers = blobHeaders(blob.digest);
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
  await replyStored(request, response, 202, {});
};
