// Reads a small request body (a manifest) into memory, refusing more than a cap before buffering it.
import type { IncomingMessage } from 'node:http';
import { DomainError } from '../images/domain-error';

function tooLarge(limitInBytes: number): DomainError {
  return new DomainError('ManifestTooLarge', `manifest too large: the limit is ${limitInBytes} bytes`);
}

/** Throws DomainError ManifestTooLarge past `limitInBytes` (declared or received). */
export async function readBody(request: IncomingMessage, limitInBytes: number): Promise<Buffer> {
  const declared = Number(request.headers['content-length'] ?? '0');
  if (declared > limitInBytes) throw tooLarge(limitInBytes);
  const chunks: Buffer[] = [];
  let received = 0;
  for await (const chunk of request) {
    const buffer = chunk as Buffer;
    received += buffer.length;
    if (received > limitInBytes) throw tooLarge(limitInBytes);
    chunks.push(buffer);
  }
  return Buffer.concat(chunks, received);
}
