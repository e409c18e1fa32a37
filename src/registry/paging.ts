// `n` / `last` paging of tags/list and _catalog, and the `Link: <...>; rel="next"` header that continues it.
import { OciError } from './oci-errors';

/** A page never holds more than this, whatever `n` asks; the Link header continues it. */
export const MAX_PAGE_ENTRIES = 1000;

export interface PageRequest {
  limit: number;
  last?: string;
}

export function parsePageRequest(query: URLSearchParams): PageRequest {
  const n = query.get('n');
  const last = query.get('last');
  let limit = MAX_PAGE_ENTRIES;
  if (n !== null && n !== '') {
    if (!/^\d+$/.test(n)) throw new OciError('PAGINATION_NUMBER_INVALID', `invalid number of results requested: '${n}'`, { n });
    limit = Math.min(Number(n), MAX_PAGE_ENTRIES);
  }
  return { limit, ...(last !== null && last !== '' ? { last } : {}) };
}

/** The Link header to the next page, after `lastEntry`. */
export function nextPageLink(path: string, lastEntry: string, limit: number): Record<string, string> {
  const query = new URLSearchParams({ last: lastEntry, n: String(limit) });
  return { Link: `<${path}?${query.toString()}>; rel="next"` };
}
