// Data-plane answers as the OCI distribution spec and ECR give them, where real clients noticed a difference:
// manifests that cannot exist, and blob mounting behind the BLOB_MOUNTING account setting.
import { PutAccountSettingCommand } from '@aws-sdk/client-ecr';
import { DOCKER_MANIFEST, errorsOf } from '../helpers/registry-client';
import { useTestEmulator } from '../helpers/test-emulator';

const env = useTestEmulator({ repositories: ['app', 'base'] });

describe('manifests that cannot exist', () => {
  it.each(['.INVALID_MANIFEST_NAME', '-leading-dash', 'sha256:not-a-digest', 'md5:0123'])('answers GET of the reference %s with 404 MANIFEST_UNKNOWN', async (reference) => {
    const response = await env.registry.fetch(`/v2/app/manifests/${reference}`);
    expect(response.status).toBe(404);
    expect((await errorsOf(response))[0]!.code).toBe('MANIFEST_UNKNOWN');
  });

  it('answers HEAD of an invalid reference with 404 and no body', async () => {
    const response = await env.registry.fetch('/v2/app/manifests/.INVALID_MANIFEST_NAME', { method: 'HEAD' });
    expect(response.status).toBe(404);
    expect(await response.text()).toBe('');
  });

  it('still answers NAME_UNKNOWN when the repository is missing', async () => {
    const response = await env.registry.fetch('/v2/missing/manifests/.INVALID_MANIFEST_NAME');
    expect(response.status).toBe(404);
    expect((await errorsOf(response))[0]!.code).toBe('NAME_UNKNOWN');
  });

  it('keeps TAG_INVALID for a PUT under an invalid tag', async () => {
    const { manifest } = await env.registry.pushImage('app', 'v1');
    const response = await env.registry.putManifest('app', '.INVALID_MANIFEST_NAME', manifest, DOCKER_MANIFEST);
    expect(response.status).toBe(400);
    expect((await errorsOf(response))[0]!.code).toBe('TAG_INVALID');
  });
});

describe('blob mounting', () => {
  async function mount(): Promise<{ response: Response; digest: string }> {
    const digest = await env.registry.pushBlob('base', 'a shared layer');
    const response = await env.registry.fetch(`/v2/app/blobs/uploads/?mount=${digest}&from=base`, { method: 'POST' });
    return { response, digest };
  }

  it('answers 202 with an upload session while BLOB_MOUNTING is DISABLED (the default), so the client pushes the bytes', async () => {
    const { response, digest } = await mount();
    expect(response.status).toBe(202);
    expect(response.headers.get('location')).toMatch(/^\/v2\/app\/blobs\/uploads\/[A-Za-z0-9_-]+$/);
    expect(response.headers.get('docker-upload-uuid')).not.toBeNull();
    expect((await env.registry.fetch(`/v2/app/blobs/${digest}`, { method: 'HEAD' })).status).toBe(404);
  });

  it('mounts the blob with 201 once BLOB_MOUNTING is ENABLED', async () => {
    await env.ecr.send(new PutAccountSettingCommand({ name: 'BLOB_MOUNTING', value: 'ENABLED' }));
    const { response, digest } = await mount();
    expect(response.status).toBe(201);
    expect(response.headers.get('docker-content-digest')).toBe(digest);
    expect((await env.registry.fetch(`/v2/app/blobs/${digest}`, { method: 'HEAD' })).status).toBe(200);
  });
});
