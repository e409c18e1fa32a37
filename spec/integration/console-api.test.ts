// The console's JSON API under /_emulator/api/: every route, its paging, its bad inputs, its actions, and who it acts
// as (the account root without credentials, the token's principal with them, decided by the policies).
import {
  CreateRepositoryCommand,
  DescribeImagesCommand,
  PutLifecyclePolicyCommand,
  SetRepositoryPolicyCommand,
  StartImageScanCommand,
} from '@aws-sdk/client-ecr';
import { AttachUserPolicyCommand } from '@aws-sdk/client-iam';
import { createUserWithKey, ecrClientWith, iamClient, rootKeys } from '../helpers/identity-clients';
import { basicAuthorization, OCI_INDEX, sha256 } from '../helpers/registry-client';
import { startTestEmulator, useTestEmulator, type TestEmulator } from '../helpers/test-emulator';
import { testClock } from '../helpers/test-clock';

const ACCOUNT = '000000000000';
const REGION = 'us-east-1';
const SCOPE = `account=${ACCOUNT}&region=${REGION}`;
const START = new Date('2026-01-01T00:00:00Z');
const clock = testClock(START);

interface Answer {
  status: number;
  body: Record<string, unknown> & { message?: string };
}

async function answerOf(response: Response): Promise<Answer> {
  return { status: response.status, body: (await response.json()) as Answer['body'] };
}

function apiGet(endpoint: string, path: string, headers: Record<string, string> = {}): Promise<Answer> {
  return fetch(`${endpoint}/_emulator/api${path}`, { headers }).then(answerOf);
}

function apiPost(endpoint: string, path: string, body: unknown, headers: Record<string, string> = {}): Promise<Answer> {
  return fetch(`${endpoint}/_emulator/api${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) }).then(answerOf);
}

describe('console API', () => {
  const env = useTestEmulator({ clock, repositories: ['app', 'team/api', 'team/web', 'tools'] });
  const get = (path: string, headers?: Record<string, string>) => apiGet(env.emulator.endpoint, path, headers);
  const post = (path: string, body: unknown, headers?: Record<string, string>) => apiPost(env.emulator.endpoint, path, body, headers);

  /** An index of two platform images (each a one-layer image of its own), tagged `multi`. */
  async function pushIndex(repository: string): Promise<{ index: string; children: string[] }> {
    const amd = await env.registry.pushImage(repository, 'amd', { layers: ['amd64 layer'] });
    const arm = await env.registry.pushImage(repository, 'arm', { layers: ['arm64 layer'] });
    const index = JSON.stringify({
      schemaVersion: 2,
      mediaType: OCI_INDEX,
      manifests: [
        { mediaType: 'application/vnd.docker.distribution.manifest.v2+json', digest: amd.digest, size: Buffer.byteLength(amd.manifest), platform: { os: 'linux', architecture: 'amd64' } },
        { mediaType: 'application/vnd.docker.distribution.manifest.v2+json', digest: arm.digest, size: Buffer.byteLength(arm.manifest), platform: { os: 'linux', architecture: 'arm64', variant: 'v8' } },
      ],
    });
    const response = await env.registry.putManifest(repository, 'multi', index, OCI_INDEX);
    expect(response.status).toBe(201);
    return { index: sha256(index), children: [amd.digest, arm.digest] };
  }

  describe('index and routing', () => {
    it('lists every route with its method, path, description and parameters', async () => {
      const { status, body } = await get('');
      expect(status).toBe(200);
      const routes = body.routes as { method: string; path: string; description: string; parameters: string[] }[];
      expect(routes.map((route) => `${route.method} ${route.path}`)).toEqual([
        'GET /_emulator/api/session',
        'GET /_emulator/api/registries',
        'GET /_emulator/api/repositories',
        'GET /_emulator/api/repository',
        'GET /_emulator/api/images',
        'GET /_emulator/api/image',
        'GET /_emulator/api/lifecycle-preview',
        'POST /_emulator/api/delete-image',
        'POST /_emulator/api/delete-tag',
        'POST /_emulator/api/start-scan',
        'POST /_emulator/api/run-lifecycle',
        'GET /_emulator/api/decisions',
        'GET /_emulator/api/suggested-policy',
      ]);
      for (const route of routes) expect(route.description).not.toBe('');
    });

    it('answers an unknown route 404 and a wrong method 405, as JSON', async () => {
      expect(await get('/nope')).toEqual({ status: 404, body: { message: 'No console API route /nope; GET /_emulator/api lists them.' } });
      expect(await post('/registries', {})).toEqual({ status: 405, body: { message: 'POST is not allowed on /_emulator/api/registries; use GET.' } });
      expect(await get('/delete-image')).toEqual({ status: 405, body: { message: 'GET is not allowed on /_emulator/api/delete-image; use POST.' } });
    });
  });

  describe('GET /session', () => {
    it('is the account root view without credentials', async () => {
      expect(await get('/session')).toEqual({ status: 200, body: { principal: null, isRootView: true, iamMode: 'off', defaultRegistry: { accountId: ACCOUNT, region: REGION } } });
    });

    it('is the token\'s principal with Basic AWS:<token>', async () => {
      const { body } = await get('/session', { authorization: env.authorization });
      expect(body).toMatchObject({ principal: `arn:aws:iam::${ACCOUNT}:root`, isRootView: false });
    });

    it.each([
      ['Bearer abc', 'Authorization must be Basic base64("AWS:" + token), with the token of aws ecr get-login-password.'],
      [`Basic ${Buffer.from('AWS:forged').toString('base64')}`, 'The authorization token is not valid.'],
    ])('refuses %s with 401', async (authorization, message) => {
      expect(await get('/session', { authorization })).toEqual({ status: 401, body: { message } });
    });

    it('refuses an expired token with 401', async () => {
      const { authorization } = env;
      clock.advance(13 * 60 * 60 * 1000);
      expect(await get('/session', { authorization })).toEqual({ status: 401, body: { message: 'Your authorization token has expired. Reauthenticate and try again.' } });
    });
  });

  describe('GET /registries', () => {
    it('lists every account and Region holding a repository, and the default', async () => {
      await env.ecrClient({ accountId: '111111111111', region: 'eu-west-1' }).send(new CreateRepositoryCommand({ repositoryName: 'elsewhere' }));
      const { body } = await get('/registries');
      expect(body).toEqual({
        registries: [
          { accountId: ACCOUNT, region: REGION },
          { accountId: '111111111111', region: 'eu-west-1' },
        ],
        default: { accountId: ACCOUNT, region: REGION },
      });
    });
  });

  describe('GET /repositories', () => {
    it('lists repositories by name with image count, total size and last push', async () => {
      const first = await env.registry.pushImage('app', 'v1', { layers: ['one'] });
      clock.advance(60_000);
      await env.registry.pushImage('app', 'v2', { layers: ['two', 'three'] });
      const { imageDetails } = await env.ecr.send(new DescribeImagesCommand({ repositoryName: 'app' }));
      const { status, body } = await get(`/repositories?${SCOPE}`);
      expect(status).toBe(200);
      const repositories = body.repositories as Record<string, unknown>[];
      expect(repositories.map((repository) => repository.name)).toEqual(['app', 'team/api', 'team/web', 'tools']);
      expect(repositories[0]).toEqual({
        name: 'app',
        uri: `${env.emulator.registryHost}/app`,
        createdAt: START.toISOString(),
        imageTagMutability: 'MUTABLE',
        scanOnPush: false,
        encryptionType: 'AES256',
        imageCount: 2,
        sizeInBytes: imageDetails!.reduce((sum, image) => sum + image.imageSizeInBytes!, 0),
        lastPushedAt: new Date(START.getTime() + 60_000).toISOString(),
        hasRepositoryPolicy: false,
        hasLifecyclePolicy: false,
      });
      expect(first.digest).toMatch(/^sha256:/);
      expect(repositories[1]).toMatchObject({ name: 'team/api', imageCount: 0, sizeInBytes: 0 });
      expect(repositories[1]).not.toHaveProperty('lastPushedAt');
    });

    it('pages with limit and next', async () => {
      const first = await get(`/repositories?${SCOPE}&limit=3`);
      expect((first.body.repositories as { name: string }[]).map((repository) => repository.name)).toEqual(['app', 'team/api', 'team/web']);
      expect(first.body.next).toBe('team/web');
      const second = await get(`/repositories?${SCOPE}&limit=3&after=team%2Fweb`);
      expect((second.body.repositories as { name: string }[]).map((repository) => repository.name)).toEqual(['tools']);
      expect(second.body).not.toHaveProperty('next');
    });

    it('ends without next when the last page is exactly full', async () => {
      const { body } = await get(`/repositories?${SCOPE}&limit=4`);
      expect((body.repositories as unknown[]).length).toBe(4);
      expect(body).not.toHaveProperty('next');
    });

    it('finds repositories whose name contains the search text', async () => {
      const { body } = await get(`/repositories?${SCOPE}&search=team`);
      expect((body.repositories as { name: string }[]).map((repository) => repository.name)).toEqual(['team/api', 'team/web']);
      const none = await get(`/repositories?${SCOPE}&search=zzz`);
      expect(none.body).toEqual({ repositories: [] });
    });

    it('keeps a search of many repositories bounded: a page comes back short with next, and next continues it', async () => {
      const ecr = env.ecrClient({ accountId: '333333333333' });
      const names = Array.from({ length: 2100 }, (_, index) => `bulk/r${String(index).padStart(4, '0')}`);
      for (let start = 0; start < names.length; start += 100) {
        await Promise.all(names.slice(start, start + 100).map((repositoryName) => ecr.send(new CreateRepositoryCommand({ repositoryName }))));
      }
      await ecr.send(new CreateRepositoryCommand({ repositoryName: 'zz/needle' }));
      const first = await get('/repositories?account=333333333333&region=us-east-1&search=needle');
      expect(first.body).toEqual({ repositories: [], next: 'bulk/r1999' });
      const second = await get('/repositories?account=333333333333&region=us-east-1&search=needle&after=bulk%2Fr1999');
      expect((second.body.repositories as { name: string }[]).map((repository) => repository.name)).toEqual(['zz/needle']);
      expect(second.body).not.toHaveProperty('next');
    });

    it.each([
      ['', 'account is required'],
      ['account=123&region=us-east-1', "account must be 12 digits, got '123'"],
      ['account=000000000000&region=Mars', "region must be a region name like us-east-1, got 'Mars'"],
      [`${SCOPE}&limit=0`, "limit must be an integer from 1 to 1000, got '0'"],
      [`${SCOPE}&limit=1001`, "limit must be an integer from 1 to 1000, got '1001'"],
      [`${SCOPE}&limit=ten`, "limit must be an integer from 1 to 1000, got 'ten'"],
      [`${SCOPE}&search=${'a'.repeat(257)}`, 'search must be at most 256 characters'],
      [`${SCOPE}&account=111111111111`, 'account must be given once, as a string'],
      [`${SCOPE}&sort=name`, 'sort is not a parameter of /repositories; it takes account, region, search, limit, after.'],
    ])('answers ?%.80s with 400', async (query, message) => {
      expect(await get(`/repositories?${query}`)).toEqual({ status: 400, body: { message } });
    });
  });

  describe('GET /repository', () => {
    it('shows a repository with its address, pull line and policies', async () => {
      const policy = JSON.stringify({ Version: '2012-10-17', Statement: [{ Sid: 'pull', Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111111111111:root' }, Action: 'ecr:BatchGetImage' }] });
      await env.ecr.send(new SetRepositoryPolicyCommand({ repositoryName: 'team/api', policyText: policy }));
      const { status, body } = await get(`/repository?${SCOPE}&name=team%2Fapi`);
      expect(status).toBe(200);
      expect(body).toMatchObject({
        name: 'team/api',
        arn: `arn:aws:ecr:${REGION}:${ACCOUNT}:repository/team/api`,
        registryHost: env.emulator.registryHost,
        pullCommand: `docker pull ${env.emulator.registryHost}/team/api:latest`,
        hasRepositoryPolicy: true,
        lifecyclePolicy: { text: null },
        tags: [],
      });
      expect(JSON.parse((body.repositoryPolicy as { text: string }).text)).toEqual(JSON.parse(policy));
    });

    it('answers a repository that does not exist with 404 and ECR\'s words', async () => {
      expect(await get(`/repository?${SCOPE}&name=absent`)).toEqual({
        status: 404,
        body: { message: `The repository with name 'absent' does not exist in the registry with id '${ACCOUNT}'` },
      });
    });

    it.each([['Upper'], ['a'], ['a//b'], [`${'a'.repeat(257)}`]])('answers the name %.20s with 400', async (name) => {
      const { status, body } = await get(`/repository?${SCOPE}&name=${encodeURIComponent(name)}`);
      expect(status).toBe(400);
      expect(body.message).toMatch(/^name must be a repository name/);
    });
  });

  describe('GET /images', () => {
    it('pages a repository\'s images by digest with tags, sizes and times, agreeing with DescribeImages', async () => {
      for (let index = 0; index < 5; index += 1) await env.registry.pushImage('app', `v${index}`, { layers: [`layer ${index}`] });
      const { imageDetails } = await env.ecr.send(new DescribeImagesCommand({ repositoryName: 'app' }));
      const byDigest = [...imageDetails!].sort((left, right) => left.imageDigest!.localeCompare(right.imageDigest!));
      const first = await get(`/images?${SCOPE}&repository=app&limit=3`);
      const images = first.body.images as Record<string, unknown>[];
      expect(images.map((image) => image.digest)).toEqual(byDigest.slice(0, 3).map((image) => image.imageDigest));
      expect(images[0]).toEqual({
        digest: byDigest[0]!.imageDigest,
        tags: byDigest[0]!.imageTags,
        sizeInBytes: byDigest[0]!.imageSizeInBytes,
        pushedAt: START.toISOString(),
        mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
        artifactType: 'application/vnd.docker.container.image.v1+json',
        storageClass: 'STANDARD',
        isIndex: false,
      });
      expect(first.body.next).toBe(byDigest[2]!.imageDigest);
      expect(first.body.sort).toBe('digest');
      const second = await get(`/images?${SCOPE}&repository=app&limit=3&after=${first.body.next as string}`);
      expect((second.body.images as { digest: string }[]).map((image) => image.digest)).toEqual(byDigest.slice(3).map((image) => image.imageDigest));
      expect(second.body).not.toHaveProperty('next');
    });

    it('pages newest push first with sort=pushedAt, continuing from an opaque next', async () => {
      const pushed: string[] = [];
      for (let index = 0; index < 5; index += 1) {
        pushed.push((await env.registry.pushImage('app', `v${index}`, { layers: [`layer ${index}`] })).digest);
        clock.advance(1000);
      }
      const first = await get(`/images?${SCOPE}&repository=app&sort=pushedAt&limit=3`);
      expect(first.body.sort).toBe('pushedAt');
      expect((first.body.images as { digest: string }[]).map((image) => image.digest)).toEqual([pushed[4], pushed[3], pushed[2]]);
      const second = await get(`/images?${SCOPE}&repository=app&sort=pushedAt&limit=3&after=${first.body.next as string}`);
      expect((second.body.images as { digest: string }[]).map((image) => image.digest)).toEqual([pushed[1], pushed[0]]);
      expect(second.body).not.toHaveProperty('next');
    });

    it.each([['not-a-cursor'], [Buffer.from('[1,"latest"]').toString('base64url')]])('refuses a newest-first after of %s with 400', async (after) => {
      expect(await get(`/images?${SCOPE}&repository=app&sort=pushedAt&after=${after}`)).toEqual({ status: 400, body: { message: 'after must be the next of a previous page of the same order' } });
    });

    it('lists an index with its platforms, and filters by tag status', async () => {
      const { index } = await pushIndex('team/web');
      await env.registry.pushImage('team/web', 'gone', { layers: ['untagged soon'] });
      await fetch(`${env.emulator.endpoint}/v2/team/web/manifests/gone`, { method: 'DELETE', headers: { authorization: env.authorization } });
      const all = await get(`/images?${SCOPE}&repository=team%2Fweb`);
      const indexRow = (all.body.images as Record<string, unknown>[]).find((image) => image.digest === index);
      expect(indexRow).toMatchObject({ isIndex: true, platforms: ['linux/amd64', 'linux/arm64/v8'], tags: ['multi'], mediaType: OCI_INDEX });
      const tagged = await get(`/images?${SCOPE}&repository=team%2Fweb&tagStatus=TAGGED`);
      const untagged = await get(`/images?${SCOPE}&repository=team%2Fweb&tagStatus=UNTAGGED`);
      expect((tagged.body.images as { tags: string[] }[]).every((image) => image.tags.length > 0)).toBe(true);
      expect((untagged.body.images as { tags: string[] }[]).every((image) => image.tags.length === 0)).toBe(true);
      expect((tagged.body.images as unknown[]).length + (untagged.body.images as unknown[]).length).toBe((all.body.images as unknown[]).length);
    });

    it('carries each scanned image\'s severity counts', async () => {
      await env.registry.pushImage('app', 'scanned');
      await env.ecr.send(new StartImageScanCommand({ repositoryName: 'app', imageId: { imageTag: 'scanned' } }));
      const { imageDetails } = await env.ecr.send(new DescribeImagesCommand({ repositoryName: 'app' }));
      const { body } = await get(`/images?${SCOPE}&repository=app`);
      expect((body.images as Record<string, unknown>[])[0]!.scan).toEqual({
        completedAt: START.toISOString(),
        severityCounts: imageDetails![0]!.imageScanFindingsSummary!.findingSeverityCounts,
      });
    });

    it.each([
      [`${SCOPE}&repository=app&tagStatus=SOME`, "tagStatus must be one of TAGGED, UNTAGGED, ANY, got 'SOME'"],
      [`${SCOPE}&repository=app&after=latest`, "after must be a sha256 digest like sha256:<64 hex digits>, got 'latest'"],
      [`${SCOPE}`, 'repository is required'],
      [`${SCOPE}&repository=app&sort=size`, "sort must be one of digest, pushedAt, got 'size'"],
    ])('answers ?%s with 400', async (query, message) => {
      expect(await get(`/images?${query}`)).toEqual({ status: 400, body: { message } });
    });

    it('answers a repository that does not exist with 404', async () => {
      expect((await get(`/images?${SCOPE}&repository=absent`)).status).toBe(404);
    });
  });

  describe('GET /image', () => {
    it('shows an image\'s manifest, config, layers and findings', async () => {
      const pushed = await env.registry.pushImage('app', 'v1', { layers: ['first layer', 'second, longer layer'] });
      await env.ecr.send(new StartImageScanCommand({ repositoryName: 'app', imageId: { imageTag: 'v1' } }));
      const { imageDetails } = await env.ecr.send(new DescribeImagesCommand({ repositoryName: 'app' }));
      const { status, body } = await get(`/image?${SCOPE}&repository=app&digest=${pushed.digest}`);
      expect(status).toBe(200);
      const manifest = JSON.parse(pushed.manifest) as { config: { digest: string; size: number }; layers: { digest: string; size: number }[] };
      expect(body).toMatchObject({
        kind: 'image',
        repository: 'app',
        digest: pushed.digest,
        tags: ['v1'],
        sizeInBytes: imageDetails![0]!.imageSizeInBytes,
        pullCommand: `docker pull ${env.emulator.registryHost}/app:v1`,
        manifest: JSON.parse(pushed.manifest),
        config: { digest: manifest.config.digest, sizeInBytes: manifest.config.size, platform: 'linux/amd64', env: [], history: [] },
        layers: manifest.layers.map((layer) => ({ digest: layer.digest, mediaType: 'application/vnd.docker.image.rootfs.diff.tar.gzip', sizeInBytes: layer.size, isForeign: false })),
        referrers: [],
      });
      const findings = body.findings as { totalCount: number; severityCounts: Record<string, number>; findings: { name: string; severity: string }[] };
      expect(findings.severityCounts).toEqual(imageDetails![0]!.imageScanFindingsSummary!.findingSeverityCounts);
      expect(findings.findings.length).toBe(findings.totalCount);
      expect(findings.findings[0]!.name).toMatch(/^CVE-/);
    });

    it('shows an index\'s children with their platforms', async () => {
      const { index, children } = await pushIndex('team/web');
      const { body } = await get(`/image?${SCOPE}&repository=team%2Fweb&digest=${index}`);
      expect(body).toMatchObject({
        kind: 'index',
        children: [
          { digest: children[0], platform: 'linux/amd64', isPresent: true, imageSizeInBytes: expect.any(Number) },
          { digest: children[1], platform: 'linux/arm64/v8', isPresent: true, imageSizeInBytes: expect.any(Number) },
        ],
        findings: null,
      });
    });

    it('lists the referrers of an image', async () => {
      const subject = await env.registry.pushImage('app', 'v1');
      const empty = await env.registry.pushBlob('app', '{}');
      const signature = JSON.stringify({
        schemaVersion: 2,
        mediaType: 'application/vnd.oci.image.manifest.v1+json',
        artifactType: 'application/vnd.dev.cosign.artifact.sig.v1+json',
        config: { mediaType: 'application/vnd.oci.empty.v1+json', digest: empty, size: 2 },
        layers: [{ mediaType: 'application/vnd.oci.empty.v1+json', digest: empty, size: 2 }],
        subject: { mediaType: 'application/vnd.docker.distribution.manifest.v2+json', digest: subject.digest, size: Buffer.byteLength(subject.manifest) },
      });
      expect((await env.registry.putManifest('app', sha256(signature), signature, 'application/vnd.oci.image.manifest.v1+json')).status).toBe(201);
      const { body } = await get(`/image?${SCOPE}&repository=app&digest=${subject.digest}`);
      expect(body.referrers).toEqual([
        { digest: sha256(signature), mediaType: 'application/vnd.oci.image.manifest.v1+json', artifactType: 'application/vnd.dev.cosign.artifact.sig.v1+json', sizeInBytes: Buffer.byteLength(signature) },
      ]);
    });

    it('answers an absent image with 404 and a bad digest with 400', async () => {
      expect((await get(`/image?${SCOPE}&repository=app&digest=sha256:${'0'.repeat(64)}`)).status).toBe(404);
      expect(await get(`/image?${SCOPE}&repository=app&digest=sha256:xyz`)).toEqual({ status: 400, body: { message: "digest must be a sha256 digest like sha256:<64 hex digits>, got 'sha256:xyz'" } });
    });
  });

  describe('GET /lifecycle-preview', () => {
    it('says which images the policy would expire and which rule selects them', async () => {
      for (let index = 0; index < 3; index += 1) {
        await env.registry.pushImage('app', `v${index}`, { layers: [`layer ${index}`] });
        clock.advance(60_000);
      }
      const policy = { rules: [{ rulePriority: 1, description: 'keep one', selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 1 }, action: { type: 'expire' } }] };
      await env.ecr.send(new PutLifecyclePolicyCommand({ repositoryName: 'app', lifecyclePolicyText: JSON.stringify(policy) }));
      const { status, body } = await get(`/lifecycle-preview?${SCOPE}&repository=app`);
      expect(status).toBe(200);
      expect(body.rules).toEqual([{ priority: 1, description: 'keep one', tags: { status: 'any' }, storageClass: 'standard', count: { type: 'imageCountMoreThan', images: 1 }, action: 'expire', imageCount: 2 }]);
      expect((body.results as { tags: string[]; rulePriority: number; action: string }[]).map(({ tags, rulePriority, action }) => ({ tags, rulePriority, action }))).toEqual([
        { tags: ['v0'], rulePriority: 1, action: 'expire' },
        { tags: ['v1'], rulePriority: 1, action: 'expire' },
      ]);
      expect(body.totalCount).toBe(2);
    });

    it('is empty for a repository without a policy', async () => {
      expect(await get(`/lifecycle-preview?${SCOPE}&repository=tools`)).toEqual({ status: 200, body: { policy: null, rules: [], results: [], totalCount: 0 } });
    });
  });

  describe('actions', () => {
    it('deletes a tag, keeping the image', async () => {
      const pushed = await env.registry.pushImage('app', 'v1');
      await env.registry.putManifest('app', 'v2', pushed.manifest, 'application/vnd.docker.distribution.manifest.v2+json');
      expect(await post('/delete-tag', { account: ACCOUNT, region: REGION, repository: 'app', tag: 'v1' })).toEqual({ status: 200, body: { deleted: 'v1' } });
      const { imageDetails } = await env.ecr.send(new DescribeImagesCommand({ repositoryName: 'app' }));
      expect(imageDetails!.map((image) => image.imageTags)).toEqual([['v2']]);
    });

    it('deletes an image with its tags', async () => {
      const pushed = await env.registry.pushImage('app', 'v1');
      expect(await post('/delete-image', { account: ACCOUNT, region: REGION, repository: 'app', digest: pushed.digest })).toEqual({ status: 200, body: { deleted: pushed.digest } });
      const { imageDetails } = await env.ecr.send(new DescribeImagesCommand({ repositoryName: 'app' }));
      expect(imageDetails).toEqual([]);
    });

    it('refuses to delete an image an index lists, with 409', async () => {
      const { index, children } = await pushIndex('team/web');
      const { status, body } = await post('/delete-image', { account: ACCOUNT, region: REGION, repository: 'team/web', digest: children[0] });
      expect(status).toBe(409);
      expect(body.message).toBe(`Requested image is referenced by a manifest list: [${index}]`);
    });

    it('answers deleting what is not there with 404', async () => {
      expect((await post('/delete-tag', { account: ACCOUNT, region: REGION, repository: 'app', tag: 'nope' })).status).toBe(404);
      expect((await post('/delete-image', { account: ACCOUNT, region: REGION, repository: 'app', digest: `sha256:${'1'.repeat(64)}` })).status).toBe(404);
    });

    it('starts a scan, and refuses a second one within 24 hours with 429', async () => {
      const pushed = await env.registry.pushImage('app', 'v1');
      const body = { account: ACCOUNT, region: REGION, repository: 'app', digest: pushed.digest };
      const first = await post('/start-scan', body);
      expect(first.status).toBe(200);
      expect(first.body).toMatchObject({ digest: pushed.digest, completedAt: START.toISOString() });
      expect(await post('/start-scan', body)).toEqual({ status: 429, body: { message: 'The scan quota per image has been exceeded. Wait and try again.' } });
    });

    it('runs a repository\'s lifecycle policy now', async () => {
      const old = await env.registry.pushImage('app', 'old', { layers: ['old'] });
      clock.advance(60_000);
      await env.registry.pushImage('app', 'new', { layers: ['new'] });
      const policy = { rules: [{ rulePriority: 1, selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 1 }, action: { type: 'expire' } }] };
      await env.ecr.send(new PutLifecyclePolicyCommand({ repositoryName: 'app', lifecyclePolicyText: JSON.stringify(policy) }));
      const { status, body } = await post('/run-lifecycle', { account: ACCOUNT, region: REGION, repository: 'app' });
      expect(status).toBe(200);
      expect(body).toEqual({ accountId: ACCOUNT, region: REGION, repository: 'app', expired: [old.digest], archived: [], kept: [] });
    });

    it('takes changes only as JSON: a form post is refused with 415, bad JSON with 400', async () => {
      const form = await fetch(`${env.emulator.endpoint}/_emulator/api/delete-tag`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'account=000000000000' });
      expect(await answerOf(form)).toEqual({ status: 415, body: { message: 'Send the parameters as a JSON object with Content-Type: application/json.' } });
      const broken = await fetch(`${env.emulator.endpoint}/_emulator/api/delete-tag`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"account":' });
      expect(await answerOf(broken)).toEqual({ status: 400, body: { message: 'The body is not valid JSON.' } });
      expect(await post('/delete-tag', ['app'])).toEqual({ status: 400, body: { message: 'The body must be a JSON object.' } });
      expect(await post('/delete-tag', { account: ACCOUNT, region: REGION, repository: 'app', tag: 42 })).toEqual({ status: 400, body: { message: 'tag must be given once, as a string' } });
      const huge = await fetch(`${env.emulator.endpoint}/_emulator/api/delete-tag`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ pad: 'x'.repeat(20_000) }) });
      expect(await answerOf(huge)).toEqual({ status: 413, body: { message: 'The body is larger than 16kb.' } });
    });
  });

  describe('GET /decisions and /suggested-policy', () => {
    it('serves the decision feed under the console API too', async () => {
      const { status, body } = await get('/decisions?limit=5');
      expect(status).toBe(200);
      expect(Array.isArray(body.decisions)).toBe(true);
      expect((await get('/suggested-policy')).status).toBe(400);
    });
  });
});

describe('console API under --iam enforce', () => {
  let test: TestEmulator;
  let readerToken: string;
  let readerArn: string;

  beforeAll(async () => {
    test = await startTestEmulator({ iamMode: 'enforce', accountId: '111111111111' });
    const root = ecrClientWith(test.emulator.endpoint, rootKeys('111111111111'));
    for (const repositoryName of ['open', 'secret']) await root.send(new CreateRepositoryCommand({ repositoryName }));
    const iam = iamClient(test.emulator.endpoint, rootKeys('111111111111'));
    const reader = await createUserWithKey(iam, 'reader');
    readerArn = reader.arn;
    await iam.send(new AttachUserPolicyCommand({ UserName: 'reader', PolicyArn: 'arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly' }));
    await root.send(
      new SetRepositoryPolicyCommand({
        repositoryName: 'secret',
        policyText: JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Deny', Principal: { AWS: reader.arn }, Action: 'ecr:*' }] }),
      }),
    );
    readerToken = await basicAuthorization(ecrClientWith(test.emulator.endpoint, reader.keys));
  });
  afterAll(() => test.emulator.stop());

  const scope = 'account=111111111111&region=us-east-1';

  it('is the account root\'s view without credentials: every repository, and the mode', async () => {
    expect((await apiGet(test.emulator.endpoint, '/session')).body).toMatchObject({ principal: null, isRootView: true, iamMode: 'enforce' });
    const { body } = await apiGet(test.emulator.endpoint, `/repositories?${scope}`);
    expect((body.repositories as { name: string }[]).map((repository) => repository.name)).toEqual(['open', 'secret']);
  });

  it('lists only what the token\'s principal may describe', async () => {
    const { body } = await apiGet(test.emulator.endpoint, `/repositories?${scope}`, { authorization: readerToken });
    expect((body.repositories as { name: string }[]).map((repository) => repository.name)).toEqual(['open']);
  });

  it('refuses what the policies deny, with IAM\'s explanation, and records the decision', async () => {
    const { status, body } = await apiPost(test.emulator.endpoint, '/delete-tag', { account: '111111111111', region: 'us-east-1', repository: 'open', tag: 'v1' }, { authorization: readerToken });
    expect(status).toBe(403);
    expect(body.message).toBe(
      `User: ${readerArn} is not authorized to perform: ecr:BatchDeleteImage on resource: arn:aws:ecr:us-east-1:111111111111:repository/open because no identity-based policy allows the ecr:BatchDeleteImage action`,
    );
    const secret = await apiGet(test.emulator.endpoint, `/repository?${scope}&name=secret`, { authorization: readerToken });
    expect(secret.status).toBe(403);
    expect(secret.body.message).toContain('with an explicit deny in a resource-based policy');
    const { body: feed } = await apiGet(test.emulator.endpoint, `/decisions?principal=${encodeURIComponent(readerArn)}&decision=denied`);
    expect((feed.decisions as { action: string }[]).map((decision) => decision.action)).toEqual(['ecr:DescribeRepositories', 'ecr:BatchDeleteImage']);
  });

  it('hides the policies the principal may not read', async () => {
    const { body } = await apiGet(test.emulator.endpoint, `/repository?${scope}&name=open`, { authorization: readerToken });
    expect(body.repositoryPolicy).toEqual({ text: null });
    expect(body.lifecyclePolicy).toEqual({ text: null });
  });
});

describe('--no-console', () => {
  let test: TestEmulator;
  beforeAll(async () => {
    test = await startTestEmulator({ isConsoleEnabled: false });
  });
  afterAll(() => test.emulator.stop());

  it.each(['/_emulator/console/', '/_emulator/api', '/_emulator/api/repositories', '/_emulator/api/decisions'])('serves nothing at %s', async (path) => {
    expect((await fetch(`${test.emulator.endpoint}${path}`)).status).toBe(404);
  });

  it('keeps the IAM admin routes', async () => {
    expect((await fetch(`${test.emulator.endpoint}/_emulator/iam/decisions`)).status).toBe(200);
  });
});

describe('console page', () => {
  const env = useTestEmulator();

  it('serves the page and its modules from the emulator, with a strict content security policy', async () => {
    const page = await fetch(`${env.emulator.endpoint}/_emulator/console/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const library = await fetch(`${env.emulator.endpoint}/_emulator/console/vendor/htm-preact.js`);
    expect(library.status).toBe(200);
    expect(library.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await library.text()).toContain('export{');
  });

  it('redirects /_emulator/console to the page, serves the page for deep links, and 404s unknown files', async () => {
    const redirect = await fetch(`${env.emulator.endpoint}/_emulator/console`, { redirect: 'manual' });
    expect(redirect.status).toBe(301);
    expect(redirect.headers.get('location')).toBe('/_emulator/console/');
    expect((await fetch(`${env.emulator.endpoint}/_emulator/console/repository`)).headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect((await fetch(`${env.emulator.endpoint}/_emulator/console/missing.js`)).status).toBe(404);
    expect((await fetch(`${env.emulator.endpoint}/_emulator/console/..%2Fconsole-api.ts`)).status).toBe(404);
  });
});
