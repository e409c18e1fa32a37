// Image scenarios through the control plane alone: layers uploaded with the layer API, an image made of them with
// PutImage, then described, got and deleted.
import { createHash } from 'node:crypto';
import { expectSuccess, type ClientOutput, type EcrClientDriver } from '../helpers/ecr-client-drivers';
import type { ScenarioGroup } from '../helpers/ecr-scenario-runner';
import { createRepository } from './repositories';
import { DEFAULT_ACCOUNT, expectServiceError, expectWithin, known } from './scenario-expectations';

const sha256 = (bytes: Buffer): string => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

const IMAGE_CONFIG = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [] } }));
const IMAGE_LAYER = Buffer.from('a layer uploaded with the layer API');
const IMAGE_MANIFEST = JSON.stringify({
  schemaVersion: 2,
  mediaType: 'application/vnd.oci.image.manifest.v1+json',
  config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: sha256(IMAGE_CONFIG), size: IMAGE_CONFIG.length },
  layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: sha256(IMAGE_LAYER), size: IMAGE_LAYER.length }],
});
const IMAGE_DIGEST = sha256(Buffer.from(IMAGE_MANIFEST));

/** Uploads `bytes` as one layer part with the layer API; returns its digest. */
async function uploadLayer(client: EcrClientDriver, repositoryName: string, bytes: Buffer): Promise<string> {
  const { uploadId } = expectSuccess(await client.call('InitiateLayerUpload', { repositoryName }));
  expectSuccess(await client.call('UploadLayerPart', { repositoryName, uploadId, partFirstByte: 0, partLastByte: bytes.length - 1, layerPartBlob: bytes }));
  const { layerDigest } = expectSuccess(await client.call('CompleteLayerUpload', { repositoryName, uploadId, layerDigests: [sha256(bytes)] }));
  return layerDigest as string;
}

export const IMAGE_SCENARIOS: ScenarioGroup = {
  title: 'images',
  scenarios: [
    {
      name: 'makes an image from layer-API uploads and PutImage, describes, gets and deletes it',
      async run({ client, during }) {
        await createRepository(client, 'built');
        expect(await uploadLayer(client, 'built', IMAGE_CONFIG)).toBe(sha256(IMAGE_CONFIG));
        expect(await uploadLayer(client, 'built', IMAGE_LAYER)).toBe(sha256(IMAGE_LAYER));
        const { result: put, window } = await during(async () => expectSuccess(await client.call('PutImage', { repositoryName: 'built', imageManifest: IMAGE_MANIFEST, imageTag: 'v1' })));
        expect(put.image).toMatchObject({ registryId: DEFAULT_ACCOUNT, repositoryName: 'built', imageId: { imageDigest: IMAGE_DIGEST, imageTag: 'v1' }, imageManifest: IMAGE_MANIFEST });

        const { imageDetails } = expectSuccess(await client.call('DescribeImages', { repositoryName: 'built' }));
        const size = IMAGE_CONFIG.length + IMAGE_LAYER.length;
        expect(imageDetails).toMatchObject([known(client, { imageDigest: IMAGE_DIGEST, imageTags: ['v1'], imageSizeInBytes: size, imageStatus: 'ACTIVE' })]);
        expectWithin(client.timestamp((imageDetails as ClientOutput[])[0]!.imagePushedAt), window);

        const got = expectSuccess(await client.call('BatchGetImage', { repositoryName: 'built', imageIds: [{ imageTag: 'v1' }, { imageTag: 'v2' }] }));
        expect(got).toMatchObject({
          images: [{ imageId: { imageDigest: IMAGE_DIGEST, imageTag: 'v1' }, imageManifest: IMAGE_MANIFEST }],
          failures: [{ imageId: { imageTag: 'v2' }, failureCode: 'ImageNotFound', failureReason: 'Requested image not found' }],
        });

        const deleted = expectSuccess(await client.call('BatchDeleteImage', { repositoryName: 'built', imageIds: [{ imageTag: 'v1' }] }));
        expect(deleted).toMatchObject({ imageIds: [{ imageDigest: IMAGE_DIGEST, imageTag: 'v1' }], failures: [] });
        expectServiceError(
          client,
          await client.call('DescribeImages', { repositoryName: 'built', imageIds: [{ imageTag: 'v1' }] }),
          'ImageNotFoundException',
          `The image with imageId {imageDigest:'null', imageTag:'v1'} does not exist within the repository with name 'built' in the registry with id '${DEFAULT_ACCOUNT}'`,
        );
      },
    },
  ],
};
