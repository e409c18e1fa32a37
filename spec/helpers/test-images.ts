// Deterministic test images for the real-client e2e tests, built offline by fixtures/images/make-images.sh
// (busybox-static, tar, gzip, jq, skopeo), and the manifest digests the script expects a registry to serve.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { requireExecutable, runOrThrow } from './run-process';

export const MAKE_IMAGES_SCRIPT = path.resolve(__dirname, '../../fixtures/images/make-images.sh');

export interface TestImages {
  directory: string;
  /** OCI layout `oci:<directory>/single:latest`: one busybox layer, linux/amd64. */
  single: { reference: string; layout: string; digest: string };
  /** OCI layout holding an image index of linux/amd64 and linux/arm64/v8. */
  multi: { reference: string; layout: string; digest: string; childDigests: string[] };
  /** `dir:` layout of the single image as Docker schema 2. */
  v2s2: { reference: string; digest: string };
  /** `dir:` layout of a Docker manifest list of the multi image. */
  v2list: { reference: string; digest: string };
}

export function sha256Of(bytes: Buffer | string): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/** `KEY=value` and `KEY="a b"` lines of digests.env. */
function parseEnvironmentFile(text: string): Map<string, string> {
  const entries = new Map<string, string>();
  for (const line of text.split('\n')) {
    const match = /^([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (match !== null) entries.set(match[1]!, match[2]!.replace(/^"(.*)"$/, '$1'));
  }
  return entries;
}

/** Builds the images into `directory` (about 3 s) and reads back their expected digests. */
export async function makeTestImages(directory: string): Promise<TestImages> {
  // The script would only warn without skopeo (no Docker images); a missing tool is a failure here.
  for (const tool of ['skopeo', 'jq', 'tar', 'gzip', 'sha256sum', '/bin/busybox']) requireExecutable(tool);
  await runOrThrow(MAKE_IMAGES_SCRIPT, [directory], { timeoutMs: 120_000 });
  const digests = parseEnvironmentFile(readFileSync(path.join(directory, 'digests.env'), 'utf8'));
  const digest = (key: string): string => {
    const value = digests.get(key);
    if (value === undefined || !/^sha256:[0-9a-f]{64}/.test(value)) throw new Error(`${MAKE_IMAGES_SCRIPT} wrote no ${key} into digests.env`);
    return value;
  };
  return {
    directory,
    single: { reference: `oci:${path.join(directory, 'single')}:latest`, layout: path.join(directory, 'single'), digest: digest('SINGLE_DIGEST') },
    multi: {
      reference: `oci:${path.join(directory, 'multi')}:latest`,
      layout: path.join(directory, 'multi'),
      digest: digest('MULTI_DIGEST'),
      childDigests: digest('MULTI_CHILD_DIGESTS').split(' ').filter(Boolean),
    },
    v2s2: { reference: `dir:${path.join(directory, 'v2s2')}`, digest: digest('V2S2_DIGEST') },
    v2list: { reference: `dir:${path.join(directory, 'v2list')}`, digest: digest('V2LIST_DIGEST') },
  };
}

/** Digest → sha256 of the file's bytes, for every blob of an OCI layout. */
export function layoutBlobDigests(layout: string): Map<string, string> {
  const blobs = path.join(layout, 'blobs', 'sha256');
  return new Map(readdirSync(blobs).map((hex) => [`sha256:${hex}`, sha256Of(readFileSync(path.join(blobs, hex)))]));
}
