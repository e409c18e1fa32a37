// ECR's layer API over HTTP with the SDK: uploads in parts, availability checks and download URLs, sharing the
// data plane's blobs (a layer uploaded here is served by /v2, a blob pushed there is available here).
import {
  BatchCheckLayerAvailabilityCommand,
  CompleteLayerUploadCommand,
  GetDownloadUrlForLayerCommand,
  InitiateLayerUploadCommand,
  PutImageCommand,
  UploadLayerPartCommand,
} from '@aws-sdk/client-ecr';
import { DOCKER_CONFIG, DOCKER_LAYER, DOCKER_MANIFEST, sha256 } from '../helpers/registry-client';
import { useTestEmulator } from '../helpers/test-emulator';

const ACCOUNT = '000000000000';
const env = useTestEmulator({ repositories: ['app'] });

/** Uploads `bytes` in parts of `partSize` with the layer API; returns the upload id, not yet completed. */
async function uploadInParts(bytes: Buffer, partSize: number): Promise<string> {
  const { uploadId, partSize: advertised } = await env.ecr.send(new InitiateLayerUploadCommand({ repositoryName: 'app' }));
  expect(advertised).toBe(10 * 1024 * 1024);
  for (let first = 0; first < bytes.length; first += partSize) {
    const part = bytes.subarray(first, first + partSize);
    const answer = await env.ecr.send(new UploadLayerPartCommand({ repositoryName: 'app', uploadId: uploadId!, partFirstByte: first, partLastByte: first + part.length - 1, layerPartBlob: part }));
    expect(answer).toMatchObject({ registryId: ACCOUNT, repositoryName: 'app', uploadId, lastByteReceived: first + part.length - 1 });
  }
  return uploadId!;
}

describe('layer uploads', () => {
  it('assembles parts into a blob that BatchCheckLayerAvailability and the data plane both see', async () => {
    const bytes = Buffer.from('0123456789'.repeat(1000));
    const uploadId = await uploadInParts(bytes, 3000);
    const digest = sha256(bytes);
    const completed = await env.ecr.send(new CompleteLayerUploadCommand({ repositoryName: 'app', uploadId, layerDigests: [digest] }));
    expect(completed).toMatchObject({ registryId: ACCOUNT, repositoryName: 'app', uploadId, layerDigest: digest });
    const check = await env.ecr.send(new BatchCheckLayerAvailabilityCommand({ repositoryName: 'app', layerDigests: [digest, sha256('absent'), 'nonsense'] }));
    expect(check.layers).toEqual([{ layerDigest: digest, layerAvailability: 'AVAILABLE', layerSize: bytes.length }]);
    expect(check.failures).toEqual([
      { layerDigest: sha256('absent'), failureCode: 'MissingLayerDigest', failureReason: 'Could not find layer' },
      { layerDigest: 'nonsense', failureCode: 'InvalidLayerDigest', failureReason: 'Invalid layer digest' },
    ]);
    const pulled = await env.registry.fetch(`/v2/app/blobs/${digest}`);
    expect(Buffer.from(await pulled.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it('makes an image from layers uploaded with the layer API and PutImage, as the docker ECR credential flows do', async () => {
    const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux' }));
    const layer = Buffer.from('layer via the API');
    const digests: string[] = [];
    for (const bytes of [config, layer]) {
      const uploadId = await uploadInParts(bytes, 1024);
      digests.push((await env.ecr.send(new CompleteLayerUploadCommand({ repositoryName: 'app', uploadId, layerDigests: [sha256(bytes)] }))).layerDigest!);
    }
    const manifest = JSON.stringify({
      schemaVersion: 2,
      mediaType: DOCKER_MANIFEST,
      config: { mediaType: DOCKER_CONFIG, digest: digests[0], size: config.length },
      layers: [{ mediaType: DOCKER_LAYER, digest: digests[1], size: layer.length }],
    });
    await env.ecr.send(new PutImageCommand({ repositoryName: 'app', imageManifest: manifest, imageTag: 'api' }));
    const pulled = await env.registry.fetch('/v2/app/manifests/api', { headers: { accept: DOCKER_MANIFEST } });
    expect(await pulled.text()).toBe(manifest);
  });

  it('refuses a part that does not continue the upload or whose bounds do not match its bytes', async () => {
    const { uploadId } = await env.ecr.send(new InitiateLayerUploadCommand({ repositoryName: 'app' }));
    const part = Buffer.from('abcdef');
    await expect(env.ecr.send(new UploadLayerPartCommand({ repositoryName: 'app', uploadId: uploadId!, partFirstByte: 10, partLastByte: 15, layerPartBlob: part }))).rejects.toMatchObject({
      name: 'InvalidLayerPartException',
    });
    await expect(env.ecr.send(new UploadLayerPartCommand({ repositoryName: 'app', uploadId: uploadId!, partFirstByte: 0, partLastByte: 2, layerPartBlob: part }))).rejects.toMatchObject({
      name: 'InvalidLayerPartException',
    });
    await env.ecr.send(new UploadLayerPartCommand({ repositoryName: 'app', uploadId: uploadId!, partFirstByte: 0, partLastByte: 5, layerPartBlob: part }));
  });

  it('answers CompleteLayerUpload errors as ECR does', async () => {
    const { uploadId: empty } = await env.ecr.send(new InitiateLayerUploadCommand({ repositoryName: 'app' }));
    await expect(env.ecr.send(new CompleteLayerUploadCommand({ repositoryName: 'app', uploadId: empty!, layerDigests: [sha256('x')] }))).rejects.toMatchObject({
      name: 'EmptyUploadException',
      message: 'The specified layer upload does not contain any layer parts.',
    });

    const wrong = await uploadInParts(Buffer.from('actual bytes'), 100);
    await expect(env.ecr.send(new CompleteLayerUploadCommand({ repositoryName: 'app', uploadId: wrong, layerDigests: [sha256('other bytes')] }))).rejects.toMatchObject({
      name: 'InvalidLayerException',
    });
    // A failed digest check ends the upload: nothing half-stored remains to complete.
    await expect(env.ecr.send(new CompleteLayerUploadCommand({ repositoryName: 'app', uploadId: wrong, layerDigests: [sha256('actual bytes')] }))).rejects.toMatchObject({
      name: 'UploadNotFoundException',
    });

    const digest = await env.registry.pushBlob('app', 'already here');
    const again = await uploadInParts(Buffer.from('already here'), 100);
    await expect(env.ecr.send(new CompleteLayerUploadCommand({ repositoryName: 'app', uploadId: again, layerDigests: [digest] }))).rejects.toMatchObject({
      name: 'LayerAlreadyExistsException',
    });

    await expect(env.ecr.send(new CompleteLayerUploadCommand({ repositoryName: 'app', uploadId: '00000000-0000-0000-0000-000000000000', layerDigests: [digest] }))).rejects.toMatchObject({
      name: 'UploadNotFoundException',
      message: 'The upload could not be found, or the specified upload ID is not valid for this repository.',
    });
    await expect(env.ecr.send(new InitiateLayerUploadCommand({ repositoryName: 'missing' }))).rejects.toMatchObject({ name: 'RepositoryNotFoundException' });
  });
});

describe('GetDownloadUrlForLayer', () => {
  it('hands out a URL that serves the blob without credentials, and refuses a tampered one', async () => {
    const digest = await env.registry.pushBlob('app', 'downloadable bytes');
    const { downloadUrl, layerDigest } = await env.ecr.send(new GetDownloadUrlForLayerCommand({ repositoryName: 'app', layerDigest: digest }));
    expect(layerDigest).toBe(digest);
    expect(downloadUrl!.startsWith(`http://${env.emulator.registryHost}/_emulator/layer-downloads/`)).toBe(true);
    const download = await fetch(downloadUrl!);
    expect(download.status).toBe(200);
    expect(await download.text()).toBe('downloadable bytes');

    const tampered = downloadUrl!.replace(/.$/, (last) => (last === 'A' ? 'B' : 'A'));
    const refused = await fetch(tampered);
    expect(refused.status).toBe(403);
    expect(await refused.text()).toContain('<Code>AccessDenied</Code>');
  });

  it('answers LayersNotFoundException for a blob the repository does not have', async () => {
    await expect(env.ecr.send(new GetDownloadUrlForLayerCommand({ repositoryName: 'app', layerDigest: sha256('nothing') }))).rejects.toMatchObject({
      name: 'LayersNotFoundException',
    });
  });
});
