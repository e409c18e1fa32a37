// The console API's inputs: query parameters of a GET, members of a POST's JSON body. Each is checked once here,
// with a message naming the parameter, before any core call; lengths are checked before patterns run.
import type { Scope } from '../kernel/scope';
import { ConsoleError } from './console-error';

/** ECR's repository name: lowercase path components, 2 to 256 characters. */
const REPOSITORY_NAME = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
const ACCOUNT_ID = /^\d{12}$/;
const REGION = /^[a-z]{2}(?:-[a-z]+)+-\d{1,2}$/;
const DIGEST = /^sha256:[a-f0-9]{64}$/;
/** OCI distribution spec's tag grammar; ECR allows up to 300 characters. */
const TAG = /^[A-Za-z0-9_][A-Za-z0-9._-]*$/;

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 1000;

export class ConsoleParams {
  constructor(private readonly values: Record<string, unknown>) {}

  /** The value as one string; `?a=1&a=2` and non-string JSON are mistakes, answered 400. */
  optional(name: string): string | undefined {
    const value = this.values[name];
    if (value === undefined || value === '') return undefined;
    if (typeof value !== 'string') throw new ConsoleError(400, `${name} must be given once, as a string`);
    return value;
  }

  required(name: string): string {
    const value = this.optional(name);
    if (value === undefined) throw new ConsoleError(400, `${name} is required`);
    return value;
  }

  private matching(name: string, value: string, pattern: RegExp, maxLength: number, shape: string): string {
    if (value.length > maxLength || !pattern.test(value)) throw new ConsoleError(400, `${name} must be ${shape}, got '${value.slice(0, 300)}'`);
    return value;
  }

  /** `account` and `region`: the registry viewed. */
  scope(): Scope {
    return {
      accountId: this.matching('account', this.required('account'), ACCOUNT_ID, 12, '12 digits'),
      region: this.matching('region', this.required('region'), REGION, 30, 'a region name like us-east-1'),
    };
  }

  repository(name = 'repository'): string {
    const value = this.required(name);
    if (value.length < 2) throw new ConsoleError(400, `${name} must be a repository name of 2 to 256 characters, got '${value}'`);
    return this.matching(name, value, REPOSITORY_NAME, 256, 'a repository name (lowercase letters, digits, . _ - and /, 2 to 256 characters)');
  }

  digest(name = 'digest'): string {
    return this.matching(name, this.required(name), DIGEST, 71, 'a sha256 digest like sha256:<64 hex digits>');
  }

  optionalDigest(name: string): string | undefined {
    return this.optional(name) === undefined ? undefined : this.digest(name);
  }

  tag(): string {
    return this.matching('tag', this.required('tag'), TAG, 300, 'an image tag (letters, digits, _ . -, at most 300 characters)');
  }

  limit(): number {
    const text = this.optional('limit');
    if (text === undefined) return DEFAULT_PAGE_SIZE;
    if (!/^\d{1,4}$/.test(text) || Number(text) < 1 || Number(text) > MAX_PAGE_SIZE) throw new ConsoleError(400, `limit must be an integer from 1 to ${MAX_PAGE_SIZE}, got '${text.slice(0, 30)}'`);
    return Number(text);
  }

  search(): string | undefined {
    const text = this.optional('search');
    if (text !== undefined && text.length > 256) throw new ConsoleError(400, 'search must be at most 256 characters');
    return text;
  }

  imageOrder(): 'digest' | 'pushedAt' {
    const text = this.optional('sort') ?? 'digest';
    if (text !== 'digest' && text !== 'pushedAt') throw new ConsoleError(400, `sort must be one of digest, pushedAt, got '${text.slice(0, 30)}'`);
    return text;
  }

  tagStatus(): 'TAGGED' | 'UNTAGGED' | undefined {
    const text = this.optional('tagStatus');
    if (text === undefined || text === 'ANY') return undefined;
    if (text !== 'TAGGED' && text !== 'UNTAGGED') throw new ConsoleError(400, `tagStatus must be one of TAGGED, UNTAGGED, ANY, got '${text.slice(0, 30)}'`);
    return text;
  }
}
