// The API base, tag listing, the catalog and the referrers API: read-only listings of the token's scope.
import { parseSha256Digest } from '../../images/image-reference';
import { MediaType } from '../../images/media-types';
import { nextPageLink, parsePageRequest } from '../paging';
import { param, replyJson, repositoryPath, type RegistryHandler } from '../registry-request';

/** `GET /v2/`: answers 200 once authenticated, which is how clients probe for registry/2.0. */
export const checkApiVersion: RegistryHandler = async (_request, response) => {
  replyJson(response, 200, {});
};

export const listTags: RegistryHandler = async (request, response) => {
  const name = param(request, 'name');
  const page = parsePageRequest(request.query);
  const { tags, hasMore } = request.services.images.listTags(request.scope, name, { limit: page.limit, ...(page.last !== undefined ? { afterTag: page.last } : {}) });
  const link = hasMore && tags.length > 0 ? nextPageLink(`${repositoryPath(name)}/tags/list`, tags[tags.length - 1]!, page.limit) : {};
  replyJson(response, 200, { name, tags }, link);
};

export const listRepositories: RegistryHandler = async (request, response) => {
  const page = parsePageRequest(request.query);
  if (page.limit === 0) {
    replyJson(response, 200, { repositories: [] });
    return;
  }
  const { repositories, lastName } = request.services.repositories.list(request.scope, { limit: page.limit, ...(page.last !== undefined ? { afterName: page.last } : {}) });
  const link = lastName !== undefined ? nextPageLink('/v2/_catalog', lastName, page.limit) : {};
  replyJson(response, 200, { repositories: repositories.map((repository) => repository.name) }, link);
};

/** OCI distribution spec 1.1: an image index of the manifests whose subject is the digest, filterable by artifactType. */
export const listReferrers: RegistryHandler = async (request, response) => {
  const subject = parseSha256Digest(param(request, 'digest'));
  const artifactType = request.query.get('artifactType') ?? undefined;
  const { descriptors, isFilteredByArtifactType } = request.services.images.referrers(request.scope, param(request, 'name'), subject, artifactType);
  const manifests = descriptors.map(({ mediaType, digest, sizeInBytes, ...rest }) => ({ mediaType, digest, size: sizeInBytes, ...rest }));
  replyJson(
    response,
    200,
    { schemaVersion: 2, mediaType: MediaType.ociIndex, manifests },
    { 'Content-Type': MediaType.ociIndex, ...(isFilteredByArtifactType ? { 'OCI-Filters-Applied': 'artifactType' } : {}) },
  );
};
