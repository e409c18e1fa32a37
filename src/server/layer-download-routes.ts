// GET (and HEAD) of the URLs GetDownloadUrlForLayer hands out: the blob's bytes, as S3 serves a presigned URL.
// Errors come as S3 words them (an XML Error document with AccessDenied / NoSuchKey), since the clients that
// follow these URLs are S3-minded.
import { pipeline } from 'node:stream/promises';
import { Router, type Request, type Response } from 'express';
import { LAYER_DOWNLOAD_PATH, type LayerDownloadUrls } from '../auth/layer-download-url';
import type { BlobService } from '../images/blob-service';
import type { Clock } from '../kernel/clock';
import { DomainError } from '../images/domain-error';
import type { Logger } from './logger';

function s3Error(response: Response, status: number, code: string, message: string): void {
  response
    .status(status)
    .type('application/xml')
    .send(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`);
}

export function layerDownloadRoutes(options: { urls: LayerDownloadUrls; blobs: BlobService; clock: Clock; logger: Logger }): Router {
  const router = Router();
  const serve = async (request: Request, response: Response): Promise<void> => {
    const token = request.path.slice(LAYER_DOWNLOAD_PATH.length);
    const check = options.urls.check(token, options.clock.now());
    if (!check.isValid) {
      s3Error(response, 403, 'AccessDenied', check.reason === 'expired' ? 'Request has expired' : 'Request signature does not match');
      return;
    }
    const { scope, repository, digest } = check.claim;
    let blob;
    try {
      blob = options.blobs.stat(scope, repository, digest);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      s3Error(response, 404, 'NoSuchKey', 'The specified key does not exist.');
      return;
    }
    response.status(200).set({ 'Content-Type': 'application/octet-stream', 'Content-Length': String(blob.sizeInBytes), ETag: `"${blob.digest}"` });
    if (request.method === 'HEAD') {
      response.end();
      return;
    }
    try {
      await pipeline(options.blobs.read(blob), response);
    } catch (error) {
      // The client went away, or the blob vanished mid-read: nothing more can be said on this response.
      options.logger.log('warn', 'layer download cut short', { digest, error: String(error) });
      response.destroy();
    }
  };
  router.get(`${LAYER_DOWNLOAD_PATH}*token`, serve);
  router.head(`${LAYER_DOWNLOAD_PATH}*token`, serve);
  return router;
}
