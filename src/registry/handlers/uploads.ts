// Blob upload sessions: POST starts one (or uploads monolithically, or mounts), PATCH streams a chunk, PUT
// finishes with the digest, GET reports progress, DELETE cancels. Bodies stream straight into the blob store.
import type { ServerResponse } from 'node:http';
import type { BlobDescriptor } from '../../images/blob-service';
import type { UploadSession } from '../../images/upload-service';
import { chunkRange } from '../http-range';
import { ensurePushRepository } from '../ensure-push-repository';
import { OciError } from '../oci-errors';
import { header, param, reply, replyStored, repositoryPath, type RegistryHandler, type RegistryRequest } from '../registry-request';

function hasBody(request: RegistryRequest): boolean {
  const length = header(request, 'content-length');
  return (length !== undefined && length !== '0') || header(request, 'transfer-encoding') !== undefined;
}

/** OCI: Range is `0-<last byte>`; distribution answers `0-0` for an empty session. */
function sessionHeaders(name: string, session: UploadSession): Record<string, string> {
  return {
    Location: `${repositoryPath(name)}/blobs/uploads/${session.id}`,
    Range: `0-${Math.max(0, session.sizeInBytes - 1)}`,
    'Docker-Upload-UUID': session.id,
  };
}

/** A blob linked into the repository: answered once the link is on the disk. */
function replyCreated(request: RegistryRequest, response: ServerResponse, name: string, blob: BlobDescriptor): Promise<void> {
  return replyStored(request, response, 201, { Location: `${repositoryPath(name)}/blobs/${blob.digest}`, 'Docker-Content-Digest': blob.digest });
}

export const startUpload: RegistryHandler = async (request, response) => {
  const { scope, services, query } = request;
  const name = param(request, 'name');
  // Starting an upload (a session, a monolithic upload or a mount) is InitiateLayerUpload's twin: a push.
  ensurePushRepository(request, name);
  const mount = query.get('mount');
  const from = query.get('from');
  // ECR mounts only when the registry's BLOB_MOUNTING setting is ENABLED; otherwise the client gets a session
  // and pushes the bytes (user guide, "Blob mounting").
  if (mount !== null && from !== null && services.accountSettings.get(scope, 'BLOB_MOUNTING') === 'ENABLED') {
    // Mounting reads the source repository's layer: the caller needs pull rights there too.
    request.requireAccess('ecr:GetDownloadUrlForLayer', from);
    const mounted = await services.uploads.mount(scope, name, mount, from);
    if (mounted !== undefined) {
      await replyCreated(request, response, name, mounted);
      return;
    }
  }
  const digest = query.get('digest');
  if (digest !== null) {
    await replyCreated(request, response, name, await services.uploads.push(scope, name, digest, request.raw));
    return;
  }
  const session = await services.uploads.start(scope, name);
  reply(response, 202, sessionHeaders(name, session));
};

export const appendUpload: RegistryHandler = async (request, response) => {
  const name = param(request, 'name');
  const range = chunkRange(header(request, 'content-range'), header(request, 'content-length'));
  const session = await request.services.uploads.append(request.scope, name, param(request, 'uploadId'), request.raw, range);
  reply(response, 202, sessionHeaders(name, session));
};

export const completeUpload: RegistryHandler = async (request, response) => {
  const name = param(request, 'name');
  const digest = request.query.get('digest');
  if (digest === null) throw new OciError('DIGEST_INVALID', 'digest parameter is required to complete an upload');
  const source = hasBody(request) ? request.raw : undefined;
  await replyCreated(request, response, name, await request.services.uploads.complete(request.scope, name, param(request, 'uploadId'), digest, source));
};

export const getUploadStatus: RegistryHandler = async (request, response) => {
  const name = param(request, 'name');
  reply(response, 204, sessionHeaders(name, request.services.uploads.status(request.scope, name, param(request, 'uploadId'))));
};

export const cancelUpload: RegistryHandler = async (request, response) => {
  await request.services.uploads.cancel(request.scope, param(request, 'name'), param(request, 'uploadId'));
  reply(response, 204, {});
};
