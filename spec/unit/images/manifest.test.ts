// Manifest parsing: every manifest kind the registry stores, how its media type is decided, and each way a body is
// refused (too large, not JSON, wrong schemaVersion, malformed descriptors) with its error kind and message.
import { DomainError, type DomainErrorKind } from '../../../src/images/domain-error';
import { isForeignLayer, MAX_MANIFEST_BYTES, parseManifest, type Descriptor } from '../../../src/images/manifest';
import { MediaType } from '../../../src/images/media-types';

const digest = (character: string): string => `sha256:${character.repeat(64)}`;

const DOCKER_CONFIG = 'application/vnd.docker.container.image.v1+json';
const DOCKER_LAYER = 'application/vnd.docker.image.rootfs.diff.tar.gzip';
const OCI_CONFIG = 'application/vnd.oci.image.config.v1+json';
const OCI_LAYER = 'application/vnd.oci.image.layer.v1.tar+gzip';
const OCI_EMPTY = 'application/vnd.oci.empty.v1+json';

const config = { mediaType: OCI_CONFIG, digest: digest('c'), size: 7 };
const layer = { mediaType: OCI_LAYER, digest: digest('1'), size: 100 };

function ociManifest(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { schemaVersion: 2, mediaType: MediaType.ociManifest, config, layers: [layer], ...extra };
}

function ociIndex(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { schemaVersion: 2, mediaType: MediaType.ociIndex, manifests: [{ mediaType: MediaType.ociManifest, digest: digest('a'), size: 500 }], ...extra };
}

function bytesOf(document: unknown): Buffer {
  return Buffer.from(JSON.stringify(document));
}

function failureOf(work: () => unknown): { kind: DomainErrorKind; message: string } {
  try {
    work();
  } catch (error) {
    if (error instanceof DomainError) return { kind: error.kind, message: error.message };
    throw new Error(`threw something other than a DomainError: ${String(error)}`);
  }
  throw new Error('returned instead of throwing');
}

const invalid = (message: string) => ({ kind: 'ManifestInvalid', message: `manifest invalid: ${message}` });

describe('the manifest kinds parseManifest reads', () => {
  test('reads a Docker schema 2 manifest as an image whose artifactType is its config media type', () => {
    const document = {
      schemaVersion: 2,
      mediaType: MediaType.dockerManifest,
      config: { mediaType: DOCKER_CONFIG, digest: digest('c'), size: 1470 },
      layers: [
        { mediaType: DOCKER_LAYER, digest: digest('1'), size: 2811 },
        { mediaType: DOCKER_LAYER, digest: digest('2'), size: 512 },
      ],
    };
    expect(parseManifest(bytesOf(document))).toEqual({
      kind: 'image',
      mediaType: MediaType.dockerManifest,
      config: { mediaType: DOCKER_CONFIG, digest: digest('c'), sizeInBytes: 1470 },
      layers: [
        { mediaType: DOCKER_LAYER, digest: digest('1'), sizeInBytes: 2811 },
        { mediaType: DOCKER_LAYER, digest: digest('2'), sizeInBytes: 512 },
      ],
      artifactType: DOCKER_CONFIG,
    });
  });

  test('reads a Docker manifest list as an index of its manifests, ignoring platforms', () => {
    const document = {
      schemaVersion: 2,
      mediaType: MediaType.dockerManifestList,
      manifests: [
        { mediaType: MediaType.dockerManifest, digest: digest('a'), size: 528, platform: { architecture: 'amd64', os: 'linux' } },
        { mediaType: MediaType.dockerManifest, digest: digest('b'), size: 529, platform: { architecture: 'arm64', os: 'linux' } },
      ],
    };
    expect(parseManifest(bytesOf(document))).toEqual({
      kind: 'index',
      mediaType: MediaType.dockerManifestList,
      manifests: [
        { mediaType: MediaType.dockerManifest, digest: digest('a'), sizeInBytes: 528 },
        { mediaType: MediaType.dockerManifest, digest: digest('b'), sizeInBytes: 529 },
      ],
    });
  });

  test('reads an OCI image manifest as an image', () => {
    expect(parseManifest(bytesOf(ociManifest()))).toEqual({
      kind: 'image',
      mediaType: MediaType.ociManifest,
      config: { mediaType: OCI_CONFIG, digest: digest('c'), sizeInBytes: 7 },
      layers: [{ mediaType: OCI_LAYER, digest: digest('1'), sizeInBytes: 100 }],
      artifactType: OCI_CONFIG,
    });
  });

  test('reads an OCI index as an index without an artifactType of its own', () => {
    const parsed = parseManifest(bytesOf(ociIndex()));
    expect(parsed).toEqual({
      kind: 'index',
      mediaType: MediaType.ociIndex,
      manifests: [{ mediaType: MediaType.ociManifest, digest: digest('a'), sizeInBytes: 500 }],
    });
    expect(parsed).not.toHaveProperty('artifactType');
  });

  test('keeps the artifactType an OCI index declares', () => {
    expect(parseManifest(bytesOf(ociIndex({ artifactType: 'application/vnd.example.bundle' })))).toMatchObject({ kind: 'index', artifactType: 'application/vnd.example.bundle' });
  });

  test('reads an OCI artifact with an empty config as an image of its declared artifactType', () => {
    const document = ociManifest({
      artifactType: 'application/vnd.example.sbom.v1',
      config: { mediaType: OCI_EMPTY, digest: digest('e'), size: 2 },
      layers: [{ mediaType: 'application/spdx+json', digest: digest('s'), size: 1024 }],
    });
    expect(parseManifest(bytesOf(document))).toMatchObject({ kind: 'image', artifactType: 'application/vnd.example.sbom.v1', config: { mediaType: OCI_EMPTY } });
  });

  test('takes an artifact config media type as the artifactType when none is declared', () => {
    const document = ociManifest({ config: { mediaType: 'application/vnd.example.signature.config.v1+json', digest: digest('c'), size: 2 } });
    expect(parseManifest(bytesOf(document)).artifactType).toBe('application/vnd.example.signature.config.v1+json');
  });

  test('reads an image manifest with no layers', () => {
    expect(parseManifest(bytesOf(ociManifest({ layers: [] })))).toMatchObject({ kind: 'image', layers: [] });
  });

  test.each([
    ['an image manifest', ociManifest],
    ['an index', ociIndex],
  ])('reads the subject of %s as a descriptor', (_case, build) => {
    const subject = { mediaType: MediaType.ociManifest, digest: digest('5'), size: 321 };
    expect(parseManifest(bytesOf(build({ subject }))).subject).toEqual({ mediaType: MediaType.ociManifest, digest: digest('5'), sizeInBytes: 321 });
  });

  test('leaves subject out when the manifest has none', () => {
    expect(parseManifest(bytesOf(ociManifest()))).not.toHaveProperty('subject');
  });

  test('keeps the manifest annotations', () => {
    const annotations = { 'org.opencontainers.image.created': '2024-01-01T00:00:00Z', 'com.example.empty': '' };
    expect(parseManifest(bytesOf(ociManifest({ annotations }))).annotations).toEqual(annotations);
  });

  test('treats null manifest annotations as none', () => {
    expect(parseManifest(bytesOf(ociManifest({ annotations: null })))).not.toHaveProperty('annotations');
  });

  test('keeps the urls, artifactType and annotations of a descriptor', () => {
    const foreign = {
      mediaType: 'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip',
      digest: digest('f'),
      size: 5,
      urls: ['https://example.com/layer.tar.gz'],
      artifactType: 'application/vnd.example.part',
      annotations: { note: 'foreign' },
    };
    expect(parseManifest(bytesOf(ociManifest({ layers: [foreign] })))).toMatchObject({
      layers: [{ mediaType: foreign.mediaType, digest: digest('f'), sizeInBytes: 5, urls: foreign.urls, artifactType: foreign.artifactType, annotations: foreign.annotations }],
    });
  });

  test('accepts descriptor digests of algorithms other than sha256', () => {
    const sha512Layer = { mediaType: OCI_LAYER, digest: `sha512:${'ab'.repeat(64)}`, size: 1 };
    expect(parseManifest(bytesOf(ociManifest({ layers: [sha512Layer] })))).toMatchObject({ layers: [{ digest: sha512Layer.digest }] });
  });

  test('reads only the bytes of the view it is given', () => {
    const manifest = bytesOf(ociManifest());
    const whole = Buffer.concat([Buffer.from('garbage'), manifest, Buffer.from('garbage')]);
    expect(parseManifest(new Uint8Array(whole.buffer, whole.byteOffset + 7, manifest.length)).mediaType).toBe(MediaType.ociManifest);
  });
});

describe('isForeignLayer', () => {
  const descriptorOf = (mediaType: string, urls?: string[]): Descriptor => ({ mediaType, digest: digest('f'), sizeInBytes: 1, ...(urls !== undefined ? { urls } : {}) });
  const URLS = ['https://example.com/layer'];

  test.each([
    ['a Docker foreign layer', 'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip'],
    ['an OCI non-distributable tar layer', 'application/vnd.oci.image.layer.nondistributable.v1.tar'],
    ['an OCI non-distributable gzip layer', 'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip'],
    ['an OCI non-distributable zstd layer', 'application/vnd.oci.image.layer.nondistributable.v1.tar+zstd'],
  ])('is true for %s with urls', (_case, mediaType) => {
    expect(isForeignLayer(descriptorOf(mediaType, URLS))).toBe(true);
  });

  test.each([
    ['a Docker foreign layer without urls', 'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip', undefined],
    ['a Docker foreign layer with an empty urls list', 'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip', []],
    ['an OCI non-distributable layer without urls', 'application/vnd.oci.image.layer.nondistributable.v1.tar+gzip', undefined],
    ['an ordinary OCI layer with urls', OCI_LAYER, URLS],
    ['an ordinary Docker layer with urls', DOCKER_LAYER, URLS],
  ])('is false for %s', (_case, mediaType, urls) => {
    expect(isForeignLayer(descriptorOf(mediaType, urls))).toBe(false);
  });
});

describe('how parseManifest decides the media type', () => {
  test('takes the Content-Type when the body names no mediaType', () => {
    const { mediaType: _mediaType, ...withoutMediaType } = ociManifest();
    expect(parseManifest(bytesOf(withoutMediaType), MediaType.ociManifest).mediaType).toBe(MediaType.ociManifest);
  });

  test('reads the Content-Type without its parameters', () => {
    const { mediaType: _mediaType, ...withoutMediaType } = ociIndex();
    expect(parseManifest(bytesOf(withoutMediaType), `${MediaType.ociIndex}; charset=utf-8`).mediaType).toBe(MediaType.ociIndex);
  });

  test('accepts a body mediaType equal to the Content-Type', () => {
    expect(parseManifest(bytesOf(ociManifest()), MediaType.ociManifest).mediaType).toBe(MediaType.ociManifest);
  });

  test.each([
    ['application/json'],
    ['application/octet-stream'],
    ['text/plain; charset=utf-8'],
  ])('ignores a Content-Type of %s, which names no manifest type, in favour of the body mediaType', (contentType) => {
    expect(parseManifest(bytesOf(ociManifest()), contentType).mediaType).toBe(MediaType.ociManifest);
  });

  test.each([
    ['a config', ociManifest, MediaType.ociManifest],
    ['manifests', ociIndex, MediaType.ociIndex],
  ])('infers the OCI type from %s when neither the body nor the Content-Type names one', (_case, build, mediaType) => {
    const { mediaType: _mediaType, ...withoutMediaType } = build();
    expect(parseManifest(bytesOf(withoutMediaType), 'application/json').mediaType).toBe(mediaType);
  });

  test('refuses a body mediaType that differs from a manifest Content-Type with ManifestInvalid', () => {
    expect(failureOf(() => parseManifest(bytesOf(ociManifest()), MediaType.dockerManifest))).toEqual(
      invalid(`mediaType '${MediaType.ociManifest}' does not match Content-Type '${MediaType.dockerManifest}'`),
    );
  });

  test.each([
    ['a Docker schema 1 type', 'application/vnd.docker.distribution.manifest.v1+prettyjws'],
    ['the withdrawn OCI artifact manifest type', 'application/vnd.oci.artifact.manifest.v1+json'],
    ['a blob type', 'application/octet-stream'],
  ])('refuses a body mediaType of %s with UnsupportedMediaType', (_case, mediaType) => {
    expect(failureOf(() => parseManifest(bytesOf(ociManifest({ mediaType }))))).toEqual({
      kind: 'UnsupportedMediaType',
      message: `manifest invalid: unsupported manifest media type '${mediaType}'`,
    });
  });

  test('refuses a body that names no type and has neither config nor manifests with ManifestInvalid', () => {
    expect(failureOf(() => parseManifest(bytesOf({ schemaVersion: 2, layers: [] })))).toEqual(invalid('cannot tell the manifest type: no mediaType, config or manifests'));
  });

  test('refuses a body mediaType that is not a string with ManifestInvalid', () => {
    expect(failureOf(() => parseManifest(bytesOf(ociManifest({ mediaType: 2 }))))).toEqual(invalid('manifest.mediaType must be a string'));
  });

  test('reads an index body by the Content-Type it declares, refusing it as an image without config', () => {
    const { mediaType: _mediaType, ...withoutMediaType } = ociIndex();
    expect(failureOf(() => parseManifest(bytesOf(withoutMediaType), MediaType.ociManifest))).toEqual(invalid('config must be a descriptor object'));
  });
});

describe('the size cap', () => {
  /** A valid manifest padded with trailing whitespace (valid JSON) to exactly `length` bytes. */
  const paddedTo = (length: number): Buffer => {
    const manifest = bytesOf(ociManifest());
    return Buffer.concat([manifest, Buffer.alloc(length - manifest.length, ' ')]);
  };

  test('accepts a manifest of exactly MAX_MANIFEST_BYTES', () => {
    expect(parseManifest(paddedTo(MAX_MANIFEST_BYTES)).kind).toBe('image');
  });

  test('refuses a manifest one byte over MAX_MANIFEST_BYTES with ManifestTooLarge', () => {
    expect(failureOf(() => parseManifest(paddedTo(MAX_MANIFEST_BYTES + 1)))).toEqual({
      kind: 'ManifestTooLarge',
      message: `manifest too large: ${MAX_MANIFEST_BYTES + 1} bytes exceeds the limit of ${MAX_MANIFEST_BYTES}`,
    });
  });

  test('is 4 MiB', () => {
    expect(MAX_MANIFEST_BYTES).toBe(4 * 1024 * 1024);
  });
});

describe('bodies parseManifest refuses as a whole', () => {
  test.each([
    ['text', 'not json'],
    ['truncated JSON', '{"schemaVersion": 2, "config": {'],
    ['an empty body', ''],
  ])('refuses %s with ManifestInvalid, not valid JSON', (_case, text) => {
    expect(failureOf(() => parseManifest(Buffer.from(text)))).toEqual(invalid('not valid JSON'));
  });

  test.each([['[]'], ['"manifest"'], ['null'], ['2']])('refuses the JSON value %s with ManifestInvalid, not a JSON object', (text) => {
    expect(failureOf(() => parseManifest(Buffer.from(text)))).toEqual(invalid('not a JSON object'));
  });

  test.each([
    ['missing', undefined],
    ['1', 1],
    ['3', 3],
    ['the string "2"', '2'],
  ])('refuses a schemaVersion that is %s with ManifestInvalid', (_case, schemaVersion) => {
    expect(failureOf(() => parseManifest(bytesOf(ociManifest({ schemaVersion }))))).toEqual(invalid('schemaVersion must be 2'));
  });

  test.each([
    ['a string', 'yes'],
    ['an array', ['x']],
    ['a map with a non-string value', { count: 1 }],
  ])('refuses manifest annotations that are %s with ManifestInvalid', (_case, annotations) => {
    expect(failureOf(() => parseManifest(bytesOf(ociManifest({ annotations }))))).toEqual(invalid('manifest.annotations must map strings to strings'));
  });

  test('refuses a manifest artifactType that is not a string with ManifestInvalid', () => {
    expect(failureOf(() => parseManifest(bytesOf(ociManifest({ artifactType: 1 }))))).toEqual(invalid('manifest.artifactType must be a string'));
  });

  test.each([
    ['missing', undefined],
    ['an object', { 0: layer }],
  ])('refuses layers that are %s with ManifestInvalid', (_case, layers) => {
    expect(failureOf(() => parseManifest(bytesOf(ociManifest({ layers }))))).toEqual(invalid('layers must be an array'));
  });

  test.each([
    ['missing', undefined],
    ['a descriptor', { mediaType: MediaType.ociManifest, digest: digest('a'), size: 1 }],
  ])('refuses index manifests that are %s with ManifestInvalid', (_case, manifests) => {
    expect(failureOf(() => parseManifest(bytesOf(ociIndex({ manifests }))))).toEqual(invalid('manifests must be an array'));
  });
});

describe('malformed descriptors', () => {
  const withLayer = (changes: Record<string, unknown>) => ociManifest({ layers: [layer, { ...layer, ...changes }] });

  test.each([
    ['missing', undefined],
    ['a string', 'config'],
    ['an array', [config]],
    ['null', null],
  ])('refuses a config that is %s with ManifestInvalid', (_case, value) => {
    expect(failureOf(() => parseManifest(bytesOf(ociManifest({ config: value }))))).toEqual(invalid('config must be a descriptor object'));
  });

  test('refuses a descriptor without mediaType with ManifestInvalid', () => {
    expect(failureOf(() => parseManifest(bytesOf(withLayer({ mediaType: undefined }))))).toEqual(invalid('layers[1].mediaType is required'));
  });

  test('refuses a descriptor mediaType that is not a string with ManifestInvalid', () => {
    expect(failureOf(() => parseManifest(bytesOf(ociManifest({ config: { ...config, mediaType: 5 } }))))).toEqual(invalid('config.mediaType must be a string'));
  });

  test.each([
    ['missing', undefined],
    ['a number', 12],
    ['without an algorithm', 'a'.repeat(64)],
    ['with an uppercase algorithm', `SHA256:${'a'.repeat(64)}`],
    ['with a / in the encoded part', 'sha256:abc/def'],
  ])('refuses a descriptor digest that is %s with ManifestInvalid', (_case, value) => {
    expect(failureOf(() => parseManifest(bytesOf(withLayer({ digest: value }))))).toEqual(invalid('layers[1].digest is not a valid digest'));
  });

  test.each([
    ['missing', undefined],
    ['negative', -1],
    ['fractional', 1.5],
    ['a string', '100'],
    ['beyond the safe integers', 2 ** 53],
  ])('refuses a descriptor size that is %s with ManifestInvalid', (_case, value) => {
    expect(failureOf(() => parseManifest(bytesOf(withLayer({ size: value }))))).toEqual(invalid('layers[1].size must be a non-negative integer'));
  });

  test('accepts a descriptor of size 0', () => {
    expect(parseManifest(bytesOf(withLayer({ size: 0 })))).toMatchObject({ layers: [{}, { sizeInBytes: 0 }] });
  });

  test.each([
    ['a string', 'https://example.com/layer'],
    ['a list holding a number', ['https://example.com/layer', 7]],
  ])('refuses descriptor urls that are %s with ManifestInvalid', (_case, urls) => {
    expect(failureOf(() => parseManifest(bytesOf(withLayer({ urls }))))).toEqual(invalid('layers[1].urls must be strings'));
  });

  test('refuses a descriptor artifactType that is not a string with ManifestInvalid', () => {
    expect(failureOf(() => parseManifest(bytesOf(withLayer({ artifactType: ['x'] }))))).toEqual(invalid('layers[1].artifactType must be a string'));
  });

  test('refuses descriptor annotations with a non-string value with ManifestInvalid', () => {
    expect(failureOf(() => parseManifest(bytesOf(withLayer({ annotations: { a: true } }))))).toEqual(invalid('layers[1].annotations must map strings to strings'));
  });

  test('names the index entry of a malformed manifest descriptor', () => {
    const document = ociIndex({ manifests: [{ mediaType: MediaType.ociManifest, digest: digest('a'), size: 1 }, 'entry'] });
    expect(failureOf(() => parseManifest(bytesOf(document)))).toEqual(invalid('manifests[1] must be a descriptor object'));
  });

  test('refuses a malformed subject with ManifestInvalid', () => {
    const subject = { mediaType: MediaType.ociManifest, digest: 'not-a-digest', size: 1 };
    expect(failureOf(() => parseManifest(bytesOf(ociManifest({ subject }))))).toEqual(invalid('subject.digest is not a valid digest'));
  });
});
