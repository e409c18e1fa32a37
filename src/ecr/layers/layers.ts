// ECR's layer API: InitiateLayerUpload, UploadLayerPart, CompleteLayerUpload, BatchCheckLayerAvailability and
// GetDownloadUrlForLayer. They share the data plane's upload sessions and blob links, so a layer uploaded here
// is a blob skopeo can pull, and a blob pushed there is available here.
import { Readable } from 'node:stream';
import { AwsError } from '../../aws/aws-error';
import type { Layer, LayerFailure } from '../../aws/ecr-types.generated';
import { isDigest } from '../../kernel/digest';
import { DomainError } from '../../images/domain-error';
import type { OperationHandlers } from '../ecr-context';
import { decodedLength, decodedSlices } from './layer-part';
import { targetScope } from '../ecr-context';
import { ensurePushRepository } from '../repositories/ensure-push-repository';

// What ECR answers for partSize: the part size it expects; parts may be smaller or larger up to 20 MiB.
const PART_SIZE = 10 * 1024 * 1024;
// A URL from GetDownloadUrlForLayer works this long, as a presigned S3 URL would.
const DOWNLOAD_URL_TTL_MS = 60 * 60 * 1000;

function uploadNotFound(): AwsError {
  return new AwsError('UploadNotFoundException', 'The upload could not be found, or the specified upload ID is not valid for this repository.');
}

function invalidLayerPart(message: string): AwsError {
  return new AwsError('InvalidLayerPartException', message);
}

/** Rewords the core's upload errors as ECR's layer API words them. */
function asLayerError(error: unknown): unknown {
  if (!(error instanceof DomainError)) return error;
  if (error.kind === 'UploadNotFound') return uploadNotFound();
  if (error.kind === 'DigestInvalid') {
    return new AwsError('InvalidLayerException', 'The layer digest calculation performed by Amazon ECR upon receipt of the image layer does not match the digest specified.');
  }
  return error;
}

export const layerHandlers: OperationHandlers = {
  async InitiateLayerUpload(input, context) {
    const scope = targetScope(context, input.registryId);
    ensurePushRepository(context, scope, input.repositoryName);
    const session = await context.services.uploads.start(scope, input.repositoryName);
    return { uploadId: session.id, partSize: PART_SIZE };
  },

  async UploadLayerPart(input, context) {
    const scope = targetScope(context, input.registryId);
    const repository = input.repositoryName;
    const sizeInBytes = decodedLength(input.layerPartBlob);
    if (input.partLastByte !== input.partFirstByte + sizeInBytes - 1) {
      throw invalidLayerPart(`The layer part size is not valid: partFirstByte ${input.partFirstByte} and partLastByte ${input.partLastByte} do not span the ${sizeInBytes} bytes sent.`);
    }
    try {
      const part = Readable.from(decodedSlices(input.layerPartBlob));
      await context.services.uploads.append(scope, repository, input.uploadId, part, { startOffset: input.partFirstByte, sizeInBytes });
    } catch (error) {
      if (error instanceof DomainError && error.kind === 'UploadOutOfOrder') {
        throw invalidLayerPart(`The first byte specified is not consecutive to the last byte of a previous layer part upload: the upload continues at byte ${String(error.detail?.sizeInBytes)}.`);
      }
      throw asLayerError(error);
    }
    return { registryId: scope.accountId, repositoryName: repository, uploadId: input.uploadId, lastByteReceived: input.partLastByte };
  },

  async CompleteLayerUpload(input, context) {
    const scope = targetScope(context, input.registryId);
    const repository = input.repositoryName;
    const { uploads, blobs } = context.services;
    if (input.layerDigests.length !== 1) {
      throw new AwsError('InvalidParameterException', "Invalid parameter at 'layerDigests' failed to satisfy constraint: 'exactly one layer digest is required'");
    }
    const layerDigest = input.layerDigests[0]!;
    let session;
    try {
      session = uploads.status(scope, repository, input.uploadId);
    } catch (error) {
      throw asLayerError(error);
    }
    if (session.sizeInBytes === 0) throw new AwsError('EmptyUploadException', 'The specified layer upload does not contain any layer parts.');
    const isLinked = (() => {
      try {
        blobs.stat(scope, repository, layerDigest);
        return true;
      } catch {
        return false;
      }
    })();
    if (isLinked) {
      await uploads.cancel(scope, repository, input.uploadId);
      throw new AwsError('LayerAlreadyExistsException', `The layer '${layerDigest}' already exists in the repository with name '${repository}' in registry with id '${scope.accountId}'`);
    }
    try {
      const blob = await uploads.complete(scope, repository, input.uploadId, layerDigest);
      return { registryId: scope.accountId, repositoryName: repository, uploadId: input.uploadId, layerDigest: blob.digest };
    } catch (error) {
      throw asLayerError(error);
    }
  },

  BatchCheckLayerAvailability(input, context) {
    const scope = targetScope(context, input.registryId);
    const repository = input.repositoryName;
    context.services.repositories.get(scope, repository);
    const layers: Layer[] = [];
    const failures: LayerFailure[] = [];
    for (const layerDigest of input.layerDigests) {
      if (!isDigest(layerDigest)) {
        failures.push({ layerDigest, failureCode: 'InvalidLayerDigest', failureReason: 'Invalid layer digest' });
        continue;
      }
      try {
        const blob = context.services.blobs.stat(scope, repository, layerDigest);
        layers.push({ layerDigest: blob.digest, layerAvailability: 'AVAILABLE', layerSize: blob.sizeInBytes });
      } catch (error) {
        if (!(error instanceof DomainError) || (error.kind !== 'BlobUnknown' && error.kind !== 'DigestInvalid')) throw error;
        failures.push({ layerDigest, failureCode: 'MissingLayerDigest', failureReason: 'Could not find layer' });
      }
    }
    return { layers, failures };
  },

  GetDownloadUrlForLayer(input, context) {
    const scope = targetScope(context, input.registryId);
    const repository = input.repositoryName;
    const { services } = context;
    let digest: string;
    try {
      digest = services.blobs.stat(scope, repository, input.layerDigest).digest;
    } catch (error) {
      if (!(error instanceof DomainError) || (error.kind !== 'BlobUnknown' && error.kind !== 'DigestInvalid')) throw error;
      throw new AwsError('LayersNotFoundException', `The image layer '${input.layerDigest}' does not exist in the repository with name '${repository}' in the registry with id '${scope.accountId}'`);
    }
    const expiresAt = new Date(services.clock.now().getTime() + DOWNLOAD_URL_TTL_MS);
    const downloadUrl = `${services.addresses.proxyEndpoint(scope)}${services.layerDownloads.pathFor({ scope, repository, digest, expiresAt })}`;
    return { downloadUrl, layerDigest: digest };
  },
};
