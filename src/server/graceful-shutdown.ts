// Stopping an HTTP(S) server without cutting requests off: no new connections, idle keep-alive connections closed
// at once, in-flight requests finished and then their connections closed. Knows nothing about what the server serves.
import type { Server as HttpServer, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Server as HttpsServer } from 'node:https';

export interface GracefulShutdown {
  /** Resolves once every connection is closed. Idempotent: later calls get the same promise. */
  close(): Promise<void>;
}

/** Call right after creating the server, before it listens, so every request is tracked. */
export function createGracefulShutdown(server: HttpServer | HttpsServer): GracefulShutdown {
  // The connection of each response, taken when the request arrives: node detaches it from the response on 'finish'.
  const inFlight = new Map<ServerResponse, Socket>();
  let isStopping = false;
  let closed: Promise<void> | undefined;

  // Node's server.close() waits for keep-alive connections forever once their request is done (Node 20 only
  // closes connections that are idle at the moment of the call), so each connection in use is told to close.
  const closeAfter = (response: ServerResponse, socket: Socket): void => {
    if (!response.headersSent) response.setHeader('connection', 'close');
    else if (response.writableFinished) socket.end();
    else response.once('finish', () => socket.end());
  };

  // prependListener: runs before the app, which may answer synchronously.
  server.prependListener('request', (request, response: ServerResponse) => {
    if (isStopping) closeAfter(response, request.socket);
    inFlight.set(response, request.socket);
    response.once('close', () => inFlight.delete(response));
  });

  return {
    close() {
      closed ??= new Promise<void>((resolve, reject) => {
        isStopping = true;
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
        for (const [response, socket] of inFlight) closeAfter(response, socket);
      });
      return closed;
    },
  };
}
