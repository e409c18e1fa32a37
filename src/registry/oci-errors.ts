// The data plane's one table from core errors to OCI error codes, and each code's HTTP status (the status
// belongs to the code, as in distribution's errcode/register.go). A DomainErrorKind without an entry does not compile.
import type { DomainError, DomainErrorKind } from '../images/domain-error';

export type OciErrorCode =
  | 'BLOB_UNKNOWN'
  | 'BLOB_UPLOAD_INVALID'
  | 'BLOB_UPLOAD_UNKNOWN'
  | 'DIGEST_INVALID'
  | 'MANIFEST_BLOB_UNKNOWN'
  | 'MANIFEST_INVALID'
  | 'MANIFEST_UNKNOWN'
  | 'NAME_INVALID'
  | 'NAME_UNKNOWN'
  | 'SIZE_INVALID'
  | 'TAG_INVALID'
  | 'RANGE_INVALID'
  | 'PAGINATION_NUMBER_INVALID'
  | 'UNAUTHORIZED'
  | 'DENIED'
  | 'UNSUPPORTED'
  | 'TOOMANYREQUESTS'
  | 'NOT_FOUND'
  | 'BAD_REQUEST'
  | 'UNKNOWN';

const STATUS_FOR: Record<OciErrorCode, number> = {
  BLOB_UNKNOWN: 404,
  BLOB_UPLOAD_INVALID: 400,
  BLOB_UPLOAD_UNKNOWN: 404,
  DIGEST_INVALID: 400,
  MANIFEST_BLOB_UNKNOWN: 400,
  MANIFEST_INVALID: 400,
  MANIFEST_UNKNOWN: 404,
  NAME_INVALID: 400,
  NAME_UNKNOWN: 404,
  // OCI distribution spec: a manifest over the registry's limit SHOULD get 413 Payload Too Large.
  SIZE_INVALID: 413,
  TAG_INVALID: 400,
  RANGE_INVALID: 416,
  PAGINATION_NUMBER_INVALID: 400,
  UNAUTHORIZED: 401,
  DENIED: 403,
  UNSUPPORTED: 405,
  TOOMANYREQUESTS: 429,
  NOT_FOUND: 404,
  // Not an OCI code: ECR answers a token shown to a registry of another region with 400 (docker: "400 Bad Request").
  BAD_REQUEST: 400,
  UNKNOWN: 500,
};

const CODE_FOR: Record<DomainErrorKind, OciErrorCode> = {
  RepositoryNotFound: 'NAME_UNKNOWN',
  // Creating and deleting repositories is the control plane's; these cannot arise from a registry route.
  RepositoryAlreadyExists: 'DENIED',
  RepositoryNotEmpty: 'DENIED',
  InvalidParameter: 'BLOB_UPLOAD_INVALID',
  LimitExceeded: 'TOOMANYREQUESTS',
  ImageNotFound: 'MANIFEST_UNKNOWN',
  ImageAlreadyExists: 'TAG_INVALID',
  TagImmutable: 'TAG_INVALID',
  ImageDigestMismatch: 'DIGEST_INVALID',
  LayersNotFound: 'MANIFEST_BLOB_UNKNOWN',
  // distribution answers an index whose child manifest is absent with MANIFEST_BLOB_UNKNOWN too.
  ReferencedImagesNotFound: 'MANIFEST_BLOB_UNKNOWN',
  ManifestInvalid: 'MANIFEST_INVALID',
  ManifestTooLarge: 'SIZE_INVALID',
  UnsupportedMediaType: 'MANIFEST_INVALID',
  BlobUnknown: 'BLOB_UNKNOWN',
  DigestInvalid: 'DIGEST_INVALID',
  UploadNotFound: 'BLOB_UPLOAD_UNKNOWN',
  UploadOutOfOrder: 'RANGE_INVALID',
  ImageArchived: 'MANIFEST_UNKNOWN',
  ImageReferencedByIndex: 'DENIED',
  ReferenceInvalid: 'TAG_INVALID',
  RangeInvalid: 'RANGE_INVALID',
  // Not UNAUTHORIZED: a 401 would send the client to sign in to the emulator again, and its own credentials are fine.
  UpstreamUnauthorized: 'DENIED',
};

/** An error the data plane itself raises: authentication, routing, request grammar. */
export class OciError extends Error {
  constructor(
    readonly code: OciErrorCode,
    message: string,
    readonly detail?: Record<string, unknown>,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'OciError';
  }
}

export function ociErrorFor(error: DomainError): OciError {
  return new OciError(CODE_FOR[error.kind], error.message, error.detail);
}

export function statusOf(code: OciErrorCode): number {
  return STATUS_FOR[code];
}

export function errorBody(error: OciError): string {
  return JSON.stringify({ errors: [{ code: error.code, message: error.message, detail: error.detail ?? {} }] });
}
