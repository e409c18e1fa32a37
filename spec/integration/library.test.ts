// The library entry: startEmulator() on a free port, several isolated instances in one process, reset, stop that
// finishes in-flight requests, a data dir that survives a restart, HTTPS, and the request log.
import https from 'node:https';
import net from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateRepositoryCommand, DescribeRepositoriesCommand, ECRClient, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';
import { startEmulator, type RunningEmulator } from '../../src/index';
import { makeSelfSignedCertificate, type SelfSignedCertificate } from '../helpers/self-signed-certificate';

const running: RunningEmulator[] = [];

async function start(options: Parameters<typeof startEmulator>[0] = {}): Promise<RunningEmulator> {
  const emulator = await startEmulator({ port: 0, logLevel: 'silent', ...options });
  running.push(emulator);
  return emulator;
}

function clientOf(emulator: RunningEmulator, extra: Partial<ConstructorParameters<typeof ECRClient>[0]> = {}): ECRClient {
  return new ECRClient({ endpoint: emulator.endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1, ...extra });
}

async function repositoryNames(emulator: RunningEmulator): Promise<string[]> {
  const { repositories } = await clientOf(emulator).send(new DescribeRepositoriesCommand({}));
  return (repositories ?? []).map((repository) => repository.repositoryName!);
}

afterEach(async () => {
  await Promise.all(running.splice(0).map((emulator) => emulator.stop()));
});

describe('startEmulator', () => {
  it('picks a free port for port 0 and reports its endpoint and registry host', async () => {
    const emulator = await start();
    expect(emulator.port).toBeGreaterThan(0);
    expect(emulator.endpoint).toBe(`http://127.0.0.1:${emulator.port}`);
    expect(emulator.registryHost).toBe(`localhost:${emulator.port}`);
    expect(emulator.config.port).toBe(emulator.port);
  });

  it('keeps everything in memory when the caller names no store', async () => {
    const emulator = await start();
    expect(emulator.config).toMatchObject({ memory: true, dataDir: undefined });
    const health = (await (await fetch(`${emulator.endpoint}/_emulator/health`)).json()) as { status: string; store: string };
    expect(health).toMatchObject({ status: 'ok', store: 'memory' });
  });

  it('keeps several instances in one process apart', async () => {
    const [first, second] = await Promise.all([start(), start()]);
    expect(first.port).not.toBe(second.port);
    await clientOf(first).send(new CreateRepositoryCommand({ repositoryName: 'only-in-first' }));
    expect(await repositoryNames(first)).toEqual(['only-in-first']);
    expect(await repositoryNames(second)).toEqual([]);
  });

  it('reset() empties the instance', async () => {
    const emulator = await start();
    await clientOf(emulator).send(new CreateRepositoryCommand({ repositoryName: 'gone' }));
    await emulator.reset();
    expect(await repositoryNames(emulator)).toEqual([]);
  });

  it('stop() closes the port, and a second stop() is harmless', async () => {
    const emulator = await start();
    await emulator.stop();
    await emulator.stop();
    await expect(fetch(`${emulator.endpoint}/_emulator/health`)).rejects.toThrow();
  });

  it('stop() lets a request in flight finish, then closes its keep-alive connection', async () => {
    const emulator = await start();
    const socket = net.connect(emulator.port, '127.0.0.1');
    let received = '';
    socket.setEncoding('utf8');
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    const body = '{}';
    // Expect: 100-continue makes the server say when it holds the request, so stop() meets it in flight.
    const continued = new Promise<void>((resolve) => {
      socket.on('data', (chunk: string) => {
        received += chunk;
        if (received.includes('100 Continue')) resolve();
      });
    });
    socket.write(
      'POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/x-amz-json-1.1\r\n' +
        `X-Amz-Target: AmazonEC2ContainerRegistry_V20150921.DescribeRepositories\r\nContent-Length: ${body.length}\r\nExpect: 100-continue\r\n\r\n`,
    );
    await continued;
    const stopped = emulator.stop();
    socket.write(body);
    await stopped;
    await closed;
    expect(received).toMatch(/HTTP\/1\.1 200 OK/);
    expect(received).toMatch(/connection: close/i);
    expect(received).toContain('"repositories":[]');
  });

  it('keeps repositories in a data dir across a restart', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'ecr-emulator-library-'));
    try {
      const first = await start({ dataDir });
      await clientOf(first).send(new CreateRepositoryCommand({ repositoryName: 'kept' }));
      await first.stop();
      const second = await start({ dataDir });
      expect(second.config).toMatchObject({ memory: false, dataDir });
      expect(await repositoryNames(second)).toEqual(['kept']);
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  });

  it('fails to start on a port in use, and names the address', async () => {
    const emulator = await start();
    await expect(start({ port: emulator.port })).rejects.toThrow(/EADDRINUSE/);
  });

  it('writes one request line per control-plane request to logWriter', async () => {
    const lines: string[] = [];
    const emulator = await start({ logLevel: 'info', logWriter: (line) => lines.push(line) });
    await clientOf(emulator).send(new CreateRepositoryCommand({ repositoryName: 'logged' }));
    await clientOf(emulator).send(new CreateRepositoryCommand({ repositoryName: 'logged' })).catch(() => undefined);
    expect(lines).toEqual([
      expect.stringMatching(/ INFO  POST CreateRepository 200 \d+ms repository=logged principal=arn:aws:iam::\d{12}:root$/),
      expect.stringMatching(/ INFO  POST CreateRepository 400 \d+ms repository=logged principal=arn:aws:iam::\d{12}:root error=RepositoryAlreadyExistsException$/),
    ]);
  });

  it('writes request lines as JSON with logFormat json', async () => {
    const lines: string[] = [];
    const emulator = await start({ logLevel: 'info', logFormat: 'json', logWriter: (line) => lines.push(line) });
    await clientOf(emulator).send(new DescribeRepositoriesCommand({ repositoryNames: ['missing'] })).catch(() => undefined);
    expect(lines.map((line) => JSON.parse(line) as unknown)).toEqual([
      expect.objectContaining({ level: 'info', method: 'POST', operation: 'DescribeRepositories', status: 400, error: 'RepositoryNotFoundException', durationMs: expect.any(Number), requestId: expect.any(String) }),
    ]);
  });
});

describe('startEmulator with tlsCert and tlsKey', () => {
  let certificate: SelfSignedCertificate;
  beforeAll(() => {
    certificate = makeSelfSignedCertificate();
  });
  afterAll(() => certificate.remove());

  it('serves the control plane over HTTPS to a client that trusts the certificate', async () => {
    const emulator = await start({ tlsCert: certificate.certPath, tlsKey: certificate.keyPath });
    expect(emulator.endpoint).toBe(`https://127.0.0.1:${emulator.port}`);
    const client = clientOf(emulator, { requestHandler: { httpsAgent: new https.Agent({ ca: certificate.certificate }) } });
    const { repository } = await client.send(new CreateRepositoryCommand({ repositoryName: 'secure' }));
    expect(repository?.repositoryName).toBe('secure');
    const { authorizationData } = await client.send(new GetAuthorizationTokenCommand({}));
    expect(authorizationData?.[0]?.proxyEndpoint).toBe(`https://localhost:${emulator.port}`);
  });

  it('is refused by a client that does not trust the certificate', async () => {
    const emulator = await start({ tlsCert: certificate.certPath, tlsKey: certificate.keyPath });
    await expect(clientOf(emulator).send(new DescribeRepositoriesCommand({}))).rejects.toThrow(/self-signed|certificate/i);
  });

  it('fails to start when the certificate file is missing', async () => {
    await expect(start({ tlsCert: path.join(tmpdir(), 'no-such-cert.pem'), tlsKey: certificate.keyPath })).rejects.toThrow(/ENOENT/);
  });
});
