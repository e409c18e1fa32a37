// Content digests: the grammar of `algorithm:hex` and sha256 of exact bytes. The registry stores sha256 only.
// Knows no domain: parseSha256Digest (images/image-reference.ts) words a bad digest as the core's error.
import { createHash } from 'node:crypto';

/** A sha256 digest in canonical form, `sha256:<64 lowercase hex>`. */
export type Sha256Digest = `sha256:${string}`;

const SHA256 = /^sha256:[a-f0-9]{64}$/;
// OCI image spec, descriptor.md: algorithm-component and encoded grammar.
const ANY_DIGEST = /^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$/;

export function isDigest(text: string): boolean {
  return ANY_DIGEST.test(text);
}

/** Whether `text` is a sha256 digest in canonical form. */
export function isSha256Digest(text: string): text is Sha256Digest {
  return SHA256.test(text);
}

export function sha256Of(bytes: Uint8Array): Sha256Digest {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

export function hexOf(digest: Sha256Digest): string {
  return digest.slice('sha256:'.length);
}
