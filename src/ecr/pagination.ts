// nextToken handling shared by every paged operation: opaque tokens that carry the position after the last item.
// A token from another operation or a forged one is InvalidParameterException, as ECR answers.
import { invalidParameter } from '../aws/aws-error';

export function encodeNextToken(position: string): string {
  return Buffer.from(JSON.stringify({ p: position })).toString('base64url');
}

export function decodeNextToken(token: string | undefined): string | undefined {
  if (token === undefined) return undefined;
  try {
    const decoded = JSON.parse(Buffer.from(token, 'base64url').toString()) as { p?: unknown };
    if (typeof decoded.p === 'string') return decoded.p;
  } catch {
    // fall through: answered below
  }
  throw invalidParameter('Invalid parameter at \'nextToken\' failed to satisfy constraint: \'must be a token returned by a previous call\'');
}

/** Pages an in-memory list ordered by `positionOf`; for tables, page in the query instead. */
export function pageOf<T>(items: T[], positionOf: (item: T) => string, options: { maxResults?: number; nextToken?: string; defaultMaxResults: number }): { page: T[]; nextToken?: string } {
  const after = decodeNextToken(options.nextToken);
  const limit = options.maxResults ?? options.defaultMaxResults;
  const remaining = after === undefined ? items : items.filter((item) => positionOf(item) > after);
  const page = remaining.slice(0, limit);
  return remaining.length > limit ? { page, nextToken: encodeNextToken(positionOf(page[page.length - 1]!)) } : { page };
}
