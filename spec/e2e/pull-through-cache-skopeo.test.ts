// skopeo pulls through the emulator's pull-through cache: the upstream is Debian's docker-registry standing in
// for quay.io; the copied image has the upstream's digest, and a second copy is served with the upstream gone.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreatePullThroughCacheRuleCommand, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';
import { containerTools, expectExitZero } from '../helpers/container-tools';
import { sha256 } from '../helpers/registry-client';
import { pushToRegistry, startReferenceRegistry, type ReferenceRegistry } from '../helpers/reference-registry';
import { startTestEmulator, type TestEmulator } from '../helpers/test-emulator';

let upstream: ReferenceRegistry;
let test: TestEmulator;
let work: string;
let credentials: string;
let pushed: { digest: string; manifest: string };

beforeAll(async () => {
  upstream = await startReferenceRegistry();
  pushed = await pushToRegistry(upstream.url, 'team/app', '1.0', ['skopeo layer']);
  test = await startTestEmulator({ upstreams: { 'quay.io': upstream.url } });
  const ecr = test.ecrClient();
  await ecr.send(new CreatePullThroughCacheRuleCommand({ ecrRepositoryPrefix: 'quay', upstreamRegistryUrl: 'quay.io' }));
  const { authorizationData } = await ecr.send(new GetAuthorizationTokenCommand({}));
  credentials = Buffer.from(authorizationData![0]!.authorizationToken!, 'base64').toString('utf8');
  work = mkdtempSync(path.join(tmpdir(), 'pull-through-skopeo-'));
}, 60_000);

afterAll(async () => {
  await test?.emulator.stop();
  await upstream?.stop();
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

async function copyOut(into: string) {
  const tools = containerTools(work);
  const source = `docker://${test.emulator.registryHost}/quay/team/app:1.0`;
  return tools.skopeo(['copy', '--src-tls-verify=false', '--src-creds', credentials, source, `dir:${path.join(work, into)}`]);
}

describe('skopeo copy from a pull-through cache repository', () => {
  it('copies the upstream image, manifest bytes and layer included', async () => {
    expectExitZero(await copyOut('first'));
    const manifest = readFileSync(path.join(work, 'first', 'manifest.json'), 'utf8');
    expect(sha256(manifest)).toBe(pushed.digest);
    const layer = (JSON.parse(manifest) as { layers: { digest: string }[] }).layers[0]!.digest;
    expect(readFileSync(path.join(work, 'first', layer.slice('sha256:'.length)), 'utf8')).toBe('skopeo layer');
  }, 120_000);

  it('copies it again from the cache once the upstream is stopped', async () => {
    await upstream.stop();
    expectExitZero(await copyOut('second'));
    expect(sha256(readFileSync(path.join(work, 'second', 'manifest.json'), 'utf8'))).toBe(pushed.digest);
  }, 120_000);
});
