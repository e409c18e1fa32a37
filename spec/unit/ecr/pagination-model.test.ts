// Paging comes from the model: every paginator (and every operation whose input pages without one) is answered by
// the pagination module, served by a handler that asks it for its page, with the defaults the model documents.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AwsError } from '../../../src/aws/aws-error';
import { ecrModel, ecrPaginators, operationNames } from '../../../src/aws/model';
import { handlerFor } from '../../../src/ecr/operations';
import { nextTokenFor, pagedOperationNames, pageRequest, pagingOf, type PagedOperationName } from '../../../src/ecr/pagination';
import { thrownBy } from '../../helpers/rejection';

const TOKEN_MESSAGE = "Invalid parameter at 'nextToken' failed to satisfy constraint: 'must be a token returned by a previous call'";

// Compiles only while it names exactly the operations whose generated input has a nextToken.
const PAGED: Record<PagedOperationName, true> = {
  DescribeImageScanFindings: true,
  DescribeImages: true,
  DescribePullThroughCacheRules: true,
  DescribeRepositories: true,
  DescribeRepositoryCreationTemplates: true,
  GetLifecyclePolicyPreview: true,
  ListImageReferrers: true,
  ListImages: true,
  ListPullTimeUpdateExclusions: true,
};

/** The documentation the model gives an operation's input member, as plain text. */
function memberDocumentation(operation: string, member: string): string {
  const input = ecrModel.operations[operation]!.input!.shape;
  const ref = ecrModel.shapes[input]!.members![member] as { documentation?: string };
  return (ref.documentation ?? '').replace(/<[^>]+>/g, '').replace(/&#x2028;/g, ' ').replace(/\s+/g, ' ');
}

const awsErrorOf = (work: () => unknown): AwsError => thrownBy(AwsError, work);

/** The operations each src/ecr module asks pageRequest for, by reading its source. */
function operationsAskingForPages(): string[] {
  const directory = join(__dirname, '../../../src/ecr');
  return (readdirSync(directory, { recursive: true }) as string[])
    .filter((file) => file.endsWith('.ts'))
    .flatMap((file) => [...readFileSync(join(directory, file), 'utf8').matchAll(/pageRequest\('(\w+)'/g)].map((match) => match[1]!))
    .sort();
}

describe('paged operations of the model', () => {
  it('are the operations whose generated input carries a nextToken', () => {
    expect(pagedOperationNames()).toEqual(Object.keys(PAGED).sort());
  });

  it.each(Object.keys(ecrPaginators))('answers for the paginator of %s with its limit and token members', (operation) => {
    const paginator = ecrPaginators[operation]!;
    expect(operationNames()).toContain(operation);
    expect(pagingOf(operation)).toMatchObject({ limitMember: paginator.limit_key, tokenMember: paginator.input_token });
    // nextTokenFor answers the output member by this name.
    expect(paginator.output_token).toBe('nextToken');
  });

  it.each(['ListImageReferrers', 'ListPullTimeUpdateExclusions'])('answers for %s, which pages without a paginator, from its input members', (operation) => {
    expect(Object.keys(ecrPaginators)).not.toContain(operation);
    expect(pagingOf(operation)).toMatchObject({ limitMember: 'maxResults', tokenMember: 'nextToken' });
  });

  it('serves each one with a handler that asks the module for its page, once', () => {
    expect(pagedOperationNames().filter((operation) => handlerFor(operation) === undefined)).toEqual([]);
    expect(operationsAskingForPages()).toEqual(pagedOperationNames());
  });

  it.each(pagedOperationNames())('pages %s by the default its maxResults documentation states', (operation) => {
    const stated = /returns up to (\d+) results/.exec(memberDocumentation(operation, pagingOf(operation).limitMember));
    expect(stated).not.toBeNull();
    expect(pagingOf(operation).defaultLimit).toBe(Number(stated![1]));
  });

  it.each(pagedOperationNames())('refuses paging %s only together with the selection its documentation names, if any', (operation) => {
    const named = /cannot be used when you specify \w+ with (\w+)/.exec(memberDocumentation(operation, pagingOf(operation).limitMember));
    expect(pagingOf(operation).selectionMember).toBe(named?.[1]);
  });

  it('refuses an operation the model does not page', () => {
    expect(() => pagingOf('CreateRepository')).toThrow('CreateRepository is not a paged operation of the ECR model');
  });
});

describe('pageRequest', () => {
  it('asks for the documented default of 100 items, from the first, when the input gives no paging', () => {
    expect(pageRequest('DescribeRepositories', {})).toEqual({ operation: 'DescribeRepositories', limit: 100 });
  });

  it('asks for 20 referrers by default, as ListImageReferrers documents', () => {
    expect(pageRequest('ListImageReferrers', { repositoryName: 'app', subjectId: { imageDigest: `sha256:${'a'.repeat(64)}` } }).limit).toBe(20);
  });

  it('asks for maxResults items when given', () => {
    expect(pageRequest('ListImages', { repositoryName: 'app', maxResults: 7 }).limit).toBe(7);
  });

  it('continues after the position the previous page of the operation ended at', () => {
    const first = pageRequest('DescribeRepositories', { maxResults: 2 });
    const { nextToken } = nextTokenFor(first, 'team/app');
    expect(pageRequest('DescribeRepositories', { maxResults: 2, nextToken: nextToken! })).toEqual({ operation: 'DescribeRepositories', limit: 2, after: 'team/app' });
  });

  it('gives no nextToken on the last page', () => {
    expect(nextTokenFor(pageRequest('DescribeRepositories', {}), undefined)).toEqual({});
  });

  it('refuses a token another operation handed out with InvalidParameterException', () => {
    const { nextToken } = nextTokenFor(pageRequest('ListImages', { repositoryName: 'app' }), 'sha256:abc');
    expect(awsErrorOf(() => pageRequest('DescribeImages', { repositoryName: 'app', nextToken: nextToken! })).message).toBe(TOKEN_MESSAGE);
  });

  it('refuses a forged token with InvalidParameterException', () => {
    const error = awsErrorOf(() => pageRequest('DescribePullThroughCacheRules', { nextToken: 'forged' }));
    expect([error.type, error.message]).toEqual(['InvalidParameterException', TOKEN_MESSAGE]);
  });

  it.each([
    ['maxResults', { maxResults: 2 }],
    ['nextToken', { nextToken: 'forged' }],
  ])('refuses %s together with repositoryNames, before reading the token', (_label, paging) => {
    expect(awsErrorOf(() => pageRequest('DescribeRepositories', { repositoryNames: ['app'], ...paging })).message).toBe(
      "Invalid parameter at 'repositoryNames' failed to satisfy constraint: 'maxResults and nextToken cannot be used together with repositoryNames'",
    );
  });

  it('accepts a selection without paging', () => {
    expect(pageRequest('DescribeImages', { repositoryName: 'app', imageIds: [{ imageTag: 'v1' }] })).toEqual({ operation: 'DescribeImages', limit: 100 });
  });
});
