// nextTokens and in-memory paging: tokens round-trip whatever the position, every malformed token is refused as ECR
// refuses it, and pageOf walks an ordered list page by page. (Which operations page, their defaults and selections:
// pagination-model.test.ts.)
import { AwsError } from '../../../src/aws/aws-error';
import { nextTokenFor, pageOf, pageRequest, type PageRequest } from '../../../src/ecr/pagination';
import { thrownBy } from '../../helpers/rejection';

const TOKEN_MESSAGE = "Invalid parameter at 'nextToken' failed to satisfy constraint: 'must be a token returned by a previous call'";

const awsErrorOf = (work: () => unknown): AwsError => thrownBy(AwsError, work);

const base64url = (text: string): string => Buffer.from(text).toString('base64url');

/** The page DescribeRepositories asks for with this nextToken; throws what pageRequest throws. */
const continuing = (nextToken: string, maxResults?: number): PageRequest =>
  pageRequest('DescribeRepositories', { nextToken, ...(maxResults !== undefined ? { maxResults } : {}) });

describe('nextTokens', () => {
  test.each([
    ['a repository name', 'team/app'],
    ['a digest', `sha256:${'a'.repeat(64)}`],
    ['a digest and tag pair', 'sha256:abc\ntag'],
    ['the empty string', ''],
    ['non-ASCII text', 'ünïcødé'],
    ['text with quotes and backslashes', 'a"b\\c'],
  ])('carry %s back as the position to continue after', (_case, position) => {
    const { nextToken } = nextTokenFor(pageRequest('DescribeRepositories', {}), position);
    expect(continuing(nextToken!).after).toBe(position);
  });

  test('are written in URL-safe characters only', () => {
    const { nextToken } = nextTokenFor(pageRequest('DescribeRepositories', {}), 'a/b?c=d&e+f'.repeat(5));
    expect(nextToken).toMatch(/^[A-Za-z0-9_-]+$/);
  });

  test.each([
    ['text that is not base64 JSON', 'not-a-token'],
    ['the empty string', ''],
    ['JSON of the operation without a position', base64url('{"o":"DescribeRepositories"}')],
    ['JSON of the operation whose position is not a string', base64url('{"o":"DescribeRepositories","p":5}')],
    ['JSON with a position but no operation, as tokens were before they named one', base64url('{"p":"team/app"}')],
    ['JSON null', base64url('null')],
    ['a JSON array', base64url('["DescribeRepositories","team/app"]')],
    ['a JSON string', base64url('"team/app"')],
    ['an opaque token of real ECR', 'ukD72mdD/mC8b5xV3susmJzzaTgp3hKwR9nRUW1yZZ5oK3FjyO4IjQ=='],
  ])('are refused when they are %s, with InvalidParameterException', (_case, token) => {
    const error = awsErrorOf(() => continuing(token));
    expect([error.type, error.message, error.statusCode]).toEqual(['InvalidParameterException', TOKEN_MESSAGE, 400]);
  });
});

describe('pageOf', () => {
  const items = ['a', 'b', 'c', 'd', 'e'].map((name) => ({ name }));
  const positionOf = (item: { name: string }): string => item.name;
  const namesOf = (page: { name: string }[]): string[] => page.map(positionOf);
  const first = (maxResults?: number): PageRequest => pageRequest('DescribeRepositories', maxResults === undefined ? {} : { maxResults });

  test('returns the first limit items with a token when more remain', () => {
    const { page, nextToken } = pageOf(first(2), items, positionOf);
    expect(namesOf(page)).toEqual(['a', 'b']);
    expect(continuing(nextToken!).after).toBe('b');
  });

  test('continues after the position of the token', () => {
    const { nextToken } = pageOf(first(2), items, positionOf);
    expect(namesOf(pageOf(continuing(nextToken!, 2), items, positionOf).page)).toEqual(['c', 'd']);
  });

  test('walks every item once, in order, and ends with a page without a token', () => {
    const seen: string[] = [];
    const hasToken: boolean[] = [];
    let request = first(2);
    for (;;) {
      const { page, nextToken } = pageOf(request, items, positionOf);
      seen.push(...namesOf(page));
      hasToken.push(nextToken !== undefined);
      if (nextToken === undefined) break;
      request = continuing(nextToken, 2);
    }
    expect(seen).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(hasToken).toEqual([true, true, false]);
  });

  test('gives no token when the remaining items exactly fill the page', () => {
    const result = pageOf(first(5), items, positionOf);
    expect(namesOf(result.page)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(result).not.toHaveProperty('nextToken');
  });

  test('pages by the operation default when the input gives no maxResults', () => {
    const many = Array.from({ length: 150 }, (_, index) => ({ name: String(index).padStart(3, '0') }));
    const { page, nextToken } = pageOf(first(), many, positionOf);
    expect(page).toHaveLength(100);
    expect(continuing(nextToken!).after).toBe('099');
  });

  test('continues after a position whose item was removed since', () => {
    const withoutC = items.filter((item) => item.name !== 'c');
    const after = nextTokenFor(first(), 'c').nextToken!;
    expect(namesOf(pageOf(continuing(after), withoutC, positionOf).page)).toEqual(['d', 'e']);
  });

  test('returns an empty page without a token for a token past the last item', () => {
    expect(pageOf(continuing(nextTokenFor(first(), 'z').nextToken!), items, positionOf)).toEqual({ page: [] });
  });

  test('returns an empty page without a token for an empty list', () => {
    expect(pageOf(first(), [], positionOf)).toEqual({ page: [] });
  });
});
