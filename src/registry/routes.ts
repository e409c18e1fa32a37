// The data plane's routes as data: name, method, path pattern → handler (distribution's routes.go, short).
// GET routes also answer HEAD. Every route needs a token. A path no pattern matches is 404; a path some pattern
// matches with another method is 405.
import { deleteBlob, getBlob } from './handlers/blobs';
import { checkApiVersion, listReferrers, listRepositories, listTags } from './handlers/listings';
import { deleteManifest, getManifest, putManifest } from './handlers/manifests';
import { appendUpload, cancelUpload, completeUpload, getUploadStatus, startUpload } from './handlers/uploads';
import type { RegistryHandler } from './registry-request';

export type RegistryMethod = 'GET' | 'PUT' | 'POST' | 'PATCH' | 'DELETE';

export interface RegistryRoute {
  name: string;
  method: RegistryMethod;
  path: RegExp;
  handler: RegistryHandler;
}

// OCI distribution spec: repository name components, joined by `/`.
const NAME = '(?<name>[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*)';
const REFERENCE = '(?<reference>[^/]+)';
const DIGEST = '(?<digest>[^/]+)';
const UPLOAD = '(?<uploadId>[A-Za-z0-9_-]+)';

const BASE = /^\/v2\/$/;
const CATALOG = /^\/v2\/_catalog$/;
const TAGS = new RegExp(`^/v2/${NAME}/tags/list$`);
const MANIFEST = new RegExp(`^/v2/${NAME}/manifests/${REFERENCE}$`);
const UPLOADS = new RegExp(`^/v2/${NAME}/blobs/uploads/?$`);
const UPLOAD_SESSION = new RegExp(`^/v2/${NAME}/blobs/uploads/${UPLOAD}$`);
const BLOB = new RegExp(`^/v2/${NAME}/blobs/${DIGEST}$`);
const REFERRERS = new RegExp(`^/v2/${NAME}/referrers/${DIGEST}$`);

const route = (name: string, method: RegistryMethod, path: RegExp, handler: RegistryHandler): RegistryRoute => ({ name, method, path, handler });

export const REGISTRY_ROUTES: readonly RegistryRoute[] = [
  route('checkApiVersion', 'GET', BASE, checkApiVersion),
  route('listRepositories', 'GET', CATALOG, listRepositories),
  route('listTags', 'GET', TAGS, listTags),
  route('getManifest', 'GET', MANIFEST, getManifest),
  route('putManifest', 'PUT', MANIFEST, putManifest),
  route('deleteManifest', 'DELETE', MANIFEST, deleteManifest),
  route('startUpload', 'POST', UPLOADS, startUpload),
  route('getUploadStatus', 'GET', UPLOAD_SESSION, getUploadStatus),
  route('appendUpload', 'PATCH', UPLOAD_SESSION, appendUpload),
  route('completeUpload', 'PUT', UPLOAD_SESSION, completeUpload),
  route('cancelUpload', 'DELETE', UPLOAD_SESSION, cancelUpload),
  route('getBlob', 'GET', BLOB, getBlob),
  route('deleteBlob', 'DELETE', BLOB, deleteBlob),
  route('listReferrers', 'GET', REFERRERS, listReferrers),
];
