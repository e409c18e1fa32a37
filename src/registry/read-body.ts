// Reads a small request body (a manifest) into memory, refusing more than a cap before buffering it.
// A refused body is never destroyed: the client gets its answer on a connection that stays usable.
import type { IncomingMessage } from 'node:http';
import { DomainError } from '../images/domain-error';

function tooLarge(limitInBytes: number): DomainError {
  return new DomainError('ManifestTooLarge', `manifest too large: the limit is ${limitInBytes} bytes`);
}

function aborted(): Error {
  return Object.assign(new Error('request aborted before its body ended'), { code: 'ECONNRESET' });
}

/**
 * Throws DomainError ManifestTooLarge past `limitInBytes` (declared or received). A declared excess is refused
 * before reading: node discards an unread body once the response ends. A received excess (chunked, no
 * Content-Length) stops the buffering and leaves the rest flowing to nowhere; destroying the request instead, as
 * leaving a `for await` loop does, would cut the connection before the client reads the 413.
 * Rejects with an ECONNRESET error when the client goes away first.
 */
export function readBody(request: IncomingMessage, limitInBytes: number): Promise<Buffer> {
  const declared = Number(request.headers['content-length'] ?? '0');
  if (declared > limitInBytes) return Promise.reject(tooLarge(limitInBytes));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    const stop = (): void => {
      request.off('data', onData);
      request.off('end', onEnd);
      request.off('error', onError);
      request.off('close', onClose);
    };
    function onData(chunk: Buffer): void {
      received += chunk.length;
      if (received <= limitInBytes) {
        chunks.push(chunk);
        return;
      }
      stop();
      chunks.length = 0;
      // Node's server dumps only a body nobody has started reading; this one is read on, and dropped.
      request.resume();
      reject(tooLarge(limitInBytes));
    }
    function onEnd(): void {
      stop();
      resolve(Buffer.concat(chunks, received));
    }
    function onError(error: Error): void {
      stop();
      reject(error);
    }
    function onClose(): void {
      stop();
      reject(aborted());
    }
    request.on('data', onData);
    request.on('end', onEnd);
    request.on('error', onError);
    request.on('close', onClose);
  });
}
