// IAM's Marker/MaxItems paging, one mechanism for every List operation: a page of at most MaxItems (default 100),
// IsTruncated, and an opaque Marker naming where the next page starts. A Marker not made here is InvalidInput.
import { QueryError } from '../aws/query-error';

export interface PageInput {
  Marker?: string;
  MaxItems?: number;
}

export interface Page<Item> {
  items: Item[];
  IsTruncated: boolean;
  Marker?: string;
}

// API reference, MaxItems: "If you do not include this parameter, the number of items defaults to 100."
const DEFAULT_MAX_ITEMS = 100;
const MARKER_PREFIX = 'iam-page:';

function markerFor(start: number): string {
  return Buffer.from(`${MARKER_PREFIX}${start}`).toString('base64url');
}

function startOf(marker: string | undefined): number {
  if (marker === undefined) return 0;
  const text = Buffer.from(marker, 'base64url').toString('utf8');
  const start = Number(text.slice(MARKER_PREFIX.length));
  if (!text.startsWith(MARKER_PREFIX) || !Number.isInteger(start) || start < 0) throw new QueryError('InvalidInput', 'Invalid Marker.');
  return start;
}

/** The page of `items` (already in IAM's order) that `input` asks for. */
export function pageOf<Item>(items: readonly Item[], input: PageInput): Page<Item> {
  const start = startOf(input.Marker);
  const end = start + (input.MaxItems ?? DEFAULT_MAX_ITEMS);
  const isTruncated = end < items.length;
  return { items: items.slice(start, end), IsTruncated: isTruncated, ...(isTruncated ? { Marker: markerFor(end) } : {}) };
}
