// The control plane's one table from core errors to ECR exception types. A new DomainErrorKind without an entry
// here does not compile.
import { AwsError } from '../aws/aws-error';
import type { EcrExceptionName } from '../aws/ecr-types.generated';
import { DomainError, type DomainErrorKind } from '../images/domain-error';

const EXCEPTION_FOR: Record<DomainErrorKind, EcrExceptionName> = {
  RepositoryNotFound: 'RepositoryNotFoundException',
  RepositoryAlreadyExists: 'RepositoryAlreadyExistsException',
  RepositoryNotEmpty: 'RepositoryNotEmptyException',
  InvalidParameter: 'InvalidParameterException',
  LimitExceeded: 'LimitExceededException',
  ImageNotFound: 'ImageNotFoundException',
  ImageAlreadyExists: 'ImageAlreadyExistsException',
  TagImmutable: 'ImageTagAlreadyExistsException',
  ImageDigestMismatch: 'ImageDigestDoesNotMatchException',
  LayersNotFound: 'LayersNotFoundException',
  ReferencedImagesNotFound: 'ReferencedImagesNotFoundException',
  ManifestInvalid: 'InvalidParameterException',
  ManifestTooLarge: 'InvalidParameterException',
  UnsupportedMediaType: 'UnsupportedImageTypeException',
  BlobUnknown: 'LayersNotFoundException',
  DigestInvalid: 'InvalidLayerException',
  UploadNotFound: 'UploadNotFoundException',
  UploadOutOfOrder: 'InvalidLayerPartException',
  ImageArchived: 'ImageArchivedException',
  // BatchDeleteImage reports it as the failure code ImageReferencedByManifestList; no operation throws it.
  ImageReferencedByIndex: 'InvalidParameterException',
  ReferenceInvalid: 'InvalidParameterException',
  RangeInvalid: 'InvalidLayerPartException',
  // The model: BatchGetImage's UnableToGetUpstreamImageException, "usually caused because of an issue with the
  // Secrets Manager secret containing the credentials for the upstream registry".
  UpstreamUnauthorized: 'UnableToGetUpstreamImageException',
};

export function awsErrorFromDomain(error: DomainError): AwsError {
  return new AwsError(EXCEPTION_FOR[error.kind], error.message);
}
