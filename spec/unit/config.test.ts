// Configuration from flags and ECR_EMULATOR_* variables: defaults, both spellings, precedence, one-line errors.
import { ConfigError, defaultConfig, FLAGS, helpText, isHelpRequested, parseConfig } from '../../src/config';

const parse = (argv: string[], env: Record<string, string> = {}) => parseConfig(argv, env);

describe('parseConfig', () => {
  it('starts from the documented defaults: 127.0.0.1:5000, data in .data, account 000000000000, us-east-1', () => {
    expect(parse([])).toEqual(defaultConfig());
    expect(parse([])).toMatchObject({ host: '127.0.0.1', port: 5000, dataDir: '.data', memory: false, accountId: '000000000000', region: 'us-east-1' });
  });

  it.each([
    [['--port', '0'], { port: 0 }],
    [['--port=8080'], { port: 8080 }],
    [['--host', '0.0.0.0'], { host: '0.0.0.0' }],
    [['--host', '::1'], { host: '::1' }],
    [['--data-dir', '/tmp/ecr'], { dataDir: '/tmp/ecr', memory: false }],
    [['--memory'], { memory: true, dataDir: undefined }],
    [['--memory=false'], { memory: false, dataDir: '.data' }],
    [['--account-id', '123456789012'], { accountId: '123456789012' }],
    [['--region', 'eu-central-1'], { region: 'eu-central-1' }],
    [['--region', 'us-gov-west-1'], { region: 'us-gov-west-1' }],
    [['--hostname', 'registry.test:5000'], { hostname: 'registry.test:5000' }],
    [['--hostname', '123456789012.dkr.ecr.us-east-1.localhost'], { hostname: '123456789012.dkr.ecr.us-east-1.localhost' }],
    [['--token-ttl', '60'], { tokenTtlSeconds: 60 }],
    [['--log-level', 'debug'], { logLevel: 'debug' }],
    [['--log-format', 'json'], { logFormat: 'json' }],
    [['--tls-cert', 'c.pem', '--tls-key', 'k.pem'], { tlsCert: 'c.pem', tlsKey: 'k.pem' }],
    [['--iam-file', 'iam.json'], { iamFile: 'iam.json' }],
    [['--iam', 'enforce'], { iamMode: 'enforce' }],
    [['--secrets-file', 'secrets.json'], { secretsFile: 'secrets.json' }],
    [['--upstream', 'quay.io=http://127.0.0.1:5001'], { upstreams: { 'quay.io': 'http://127.0.0.1:5001' } }],
    [['--upstream', 'quay.io=http://127.0.0.1:5001', '--upstream=ghcr.io=https://mirror.test:8443/'], { upstreams: { 'quay.io': 'http://127.0.0.1:5001', 'ghcr.io': 'https://mirror.test:8443' } }],
    [['--lifecycle-interval', '24h'], { lifecycleIntervalSeconds: 86_400 }],
    [['--lifecycle-interval', '90s'], { lifecycleIntervalSeconds: 90 }],
    [['--lifecycle-interval', '30m'], { lifecycleIntervalSeconds: 1800 }],
    [['--lifecycle-interval', '1d'], { lifecycleIntervalSeconds: 86_400 }],
    [['--lifecycle-interval', '600'], { lifecycleIntervalSeconds: 600 }],
    [['--blob-cache', '0'], { blobCacheBytes: 0 }],
    [['--blob-cache', '512k'], { blobCacheBytes: 512 * 1024 }],
    [['--blob-cache', '256m'], { blobCacheBytes: 256 * 1024 ** 2 }],
    [['--blob-cache=1g'], { blobCacheBytes: 1024 ** 3 }],
    [['--blob-cache', '2GiB'], { blobCacheBytes: 2 * 1024 ** 3 }],
    [['--blob-cache', '1048576'], { blobCacheBytes: 1024 ** 2 }],
  ])('reads %j', (argv, expected) => {
    expect(parse(argv)).toMatchObject(expected);
  });

  const SAMPLE_VALUES: Record<string, string> = {
    host: 'localhost', port: '6000', 'data-dir': '/srv/ecr', 'account-id': '210987654321', region: 'ap-south-1',
    hostname: 'h.test', 'token-ttl': '90', 'log-level': 'error', 'log-format': 'json', 'secrets-file': 'secrets.json',
    'blob-cache': '64m',
  };

  it.each(Object.entries(SAMPLE_VALUES))('reads --%s %s from its environment variable as from the flag', (flag, value) => {
    const env = FLAGS.find((spec) => spec.flag === flag)!.env;
    expect(parse([], { [env]: value })).toEqual(parse([`--${flag}`, value]));
  });

  it('reads the TLS pair from ECR_EMULATOR_TLS_CERT and ECR_EMULATOR_TLS_KEY', () => {
    expect(parse([], { ECR_EMULATOR_TLS_CERT: 'c.pem', ECR_EMULATOR_TLS_KEY: 'k.pem' })).toMatchObject({ tlsCert: 'c.pem', tlsKey: 'k.pem' });
  });

  it.each(['true', '1'])('reads ECR_EMULATOR_MEMORY=%s as memory', (value) => {
    expect(parse([], { ECR_EMULATOR_MEMORY: value })).toMatchObject({ memory: true, dataDir: undefined });
  });

  it('lets a flag win over its environment variable', () => {
    expect(parse(['--port', '7000'], { ECR_EMULATOR_PORT: '6000' }).port).toBe(7000);
    expect(parse(['--log-level', 'warn'], { ECR_EMULATOR_LOG_LEVEL: 'debug' }).logLevel).toBe('warn');
  });

  it('reads ECR_EMULATOR_UPSTREAMS as a comma-separated list of HOST=URL', () => {
    expect(parse([], { ECR_EMULATOR_UPSTREAMS: 'quay.io=http://127.0.0.1:5001, registry-1.docker.io=http://127.0.0.1:5002' }).upstreams).toEqual({
      'quay.io': 'http://127.0.0.1:5001',
      'registry-1.docker.io': 'http://127.0.0.1:5002',
    });
  });

  it.each(['quay.io', 'quay.io=ftp://mirror', 'quay.io=http://mirror/path', '=http://mirror'])('rejects --upstream %s with a one-line ConfigError', (value) => {
    expect(() => parse(['--upstream', value])).toThrow(new ConfigError(`--upstream must be HOST=URL like quay.io=http://127.0.0.1:5001, got '${value}'`));
  });

  it('treats an empty environment variable as unset', () => {
    expect(parse([], { ECR_EMULATOR_PORT: '', ECR_EMULATOR_REGION: '' })).toMatchObject({ port: 5000, region: 'us-east-1' });
  });

  it('lets --memory override the data dir of the environment, as `docker run image --memory` needs', () => {
    expect(parse(['--memory'], { ECR_EMULATOR_DATA_DIR: '/data' })).toMatchObject({ memory: true, dataDir: undefined });
  });

  it('lets --data-dir override ECR_EMULATOR_MEMORY', () => {
    expect(parse(['--data-dir', '/srv/ecr'], { ECR_EMULATOR_MEMORY: 'true' })).toMatchObject({ memory: false, dataDir: '/srv/ecr' });
  });

  it.each([
    [['--nope'], 'unknown option --nope (see --help)'],
    [['stray'], "unexpected argument 'stray' (see --help)"],
    [['--port'], '--port needs a value (N)'],
    [['--port', '--memory'], '--port needs a value (N)'],
    [['--port', 'eighty'], "--port must be an integer from 0 to 65535, got 'eighty'"],
    [['--port', '65536'], "--port must be an integer from 0 to 65535, got '65536'"],
    [['--port', '-1'], "--port must be an integer from 0 to 65535, got '-1'"],
    [['--token-ttl', '0'], "--token-ttl must be an integer from 1 to 31536000, got '0'"],
    [['--account-id', '1234'], "--account-id must be 12 digits, got '1234'"],
    [['--region', 'Mars'], "--region must be a region name like us-east-1, got 'Mars'"],
    [['--region', 'mars-1'], "--region must be a region name like us-east-1, got 'mars-1'"],
    [['--region', 'US-EAST-1'], "--region must be a region name like us-east-1, got 'US-EAST-1'"],
    [['--log-level', 'loud'], "--log-level must be one of debug, info, warn, error, silent, got 'loud'"],
    [['--log-format', 'xml'], "--log-format must be one of text, json, got 'xml'"],
    [['--iam', 'strict'], "--iam must be one of off, soft, enforce, got 'strict'"],
    [['--lifecycle-interval', 'daily'], "--lifecycle-interval must be a duration like 90s, 30m, 24h or 1d, got 'daily'"],
    [['--lifecycle-interval', '0s'], "--lifecycle-interval must be a duration like 90s, 30m, 24h or 1d, got '0s'"],
    [['--lifecycle-interval', '400d'], "--lifecycle-interval must be a duration like 90s, 30m, 24h or 1d, got '400d'"],
    [['--blob-cache', 'lots'], "--blob-cache must be a size like 256m or 1g (0 turns it off), got 'lots'"],
    [['--blob-cache', '-1m'], "--blob-cache must be a size like 256m or 1g (0 turns it off), got '-1m'"],
    [['--blob-cache', '65g'], "--blob-cache must be a size like 256m or 1g (0 turns it off), got '65g'"],
    [['--blob-cache', '1t'], "--blob-cache must be a size like 256m or 1g (0 turns it off), got '1t'"],
    [['--memory=maybe'], "--memory must be one of true, false, 1, 0, got 'maybe'"],
    [['--hostname', 'http://registry.test'], "--hostname must be HOST or HOST:PORT without a scheme, got 'http://registry.test'"],
    [['--host', 'two words'], "--host must be a host name or IP address, got 'two words'"],
    [['--tls-cert', 'c.pem'], '--tls-cert and --tls-key go together'],
    [['--tls-key', 'k.pem'], '--tls-cert and --tls-key go together'],
    [['--memory', '--data-dir', '/tmp/x'], '--memory and --data-dir exclude each other'],
  ])('rejects %j with the one-line ConfigError %j', (argv, message) => {
    expect(() => parse(argv)).toThrow(new ConfigError(message));
    expect(message).not.toContain('\n');
  });

  it('names the environment variable when its value is bad', () => {
    expect(() => parse([], { ECR_EMULATOR_PORT: 'x' })).toThrow("ECR_EMULATOR_PORT must be an integer from 0 to 65535, got 'x'");
    expect(() => parse([], { ECR_EMULATOR_MEMORY: 'yes' })).toThrow("ECR_EMULATOR_MEMORY must be one of true, false, 1, 0, got 'yes'");
  });

  it('throws ConfigError, which main turns into exit code 2', () => {
    expect(() => parse(['--nope'])).toThrow(ConfigError);
  });
});

describe('boolean options', () => {
  it('serves the console by default', () => {
    expect(parse([]).isConsoleEnabled).toBe(true);
  });

  it.each([
    [['--no-console'], {}, false],
    [['--console'], { ECR_EMULATOR_CONSOLE: 'false' }, true],
    [['--no-console'], { ECR_EMULATOR_CONSOLE: 'true' }, false],
    [[], { ECR_EMULATOR_CONSOLE: '0' }, false],
    [['--console=false'], {}, false],
  ])('%j with %j serves the console: %s', (argv, env, expected) => {
    expect(parseConfig(argv, env).isConsoleEnabled).toBe(expected);
  });

  it('turns any boolean option off with --no-<flag>', () => {
    expect(parseConfig(['--no-memory'], { ECR_EMULATOR_MEMORY: 'true' }).memory).toBe(false);
  });

  it.each([['--no-console=true', '--no-console takes no value'], ['--no-port', 'unknown option --no-port (see --help)']])('rejects %s', (argument, message) => {
    expect(() => parse([argument])).toThrow(message);
  });
});

describe('FLAGS', () => {
  it('pairs every flag with the ECR_EMULATOR_ variable of the same name, plural for a repeatable flag', () => {
    for (const spec of FLAGS) expect(spec.env).toBe(`ECR_EMULATOR_${spec.flag.toUpperCase().replace(/-/g, '_')}${spec.isRepeatable ? 'S' : ''}`);
  });

  it('lists every setting of the configuration except the derived ones', () => {
    expect(FLAGS.map((spec) => spec.flag).sort()).toEqual(
      ['account-id', 'blob-cache', 'console', 'data-dir', 'host', 'hostname', 'iam', 'iam-file', 'lifecycle-interval', 'log-format', 'log-level', 'memory', 'port', 'region', 'secrets-file', 'tls-cert', 'tls-key', 'token-ttl', 'upstream'],
    );
  });
});

describe('helpText', () => {
  it('lists every flag with its variable, plus --help and --version', () => {
    const text = helpText();
    for (const spec of FLAGS) {
      expect(text).toContain(`--${spec.flag}`);
      expect(text).toContain(`[${spec.env}]`);
    }
    expect(text).toContain('--help');
    expect(text).toContain('--version');
  });
});

describe('isHelpRequested', () => {
  it.each([[['--help']], [['-h']], [['--nope', '--help']]])('is true for %j', (argv) => {
    expect(isHelpRequested(argv)).toBe(true);
  });

  it('is false without --help or -h', () => {
    expect(isHelpRequested(['--port', '0'])).toBe(false);
  });
});
