// What a SigV4 request claims: reads the Authorization header or the presigned query into a SignatureClaim, refusing
// a malformed one in AWS's words. It never checks the signature (sigv4.ts does), looks up keys or reads the clock.

/** A request as it arrived, enough to recompute its signature. */
export interface ArrivedRequest {
  method: string;
  /** Path and query exactly as sent, still percent-encoded: `/` or `/?Action=GetCallerIdentity&X-Amz-...`. */
  url: string;
  /** Lower-case names, as node gives them; a header sent several times is best passed as an array (`headersDistinct`). */
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** What a request claims about its signature, read from the Authorization header or the presigned query. */
export interface SignatureClaim {
  accessKeyId: string;
  /** Credential scope: yyyymmdd, region, service. */
  date: string;
  region: string;
  service: string;
  /** As listed by the client, in its order. */
  signedHeaders: string[];
  signature: string;
  /** X-Amz-Date. */
  signedAt: Date;
  isPresigned: boolean;
  /** X-Amz-Expires of a presigned request, when it has one. */
  expiresInSeconds?: number;
  /** x-amz-security-token header or X-Amz-Security-Token parameter, whether or not the client signed it. */
  securityToken?: string;
}

/** A malformed signature, worded as AWS words it. */
export class SignatureFormatError extends Error {
  /** True where AWS answers IncompleteSignature (a part missing or unreadable), false where it answers
   *  InvalidSignatureException / SignatureDoesNotMatch (parts present but inconsistent). */
  readonly isIncomplete: boolean;

  constructor(message: string, isIncomplete: boolean) {
    super(message);
    this.name = 'SignatureFormatError';
    this.isIncomplete = isIncomplete;
  }
}

const ALGORITHM = 'AWS4-HMAC-SHA256';
const TERMINATOR = 'aws4_request';
const MAX_AUTHORIZATION_BYTES = 8 * 1024;
const MAX_SIGNED_HEADERS = 100;
/** A signing key is valid for seven days, so a presigned URL may not live longer. */
const MAX_EXPIRES_SECONDS = 604_800;
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
const QUERY_PARAMETERS = ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Signature', 'X-Amz-SignedHeaders', 'X-Amz-Date'];

/**
 * undefined when the request carries no SigV4 signature at all (no `Authorization: AWS4-...` header, no
 * X-Amz-Algorithm parameter). Throws SignatureFormatError for a malformed one, checking in the order AWS does.
 * The credential's region and service are not checked here: only the caller knows which it serves.
 */
export function readSignatureClaim(request: ArrivedRequest): SignatureClaim | undefined {
  const authorization = firstHeader(request, 'authorization');
  const query = queryPairs(request.url);
  const isPresigned = query.some(([name]) => name === 'X-Amz-Algorithm');
  if (isPresigned && authorization !== undefined) {
    throw new SignatureFormatError("Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.", false);
  }
  if (isPresigned) return readQueryClaim(query);
  if (authorization !== undefined && authorization.trimStart().startsWith('AWS4-')) return readHeaderClaim(request, authorization);
  return undefined;
}

type RawClaim = Record<'algorithm' | 'credential' | 'signedHeaders' | 'signature' | 'amzDate', string>;

function readHeaderClaim(request: ArrivedRequest, authorization: string): SignatureClaim {
  if (Buffer.byteLength(authorization) > MAX_AUTHORIZATION_BYTES) {
    throw new SignatureFormatError(`Authorization header is longer than ${MAX_AUTHORIZATION_BYTES} bytes.`, true);
  }
  const [algorithm = '', ...fields] = authorization.trim().split(/[\s,]+/);
  const parameters = authorizationParameters(fields, authorization);
  const missing = ['Credential', 'Signature', 'SignedHeaders'].filter((name) => !parameters.get(name));
  const amzDate = firstHeader(request, 'x-amz-date');
  const hasDate = firstHeader(request, 'date') !== undefined;
  const problems = missing.map((name) => `Authorization header requires '${name}' parameter. `);
  if (amzDate === undefined && !hasDate) problems.push("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. ");
  if (problems.length > 0) throw new SignatureFormatError(`${problems.join('')}Authorization=${authorization}`, true);
  if (amzDate === undefined) {
    // smithy's signer always re-derives X-Amz-Date and drops Date, so a Date-only request cannot be recomputed.
    throw new SignatureFormatError("The emulator verifies SigV4 requests dated by an 'X-Amz-Date' header; this one has only 'Date'.", true);
  }
  const raw = { algorithm, credential: parameters.get('Credential')!, signedHeaders: parameters.get('SignedHeaders')!, signature: parameters.get('Signature')!, amzDate };
  return claimFrom(raw, { isPresigned: false, securityToken: firstHeader(request, 'x-amz-security-token') });
}

/** `Credential=...`, `SignedHeaders=...`, `Signature=...`; the first of a repeated key wins. */
function authorizationParameters(fields: string[], authorization: string): Map<string, string> {
  const parameters = new Map<string, string>();
  for (const field of fields.filter((text) => text.length > 0)) {
    const equals = field.indexOf('=');
    if (equals < 0) {
      throw new SignatureFormatError(`'${field}' not a valid key=value pair (missing equal-sign) in Authorization header: '${authorization}'.`, true);
    }
    const key = field.slice(0, equals);
    if (!parameters.has(key)) parameters.set(key, field.slice(equals + 1));
  }
  return parameters;
}

function readQueryClaim(query: Array<[string, string]>): SignatureClaim {
  const parameter = (name: string): string | undefined => query.find(([key]) => key === name)?.[1];
  const missing = QUERY_PARAMETERS.filter((name) => !parameter(name));
  if (missing.length > 0) {
    const problems = missing.map((name) => `AWS query-string parameters must include '${name}'. `).join('');
    throw new SignatureFormatError(`${problems}Re-examine the query-string parameters.`, true);
  }
  const raw = {
    algorithm: parameter('X-Amz-Algorithm')!,
    credential: parameter('X-Amz-Credential')!,
    signedHeaders: parameter('X-Amz-SignedHeaders')!,
    signature: parameter('X-Amz-Signature')!,
    amzDate: parameter('X-Amz-Date')!,
  };
  const expires = parameter('X-Amz-Expires');
  return claimFrom(raw, { isPresigned: true, expiresInSeconds: expires === undefined ? undefined : expiresInSeconds(expires), securityToken: parameter('X-Amz-Security-Token') });
}

/** Worded as S3 words a bad X-Amz-Expires (AuthorizationQueryParametersError). */
function expiresInSeconds(text: string): number {
  if (!/^-?\d+$/.test(text)) throw new SignatureFormatError('X-Amz-Expires should be a number', true);
  const seconds = Number(text);
  if (seconds < 0) throw new SignatureFormatError('X-Amz-Expires must be non-negative', true);
  const week = `X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than ${MAX_EXPIRES_SECONDS} seconds`;
  if (seconds > MAX_EXPIRES_SECONDS) throw new SignatureFormatError(week, true);
  return seconds;
}

type ClaimContext = Pick<SignatureClaim, 'isPresigned' | 'expiresInSeconds' | 'securityToken'>;

function claimFrom(raw: RawClaim, context: ClaimContext): SignatureClaim {
  const signedHeaders = raw.signedHeaders.split(';');
  if (signedHeaders.length > MAX_SIGNED_HEADERS) throw new SignatureFormatError(`SignedHeaders lists more than ${MAX_SIGNED_HEADERS} headers.`, true);
  const signedAt = parseAmzDate(raw.amzDate);
  if (!signedHeaders.some((name) => name.toLowerCase() === 'host')) {
    throw new SignatureFormatError("'Host' must be a 'SignedHeader' in the AWS Authorization.", false);
  }
  if (raw.algorithm !== ALGORITHM) throw new SignatureFormatError(`Unsupported AWS 'algorithm': '${raw.algorithm}' (only ${ALGORITHM} for now). `, true);
  // AWS ignores trailing slashes in the credential.
  const scope = raw.credential.replace(/\/+$/, '').split('/');
  if (scope.length !== 5) {
    throw new SignatureFormatError(`Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${raw.credential}'`, true);
  }
  const [accessKeyId, date, region, service, terminator] = scope as [string, string, string, string, string];
  const problems: string[] = [];
  if (terminator !== TERMINATOR) problems.push(`Credential should be scoped with a valid terminator: '${TERMINATOR}', not '${terminator}'. `);
  const signedOn = raw.amzDate.slice(0, 8);
  if (date !== signedOn) {
    problems.push(`Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${date}' != '${signedOn}', from '${raw.amzDate}'.`);
  }
  if (problems.length > 0) throw new SignatureFormatError(problems.join(''), false);
  return { accessKeyId, date, region, service, signedHeaders, signature: raw.signature, signedAt, ...context };
}

/** Built from its fields rather than by formatting and reparsing text: every signed request carries one. */
function parseAmzDate(text: string): Date {
  const fields = AMZ_DATE.exec(text);
  const [year, month, day, hours, minutes, seconds] = fields === null ? [] : fields.slice(1).map(Number);
  const date = new Date(0);
  if (fields !== null) {
    date.setUTCFullYear(year!, month! - 1, day!);
    date.setUTCHours(hours!, minutes!, seconds!, 0);
  }
  // A field out of range (month 13, 30 February, hour 24) rolls the date over, so it no longer reads back the same.
  const readsBack = fields !== null && date.getUTCFullYear() === year && date.getUTCMonth() === month! - 1 && date.getUTCDate() === day
    && date.getUTCHours() === hours && date.getUTCMinutes() === minutes && date.getUTCSeconds() === seconds;
  if (!readsBack) {
    throw new SignatureFormatError(`Date must be in ISO-8601 'basic format'. Got '${text}'. See http://en.wikipedia.org/wiki/ISO_8601`, true);
  }
  return date;
}

/** 20261201T223000Z: X-Amz-Date's form, which AWS also words its time errors in. */
export function amzDate(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}

/** Decoded pairs in arrival order; smithy re-encodes them. A pair that is not valid percent-encoding stays as sent. */
export function queryPairs(url: string): Array<[string, string]> {
  const questionMark = url.indexOf('?');
  if (questionMark < 0) return [];
  return url
    .slice(questionMark + 1)
    .split('&')
    .filter((pair) => pair.length > 0)
    .map((pair) => {
      const equals = pair.indexOf('=');
      return equals < 0 ? [decode(pair), ''] : [decode(pair.slice(0, equals)), decode(pair.slice(equals + 1))];
    });
}

function decode(component: string): string {
  try {
    return decodeURIComponent(component);
  } catch {
    return component;
  }
}

/** Every value of a header (lower-case name), in arrival order. */
export function headerValues(request: ArrivedRequest, name: string): string[] | undefined {
  const value = request.headers[name];
  if (value === undefined) return undefined;
  return Array.isArray(value) ? value : [value];
}

export function firstHeader(request: ArrivedRequest, name: string): string | undefined {
  return headerValues(request, name)?.[0];
}
