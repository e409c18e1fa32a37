// Emulator configuration from command-line flags and ECR_EMULATOR_* environment variables (flags win). Pure:
// parsing never touches the disk or the network; a bad flag or value throws ConfigError with a one-line message.
import type { IamMode } from './auth/access';
import { isKnownRegion } from './aws/regions';

export interface EmulatorConfig {
  host: string;
  port: number;
  /** undefined with `memory`. */
  dataDir: string | undefined;
  memory: boolean;
  accountId: string;
  region: string;
  /** Host (and port) advertised in repositoryUri and proxyEndpoint; default `localhost:<port>`. */
  hostname: string | undefined;
  tokenTtlSeconds: number;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  logFormat: 'text' | 'json';
  tlsCert: string | undefined;
  tlsKey: string | undefined;
  /** A JSON file of IAM users, keys, groups, roles and policies per account, loaded at start and after each reset. */
  iamFile: string | undefined;
  /** How policies decide requests: off, soft or enforce (see auth/access.ts). */
  iamMode: IamMode;
  /** A JSON file of Secrets Manager secret ARN → upstream credentials, for pull-through cache rules' credentialArn. */
  secretsFile: string | undefined;
  /** Upstream registry host of a pull-through cache rule → the registry URL it is reached at instead (--upstream). */
  upstreams: Record<string, string>;
  /** How often lifecycle policies run by themselves, as ECR runs them daily; undefined: only when asked. */
  lifecycleIntervalSeconds: number | undefined;
  /** Memory for hot blobs served by GETs from the disk store (see store/cached-blob-store.ts); 0 turns it off. */
  blobCacheBytes: number;
  /** Whether the web console and its JSON API are served (/_emulator/console, /_emulator/api/); `--no-console` turns them off. */
  isConsoleEnabled: boolean;
}

export class ConfigError extends Error {}

export const DEFAULT_DATA_DIR = '.data';

/** Enough for the layers a CI job pulls again and again, small enough for a laptop. */
export const DEFAULT_BLOB_CACHE_BYTES = 256 * 1024 * 1024;

/** One option: its flag, its environment variable, the placeholder for its value, one line of help. */
export interface FlagSpec {
  flag: string;
  env: string;
  value: string;
  help: string;
  isBoolean?: boolean;
  /** Given more than once, each value adds to the setting; its variable takes a comma-separated list. */
  isRepeatable?: boolean;
}

export const FLAGS: readonly FlagSpec[] = [
  { flag: 'host', env: 'ECR_EMULATOR_HOST', value: 'ADDR', help: 'address to listen on (default 127.0.0.1)' },
  { flag: 'port', env: 'ECR_EMULATOR_PORT', value: 'N', help: 'port for both planes; 0 picks a free one (default 5000)' },
  { flag: 'data-dir', env: 'ECR_EMULATOR_DATA_DIR', value: 'DIR', help: `where metadata and blobs are kept (default ${DEFAULT_DATA_DIR})` },
  { flag: 'memory', env: 'ECR_EMULATOR_MEMORY', value: '', help: 'keep everything in memory; nothing is written to disk', isBoolean: true },
  { flag: 'account-id', env: 'ECR_EMULATOR_ACCOUNT_ID', value: 'ID', help: 'account for callers whose access key is not 12 digits (default 000000000000)' },
  { flag: 'region', env: 'ECR_EMULATOR_REGION', value: 'NAME', help: 'region for unsigned requests (default us-east-1)' },
  { flag: 'hostname', env: 'ECR_EMULATOR_HOSTNAME', value: 'HOST[:PORT]', help: 'registry host advertised in repositoryUri (default localhost:<port>)' },
  { flag: 'token-ttl', env: 'ECR_EMULATOR_TOKEN_TTL', value: 'SECONDS', help: 'lifetime of authorization tokens (default 43200, 12 hours)' },
  { flag: 'log-level', env: 'ECR_EMULATOR_LOG_LEVEL', value: 'LEVEL', help: 'debug, info, warn, error or silent (default info)' },
  { flag: 'log-format', env: 'ECR_EMULATOR_LOG_FORMAT', value: 'FORMAT', help: 'text or json (default text)' },
  { flag: 'tls-cert', env: 'ECR_EMULATOR_TLS_CERT', value: 'FILE', help: 'PEM certificate: serve HTTPS on the same port' },
  { flag: 'tls-key', env: 'ECR_EMULATOR_TLS_KEY', value: 'FILE', help: 'PEM private key for --tls-cert' },
  { flag: 'iam-file', env: 'ECR_EMULATOR_IAM_FILE', value: 'FILE', help: 'JSON of IAM users, keys, groups, roles and policies to load at start' },
  { flag: 'iam', env: 'ECR_EMULATOR_IAM', value: 'MODE', help: 'off, soft or enforce: how IAM and resource policies decide requests (default off)' },
  { flag: 'upstream', env: 'ECR_EMULATOR_UPSTREAMS', value: 'HOST=URL', help: 'reach pull-through cache upstream HOST at URL instead (repeatable)', isRepeatable: true },
  { flag: 'secrets-file', env: 'ECR_EMULATOR_SECRETS_FILE', value: 'FILE', help: 'JSON of secret ARN to {username, accessToken} for pull-through cache rules' },
  { flag: 'lifecycle-interval', env: 'ECR_EMULATOR_LIFECYCLE_INTERVAL', value: 'DURATION', help: 'run lifecycle policies every DURATION (90s, 30m, 24h, 1d; default off)' },
  { flag: 'blob-cache', env: 'ECR_EMULATOR_BLOB_CACHE', value: 'SIZE', help: 'memory for hot blobs pulled from disk (512k, 256m, 1g; 0 off; default 256m)' },
  { flag: 'console', env: 'ECR_EMULATOR_CONSOLE', value: '', help: 'serve the web console at /_emulator/console (default on; --no-console turns it off)', isBoolean: true },
];

export function defaultConfig(): EmulatorConfig {
  return {
    host: '127.0.0.1',
    port: 5000,
    dataDir: DEFAULT_DATA_DIR,
    memory: false,
    accountId: '000000000000',
    region: 'us-east-1',
    hostname: undefined,
    tokenTtlSeconds: 12 * 60 * 60,
    logLevel: 'info',
    logFormat: 'text',
    tlsCert: undefined,
    tlsKey: undefined,
    iamFile: undefined,
    iamMode: 'off',
    upstreams: {},
    secretsFile: undefined,
    lifecycleIntervalSeconds: undefined,
    blobCacheBytes: DEFAULT_BLOB_CACHE_BYTES,
    isConsoleEnabled: true,
  };
}

/** Where a value came from, for the error message: `--port` or `ECR_EMULATOR_PORT`. */
type Source = string;

function integer(source: Source, text: string, min: number, max: number): number {
  if (!/^\d+$/.test(text) || Number(text) < min || Number(text) > max) {
    throw new ConfigError(`${source} must be an integer from ${min} to ${max}, got '${text}'`);
  }
  return Number(text);
}

function oneOf<T extends string>(source: Source, text: string, values: readonly T[]): T {
  if (!(values as readonly string[]).includes(text)) throw new ConfigError(`${source} must be one of ${values.join(', ')}, got '${text}'`);
  return text as T;
}

const DURATION_UNITS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86_400 };

/** `90s`, `30m`, `24h`, `1d`, or plain seconds; at least a second, at most a year. */
function duration(source: Source, text: string): number {
  const match = /^(\d{1,8})([smhd]?)$/.exec(text);
  const seconds = match === null ? Number.NaN : Number(match[1]) * DURATION_UNITS[match[2] || 's']!;
  if (!(seconds >= 1 && seconds <= 365 * 86_400)) throw new ConfigError(`${source} must be a duration like 90s, 30m, 24h or 1d, got '${text}'`);
  return seconds;
}

const SIZE_UNITS: Record<string, number> = { '': 1, k: 1024, m: 1024 ** 2, g: 1024 ** 3 };

/** `512k`, `256m`, `1g` (binary units, an optional `b` or `ib` after them), or plain bytes; at most 64 GiB. */
function size(source: Source, text: string): number {
  const match = /^(\d{1,12})(?:([kmg])(?:i?b)?)?$/i.exec(text);
  const bytes = match === null ? Number.NaN : Number(match[1]) * SIZE_UNITS[(match[2] ?? '').toLowerCase()]!;
  if (!(bytes >= 0 && bytes <= 64 * 1024 ** 3)) throw new ConfigError(`${source} must be a size like 256m or 1g (0 turns it off), got '${text}'`);
  return bytes;
}

/** A region of the AWS partitions: the one unsigned requests act in must be one a signed request could name. */
function region(source: Source, text: string): string {
  if (!isKnownRegion(text)) throw new ConfigError(`${source} must be a region name like us-east-1, got '${text}'`);
  return text;
}

// `quay.io=http://127.0.0.1:5001`: an upstream registry host as a rule names it, and an http(s) URL without a path.
const UPSTREAM = /^([A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?(:\d{1,5})?)=(https?:\/\/[^\s/?#]+)\/?$/;

/** Adds each `HOST=URL` of a comma-separated list to the upstream map. */
function upstreams(config: EmulatorConfig, source: Source, text: string): void {
  for (const entry of text.split(',').map((part) => part.trim()).filter((part) => part !== '')) {
    const match = UPSTREAM.exec(entry);
    if (match === null) throw new ConfigError(`${source} must be HOST=URL like quay.io=http://127.0.0.1:5001, got '${entry}'`);
    config.upstreams = { ...config.upstreams, [match[1]!.toLowerCase()]: match[4]! };
  }
}

function matching(source: Source, text: string, pattern: RegExp, shape: string): string {
  if (!pattern.test(text)) throw new ConfigError(`${source} must be ${shape}, got '${text}'`);
  return text;
}

// A host name or IP literal, optionally with a port; no scheme or path, since it is pasted into repositoryUri.
const HOST_AND_PORT = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?)(:\d{1,5})?$/;
const LISTEN_ADDRESS = /^([0-9a-fA-F:.]+|[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?)$/;

function isTrue(source: Source, text: string): boolean {
  return ['true', '1'].includes(oneOf(source, text, ['true', 'false', '1', '0']));
}

function apply(config: EmulatorConfig, spec: FlagSpec, source: Source, text: string): void {
  switch (spec.flag) {
    case 'host': config.host = matching(source, text, LISTEN_ADDRESS, 'a host name or IP address'); break;
    case 'port': config.port = integer(source, text, 0, 65535); break;
    case 'data-dir': config.dataDir = text; break;
    case 'memory': config.memory = isTrue(source, text); break;
    case 'account-id': config.accountId = matching(source, text, /^\d{12}$/, '12 digits'); break;
    case 'region': config.region = region(source, text); break;
    case 'hostname': config.hostname = matching(source, text, HOST_AND_PORT, 'HOST or HOST:PORT without a scheme'); break;
    case 'token-ttl': config.tokenTtlSeconds = integer(source, text, 1, 365 * 24 * 3600); break;
    case 'log-level': config.logLevel = oneOf(source, text, ['debug', 'info', 'warn', 'error', 'silent']); break;
    case 'log-format': config.logFormat = oneOf(source, text, ['text', 'json']); break;
    case 'tls-cert': config.tlsCert = text; break;
    case 'tls-key': config.tlsKey = text; break;
    case 'iam-file': config.iamFile = text; break;
    case 'iam': config.iamMode = oneOf(source, text, ['off', 'soft', 'enforce']); break;
    case 'upstream': upstreams(config, source, text); break;
    case 'secrets-file': config.secretsFile = text; break;
    case 'lifecycle-interval': config.lifecycleIntervalSeconds = duration(source, text); break;
    case 'blob-cache': config.blobCacheBytes = size(source, text); break;
    case 'console': config.isConsoleEnabled = isTrue(source, text); break;
    default: throw new ConfigError(`unknown option --${spec.flag} (see --help)`);
  }
}

/** True when the command line asks for the help text; checked before parsing, so `--help` works next to bad flags. */
export function isHelpRequested(argv: readonly string[]): boolean {
  return argv.includes('--help') || argv.includes('-h');
}

/**
 * Environment first, then flags over it. `--flag value`, `--flag=value` and bare boolean flags are accepted.
 * Empty environment variables count as unset. Throws ConfigError, whose message names the flag or variable.
 */
export function parseConfig(argv: readonly string[], env: Record<string, string | undefined>): EmulatorConfig {
  const config = defaultConfig();
  for (const spec of FLAGS) {
    const value = env[spec.env];
    if (value !== undefined && value !== '') apply(config, spec, spec.env, value);
  }
  const given = new Set<string>();
  for (let index = 0; index < argv.length; index += 1) {
    const argument = argv[index]!;
    if (!argument.startsWith('--')) throw new ConfigError(`unexpected argument '${argument}' (see --help)`);
    const [name, inline] = argument.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    // `--no-<flag>` turns a boolean option off: `--no-console`.
    const negated = FLAGS.find((candidate) => candidate.isBoolean === true && `no-${candidate.flag}` === name);
    if (negated !== undefined) {
      if (inline !== undefined) throw new ConfigError(`--${name} takes no value`);
      given.add(negated.flag);
      apply(config, negated, `--${name}`, 'false');
      continue;
    }
    const spec = FLAGS.find((candidate) => candidate.flag === name);
    if (spec === undefined) throw new ConfigError(`unknown option --${name} (see --help)`);
    given.add(name);
    if (spec.isBoolean) {
      apply(config, spec, `--${name}`, inline ?? 'true');
      continue;
    }
    const value = inline ?? argv[index + 1];
    if (value === undefined || (inline === undefined && value.startsWith('--'))) throw new ConfigError(`--${name} needs a value (${spec.value})`);
    if (inline === undefined) index += 1;
    apply(config, spec, `--${name}`, value);
  }
  // Both on one command line is a mistake; a flag over the other's environment variable is an override (the
  // Docker image sets ECR_EMULATOR_DATA_DIR, and `docker run ... --memory` must still work).
  if (given.has('memory') && given.has('data-dir') && config.memory) throw new ConfigError('--memory and --data-dir exclude each other');
  if (given.has('data-dir') && !given.has('memory')) config.memory = false;
  if ((config.tlsCert === undefined) !== (config.tlsKey === undefined)) throw new ConfigError('--tls-cert and --tls-key go together');
  if (config.memory) config.dataDir = undefined;
  return config;
}

export function helpText(): string {
  const rows = FLAGS.map((spec) => `  --${spec.flag}${spec.value ? ` ${spec.value}` : ''}`.padEnd(30) + `${spec.help} [${spec.env}]`);
  return [
    'Usage: ecr-emulator [options]',
    '',
    'Amazon ECR emulator: the ECR API and an OCI registry on one port.',
    '',
    ...rows,
    '  --version'.padEnd(30) + 'print the version',
    '  -h, --help'.padEnd(30) + 'show this help',
    '',
    'Each option can also be set by the environment variable in brackets; a flag wins over its variable.',
  ].join('\n');
}
