// The data plane's routes as data: name, method, path pattern → handler (distribution's routes.go, short).
// GET routes also answer HEAD. Every route needs a token, and names the IAM action ECR checks for it (none for the
// API base, which only proves the token). A path no pattern matches is 404; one some pattern matches with another
// method is 405.
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
  /** The IAM action a request on this route needs; `headAction` for HEAD where it differs. */
  action?: string;
  headAction?: string;
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

const route = (name: string, method: RegistryMethod, path: RegExp, action: string | undefined, handler: RegistryHandler, headAction?: string): RegistryRoute => ({
  name,
  method,
  path,
  ...(action !== undefined ? { action } : {}),
  ...(headAction !== undefined ? { headAction } : {}),
  handler,
});

export const REGISTRY_ROUTES: readonly RegistryRoute[] = [
  route('checkApiVersion', 'GET', BASE, undefined, checkApiVersion),
  route('listRepositories', 'GET', CATALOG, 'ecr:DescribeRepositories', listRepositories),
  route('listTags', 'GET', TAGS, 'ecr:ListImages', listTags),
  route('getManifest', 'GET', MANIFEST, 'ecr:BatchGetImage', getManifest),
  route('putManifest', 'PUT', MANIFEST, 'ecr:PutImage', putManifest),
  route('deleteManifest', 'DELETE', MANIFEST, 'ecr:BatchDeleteImage', deleteManifest),
  route('startUpload', 'POST', UPLOADS, 'ecr:InitiateLayerUpload', startUpload),
  route('getUploadStatus', 'GET', UPLOAD_SESSION, 'ecr:UploadLayerPart', getUploadStatus),
  route('appendUpload', 'PATCH', UPLOAD_SESSION, 'ecr:UploadLayerPart', appendUpload),
  route('completeUpload', 'PUT', UPLOAD_SESSION, 'ecr:CompleteLayerUpload', completeUpload),
  route('cancelUpload', 'DELETE', UPLOAD_SESSION, 'ecr:UploadLayerPart', cancelUpload),
  // docker checks a layer with HEAD before it pushes it: ECR's BatchCheckLayerAvailability.
  route('getBlob', 'GET', BLOB, 'ecr:GetDownloadUrlForLayer', getBlob, 'ecr:BatchCheckLayerAvailability'),
  route('deleteBlob', 'DELETE', BLOB, 'ecr:BatchDeleteImage', deleteBlob),
  route('listReferrers', 'GET', REFERRERS, 'ecr:ListImageReferrers', listReferrers),
];
