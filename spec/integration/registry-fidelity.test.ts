// Data-plane answers as the OCI distribution spec and ECR give them, where real clients noticed a difference:
// manifests that cannot exist, and blob mounting behind the BLOB_MOUNTING account setting.
import { CreateRepositoryCommand, PutAccountSettingCommand, type ECRClient } from '@aws-sdk/client-ecr';
import { basicAuthorization, DOCKER_MANIFEST, errorsOf, registryClient, type RegistryClient } from '../helpers/registry-client';
import { startTestEmulator, type TestEmulator } from '../helpers/test-emulator';

let test: TestEmulator;
let ecr: ECRClient;
let registry: RegistryClient;

beforeAll(async () => {
  test = await startTestEmulator();
  ecr = test.ecrClient();
});
afterAll(async () => {
  await test.emulator.stop();
});
beforeEach(async () => {
  await test.emulator.reset();
  await ecr.send(new CreateRepositoryCommand({ repositoryName: 'app' }));
  await ecr.send(new CreateRepositoryCommand({ repositoryName: 'base' }));
  registry = registryClient(test.emulator.endpoint, await basicAuthorization(ecr));
});

describe('manifests that cannot exist', () => {
  it.each(['.INVALID_MANIFEST_NAME', '-leading-dash', 'sha256:not-a-digest', 'md5:0123'])('answers GET of the reference %s with 404 MANIFEST_UNKNOWN', async (reference) => {
    const response = await registry.fetch(`/v2/app/manifests/${reference}`);
    expect(response.status).toBe(404);
    expect((await errorsOf(response))[0]!.code).toBe('MANIFEST_UNKNOWN');
  });

  it('answers HEAD of an invalid reference with 404 and no body', async () => {
    const response = await registry.fetch('/v2/app/manifests/.INVALID_MANIFEST_NAME', { method: 'HEAD' });
    expect(response.status).toBe(404);
    expect(await response.text()).toBe('');
  });

  it('still answers NAME_UNKNOWN when the repository is missing', async () => {
    const response = await registry.fetch('/v2/missing/manifests/.INVALID_MANIFEST_NAME');
    expect(response.status).toBe(404);
    expect((await errorsOf(response))[0]!.code).toBe('NAME_UNKNOWN');
  });

  it('keeps TAG_INVALID for a PUT under an invalid tag', async () => {
    const { manifest } = await registry.pushImage('app', 'v1');
    const response = await registry.putManifest('app', '.INVALID_MANIFEST_NAME', manifest, DOCKER_MANIFEST);
    expect(response.status).toBe(400);
    expect((await errorsOf(response))[0]!.code).toBe('TAG_INVALID');
  });
});

describe('blob mounting', () => {
  async function mount(): Promise<{ response: Response; digest: string }> {
    const digest = await registry.pushBlob('base', 'a shared layer');
    const response = await registry.fetch(`/v2/app/blobs/uploads/?mount=${digest}&from=base`, { method: 'POST' });
    return { response, digest };
  }

  it('answers 202 with an upload session while BLOB_MOUNTING is DISABLED (the default), so the client pushes the bytes', async () => {
    const { response, digest } = await mount();
    expect(response.status).toBe(202);
    expect(response.headers.get('location')).toMatch(/^\/v2\/app\/blobs\/uploads\/[A-Za-z0-9_-]+$/);
    expect(response.headers.get('docker-upload-uuid')).not.toBeNull();
    expect((await registry.fetch(`/v2/app/blobs/${digest}`, { method: 'HEAD' })).status).toBe(404);
  });

  it('mounts the blob with 201 once BLOB_MOUNTING is ENABLED', async () => {
    await ecr.send(new PutAccountSettingCommand({ name: 'BLOB_MOUNTING', value: 'ENABLED' }));
    const { response, digest } = await mount();
    expect(response.status).toBe(201);
    expect(response.headers.get('docker-content-digest')).toBe(digest);
    expect((await registry.fetch(`/v2/app/blobs/${digest}`, { method: 'HEAD' })).status).toBe(200);
  });
});
