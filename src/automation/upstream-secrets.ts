// The Secrets Manager secrets pull-through cache rules name in credentialArn, as the emulator knows them: from the
// secrets file (--secrets-file) and from PUT /_emulator/secrets/<arn>. Kept in memory only, never in the data dir, so
// an upstream's access token is not left on disk; the file is the durable source and comes back after a reset.
import { readFileSync } from 'node:fs';
import type { UpstreamCredentials } from './upstream-client';

/** Why a secret value or the secrets file was refused: one line, naming the file and entry when there is one. */
export class SecretValueError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretValueError';
  }
}

// API reference, CreatePullThroughCacheRule: credentialArn's pattern. ECR finds only secrets named ecr-pullthroughcache/….
const CREDENTIAL_ARN = /^arn:aws(-\w+)*:secretsmanager:[a-zA-Z0-9-:]+:secret:ecr-pullthroughcache\/[a-zA-Z0-9/_+=.@-]+$/;
// Secrets Manager: a secret value is at most 65,536 bytes.
const MAX_FIELD_LENGTH = 65_536;

export function isCredentialArn(arn: string): boolean {
  return CREDENTIAL_ARN.test(arn);
}

function field(value: Record<string, unknown>, name: string): string | undefined {
  const text = value[name];
  if (text === undefined) return undefined;
  if (typeof text !== 'string' || text === '' || text.length > MAX_FIELD_LENGTH) throw new SecretValueError(`${name} must be a non-empty string`);
  return text;
}

/**
 * User guide, "Storing your upstream repository credentials": the secret is `{"username": …, "accessToken": …}`;
 * `password` is taken for accessToken too, as a secret written for other tools often has it. Throws SecretValueError.
 */
export function parseSecretValue(value: unknown): UpstreamCredentials {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new SecretValueError('must be an object with username and accessToken');
  const record = value as Record<string, unknown>;
  const username = field(record, 'username');
  const password = field(record, 'accessToken') ?? field(record, 'password');
  if (username === undefined) throw new SecretValueError('username is missing');
  if (password === undefined) throw new SecretValueError('accessToken is missing');
  return { username, password };
}

/** Reads and checks the secrets file: a JSON object of credentialArn → secret value. Throws SecretValueError of one line. */
export function readSecretsFile(path: string): Map<string, UpstreamCredentials> {
  const fail = (where: string, problem: string): never => {
    throw new SecretValueError(`secrets file ${path}: ${where === '' ? '' : `${where}: `}${problem}`);
  };
  let text = '';
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    fail('', `cannot be read (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text) as unknown;
  } catch (error) {
    fail('', `is not JSON (${(error as Error).message})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) fail('', 'must be a JSON object of secret ARN to {"username", "accessToken"}');
  const secrets = new Map<string, UpstreamCredentials>();
  for (const [arn, value] of Object.entries(parsed as Record<string, unknown>)) {
    if (!isCredentialArn(arn)) fail(`["${arn}"]`, 'is not a Secrets Manager ARN of a secret named ecr-pullthroughcache/…');
    try {
      secrets.set(arn, parseSecretValue(value));
    } catch (error) {
      if (!(error instanceof SecretValueError)) throw error;
      fail(`["${arn}"]`, error.message);
    }
  }
  return secrets;
}

export interface UpstreamSecrets {
  /** The credentials of the secret with exactly this ARN, or undefined. */
  get(arn: string): UpstreamCredentials | undefined;
  /** Sets or replaces a secret. The caller checked the ARN and value (isCredentialArn, parseSecretValue). */
  put(arn: string, credentials: UpstreamCredentials): void;
  /** Whether there was a secret to delete. */
  delete(arn: string): boolean;
  /** Back to the secrets the store was created with (the file's): what a reset of the emulator does. */
  reset(): void;
}

export function createUpstreamSecrets(initial: ReadonlyMap<string, UpstreamCredentials> = new Map()): UpstreamSecrets {
  let secrets = new Map(initial);
  return {
    get: (arn) => secrets.get(arn),
    put: (arn, credentials) => void secrets.set(arn, credentials),
    delete: (arn) => secrets.delete(arn),
    reset: () => {
      secrets = new Map(initial);
    },
  };
}
