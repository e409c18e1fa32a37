// The identifiers IAM and STS make: unique ids of users, roles, groups and policies, access key ids and secrets.
// Random and shaped as AWS's are, so clients that check their form accept them; nothing here remembers an id.
import { randomBytes, randomInt } from 'node:crypto';

/**
 * IAM's unique-id prefixes: a user `AIDA`, a role `AROA`, a managed policy `ANPA`, a group `AGPA`, a user's access
 * key `AKIA`, an STS session's key `ASIA` (IAM User Guide, "Unique identifiers").
 */
export type IamIdPrefix = 'AIDA' | 'AROA' | 'ANPA' | 'AGPA' | 'AKIA' | 'ASIA';

// Entity ids are 21 characters (`AIDAJQABLZS4A3QDU576Q`), access key ids 20 (`AKIAIOSFODNN7EXAMPLE`).
const KEY_PREFIXES: readonly IamIdPrefix[] = ['AKIA', 'ASIA'];
const KEY_ID_BODY_LENGTH = 16;
const ENTITY_ID_BODY_LENGTH = 17;
// IAM's ids are base32: upper-case letters and the digits 2 to 7.
const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
const SECRET_LENGTH = 40;

/** A new id with `prefix`: 16 characters after an access key prefix, 17 after an entity prefix. */
export function newIamId(prefix: IamIdPrefix): string {
  const length = KEY_PREFIXES.includes(prefix) ? KEY_ID_BODY_LENGTH : ENTITY_ID_BODY_LENGTH;
  let body = '';
  for (let index = 0; index < length; index += 1) body += ID_ALPHABET[randomInt(ID_ALPHABET.length)];
  return `${prefix}${body}`;
}

/** A new secret access key: 40 characters of base64's alphabet, as IAM and STS issue them. */
export function newSecretAccessKey(): string {
  return randomBytes(30).toString('base64').slice(0, SECRET_LENGTH);
}
