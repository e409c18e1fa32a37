// The command line as users run it: `node dist/main.js` with flags and ECR_EMULATOR_* variables. Exit codes,
// help, one-line errors, the ready banner, the request log, stores, HTTPS and a clean stop on SIGTERM.
import https from 'node:https';
import net from 'node:net';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateRepositoryCommand, DescribeRepositoriesCommand, ECRClient } from '@aws-sdk/client-ecr';
import { FLAGS } from '../../src/config';
import { runCli, startCli, type CliProcess } from '../helpers/cli-process';
import { makeSelfSignedCertificate } from '../helpers/self-signed-certificate';

const FREE_PORT = ['--host', '127.0.0.1', '--port', '0'];
const started: CliProcess[] = [];

async function start(args: string[], env: Record<string, string> = {}): Promise<CliProcess> {
  const cli = await startCli(args, env);
  started.push(cli);
  return cli;
}

function clientOf(endpoint: string, accountId = 'test'): ECRClient {
  return new ECRClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: accountId, secretAccessKey: 'test' }, maxAttempts: 1 });
}

afterEach(async () => {
  await Promise.all(started.splice(0).map((cli) => cli.stop()));
});

describe('ecr-emulator --help and --version', () => {
  it('lists every flag with its environment variable and exits 0', async () => {
    const result = await runCli(['--help']);
    expect(result.exitCode).toBe(0);
    for (const spec of FLAGS) expect(result.stdout).toMatch(new RegExp(`--${spec.flag}\\b.*\\[${spec.env}\\]`));
    expect(result.stderr).toBe('');
  });

  it('prints the package version', async () => {
    const { version } = JSON.parse(readFileSync(path.resolve(__dirname, '../../package.json'), 'utf8')) as { version: string };
    expect(await runCli(['--version'])).toEqual({ exitCode: 0, stdout: `${version}\n`, stderr: '' });
  });
});

describe('ecr-emulator with a bad flag or value', () => {
  it.each([
    [['--nope'], {}, 'ecr-emulator: unknown option --nope (see --help)'],
    [['--port', 'eighty'], {}, "ecr-emulator: --port must be an integer from 0 to 65535, got 'eighty'"],
    [['--log-format', 'xml'], {}, "ecr-emulator: --log-format must be one of text, json, got 'xml'"],
    [['--tls-cert', 'cert.pem'], {}, 'ecr-emulator: --tls-cert and --tls-key go together'],
    [['stray'], {}, "ecr-emulator: unexpected argument 'stray' (see --help)"],
    [[], { ECR_EMULATOR_ACCOUNT_ID: 'abc' }, "ecr-emulator: ECR_EMULATOR_ACCOUNT_ID must be 12 digits, got 'abc'"],
  ])('%j %j exits 2 with one line on stderr and no stack trace', async (args, env, line) => {
    const result = await runCli(args, env);
    expect(result).toEqual({ exitCode: 2, stdout: '', stderr: `${line}\n` });
  });

  it('exits 1 with one line when the port is taken', async () => {
    const holder = net.createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    try {
      const port = (holder.address() as net.AddressInfo).port;
      const result = await runCli(['--host', '127.0.0.1', '--port', String(port), '--memory']);
      expect(result.exitCode).toBe(1);
      expect(result.stderr).toMatch(/^ecr-emulator: cannot start: .*EADDRINUSE.*\n$/);
    } finally {
      holder.close();
    }
  });
});

describe('ecr-emulator running', () => {
  it('prints the ready line and a ready-to-paste docker login line', async () => {
    const cli = await start([...FREE_PORT, '--memory']);
    const port = new URL(cli.endpoint).port;
    expect(cli.stdout()).toBe(
      `ECR emulator ready on http://127.0.0.1:${port} (registry localhost:${port}, memory)\n` +
        `  log in: aws ecr get-login-password --region us-east-1 --endpoint-url http://127.0.0.1:${port} | docker login --username AWS --password-stdin localhost:${port}\n`,
    );
  });

  it('answers the health route and the control plane', async () => {
    const cli = await start([...FREE_PORT, '--memory']);
    const health = (await (await fetch(`${cli.endpoint}/_emulator/health`)).json()) as Record<string, unknown>;
    expect(health).toMatchObject({ status: 'ok', store: 'memory' });
    await clientOf(cli.endpoint).send(new CreateRepositoryCommand({ repositoryName: 'over-cli' }));
  });

  it('takes its settings from ECR_EMULATOR_* variables', async () => {
    const cli = await start([], {
      ECR_EMULATOR_HOST: '127.0.0.1',
      ECR_EMULATOR_PORT: '0',
      ECR_EMULATOR_MEMORY: 'true',
      ECR_EMULATOR_ACCOUNT_ID: '123456789012',
      ECR_EMULATOR_HOSTNAME: 'registry.test:5000',
    });
    expect(cli.registryHost).toBe('registry.test:5000');
    const { repository } = await clientOf(cli.endpoint).send(new CreateRepositoryCommand({ repositoryName: 'from-env' }));
    expect(repository).toMatchObject({ registryId: '123456789012', repositoryUri: 'registry.test:5000/from-env' });
  });

  it('lets a flag win over its variable', async () => {
    const cli = await start([...FREE_PORT, '--memory', '--hostname', 'flag.test'], { ECR_EMULATOR_HOSTNAME: 'env.test' });
    expect(cli.registryHost).toBe('flag.test');
  });

  it('writes one text line per request: method, operation, status, duration, repository, principal', async () => {
    const cli = await start([...FREE_PORT, '--memory', '--log-level', 'info']);
    await clientOf(cli.endpoint).send(new CreateRepositoryCommand({ repositoryName: 'logged' }));
    expect(await cli.waitForStderr(/^.* INFO  POST CreateRepository 200 \d+ms repository=logged principal=arn:aws:iam::\d{12}:root$/m)).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('writes JSON lines with --log-format json', async () => {
    const cli = await start([...FREE_PORT, '--memory', '--log-format', 'json']);
    await clientOf(cli.endpoint).send(new DescribeRepositoriesCommand({ repositoryNames: ['missing'] })).catch(() => undefined);
    const line = await cli.waitForStderr(/^\{.*"DescribeRepositories".*\}$/m);
    expect(JSON.parse(line)).toMatchObject({ level: 'info', method: 'POST', operation: 'DescribeRepositories', status: 400, error: 'RepositoryNotFoundException', principal: expect.stringMatching(/^arn:aws:iam::\d{12}:root$/) });
  });

  it('keeps nothing after a stop with --memory', async () => {
    const first = await start([...FREE_PORT, '--memory']);
    await clientOf(first.endpoint).send(new CreateRepositoryCommand({ repositoryName: 'fleeting' }));
    expect(await first.stop()).toBe(0);
    const second = await start([...FREE_PORT, '--memory']);
    expect((await clientOf(second.endpoint).send(new DescribeRepositoriesCommand({}))).repositories).toEqual([]);
  });

  it('keeps repositories in --data-dir across a restart and names the dir in the ready line', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'ecr-emulator-cli-'));
    try {
      const first = await start([...FREE_PORT, '--data-dir', dataDir]);
      expect(first.stdout()).toContain(`, data dir ${dataDir})`);
      await clientOf(first.endpoint).send(new CreateRepositoryCommand({ repositoryName: 'kept' }));
      expect(await first.stop()).toBe(0);
      const second = await start([...FREE_PORT, '--data-dir', dataDir]);
      const { repositories } = await clientOf(second.endpoint).send(new DescribeRepositoriesCommand({}));
      expect(repositories?.map((repository) => repository.repositoryName)).toEqual(['kept']);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('serves HTTPS with --tls-cert and --tls-key', async () => {
    const certificate = makeSelfSignedCertificate();
    try {
      const cli = await start([...FREE_PORT, '--memory', '--tls-cert', certificate.certPath, '--tls-key', certificate.keyPath]);
      expect(cli.endpoint).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const client = new ECRClient({
        endpoint: cli.endpoint,
        region: 'us-east-1',
        credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
        maxAttempts: 1,
        requestHandler: { httpsAgent: new https.Agent({ ca: certificate.certificate }) },
      });
      const { repository } = await client.send(new CreateRepositoryCommand({ repositoryName: 'secure' }));
      expect(repository?.repositoryName).toBe('secure');
    } finally {
      certificate.remove();
    }
  });

  it.each(['SIGTERM', 'SIGINT'] as const)('exits 0 on %s', async (signal) => {
    const cli = await start([...FREE_PORT, '--memory']);
    cli.child.kill(signal);
    expect(await cli.exited).toBe(0);
    expect(cli.stderr()).toContain(`ecr-emulator: ${signal}, finishing in-flight requests`);
  });

  it('finishes a request in flight on SIGTERM, answers it, then exits 0', async () => {
    const cli = await start([...FREE_PORT, '--memory']);
    const { hostname, port } = new URL(cli.endpoint);
    const socket = net.connect(Number(port), hostname);
    socket.setEncoding('utf8');
    let received = '';
    const continued = new Promise<void>((resolve) => {
      socket.on('data', (chunk: string) => {
        received += chunk;
        if (received.includes('100 Continue')) resolve();
      });
    });
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    const body = '{"repositoryName":"in-flight"}';
    // The server confirms it holds the request (100 Continue) before the signal; the body follows the signal.
    socket.write(
      'POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-amz-json-1.1\r\n' +
        `X-Amz-Target: AmazonEC2ContainerRegistry_V20150921.CreateRepository\r\nContent-Length: ${body.length}\r\nExpect: 100-continue\r\n\r\n`,
    );
    await continued;
    cli.child.kill('SIGTERM');
    await cli.waitForStderr(/SIGTERM, finishing in-flight requests/);
    socket.write(body);
    await closed;
    expect(await cli.exited).toBe(0);
    expect(received).toMatch(/HTTP\/1\.1 200 OK/);
    expect(received).toContain('"repositoryName":"in-flight"');
  });
});
