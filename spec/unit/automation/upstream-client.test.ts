// The upstream client against a scripted fetch: the Bearer token dance, Basic, size caps and digest checks.
import { createHash } from 'node:crypto';
import { createUpstreamClient, parseChallenge, UpstreamError } from '../../../src/automation/upstream-client';
import { MAX_MANIFEST_BYTES } from '../../../src/images/manifest';

const MANIFEST = JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json' });
const DIGEST = `sha256:${createHash('sha256').update(MANIFEST).digest('hex')}`;
const CREDENTIALS = { username: 'robot', password: 's3cret' };
const BASIC = `Basic ${Buffer.from('robot:s3cret').toString('base64')}`;

interface Seen {
  url: string;
  authorization: string | undefined;
}

/** A fetch that records each request and answers with `answer`. */
function scripted(answer: (url: URL, authorization: string | undefined) => Response): { fetch: typeof fetch; seen: Seen[] } {
  const seen: Seen[] = [];
  const fake = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : input.toString());
    const authorization = (init?.headers as Record<string, string> | undefined)?.authorization;
    seen.push({ url: url.toString(), authorization });
    return answer(url, authorization);
  };
  return { fetch: fake as typeof fetch, seen };
}

const manifestResponse = (body = MANIFEST) => new Response(body, { status: 200, headers: { 'content-type': 'application/vnd.oci.image.manifest.v1+json' } });

describe('parseChallenge', () => {
  it('reads the scheme and the quoted parameters of a Bearer challenge', () => {
    expect(parseChallenge('Bearer realm="https://auth.test/token",service="registry.test",scope="repository:team/app:pull"')).toEqual({
      scheme: 'bearer',
      parameters: { realm: 'https://auth.test/token', service: 'registry.test', scope: 'repository:team/app:pull' },
    });
  });
});

describe('createUpstreamClient', () => {
  const target = { baseUrl: 'https://registry.test', credentials: CREDENTIALS };

  it('answers a Bearer challenge with a token from the realm, signed in with Basic, and retries with it', async () => {
    const { fetch, seen } = scripted((url, authorization) => {
      if (url.hostname === 'auth.test') return Response.json({ token: 'tok' });
      if (authorization === 'Bearer tok') return manifestResponse();
      return new Response('', { status: 401, headers: { 'www-authenticate': 'Bearer realm="https://auth.test/token",service="registry.test",scope="repository:team/app:pull"' } });
    });
    const manifest = await createUpstreamClient({ fetch }).getManifest(target, 'team/app', '1.0');
    expect(manifest).toMatchObject({ digest: DIGEST, mediaType: 'application/vnd.oci.image.manifest.v1+json' });
    expect(seen.map(({ url, authorization }) => [url, authorization])).toEqual([
      ['https://registry.test/v2/team/app/manifests/1.0', undefined],
      ['https://auth.test/token?service=registry.test&scope=repository%3Ateam%2Fapp%3Apull', BASIC],
      ['https://registry.test/v2/team/app/manifests/1.0', 'Bearer tok'],
    ]);
  });

  it('remembers the token for the next request to the same repository', async () => {
    const { fetch, seen } = scripted((url, authorization) => {
      if (url.hostname === 'auth.test') return Response.json({ access_token: 'tok' });
      if (authorization === 'Bearer tok') return manifestResponse();
      return new Response('', { status: 401, headers: { 'www-authenticate': 'Bearer realm="https://auth.test/token"' } });
    });
    const client = createUpstreamClient({ fetch });
    await client.getManifest(target, 'team/app', '1.0');
    await client.getManifest(target, 'team/app', '1.0');
    expect(seen).toHaveLength(4);
    expect(seen[3]!.authorization).toBe('Bearer tok');
  });

  it('answers a Basic challenge with the credentials', async () => {
    const { fetch } = scripted((_url, authorization) =>
      authorization === BASIC ? manifestResponse() : new Response('', { status: 401, headers: { 'www-authenticate': 'Basic realm="registry"' } }),
    );
    await expect(createUpstreamClient({ fetch }).getManifest(target, 'team/app', '1.0')).resolves.toMatchObject({ digest: DIGEST });
  });

  it.each([
    ['a Basic challenge without credentials', { baseUrl: 'https://registry.test' }, () => new Response('', { status: 401, headers: { 'www-authenticate': 'Basic realm="r"' } })],
    ['credentials the registry still refuses', target, () => new Response('', { status: 401, headers: { 'www-authenticate': 'Basic realm="r"' } })],
  ])('fails Unauthorized on %s', async (_case, given, answer) => {
    const { fetch } = scripted(answer);
    await expect(createUpstreamClient({ fetch }).getManifest(given, 'team/app', '1.0')).rejects.toMatchObject({ failure: 'Unauthorized' });
  });

  it.each([
    ['a 404', () => new Response('', { status: 404 }), 'NotFound'],
    ['a 500', () => new Response('', { status: 500 }), 'Unreachable'],
    ['a manifest over the size cap', () => manifestResponse('x'.repeat(MAX_MANIFEST_BYTES + 1)), 'Invalid'],
    ['a Docker-Content-Digest the bytes do not hash to', () => new Response(MANIFEST, { headers: { 'docker-content-digest': `sha256:${'0'.repeat(64)}` } }), 'Invalid'],
  ])('fails on %s', async (_case, answer, failure) => {
    const { fetch } = scripted(answer);
    const failed = createUpstreamClient({ fetch }).getManifest(target, 'team/app', '1.0');
    await expect(failed).rejects.toBeInstanceOf(UpstreamError);
    await expect(failed).rejects.toMatchObject({ failure });
  });

  it('refuses bytes that do not hash to the digest asked for', async () => {
    const { fetch } = scripted(() => manifestResponse());
    await expect(createUpstreamClient({ fetch }).getManifest(target, 'team/app', `sha256:${'1'.repeat(64)}`)).rejects.toMatchObject({ failure: 'Invalid' });
  });

  it('fails Unreachable when the upstream cannot be reached', async () => {
    const fetch = (async () => {
      throw new TypeError('fetch failed');
    }) as typeof globalThis.fetch;
    await expect(createUpstreamClient({ fetch }).checkAccess(target, 'team/app')).rejects.toMatchObject({ failure: 'Unreachable' });
  });

  it('streams a blob with its announced length', async () => {
    const { fetch } = scripted(() => new Response('layer bytes', { headers: { 'content-length': '11' } }));
    const blob = await createUpstreamClient({ fetch }).getBlob(target, 'team/app', `sha256:${'2'.repeat(64)}`);
    let text = '';
    for await (const chunk of blob.body) text += (chunk as Buffer).toString();
    expect({ sizeInBytes: blob.sizeInBytes, text }).toEqual({ sizeInBytes: 11, text: 'layer bytes' });
  });
});
