// Upstream secrets: the secret value ECR reads, the secrets file and its one-line errors, and the in-memory store.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createUpstreamSecrets, isCredentialArn, parseSecretValue, readSecretsFile, SecretValueError } from '../../../src/automation/upstream-secrets';

const ARN = 'arn:aws:secretsmanager:us-east-1:000000000000:secret:ecr-pullthroughcache/hub-AbCdEf';

function secretsFile(text: string): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'secrets-file-')), 'secrets.json');
  writeFileSync(file, text);
  return file;
}

describe('parseSecretValue', () => {
  it('reads username and accessToken as the username and password', () => {
    expect(parseSecretValue({ username: 'ci', accessToken: 'token' })).toEqual({ username: 'ci', password: 'token' });
  });

  it('takes password in place of accessToken', () => {
    expect(parseSecretValue({ username: 'ci', password: 'pass' })).toEqual({ username: 'ci', password: 'pass' });
  });

  it.each([
    [null, 'must be an object with username and accessToken'],
    [['ci', 'token'], 'must be an object with username and accessToken'],
    [{ accessToken: 'token' }, 'username is missing'],
    [{ username: 'ci' }, 'accessToken is missing'],
    [{ username: 'ci', accessToken: 7 }, 'accessToken must be a non-empty string'],
    [{ username: '', accessToken: 'token' }, 'username must be a non-empty string'],
  ])('refuses %j: %s', (value, message) => {
    expect(() => parseSecretValue(value)).toThrow(new SecretValueError(message));
  });
});

describe('isCredentialArn', () => {
  it.each([
    [ARN, true],
    ['arn:aws-cn:secretsmanager:cn-north-1:000000000000:secret:ecr-pullthroughcache/x', true],
    ['arn:aws:secretsmanager:us-east-1:000000000000:secret:other/hub', false],
    ['ecr-pullthroughcache/hub', false],
  ])('%s: %s', (arn, expected) => {
    expect(isCredentialArn(arn)).toBe(expected);
  });
});

describe('readSecretsFile', () => {
  it('reads every secret of the file by its ARN', () => {
    const file = secretsFile(JSON.stringify({ [ARN]: { username: 'ci', accessToken: 'token' } }));
    expect([...readSecretsFile(file)]).toEqual([[ARN, { username: 'ci', password: 'token' }]]);
  });

  it.each([
    ['{', 'is not JSON'],
    ['[]', 'must be a JSON object of secret ARN to {"username", "accessToken"}'],
    [JSON.stringify({ 'arn:aws:secretsmanager:us-east-1:000000000000:secret:hub': { username: 'ci', accessToken: 't' } }), '["arn:aws:secretsmanager:us-east-1:000000000000:secret:hub"]: is not a Secrets Manager ARN'],
    [JSON.stringify({ [ARN]: { username: 'ci' } }), `["${ARN}"]: accessToken is missing`],
  ])('refuses %s with one line naming the file and the entry', (text, problem) => {
    const file = secretsFile(text);
    const error = (() => {
      try {
        readSecretsFile(file);
      } catch (caught) {
        return caught as Error;
      }
      throw new Error('readSecretsFile accepted the file');
    })();
    expect(error).toBeInstanceOf(SecretValueError);
    expect(error.message).toContain(`secrets file ${file}: ${problem}`);
    expect(error.message).not.toContain('\n');
  });

  it('says a missing file cannot be read', () => {
    expect(() => readSecretsFile('/nonexistent/secrets.json')).toThrow('secrets file /nonexistent/secrets.json: cannot be read (ENOENT)');
  });
});

describe('createUpstreamSecrets', () => {
  it('finds a secret put, and forgets it once deleted', () => {
    const secrets = createUpstreamSecrets();
    secrets.put(ARN, { username: 'ci', password: 'token' });
    expect(secrets.get(ARN)).toEqual({ username: 'ci', password: 'token' });
    expect(secrets.delete(ARN)).toBe(true);
    expect(secrets.get(ARN)).toBeUndefined();
    expect(secrets.delete(ARN)).toBe(false);
  });

  it('goes back to the initial secrets on reset', () => {
    const other = `${ARN}-other`;
    const secrets = createUpstreamSecrets(new Map([[ARN, { username: 'ci', password: 'token' }]]));
    secrets.put(ARN, { username: 'ci', password: 'changed' });
    secrets.put(other, { username: 'x', password: 'y' });
    secrets.reset();
    expect(secrets.get(ARN)).toEqual({ username: 'ci', password: 'token' });
    expect(secrets.get(other)).toBeUndefined();
  });
});
