// Paging for every paged operation, read from the model: which input members carry the page size and the token
// (the paginators file, else the input shape's maxResults and nextToken), ECR's default page sizes, and the opaque
// nextTokens. A token from another operation or a forged one is InvalidParameterException, as ECR answers.
import { invalidParameter } from '../aws/aws-error';
import type { EcrOperationName, EcrOperations } from '../aws/ecr-types.generated';
import { ecrPaginators, findOperation, operationNames, shapeNamed } from '../aws/model';

/** The operations whose input carries a nextToken: the ones a handler may ask for a page of. */
export type PagedOperationName = { [Name in EcrOperationName]: 'nextToken' extends keyof EcrOperations[Name]['input'] ? Name : never }[EcrOperationName];

// API reference, the maxResults member of each paged operation: "If this parameter is not used, then
// DescribeRepositories returns up to 100 results and a nextToken value, if applicable." pagination-model.test.ts
// holds these defaults and the selections below to the model's documentation of each operation.
const DEFAULT_LIMIT = 100;
// The one operation documented otherwise: "ListImageReferrers returns up to 20 results".
const DEFAULT_LIMITS: Partial<Record<PagedOperationName, number>> = { ListImageReferrers: 20 };

// API reference: maxResults and nextToken "cannot be used when you specify repositories with repositoryNames"
// (images with imageIds): named items are answered whole, never paged.
const SELECTION_MEMBERS: Partial<Record<PagedOperationName, string>> = {
  DescribeRepositories: 'repositoryNames',
  DescribeImages: 'imageIds',
  GetLifecyclePolicyPreview: 'imageIds',
};

/** How one operation pages, as the model says. */
export interface Paging {
  /** The input member holding the page size (the paginator's `limit_key`). */
  limitMember: string;
  /** The input member holding the token (the paginator's `input_token`). */
  tokenMember: string;
  /** The page size when the input gives none. */
  defaultLimit: number;
  /** The input member naming items, which paging cannot be combined with. */
  selectionMember?: string;
}

/** A page asked for: at most `limit` items, starting after the position `after` (absent: from the first). */
export interface PageRequest {
  operation: PagedOperationName;
  limit: number;
  after?: string;
}

/** The input members that carry the page size and the token, or undefined for an operation that does not page. */
function pagingMembers(operation: string): { limitMember: string; tokenMember: string } | undefined {
  if (Object.hasOwn(ecrPaginators, operation)) {
    const paginator = ecrPaginators[operation]!;
    return { limitMember: paginator.limit_key, tokenMember: paginator.input_token };
  }
  // The paginators file lags the operations: ListImageReferrers and ListPullTimeUpdateExclusions are not in it.
  const input = findOperation(operation)?.input;
  const members = input === undefined ? {} : (shapeNamed(input.shape).members ?? {});
  return Object.hasOwn(members, 'maxResults') && Object.hasOwn(members, 'nextToken') ? { limitMember: 'maxResults', tokenMember: 'nextToken' } : undefined;
}

/** The operation's paging; throws an Error (a bug, not a request fault) for an operation the model does not page. */
export function pagingOf(operation: string): Paging {
  const members = pagingMembers(operation);
  if (members === undefined) throw new Error(`${operation} is not a paged operation of the ECR model`);
  const selectionMember = SELECTION_MEMBERS[operation as PagedOperationName];
  return { ...members, defaultLimit: DEFAULT_LIMITS[operation as PagedOperationName] ?? DEFAULT_LIMIT, ...(selectionMember !== undefined ? { selectionMember } : {}) };
}

/** Every model operation that pages, sorted. */
export function pagedOperationNames(): string[] {
  return operationNames().filter((name) => pagingMembers(name) !== undefined);
}

function tokenFor(operation: PagedOperationName, position: string): string {
  return Buffer.from(JSON.stringify({ o: operation, p: position })).toString('base64url');
}

function positionIn(operation: PagedOperationName, token: string): string {
  try {
    const decoded = JSON.parse(Buffer.from(token, 'base64url').toString()) as { o?: unknown; p?: unknown };
    if (decoded.o === operation && typeof decoded.p === 'string') return decoded.p;
  } catch {
    // fall through: answered below
  }
  throw invalidParameter("Invalid parameter at 'nextToken' failed to satisfy constraint: 'must be a token returned by a previous call'");
}

/**
 * The page an input asks for. Throws InvalidParameterException when it pages a selection (maxResults or nextToken
 * with repositoryNames or imageIds) or carries a token this operation did not hand out.
 */
export function pageRequest<Name extends PagedOperationName>(operation: Name, input: EcrOperations[Name]['input']): PageRequest {
  const paging = pagingOf(operation);
  const members = input as Record<string, unknown>;
  const limit = members[paging.limitMember];
  const token = members[paging.tokenMember];
  const { selectionMember } = paging;
  if (selectionMember !== undefined && members[selectionMember] !== undefined && (limit !== undefined || token !== undefined)) {
    throw invalidParameter(`Invalid parameter at '${selectionMember}' failed to satisfy constraint: '${paging.limitMember} and ${paging.tokenMember} cannot be used together with ${selectionMember}'`);
  }
  return {
    operation,
    limit: typeof limit === 'number' ? limit : paging.defaultLimit,
    ...(typeof token === 'string' ? { after: positionIn(operation, token) } : {}),
  };
}

/** The output's nextToken member for a page that ended at `lastPosition`; none when there is no next page. */
export function nextTokenFor(request: PageRequest, lastPosition: string | undefined): { nextToken?: string } {
  return lastPosition === undefined ? {} : { nextToken: tokenFor(request.operation, lastPosition) };
}

/** Pages an in-memory list ordered by `positionOf`; for tables, page in the query instead. */
export function pageOf<T>(request: PageRequest, items: readonly T[], positionOf: (item: T) => string): { page: T[]; nextToken?: string } {
  const { after, limit } = request;
  const remaining = after === undefined ? items : items.filter((item) => positionOf(item) > after);
  const page = remaining.slice(0, limit);
  return { page, ...nextTokenFor(request, remaining.length > limit ? positionOf(page[page.length - 1]!) : undefined) };
}
