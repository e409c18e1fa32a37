// The wire forms every IAM handler shares: RFC 3986 encoding of policy documents, and the pages of List operations.
import { QueryError } from '../../../src/aws/query-error';
import { pageOf } from '../../../src/iam/iam-paging';
import { encodePolicyDocument } from '../../../src/iam/iam-wire';

describe('encodePolicyDocument', () => {
  it('encodes as IAM does, the characters encodeURIComponent leaves included, and decodes back', () => {
    const document = `{"Version": "2012-10-17", "Statement": [{"Sid": "it's (all) *ok*!", "Effect": "Allow"}]}`;
    const encoded = encodePolicyDocument(document);
    expect(encoded.startsWith('%7B%22Version%22%3A%20%222012-10-17%22')).toBe(true);
    expect(encoded).not.toMatch(/[!'()* ]/);
    expect(decodeURIComponent(encoded)).toBe(document);
  });
});

describe('pageOf', () => {
  const letters = ['a', 'b', 'c', 'd', 'e'];

  it('answers everything, untruncated, without MaxItems', () => {
    expect(pageOf(letters, {})).toEqual({ items: letters, IsTruncated: false });
  });

  it('walks the pages with the Marker it hands out', () => {
    const first = pageOf(letters, { MaxItems: 2 });
    expect(first).toMatchObject({ items: ['a', 'b'], IsTruncated: true });
    const second = pageOf(letters, { MaxItems: 2, Marker: first.Marker! });
    const third = pageOf(letters, { MaxItems: 2, Marker: second.Marker! });
    expect([second.items, third.items, third.IsTruncated, third.Marker]).toEqual([['c', 'd'], ['e'], false, undefined]);
  });

  it('refuses a Marker it did not make with InvalidInput', () => {
    expect(() => pageOf(letters, { Marker: 'forged' })).toThrow(QueryError);
  });
});
