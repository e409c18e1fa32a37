// Manifests by tag or digest: GET / HEAD with Accept negotiation, PUT through the shared image service, DELETE
// of an image (by digest) or of a tag (ECR allows that). Every answer names the digest.
import { DomainError } from '../../images/domain-error';
import { parseImageReference } from '../../images/image-reference';
import type { StoredManifest } from '../../images/image-service';
import { MAX_MANIFEST_BYTES } from '../../images/manifest';
import { MANIFEST_MEDIA_TYPES } from '../../images/media-types';
import { ensurePushRepository } from '../ensure-push-repository';
import { OciError } from '../oci-errors';
import { readBody } from '../read-body';
import { header, param, reply, replyStored, repositoryPath, type RegistryHandler, type RegistryRequest } from '../registry-request';
import { recordsPullTime } from '../../images/pull-time-exclusions';
import { callerArns } from '../../auth/principal';

/**
 * Whether a client with this Accept header takes the media type. No header, `*` wildcards, or a header naming
 * no manifest type at all accept anything; a list of manifest types that lacks this one does not
 * (distribution answers MANIFEST_UNKNOWN rather than a type the client cannot parse).
 */
export function isAccepted(accept: string | undefined, mediaType: string): boolean {
  if (accept === undefined) return true;
  const types = accept.split(',').map((entry) => entry.split(';')[0]!.trim().toLowerCase()).filter((entry) => entry !== '');
  if (types.length === 0 || types.includes('*/*') || types.includes('application/*') || types.includes(mediaType)) return true;
  return !types.some((type) => MANIFEST_MEDIA_TYPES.includes(type));
}

/**
 * OCI distribution spec: a GET or HEAD of a manifest that does not exist is 404 MANIFEST_UNKNOWN, and a reference
 * that is no valid tag or digest names none; TAG_INVALID and DIGEST_INVALID belong to a PUT.
 */
async function readManifest(request: RegistryRequest, referenceText: string): Promise<StoredManifest> {
  try {
    // A pull under a pull-through cache rule first fills the cache from the upstream, when it needs to.
    await request.services.pullThroughCache.prepare(request.scope, param(request, 'name'), referenceText);
    const isPull = !request.isHead && recordsPullTime(request.services.documents, request.scope, callerArns(request.principal));
    return request.services.images.getManifest(request.scope, param(request, 'name'), referenceText, { isPull });
  } catch (error) {
    if (error instanceof DomainError && (error.kind === 'ReferenceInvalid' || error.kind === 'DigestInvalid')) {
      throw new OciError('MANIFEST_UNKNOWN', 'Requested image not found', { reference: referenceText });
    }
    throw error;
  }
}

export const getManifest: RegistryHandler = async (request, response) => {
  const referenceText = param(request, 'reference');
  const stored = await readManifest(request, referenceText);
  // A pull by digest asks for exact bytes: it is answered whatever Accept says.
  if (parseImageReference(referenceText).kind === 'tag' && !isAccepted(header(request, 'accept'), stored.mediaType)) {
    throw new OciError('MANIFEST_UNKNOWN', `manifest of type '${stored.mediaType}' found, but the Accept header does not include it`, { mediaType: stored.mediaType });
  }
  const headers = { 'Content-Type': stored.mediaType, 'Docker-Content-Digest': stored.digest, ETag: `"${stored.digest}"` };
  if (request.isHead) {
    reply(response, 200, { ...headers, 'Content-Length': stored.manifest.length });
    return;
  }
  reply(response, 200, headers, stored.manifest);
};

export const putManifest: RegistryHandler = async (request, response) => {
  const name = param(request, 'name');
  // A manifest PUT is PutImage's twin, and PutImage is a push.
  ensurePushRepository(request, name);
  const manifest = await readBody(request.raw, MAX_MANIFEST_BYTES);
  const contentType = header(request, 'content-type');
  const result = await request.services.images.putManifest({
    scope: request.scope,
    repository: name,
    reference: param(request, 'reference'),
    manifest,
    ...(contentType !== undefined ? { mediaType: contentType } : {}),
  });
  await replyStored(request, response, 201, {
    Location: `${repositoryPath(name)}/manifests/${result.digest}`,
    'Docker-Content-Digest': result.digest,
    ...(result.subjectDigest !== undefined ? { 'OCI-Subject': result.subjectDigest } : {}),
  });
};

export const deleteManifest: RegistryHandler = async (request, response) => {
  const name = param(request, 'name');
  const reference = parseImageReference(param(request, 'reference'));
  if (reference.kind === 'digest') await request.services.images.deleteImage(request.scope, name, reference.digest);
  else await request.services.images.deleteTag(request.scope, name, reference.tag);
  await replyStored(request, response, 202, {});
};
