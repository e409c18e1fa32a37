// SigV4 over HTTP on each control-plane endpoint (ECR's JSON, IAM's and STS's query): a key IAM or STS issued must
// sign with its secret within 15 minutes of the emulator's clock, a session with its token too, and a refusal carries
// the code, message and status AWS answers with; an account root's signature is still not checked.
import { execFileSync } from 'node:child_process';
import { DescribeRegistryCommand } from '@aws-sdk/client-ecr';
import { CreateUserCommand, DeleteAccessKeyCommand, UpdateAccessKeyCommand } from '@aws-sdk/client-iam';
import { AssumeRoleCommand, GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { Hash } from '@smithy/hash-node';
import { HttpRequest } from '@smithy/protocol-http';
import { SignatureV4 } from '@smithy/signature-v4';
import { createRole, createUserWithKey, ecrClientWith, iamClient, rootKeys, sessionKeys, stsClient, trustPolicy, type KeyPair } from '../helpers/identity-clients';
import { testClock } from '../helpers/test-clock';
import { useTestEmulator } from '../helpers/test-emulator';

const HOME = '111111111111';
const OTHER = '222222222222';
const DEFAULT_ACCOUNT = '000000000000';
const MINUTE_MS = 60_000;
const INVALID_TOKEN = 'The security token included in the request is invalid.';
const MISMATCH =
  'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';

// Whole seconds, as X-Amz-Date carries time, so the expected wording of a skew is exact.
const clock = testClock(new Date(Math.floor(Date.now() / 1000) * 1000));
const env = useTestEmulator({ clock });

interface Refusal {
  status: number;
  name: string;
  message: string;
}

type RefusalKind = 'unknownKey' | 'mismatch' | 'incomplete';

interface Endpoint {
  name: 'ECR' | 'IAM' | 'STS';
  service: 'ecr' | 'iam' | 'sts';
  /** A call the endpoint's SDK client makes with `keys`: its status and the account it acted in. */
  call(keys: KeyPair): Promise<{ status: number | undefined; account: string }>;
  /** The same call as it goes on the wire, before it is signed. */
  wire: { headers: Record<string, string>; body: string };
  /** The code and status the endpoint refuses a request with, for each way a signature fails. */
  refusals: Record<RefusalKind, Omit<Refusal, 'message'>>;
}

const FORM = 'application/x-www-form-urlencoded; charset=utf-8';

// AWS's JSON services answer every authentication failure 400; IAM and STS answer 403, but 400 for IncompleteSignature.
const ENDPOINTS: Endpoint[] = [
  {
    name: 'ECR',
    service: 'ecr',
    async call(keys) {
      const { $metadata, registryId } = await ecrClientWith(env.emulator.endpoint, keys).send(new DescribeRegistryCommand({}));
      return { status: $metadata.httpStatusCode, account: registryId! };
    },
    wire: { headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AmazonEC2ContainerRegistry_V20150921.DescribeRegistry' }, body: '{}' },
    refusals: {
      unknownKey: { name: 'UnrecognizedClientException', status: 400 },
      mismatch: { name: 'InvalidSignatureException', status: 400 },
      incomplete: { name: 'IncompleteSignatureException', status: 400 },
    },
  },
  {
    name: 'IAM',
    service: 'iam',
    async call(keys) {
      const { $metadata, User } = await iamClient(env.emulator.endpoint, keys).send(new CreateUserCommand({ UserName: 'probe' }));
      return { status: $metadata.httpStatusCode, account: User!.Arn!.split(':')[4]! };
    },
    wire: { headers: { 'content-type': FORM }, body: 'Action=CreateUser&UserName=probe&Version=2010-05-08' },
    refusals: {
      unknownKey: { name: 'InvalidClientTokenId', status: 403 },
      mismatch: { name: 'SignatureDoesNotMatch', status: 403 },
      incomplete: { name: 'IncompleteSignature', status: 400 },
    },
  },
  {
    name: 'STS',
    service: 'sts',
    async call(keys) {
      const { $metadata, Account } = await stsClient(env.emulator.endpoint, keys).send(new GetCallerIdentityCommand({}));
      return { status: $metadata.httpStatusCode, account: Account! };
    },
    wire: { headers: { 'content-type': FORM }, body: 'Action=GetCallerIdentity&Version=2011-06-15' },
    refusals: {
      unknownKey: { name: 'InvalidClientTokenId', status: 403 },
      mismatch: { name: 'SignatureDoesNotMatch', status: 403 },
      incomplete: { name: 'IncompleteSignature', status: 400 },
    },
  },
];

function refusalOf(endpoint: Endpoint, kind: RefusalKind, message: string): Refusal {
  return { ...endpoint.refusals[kind], message };
}

/** The status, name and message an SDK call fails with. */
async function sdkRefusal(call: Promise<unknown>): Promise<Refusal> {
  try {
    await call;
  } catch (error) {
    const { name, message, $metadata } = error as Error & { $metadata?: { httpStatusCode?: number } };
    return { status: $metadata?.httpStatusCode ?? 0, name, message };
  }
  throw new Error('the call succeeded');
}

function xmlElement(xml: string, name: string): string {
  const text = new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1] ?? '';
  const named: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
  return text.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (entity, reference: string) =>
    reference.startsWith('#') ? String.fromCodePoint(Number(reference.replace(/^#x/i, '0x').replace(/^#/, ''))) : (named[reference] ?? entity),
  );
}

/** The status, code and message of an error response, JSON (`__type`) or query XML (`<Code>`). */
async function wireRefusal(response: Response): Promise<Refusal> {
  const text = await response.text();
  if ((response.headers.get('content-type') ?? '').includes('json')) {
    const body = JSON.parse(text) as { __type: string; message: string };
    return { status: response.status, name: body.__type, message: body.message };
  }
  return { status: response.status, name: xmlElement(text, 'Code'), message: xmlElement(text, 'Message') };
}

function signer(service: string, keys: KeyPair): SignatureV4 {
  return new SignatureV4({ service, region: 'us-east-1', credentials: keys, sha256: Hash.bind(null, 'sha256') });
}

function requestTo(options: { method: string; query?: Record<string, string>; headers?: Record<string, string>; body?: string }): HttpRequest {
  const url = new URL(env.emulator.endpoint);
  return new HttpRequest({
    method: options.method,
    protocol: url.protocol,
    hostname: url.hostname,
    port: Number(url.port),
    path: '/',
    query: options.query ?? {},
    headers: { host: url.host, ...options.headers },
    ...(options.body !== undefined ? { body: options.body } : {}),
  });
}

/** The endpoint's call signed by smithy's SignatureV4 as of `signingDate`, sent with fetch. */
async function signedByHand(endpoint: Endpoint, keys: KeyPair, signingDate: Date): Promise<Response> {
  const request = requestTo({ method: 'POST', headers: endpoint.wire.headers, body: endpoint.wire.body });
  const signed = await signer(endpoint.service, keys).sign(request, { signingDate });
  return fetch(`${env.emulator.endpoint}/`, { method: 'POST', headers: signed.headers, body: endpoint.wire.body });
}

/** Encoded as SigV4 encodes a query (RFC 3986), so the URL is the one a client would send. */
function escape(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

const CALLER_IDENTITY_QUERY = { Action: 'GetCallerIdentity', Version: '2011-06-15' };

/** A GetCallerIdentity URL presigned by smithy for 15 minutes from the emulator's now, as `aws eks get-token` makes. */
async function smithyPresignedUrl(keys: KeyPair): Promise<string> {
  const presigned = await signer('sts', keys).presign(requestTo({ method: 'GET', query: CALLER_IDENTITY_QUERY }), { signingDate: clock.now(), expiresIn: 900 });
  const pairs = Object.entries(presigned.query ?? {}).map(([name, value]) => `${escape(name)}=${escape(String(value))}`);
  return `${env.emulator.endpoint}/?${pairs.join('&')}`;
}

/** botocore's SigV4QueryAuth, with its clock pinned to the emulator's. */
const BOTOCORE_PRESIGN = `
import datetime, sys
import botocore.auth
from botocore.auth import SigV4QueryAuth
from botocore.awsrequest import AWSRequest
from botocore.credentials import Credentials
url, access_key_id, secret_access_key, epoch_seconds = sys.argv[1:]
signed_at = datetime.datetime.fromtimestamp(int(epoch_seconds), datetime.timezone.utc).replace(tzinfo=None)
botocore.auth.get_current_datetime = lambda *args, **kwargs: signed_at
request = AWSRequest(method='GET', url=url)
SigV4QueryAuth(Credentials(access_key_id, secret_access_key), 'sts', 'us-east-1', expires=900).add_auth(request)
print(request.prepare().url)
`;

function botocorePresignedUrl(keys: KeyPair): string {
  const url = `${env.emulator.endpoint}/?Action=GetCallerIdentity&Version=2011-06-15`;
  const epochSeconds = String(clock.now().getTime() / 1000);
  return execFileSync('python3', ['-c', BOTOCORE_PRESIGN, url, keys.accessKeyId, keys.secretAccessKey, epochSeconds], { encoding: 'utf8' }).trim();
}

/** 20261201T223000Z, as X-Amz-Date and AWS's skew messages write an instant. */
function amzDate(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');
}

function minutesFromNow(minutes: number): Date {
  return new Date(clock.now().getTime() + minutes * MINUTE_MS);
}

/** A user `alice` in HOME with an access key, made by HOME's root. */
async function alice(): Promise<{ arn: string; keys: KeyPair }> {
  return createUserWithKey(iamClient(env.emulator.endpoint, rootKeys(HOME)), 'alice');
}

describe("an IAM user's access key", () => {
  test.each(ENDPOINTS)('$name answers a request the SDK signed with it, in the user account', async (endpoint) => {
    const { keys } = await alice();
    expect(await endpoint.call(keys)).toEqual({ status: 200, account: HOME });
  });

  test.each(ENDPOINTS)('$name answers the request signed by hand with the current time', async (endpoint) => {
    const { keys } = await alice();
    expect((await signedByHand(endpoint, keys, clock.now())).status).toBe(200);
  });

  test.each(ENDPOINTS)('$name refuses a request signed with another secret as $refusals.mismatch.name', async (endpoint) => {
    const { keys } = await alice();
    const refusal = await sdkRefusal(endpoint.call({ ...keys, secretAccessKey: 'not-the-secret' }));
    expect(refusal).toEqual(refusalOf(endpoint, 'mismatch', MISMATCH));
  });

  test.each(ENDPOINTS)('$name refuses a key IAM issued and then deleted as $refusals.unknownKey.name', async (endpoint) => {
    const { keys } = await alice();
    await iamClient(env.emulator.endpoint, rootKeys(HOME)).send(new DeleteAccessKeyCommand({ UserName: 'alice', AccessKeyId: keys.accessKeyId }));
    expect(await sdkRefusal(endpoint.call(keys))).toEqual(refusalOf(endpoint, 'unknownKey', INVALID_TOKEN));
  });

  test.each(ENDPOINTS)('$name refuses a deactivated key as $refusals.unknownKey.name', async (endpoint) => {
    const { keys } = await alice();
    const update = new UpdateAccessKeyCommand({ UserName: 'alice', AccessKeyId: keys.accessKeyId, Status: 'Inactive' });
    await iamClient(env.emulator.endpoint, rootKeys(HOME)).send(update);
    expect(await sdkRefusal(endpoint.call(keys))).toEqual(refusalOf(endpoint, 'unknownKey', INVALID_TOKEN));
  });

  const skews = ENDPOINTS.flatMap((endpoint) => [
    [endpoint.name, '16 minutes ago', endpoint, -16, (now: string, signed: string, bound: string) => `Signature expired: ${signed} is now earlier than ${bound} (${now} - 15 min.)`],
    [endpoint.name, 'in 16 minutes', endpoint, 16, (now: string, signed: string, bound: string) => `Signature not yet current: ${signed} is still later than ${bound} (${now} + 15 min.)`],
  ] as const);

  test.each(skews)('%s refuses a request signed %s, in AWS words', async (_name, _when, endpoint, minutes, wording) => {
    const { keys } = await alice();
    const response = await signedByHand(endpoint, keys, minutesFromNow(minutes));
    const bound = minutesFromNow(Math.sign(minutes) * 15);
    const message = wording(amzDate(clock.now()), amzDate(minutesFromNow(minutes)), amzDate(bound));
    expect(await wireRefusal(response)).toEqual(refusalOf(endpoint, 'mismatch', message));
  });

  test.each(ENDPOINTS)('$name refuses an Authorization header with a Credential only as $refusals.incomplete.name', async (endpoint) => {
    const authorization = 'AWS4-HMAC-SHA256 Credential=x';
    const response = await fetch(`${env.emulator.endpoint}/`, { method: 'POST', headers: { ...endpoint.wire.headers, authorization }, body: endpoint.wire.body });
    const message =
      "Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. " +
      `Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. Authorization=${authorization}`;
    expect(await wireRefusal(response)).toEqual(refusalOf(endpoint, 'incomplete', message));
  });
});

describe('presigned GetCallerIdentity URLs', () => {
  test.each([
    ['smithy', smithyPresignedUrl],
    ['botocore', botocorePresignedUrl],
  ])("answers a URL presigned by %s with the user's ARN", async (_signer, presign) => {
    const { arn, keys } = await alice();
    const response = await fetch(await presign(keys));
    expect(response.status).toBe(200);
    expect(await response.text()).toContain(`<Arn>${arn}</Arn>`);
  });

  test.each([
    ['smithy', smithyPresignedUrl],
    ['botocore', botocorePresignedUrl],
  ])('refuses a URL presigned by %s whose X-Amz-Expires was raised with SignatureDoesNotMatch', async (_signer, presign) => {
    const { keys } = await alice();
    const url = await presign(keys);
    expect(url).toContain('X-Amz-Expires=900');
    const response = await fetch(url.replace('X-Amz-Expires=900', 'X-Amz-Expires=3600'));
    expect(await wireRefusal(response)).toEqual({ status: 403, name: 'SignatureDoesNotMatch', message: MISMATCH });
  });
});

describe('account roots', () => {
  const roots = ENDPOINTS.flatMap((endpoint) => [
    [endpoint.name, 'a 12-digit key with any secret', endpoint, { accessKeyId: HOME, secretAccessKey: 'anything at all' }, HOME],
    [endpoint.name, 'test/test', endpoint, { accessKeyId: 'test', secretAccessKey: 'test' }, DEFAULT_ACCOUNT],
  ] as const);

  test.each(roots)('%s answers %s without checking the signature, in its account', async (_name, _keys, endpoint, keys, account) => {
    expect(await endpoint.call(keys)).toEqual({ status: 200, account });
  });
});

describe('role sessions', () => {
  /** A session of role `deployer` in OTHER, assumed by alice, whom its trust policy names. */
  async function deployerSession(): Promise<KeyPair> {
    const { arn, keys } = await alice();
    const roleArn = await createRole(iamClient(env.emulator.endpoint, rootKeys(OTHER)), 'deployer', trustPolicy([arn]));
    const { Credentials } = await stsClient(env.emulator.endpoint, keys).send(new AssumeRoleCommand({ RoleArn: roleArn, RoleSessionName: 'ci' }));
    return sessionKeys(Credentials);
  }

  test.each(ENDPOINTS)("$name answers a request signed with the session's key and token, in the role account", async (endpoint) => {
    expect(await endpoint.call(await deployerSession())).toEqual({ status: 200, account: OTHER });
  });

  test('STS answers a GetCallerIdentity URL presigned with the session key and token with the assumed-role ARN', async () => {
    const session = await deployerSession();
    const url = await smithyPresignedUrl(session);
    expect(url).toContain('X-Amz-Security-Token=');
    const response = await fetch(url);
    expect(response.status).toBe(200);
    expect(await response.text()).toContain(`<Arn>arn:aws:sts::${OTHER}:assumed-role/deployer/ci</Arn>`);
  });

  test.each(ENDPOINTS)('$name refuses the session key without its token as $refusals.unknownKey.name', async (endpoint) => {
    const { accessKeyId, secretAccessKey } = await deployerSession();
    expect(await sdkRefusal(endpoint.call({ accessKeyId, secretAccessKey }))).toEqual(refusalOf(endpoint, 'unknownKey', INVALID_TOKEN));
  });

  test.each(ENDPOINTS)('$name refuses the session key and token signed with another secret as $refusals.mismatch.name', async (endpoint) => {
    const session = await deployerSession();
    expect(await sdkRefusal(endpoint.call({ ...session, secretAccessKey: 'not-the-secret' }))).toEqual(refusalOf(endpoint, 'mismatch', MISMATCH));
  });
});
