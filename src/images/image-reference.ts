// A manifest reference is a tag or a digest; this decides which, once, for both planes, and words a bad digest.
import { isDigest, isSha256Digest, type Sha256Digest } from '../kernel/digest';
import { DomainError } from './domain-error';

export type ImageReference = { kind: 'tag'; tag: string } | { kind: 'digest'; digest: Sha256Digest };

// OCI distribution spec: tags match [a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}.
const TAG = /^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$/;

/** Throws DigestInvalid for a malformed or non-sha256 digest, ReferenceInvalid for a malformed tag. */
export function parseImageReference(text: string): ImageReference {
  if (text.includes(':')) {
    if (!isDigest(text)) throw new DomainError('DigestInvalid', `invalid digest '${text}'`, { digest: text });
    return { kind: 'digest', digest: parseSha256Digest(text) };
  }
  return { kind: 'tag', tag: parseTag(text) };
}

export function parseTag(text: string): string {
  if (!TAG.test(text)) throw new DomainError('ReferenceInvalid', `invalid tag '${text}': tags match [a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}`, { tag: text });
  return text;
}

/** Throws DigestInvalid unless `text` is a sha256 digest; other algorithms are well-formed but unsupported. */
export function parseSha256Digest(text: string): Sha256Digest {
  if (isSha256Digest(text)) return text;
  const isOtherAlgorithm = isDigest(text) && !text.startsWith('sha256:');
  const reason = isOtherAlgorithm ? 'unsupported digest algorithm' : 'invalid digest';
  throw new DomainError('DigestInvalid', `provided digest did not match uploaded content: ${reason} '${text}'`, { digest: text });
}
