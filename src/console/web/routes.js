// The console's addresses: every page is a URL hash, so it can be linked, bookmarked and reached with Back. Each part is
// encoded with encodeURIComponent (repository names hold slashes), so a hash splits on '/' without ambiguity.

const part = (value) => encodeURIComponent(value);

export function registryHref(scope) {
  return `#/registry/${part(scope.accountId)}/${part(scope.region)}`;
}

export function repositoryHref(scope, repository) {
  return `#/repository/${part(scope.accountId)}/${part(scope.region)}/${part(repository)}`;
}

export function imageHref(scope, repository, digest) {
  return `#/image/${part(scope.accountId)}/${part(scope.region)}/${part(repository)}/${part(digest)}`;
}

export const ACCESS_HREF = '#/access';

/**
 * The page a hash names: { page: 'registry' | 'repository' | 'image' | 'access' | 'home' | 'unknown', ... }.
 * 'home' is the empty hash: the app opens the default registry.
 */
export function parseRoute(hash) {
  const path = hash.replace(/^#\/?/, '');
  if (path === '') return { page: 'home' };
  let parts;
  try {
    parts = path.split('/').map((piece) => decodeURIComponent(piece));
  } catch {
    return { page: 'unknown', hash };
  }
  const [page, accountId, region, repository, digest] = parts;
  const scope = { accountId, region };
  if (page === 'registry' && parts.length === 3) return { page, scope };
  if (page === 'repository' && parts.length === 4) return { page, scope, repository };
  if (page === 'image' && parts.length === 5) return { page, scope, repository, digest };
  if (page === 'access' && parts.length === 1) return { page };
  return { page: 'unknown', hash };
}
