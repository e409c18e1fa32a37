// SigV4 verification against signatures made by smithy's own signer and by botocore (the AWS CLI's signer), so the
// emulator accepts what real clients send (JSON and form bodies, session tokens, presigned URLs) and nothing else.
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { DescribeRepositoriesCommand, ECRClient } from '@aws-sdk/client-ecr';
import { IAMClient, ListUsersCommand } from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { verifySignature } from '../../../src/aws/sigv4';
import { readSignatureClaim, SignatureFormatError, type ArrivedRequest } from '../../../src/aws/sigv4-claim';

const SIGNED_AT = new Date('2026-12-01T22:30:00Z');
const ACCESS_KEY_ID = 'AKIAIOSFODNN7EXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
const SESSION_TOKEN = 'FwoGZXIvYXdzEXAMPLE+session/token==';
const HOST = 'localhost:4566';
const MINUTE_MS = 60_000;
const MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

interface Unsigned {
  service: string;
  method?: string;
  path?: string;
  query?: Record<string, string | string[]>;
  headers: Record<string, string>;
  body: string;
  sessionToken?: string;
}

const ECR_JSON: Unsigned = {
  service: 'ecr',
  headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AmazonEC2ContainerRegistry_V20150921.DescribeRepositories' },
  body: '{"repositoryNames":["team/app"]}',
};
const STS_FORM: Unsigned = {
  service: 'sts',
  headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' },
  body: 'Action=GetCallerIdentity&Version=2011-06-15',
};
const IAM_FORM: Unsigned = { ...STS_FORM, service: 'iam', body: 'Action=ListUsers&Version=2010-05-08&PathPrefix=%2Fteam%2F' };
const GET_CALLER_IDENTITY: Unsigned = { service: 'sts', method: 'GET', query: { Action: 'GetCallerIdentity', Version: '2011-06-15' }, headers: {}, body: '' };

function smithySigner(unsigned: Unsigned): SignatureV4 {
  return new SignatureV4({
    service: unsigned.service,
    region: 'us-east-1',
    credentials: { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET, sessionToken: unsigned.sessionToken },
    sha256: Hash.bind(null, 'sha256'),
  });
}

function smithyRequest(unsigned: Unsigned): HttpRequest {
  return new HttpRequest({
    method: unsigned.method ?? 'POST',
    protocol: 'http:',
    hostname: 'localhost',
    port: 4566,
    path: unsigned.path ?? '/',
    query: unsigned.query ?? {},
    headers: { host: HOST, ...unsigned.headers },
    body: unsigned.body,
  });
}

/** Encoded as smithy's signer encodes (RFC 3986), so the URL is the one a client would send. */
function escape(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

type SignedRequest = Awaited<ReturnType<SignatureV4['presign']>>;

function arrived(request: SignedRequest): ArrivedRequest {
  const pairs = Object.entries(request.query ?? {}).flatMap(([name, value]) => (Array.isArray(value) ? value : [value ?? '']).map((one) => `${escape(name)}=${escape(one)}`));
  return {
    method: request.method,
    url: pairs.length === 0 ? request.path : `${request.path}?${pairs.join('&')}`,
    headers: Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name.toLowerCase(), value])),
    body: Buffer.from(typeof request.body === 'string' ? request.body : (request.body ?? '')),
  };
}

async function smithySigned(unsigned: Unsigned): Promise<ArrivedRequest> {
  return arrived(await smithySigner(unsigned).sign(smithyRequest(unsigned), { signingDate: SIGNED_AT }));
}

async function smithyPresigned(unsigned: Unsigned, expiresIn: number): Promise<ArrivedRequest> {
  return arrived(await smithySigner(unsigned).presign(smithyRequest(unsigned), { signingDate: SIGNED_AT, expiresIn }));
}

interface SdkConfig {
  region: string;
  endpoint: string;
  maxAttempts: number;
  /** Moves the client's signing clock to SIGNED_AT. */
  systemClockOffset: number;
  credentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string };
  requestHandler: Record<string, unknown>;
}

/** The request an AWS SDK for JavaScript v3 client puts on the wire, caught by a handler that sends nothing. */
async function sdkSigned(send: (config: SdkConfig) => Promise<unknown>): Promise<ArrivedRequest> {
  let captured: SignedRequest | undefined;
  const requestHandler = {
    handle: async (request: SignedRequest) => {
      captured = request;
      throw new Error('captured, not sent');
    },
  };
  const credentials = { accessKeyId: ACCESS_KEY_ID, secretAccessKey: SECRET, sessionToken: SESSION_TOKEN };
  const config = { region: 'us-east-1', endpoint: `http://${HOST}`, maxAttempts: 1, systemClockOffset: SIGNED_AT.getTime() - Date.now(), credentials, requestHandler };
  await send(config).catch(() => undefined);
  if (captured === undefined) throw new Error('the client sent nothing');
  return arrived(captured);
}

/** botocore's SigV4Auth / SigV4QueryAuth, with its clock pinned to SIGNED_AT. */
const BOTOCORE = `
import datetime, json, sys
from urllib.parse import urlsplit
import botocore.auth
from botocore.auth import SigV4Auth, SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
spec = json.load(sys.stdin)
botocore.auth.get_current_datetime = lambda *args, **kwargs: datetime.datetime(2026, 12, 1, 22, 30, 0)
credentials = Credentials(spec['accessKeyId'], spec['secretAccessKey'], spec.get('sessionToken'))
request = AWSRequest(method=spec['method'], url=spec['url'], data=spec['body'].encode(), headers=spec['headers'])
if spec.get('expires'):
    SigV4QueryAuth(credentials, spec['service'], 'us-east-1', expires=spec['expires']).add_auth(request)
else:
    SigV4Auth(credentials, spec['service'], 'us-east-1').add_auth(request)
prepared = request.prepare()
url = urlsplit(prepared.url)
headers = {name.lower(): value for name, value in prepared.headers.items()}
headers['host'] = url.netloc
body = prepared.body or b''
json.dump({'url': url.path + ('?' + url.query if url.query else ''), 'headers': headers, 'body': body.decode() if isinstance(body, bytes) else body}, sys.stdout)
`;

function botocoreSigned(unsigned: Unsigned, expires?: number): ArrivedRequest {
  const query = Object.entries(unsigned.query ?? {}).map(([name, value]) => `${escape(name)}=${escape(String(value))}`);
  const spec = {
    accessKeyId: ACCESS_KEY_ID,
    secretAccessKey: SECRET,
    sessionToken: unsigned.sessionToken,
    service: unsigned.service,
    method: unsigned.method ?? 'POST',
    url: `http://${HOST}${unsigned.path ?? '/'}${query.length === 0 ? '' : `?${query.join('&')}`}`,
    headers: unsigned.headers,
    body: unsigned.body,
    expires,
  };
  const output = JSON.parse(execFileSync('python3', ['-c', BOTOCORE], { input: JSON.stringify(spec), encoding: 'utf8' })) as {
    url: string;
    headers: Record<string, string>;
    body: string;
  };
  return { method: spec.method, url: output.url, headers: output.headers, body: Buffer.from(output.body) };
}

async function verdictFor(request: ArrivedRequest, options: { secret?: string; now?: Date } = {}) {
  const claim = readSignatureClaim(request);
  if (claim === undefined) throw new Error('expected the request to carry a SigV4 claim');
  return verifySignature(request, claim, options.secret ?? SECRET, options.now ?? SIGNED_AT);
}

function formatErrorOf(request: ArrivedRequest): SignatureFormatError {
  try {
    readSignatureClaim(request);
  } catch (error) {
    if (error instanceof SignatureFormatError) return error;
    throw error;
  }
  throw new Error('expected a SignatureFormatError');
}

function withHeaders(request: ArrivedRequest, headers: ArrivedRequest['headers']): ArrivedRequest {
  return { ...request, headers: { ...request.headers, ...headers } };
}

const signed: Record<string, ArrivedRequest> = {};

beforeAll(async () => {
  Object.assign(signed, {
    'an ECR JSON call signed by smithy': await smithySigned(ECR_JSON),
    'an IAM form call signed by smithy': await smithySigned(IAM_FORM),
    'an ECR JSON call signed by smithy with a session token': await smithySigned({ ...ECR_JSON, sessionToken: SESSION_TOKEN }),
    'an ECR JSON call signed by botocore': botocoreSigned(ECR_JSON),
    'an STS form call signed by botocore': botocoreSigned(STS_FORM),
    'an STS form call signed by botocore with a session token': botocoreSigned({ ...STS_FORM, sessionToken: SESSION_TOKEN }),
    'an ECR JSON call signed by the AWS SDK v3': await sdkSigned((config) => new ECRClient(config).send(new DescribeRepositoriesCommand({ repositoryNames: ['team/app'] }))),
    'an STS form call signed by the AWS SDK v3': await sdkSigned((config) => new STSClient(config).send(new GetCallerIdentityCommand({}))),
    'an IAM form call signed by the AWS SDK v3': await sdkSigned((config) => new IAMClient(config).send(new ListUsersCommand({ PathPrefix: '/team a/' }))),
    'a query with repeated and spaced parameters signed by smithy': await smithySigned({ ...GET_CALLER_IDENTITY, query: { b: ['2', '1'], a: 'x y+z' } }),
    'a percent-encoded path signed by smithy': await smithySigned({ ...ECR_JSON, path: '/v2/team%2Fapp/a%20b' }),
    'an STS GetCallerIdentity URL presigned by smithy': await smithyPresigned(GET_CALLER_IDENTITY, 900),
    'an STS GetCallerIdentity URL presigned by smithy with a session token': await smithyPresigned({ ...GET_CALLER_IDENTITY, sessionToken: SESSION_TOKEN }, 900),
    'an STS GetCallerIdentity URL presigned by botocore with a session token': botocoreSigned({ ...GET_CALLER_IDENTITY, sessionToken: SESSION_TOKEN }, 900),
  });
});

describe('verifySignature', () => {
  it.each([
    'an ECR JSON call signed by smithy',
    'an IAM form call signed by smithy',
    'an ECR JSON call signed by smithy with a session token',
    'an ECR JSON call signed by botocore',
    'an STS form call signed by botocore',
    'an STS form call signed by botocore with a session token',
    'an ECR JSON call signed by the AWS SDK v3',
    'an STS form call signed by the AWS SDK v3',
    'an IAM form call signed by the AWS SDK v3',
    'a query with repeated and spaced parameters signed by smithy',
    'a percent-encoded path signed by smithy',
    'an STS GetCallerIdentity URL presigned by smithy',
    'an STS GetCallerIdentity URL presigned by smithy with a session token',
    'an STS GetCallerIdentity URL presigned by botocore with a session token',
  ])('accepts %s', async (name) => {
    expect(await verdictFor(signed[name]!)).toEqual({ isValid: true });
  });

  it.each([
    'an ECR JSON call signed by smithy',
    'an STS form call signed by botocore',
    'an STS GetCallerIdentity URL presigned by botocore with a session token',
  ])('rejects %s checked with another secret as a mismatch', async (name) => {
    expect(await verdictFor(signed[name]!, { secret: 'another-secret' })).toEqual({ isValid: false, reason: 'mismatch', message: MISMATCH });
  });

  it.each(['an ECR JSON call signed by smithy', 'an ECR JSON call signed by botocore', 'an ECR JSON call signed by the AWS SDK v3', 'an IAM form call signed by smithy'])(
    'rejects %s whose body was changed',
    async (name) => {
      const tampered = { ...signed[name]!, body: Buffer.from('{"repositoryNames":["other"]}') };
      expect(await verdictFor(tampered)).toMatchObject({ isValid: false, reason: 'mismatch' });
    },
  );

  it.each([
    ['x-amz-target', 'AmazonEC2ContainerRegistry_V20150921.DeleteRepository'],
    ['content-type', 'application/json'],
    ['host', 'evil.example:4566'],
    ['x-amz-security-token', 'another-token'],
  ])('rejects a request whose signed header %s was changed', async (header, value) => {
    const tampered = withHeaders(signed['an ECR JSON call signed by smithy with a session token']!, { [header]: value });
    expect(await verdictFor(tampered)).toMatchObject({ isValid: false, reason: 'mismatch' });
  });

  it('rejects a presigned URL whose query was changed', async () => {
    const presigned = signed['an STS GetCallerIdentity URL presigned by botocore with a session token']!;
    const tampered = { ...presigned, url: presigned.url.replace('Action=GetCallerIdentity', 'Action=GetSessionToken') };
    expect(await verdictFor(tampered)).toMatchObject({ isValid: false, reason: 'mismatch' });
  });

  it('rejects a presigned URL whose session token was changed', async () => {
    const presigned = signed['an STS GetCallerIdentity URL presigned by botocore with a session token']!;
    const tampered = { ...presigned, url: presigned.url.replace(/X-Amz-Security-Token=[^&]+/, 'X-Amz-Security-Token=other') };
    expect(await verdictFor(tampered)).toMatchObject({ isValid: false, reason: 'mismatch' });
  });

  it('accepts a request whose unsigned headers were changed or added', async () => {
    const request = withHeaders(signed['an ECR JSON call signed by botocore']!, { 'user-agent': 'other/1.0', 'x-forwarded-for': '10.0.0.1', 'content-length': '999' });
    expect(await verdictFor(request)).toEqual({ isValid: true });
  });

  it('takes the payload hash from a signed x-amz-content-sha256 header, so an UNSIGNED-PAYLOAD body may differ', async () => {
    const request = await smithySigned({ ...ECR_JSON, headers: { ...ECR_JSON.headers, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' } });
    expect(await verdictFor({ ...request, body: Buffer.from('anything') })).toEqual({ isValid: true });
  });

  it.each([
    ['the hash of another body', createHash('sha256').update('another body').digest('hex')],
    ['a streaming payload, whose chunk signatures are not checked', 'STREAMING-AWS4-HMAC-SHA256-PAYLOAD'],
  ])('rejects a request whose signed x-amz-content-sha256 is %s', async (_description, contentSha256) => {
    const request = await smithySigned({ ...ECR_JSON, headers: { ...ECR_JSON.headers, 'x-amz-content-sha256': contentSha256 } });
    expect(await verdictFor(request)).toMatchObject({ isValid: false, reason: 'mismatch' });
  });

  it('joins a signed header that arrived several times with commas, as SigV4 canonicalizes it', async () => {
    const request = await smithySigned({ ...ECR_JSON, headers: { ...ECR_JSON.headers, 'x-amz-meta-tags': 'first,second' } });
    expect(await verdictFor(withHeaders(request, { 'x-amz-meta-tags': ['first', ' second '] }))).toEqual({ isValid: true });
  });

  it.each([
    [-16, 'expired', 'Signature expired: 20261201T223000Z is now earlier than 20261201T223100Z (20261201T224600Z - 15 min.)'],
    [16, 'not-yet-current', 'Signature not yet current: 20261201T223000Z is still later than 20261201T222900Z (20261201T221400Z + 15 min.)'],
  ])('rejects a header-signed request dated %d minutes from now as %s, in AWS words', async (skewMinutes, reason, message) => {
    const now = new Date(SIGNED_AT.getTime() - skewMinutes * MINUTE_MS);
    expect(await verdictFor(signed['an ECR JSON call signed by smithy']!, { now })).toEqual({ isValid: false, reason, message });
  });

  it('words the expiry in whole seconds when now has milliseconds', async () => {
    const now = new Date(SIGNED_AT.getTime() + 16 * MINUTE_MS + 1_999);
    expect(await verdictFor(signed['an ECR JSON call signed by smithy']!, { now })).toMatchObject({
      message: 'Signature expired: 20261201T223000Z is now earlier than 20261201T223101Z (20261201T224601Z - 15 min.)',
    });
  });

  it.each([-15, 15])('accepts a header-signed request dated exactly %d minutes from now', async (skewMinutes) => {
    const now = new Date(SIGNED_AT.getTime() - skewMinutes * MINUTE_MS);
    expect(await verdictFor(signed['an ECR JSON call signed by botocore']!, { now })).toEqual({ isValid: true });
  });

  it.each([
    ['smithy', 'an STS GetCallerIdentity URL presigned by smithy'],
    ['botocore', 'an STS GetCallerIdentity URL presigned by botocore with a session token'],
  ])('accepts a URL presigned by %s until X-Amz-Date + X-Amz-Expires and rejects it one second later', async (_signer, name) => {
    const lastSecond = new Date(SIGNED_AT.getTime() + 900_000);
    expect(await verdictFor(signed[name]!, { now: lastSecond })).toEqual({ isValid: true });
    const afterwards = new Date(lastSecond.getTime() + 1_000);
    expect(await verdictFor(signed[name]!, { now: afterwards })).toEqual({ isValid: false, reason: 'presigned-expired', message: 'Request has expired' });
  });

  it('lets X-Amz-Expires, not the 15-minute skew, bound a presigned URL', async () => {
    const presigned = await smithyPresigned(GET_CALLER_IDENTITY, 3600);
    expect(await verdictFor(presigned, { now: new Date(SIGNED_AT.getTime() + 59 * MINUTE_MS) })).toEqual({ isValid: true });
  });

  it('bounds a presigned URL without X-Amz-Expires by the 15-minute skew', async () => {
    const unexpiring = signed['an STS GetCallerIdentity URL presigned by smithy']!;
    const request = { ...unexpiring, url: unexpiring.url.replace(/&?X-Amz-Expires=\d+/, '') };
    const now = new Date(SIGNED_AT.getTime() + 16 * MINUTE_MS);
    expect(await verdictFor(request, { now })).toMatchObject({ isValid: false, reason: 'expired' });
  });

  it('rejects a URL presigned more than 15 minutes in the future as not yet current', async () => {
    const now = new Date(SIGNED_AT.getTime() - 16 * MINUTE_MS);
    expect(await verdictFor(signed['an STS GetCallerIdentity URL presigned by smithy']!, { now })).toMatchObject({ isValid: false, reason: 'not-yet-current' });
  });
});

describe('readSignatureClaim', () => {
  it('reads the claim of a header-signed request', () => {
    expect(readSignatureClaim(signed['an ECR JSON call signed by smithy with a session token']!)).toEqual({
      accessKeyId: ACCESS_KEY_ID,
      date: '20261201',
      region: 'us-east-1',
      service: 'ecr',
      signedHeaders: ['content-type', 'host', 'x-amz-content-sha256', 'x-amz-date', 'x-amz-security-token', 'x-amz-target'],
      signature: expect.stringMatching(/^[0-9a-f]{64}$/),
      signedAt: SIGNED_AT,
      isPresigned: false,
      securityToken: SESSION_TOKEN,
    });
  });

  it('reads the claim of a presigned URL', () => {
    expect(readSignatureClaim(signed['an STS GetCallerIdentity URL presigned by botocore with a session token']!)).toEqual({
      accessKeyId: ACCESS_KEY_ID,
      date: '20261201',
      region: 'us-east-1',
      service: 'sts',
      signedHeaders: ['host'],
      signature: expect.stringMatching(/^[0-9a-f]{64}$/),
      signedAt: SIGNED_AT,
      isPresigned: true,
      expiresInSeconds: 900,
      securityToken: SESSION_TOKEN,
    });
  });

  it.each([
    ['no Authorization header', undefined],
    ['Basic authentication', 'Basic dXNlcjpwYXNz'],
    ['a bearer token', 'Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig'],
    ['Signature Version 2', 'AWS AKIAIOSFODNN7EXAMPLE:frJIUN8DYpKDtOLCwo//yllqDzg='],
  ])('finds no claim in a request with %s', (_description, authorization) => {
    expect(readSignatureClaim({ method: 'GET', url: '/', headers: { host: HOST, authorization }, body: Buffer.alloc(0) })).toBeUndefined();
  });

  const CREDENTIAL = `${ACCESS_KEY_ID}/20261201/us-east-1/ecr/aws4_request`;
  const SIGNATURE = 'a'.repeat(64);
  const VALID = `AWS4-HMAC-SHA256 Credential=${CREDENTIAL}, SignedHeaders=host;x-amz-date, Signature=${SIGNATURE}`;
  const DATED = { host: HOST, 'x-amz-date': '20261201T223000Z' };

  function headerSigned(headers: ArrivedRequest['headers'], url = '/'): ArrivedRequest {
    return { method: 'POST', url, headers, body: Buffer.alloc(0) };
  }

  it.each([
    [
      'names none of its parts and no date',
      { host: HOST, authorization: 'AWS4-HMAC-SHA256' },
      "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=AWS4-HMAC-SHA256",
      true,
    ],
    [
      'lacks a Signature',
      { ...DATED, authorization: `AWS4-HMAC-SHA256 Credential=${CREDENTIAL}, SignedHeaders=host;x-amz-date` },
      `Authorization header requires 'Signature' parameter. Authorization=AWS4-HMAC-SHA256 Credential=${CREDENTIAL}, SignedHeaders=host;x-amz-date`,
      true,
    ],
    [
      'has a part without an equal sign',
      { ...DATED, authorization: `AWS4-HMAC-SHA256 Credential=${CREDENTIAL}, SignedHeaders, Signature=${SIGNATURE}` },
      `'SignedHeaders' not a valid key=value pair (missing equal-sign) in Authorization header: 'AWS4-HMAC-SHA256 Credential=${CREDENTIAL}, SignedHeaders, Signature=${SIGNATURE}'.`,
      true,
    ],
    [
      'is dated in extended ISO-8601',
      { ...DATED, 'x-amz-date': '2026-12-01T22:30:00Z', authorization: VALID },
      "Date must be in ISO-8601 'basic format'. Got '2026-12-01T22:30:00Z'. See http://en.wikipedia.org/wiki/ISO_8601",
      true,
    ],
    [
      'is dated on a day that does not exist',
      { ...DATED, 'x-amz-date': '20261332T223000Z', authorization: VALID },
      "Date must be in ISO-8601 'basic format'. Got '20261332T223000Z'. See http://en.wikipedia.org/wiki/ISO_8601",
      true,
    ],
    [
      'is dated on 30 February',
      { ...DATED, 'x-amz-date': '20260230T223000Z', authorization: VALID },
      "Date must be in ISO-8601 'basic format'. Got '20260230T223000Z'. See http://en.wikipedia.org/wiki/ISO_8601",
      true,
    ],
    [
      'is dated at hour 24',
      { ...DATED, 'x-amz-date': '20261201T240000Z', authorization: VALID },
      "Date must be in ISO-8601 'basic format'. Got '20261201T240000Z'. See http://en.wikipedia.org/wiki/ISO_8601",
      true,
    ],
    [
      'does not sign the host',
      { ...DATED, authorization: VALID.replace('host;x-amz-date', 'x-amz-date') },
      "'Host' must be a 'SignedHeader' in the AWS Authorization.",
      false,
    ],
    [
      'names another algorithm',
      { ...DATED, authorization: VALID.replace('AWS4-HMAC-SHA256', 'AWS4-HMAC-SHA512') },
      "Unsupported AWS 'algorithm': 'AWS4-HMAC-SHA512' (only AWS4-HMAC-SHA256 for now). ",
      true,
    ],
    [
      'has a credential of four elements',
      { ...DATED, authorization: VALID.replace(CREDENTIAL, `${ACCESS_KEY_ID}/20261201/us-east-1/ecr`) },
      `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${ACCESS_KEY_ID}/20261201/us-east-1/ecr'`,
      true,
    ],
    [
      'has a credential scoped to another day and terminator',
      { ...DATED, authorization: VALID.replace(CREDENTIAL, `${ACCESS_KEY_ID}/20261130/us-east-1/ecr/aws5_request`) },
      "Credential should be scoped with a valid terminator: 'aws4_request', not 'aws5_request'. Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '20261130' != '20261201', from '20261201T223000Z'.",
      false,
    ],
  ])('refuses an Authorization header that %s, in AWS words', (_description, headers, message, isIncomplete) => {
    expect(formatErrorOf(headerSigned(headers))).toMatchObject({ message, isIncomplete });
  });

  it('ignores trailing slashes after the credential, as AWS does', () => {
    const request = headerSigned({ ...DATED, authorization: VALID.replace(CREDENTIAL, `${CREDENTIAL}/`) });
    expect(readSignatureClaim(request)).toMatchObject({ accessKeyId: ACCESS_KEY_ID, service: 'ecr' });
  });

  it('refuses a request dated only by a Date header, which it cannot recompute', () => {
    const request = headerSigned({ host: HOST, date: 'Tue, 01 Dec 2026 22:30:00 GMT', authorization: VALID });
    expect(formatErrorOf(request).message).toContain("'X-Amz-Date'");
  });

  it('refuses a request signed both in the Authorization header and in the query', () => {
    const request = headerSigned({ ...DATED, authorization: VALID }, '/?X-Amz-Algorithm=AWS4-HMAC-SHA256');
    expect(formatErrorOf(request)).toMatchObject({
      message: "Found both 'X-Amz-Algorithm' as a query-string param and 'Authorization' as HTTP header.",
      isIncomplete: false,
    });
  });

  const PRESIGNED = `/?Action=GetCallerIdentity&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=${encodeURIComponent(CREDENTIAL)}&X-Amz-Date=20261201T223000Z&X-Amz-SignedHeaders=host&X-Amz-Signature=${SIGNATURE}`;

  it.each([
    [
      '/?X-Amz-Algorithm=AWS4-HMAC-SHA256',
      "AWS query-string parameters must include 'X-Amz-Credential'. AWS query-string parameters must include 'X-Amz-Signature'. AWS query-string parameters must include 'X-Amz-SignedHeaders'. AWS query-string parameters must include 'X-Amz-Date'. Re-examine the query-string parameters.",
    ],
    [`${PRESIGNED}&X-Amz-Expires=soon`, 'X-Amz-Expires should be a number'],
    [`${PRESIGNED}&X-Amz-Expires=-1`, 'X-Amz-Expires must be non-negative'],
    [
      `${PRESIGNED}&X-Amz-Expires=604801`,
      'X-Amz-Expires must be less than a week (in seconds); that is, the given X-Amz-Expires must be less than 604800 seconds',
    ],
  ])('refuses the presigned URL %s, in AWS words', (url, message) => {
    expect(formatErrorOf(headerSigned({ host: HOST }, url))).toMatchObject({ message, isIncomplete: true });
  });

  it('accepts a presigned X-Amz-Expires of exactly a week', () => {
    expect(readSignatureClaim(headerSigned({ host: HOST }, `${PRESIGNED}&X-Amz-Expires=604800`))).toMatchObject({ expiresInSeconds: 604800 });
  });

  it('reads an Authorization header of 8 KiB and refuses a longer one before parsing it', () => {
    const padding = (length: number) => VALID.replace(SIGNATURE, 'a'.repeat(SIGNATURE.length + length - VALID.length));
    expect(readSignatureClaim(headerSigned({ ...DATED, authorization: padding(8192) }))).toBeDefined();
    expect(formatErrorOf(headerSigned({ ...DATED, authorization: padding(8193) })).message).toBe('Authorization header is longer than 8192 bytes.');
  });

  it('reads 100 signed headers and refuses 101', () => {
    const signing = (count: number) => VALID.replace('host;x-amz-date', ['host', ...Array.from({ length: count - 1 }, (_, i) => `x-h${i}`)].join(';'));
    expect(readSignatureClaim(headerSigned({ ...DATED, authorization: signing(100) }))?.signedHeaders).toHaveLength(100);
    expect(formatErrorOf(headerSigned({ ...DATED, authorization: signing(101) })).message).toBe('SignedHeaders lists more than 100 headers.');
  });
});
