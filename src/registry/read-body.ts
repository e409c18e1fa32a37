// Reads a manifest body into memory (kernel/read-body.ts), refusing more than a cap with ManifestTooLarge.
import type { IncomingMessage } from 'node:http';
import { DomainError } from '../images/domain-error';
import { readBodyUpTo } from '../kernel/read-body';

function tooLarge(limitInBytes: number): DomainError {
  return new DomainError('ManifestTooLarge', `manifest too large: the limit is ${limitInBytes} bytes`);
}

/** Throws DomainError ManifestTooLarge past `limitInBytes`; rejects with ECONNRESET when the client goes away first. */
export function readBody(request: IncomingMessage, limitInBytes: number): Promise<Buffer> {
  return readBodyUpTo(request, limitInBytes, () => tooLarge(limitInBytes));
}
