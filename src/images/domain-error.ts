// The only error the core throws: a closed set of kinds, with no knowledge of HTTP, `__type` or OCI codes.
// Each plane maps every kind in one exhaustive table (ecr/ecr-errors.ts, registry/oci-errors.ts).

export type DomainErrorKind =
  | 'RepositoryNotFound'
  | 'RepositoryAlreadyExists'
  | 'RepositoryNotEmpty'
  | 'InvalidParameter'
  | 'LimitExceeded'
  | 'ImageNotFound'
  | 'ImageAlreadyExists'
  | 'TagImmutable'
  | 'ImageDigestMismatch'
  | 'LayersNotFound'
  | 'ReferencedImagesNotFound'
  | 'ManifestInvalid'
  | 'ManifestTooLarge'
  | 'UnsupportedMediaType'
  | 'BlobUnknown'
  | 'DigestInvalid'
  | 'UploadNotFound'
  | 'UploadOutOfOrder'
  | 'ImageArchived'
  | 'ImageReferencedByIndex'
  | 'ReferenceInvalid'
  | 'RangeInvalid'
  // A pull-through cache's upstream refused the rule's credentials (or asked for some and the rule has none).
  | 'UpstreamUnauthorized';

export class DomainError extends Error {
  constructor(
    readonly kind: DomainErrorKind,
    message: string,
    readonly detail?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export function repositoryNotFound(name: string, accountId: string): DomainError {
  return new DomainError(
    'RepositoryNotFound',
    `The repository with name '${name}' does not exist in the registry with id '${accountId}'`,
    { name },
  );
}
