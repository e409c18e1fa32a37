// Requests with `Transfer-Encoding: chunked` bodies (no Content-Length), which fetch cannot be made to send for a
// body it holds whole: node's http client, writing the body in 64 KiB pieces.
import http from 'node:http';
import type { Socket } from 'node:net';

export interface ChunkedAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** The connection the answer came on: a test can tell whether the next request reused it. */
  socket: Socket;
}

/** Rejects when the connection fails before a whole answer arrived (a reset, a hang-up). */
export function sendChunked(url: string, init: { method: string; headers: Record<string, string>; agent?: http.Agent }, body: Buffer): Promise<ChunkedAnswer> {
  return new Promise((resolve, reject) => {
    const request = http.request(url, { method: init.method, agent: init.agent ?? new http.Agent(), headers: { ...init.headers, 'transfer-encoding': 'chunked' } });
    request.on('error', reject);
    request.on('response', (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('error', reject);
      response.on('end', () => resolve({ status: response.statusCode!, headers: response.headers, body: Buffer.concat(chunks).toString(), socket: request.socket! }));
    });
    for (let offset = 0; offset < body.length; offset += 64 * 1024) request.write(body.subarray(offset, offset + 64 * 1024));
    request.end();
  });
}
