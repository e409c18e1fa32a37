// In-process mode: @aws-sdk/client-ecr commands are answered by an emulator control plane in memory, with no socket
// and no server. Built on aws-sdk-client-mock; the SDK's own serializer, signer and deserializer still run, so
// inputs, outputs and exception classes are exactly those of the HTTP endpoint. Needs both packages installed.
import { ECRClient, type ECRClientResolvedConfig, type ServiceInputTypes, type ServiceOutputTypes } from '@aws-sdk/client-ecr';
import { mockClient, type AwsStub } from 'aws-sdk-client-mock';
import { defaultConfig, type EmulatorConfig } from './config';
import type { SignedRequest } from './auth/authentication';
import type { EcrEndpoint } from './ecr/ecr-endpoint';
import type { Clock } from './kernel/clock';
import { createControlPlane } from './server/create-app';
import { createLogger } from './server/logger';
import { openStorage } from './server/storage';

export type { Clock } from './kernel/clock';

export interface InProcessOptions {
  /** Mock only this client; by default every ECRClient of the process (aws-sdk-client-mock's class mock). */
  client?: ECRClient;
  /** Account for callers whose access key is not 12 digits; default 000000000000, as the CLI. */
  accountId?: string;
  /** Registry host in repositoryUri and proxyEndpoint; default localhost:5000, what `npm start` advertises. */
  hostname?: string;
  tokenTtlSeconds?: number;
  /** Time as the emulator sees it: createdAt, token expiry. Default the system clock. */
  clock?: Clock;
}

export type EcrClientMock = AwsStub<ServiceInputTypes, ServiceOutputTypes, ECRClientResolvedConfig>;

export interface InProcessEcr {
  /**
   * The aws-sdk-client-mock stub, for call assertions (`mock.commandCalls(CreateRepositoryCommand)`).
   * Do not call `mock.reset()` or `mock.on(...)`: they replace the routing into the emulator. Use `reset()` below.
   */
  mock: EcrClientMock;
  /** Empties every account and region, and clears the mock's call history. */
  reset(): Promise<void>;
  /** Gives ECRClient its real `send` back and closes the in-memory store. Idempotent. */
  restore(): void;
}

type Send = (this: ECRClient, command: unknown, options?: unknown) => Promise<unknown>;

/** The SDK's signed HttpRequest, as far as the control plane reads it. */
interface WireRequest {
  method: string;
  path: string;
  query?: Record<string, string | string[] | null>;
  headers: Record<string, string>;
  body?: unknown;
}

function bodyOf(request: WireRequest): Buffer {
  if (typeof request.body === 'string') return Buffer.from(request.body);
  if (request.body instanceof Uint8Array) return Buffer.from(request.body.buffer, request.body.byteOffset, request.body.byteLength);
  return Buffer.alloc(0);
}

/** The request as it would have arrived over a socket: lower-case header names, path and query as one URL. */
function arrivedRequest(request: WireRequest): SignedRequest {
  const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name.toLowerCase(), value]));
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(request.query ?? {})) {
    for (const item of Array.isArray(value) ? value : [value ?? '']) query.append(name, item);
  }
  const search = query.toString();
  return { method: request.method, url: search === '' ? request.path : `${request.path}?${search}`, headers, body: bodyOf(request) };
}

/** Where the SDK would open a socket: hands the signed request to the control plane and its answer back. */
function inProcessRequestHandler(controlPlane: EcrEndpoint): Record<string, unknown> {
  return {
    async handle(request: WireRequest) {
      const answer = await controlPlane.handle(arrivedRequest(request));
      return { response: { statusCode: answer.statusCode, headers: answer.headers, body: Buffer.from(answer.body) } };
    },
    updateHttpClientConfig() {},
    httpHandlerConfigs: () => ({}),
  };
}

function emulatorConfig(options: InProcessOptions): EmulatorConfig {
  const config: EmulatorConfig = { ...defaultConfig(), memory: true, dataDir: undefined, logLevel: 'silent' };
  if (options.accountId !== undefined) config.accountId = options.accountId;
  if (options.hostname !== undefined) config.hostname = options.hostname;
  if (options.tokenTtlSeconds !== undefined) config.tokenTtlSeconds = options.tokenTtlSeconds;
  return config;
}

/**
 * Routes ECR commands into a fresh in-memory emulator. Region and credentials are the sending client's, as over
 * HTTP: a 12-digit access key selects the account, the region scopes the repositories. One class-wide mock is
 * active at a time (a second replaces the first); pass `client` to run several side by side.
 */
export function mockEcrInProcess(options: InProcessOptions = {}): InProcessEcr {
  const config = emulatorConfig(options);
  const storage = openStorage(undefined);
  const controlPlane = createControlPlane({
    config,
    storage,
    logger: createLogger({ level: 'silent', format: 'text' }),
    advertisedHost: () => config.hostname ?? `localhost:${config.port}`,
    scheme: () => 'http',
    ...(options.clock !== undefined ? { clock: options.clock } : {}),
  });
  const requestHandler = inProcessRequestHandler(controlPlane);
  // aws-sdk-client-mock replaces send on ECRClient.prototype (or on the one client); the base class keeps the
  // real one, which runs the SDK middleware and ends in the request handler above instead of a socket.
  const realSend = (Object.getPrototypeOf(ECRClient.prototype) as { send: Send }).send;
  // One private client per user client: it borrows the user's region, credentials and retry settings.
  const privateClients = new WeakMap<ECRClient, ECRClient>();
  const privateClientFor = (client: ECRClient): ECRClient => {
    let privateClient = privateClients.get(client);
    if (privateClient === undefined) {
      privateClient = new ECRClient({
        region: client.config.region,
        credentials: client.config.credentials,
        maxAttempts: client.config.maxAttempts,
        endpoint: 'http://ecr.in-process.invalid',
        requestHandler,
      });
      privateClients.set(client, privateClient);
    }
    return privateClient;
  };

  const mock = mockClient(options.client ?? ECRClient) as unknown as EcrClientMock;
  mock.send.callsFake(function (this: ECRClient, command: unknown, sendOptions?: unknown) {
    return realSend.call(privateClientFor(this), command, sendOptions) as Promise<ServiceOutputTypes>;
  });

  let isRestored = false;
  return {
    mock,
    async reset() {
      mock.resetHistory();
      await storage.reset();
    },
    restore() {
      if (isRestored) return;
      isRestored = true;
      mock.restore();
      storage.close();
    },
  };
}
