// The blob store's own failures, which the core words as its errors (images/upload-service.ts): the store knows
// nothing of DomainError, HTTP or wire codes.

export type BlobStoreErrorKind =
  /** The upload's bytes are gone, or shorter than the caller recorded. */
  | 'UploadMissing'
  /** The upload's bytes hash to another digest than the one the commit names. */
  | 'DigestMismatch';

export class BlobStoreError extends Error {
  constructor(
    readonly kind: BlobStoreErrorKind,
    message: string,
    readonly detail: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'BlobStoreError';
  }
}

export function uploadMissing(uploadId: string): BlobStoreError {
  return new BlobStoreError('UploadMissing', `upload '${uploadId}' is unknown`, { uploadId });
}

export function digestMismatch(expected: string, actual: string): BlobStoreError {
  return new BlobStoreError('DigestMismatch', `provided digest did not match uploaded content: expected ${expected}, got ${actual}`, { digest: expected, actual });
}
