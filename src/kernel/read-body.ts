// Reads a small request body into memory, refusing more than a cap before buffering it: what both planes read whole
// (a manifest, a control-plane call). A refused body is never destroyed: the client gets its answer on a connection
// that stays usable.
import type { IncomingMessage } from 'node:http';

function aborted(): Error {
  return Object.assign(new Error('request aborted before its body ended'), { code: 'ECONNRESET' });
}

/**
 * Rejects with `tooLarge()` past `limitInBytes` (declared or received). A declared excess is refused
 * before reading: node discards an unread body once the response ends. A received excess (chunked, no
 * Content-Length) stops the buffering and leaves the rest flowing to nowhere; destroying the request instead, as
 * leaving a `for await` loop does, would cut the connection before the client reads the 413.
 * Rejects with an ECONNRESET error when the client goes away first.
 */
export function readBodyUpTo(request: IncomingMessage, limitInBytes: number, tooLarge: () => Error): Promise<Buffer> {
  const declared = Number(request.headers['content-length'] ?? '0');
  if (declared > limitInBytes) return Promise.reject(tooLarge());
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
      reject(tooLarge());
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
