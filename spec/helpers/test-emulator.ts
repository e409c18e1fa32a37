// Starts a whole emulator on 127.0.0.1:0 for a test file and gives it SDK clients pointed at it; useTestEmulator
// registers the jest hooks most integration files share (start, stop, reset, repositories, a registry login).
import { CreateRepositoryCommand, ECRClient, type CreateRepositoryCommandInput } from '@aws-sdk/client-ecr';
import { startEmulator, type RunningEmulator, type StartOptions } from '../../src/index';
import { basicAuthorization, registryClient, type RegistryClient } from './registry-client';
import type { TestClock } from './test-clock';

export interface TestEmulator {
  emulator: RunningEmulator;
  /** An ECR client for `accountId` (an access key of 12 digits selects the account) in `region`. */
  ecrClient(options?: { accountId?: string; region?: string }): ECRClient;
}

export async function startTestEmulator(options: StartOptions = {}): Promise<TestEmulator> {
  const emulator = await startEmulator({ host: '127.0.0.1', port: 0, memory: true, logLevel: 'silent', ...options });
  return {
    emulator,
    ecrClient: ({ accountId, region } = {}) =>
      new ECRClient({
        endpoint: emulator.endpoint,
        region: region ?? 'us-east-1',
        credentials: { accessKeyId: accountId ?? 'test', secretAccessKey: 'test' },
        maxAttempts: 1,
      }),
  };
}

type FixedStartOptions = Omit<StartOptions, 'clock'>;

export interface UseTestEmulatorOptions {
  /**
   * How the emulator starts, once for the block useTestEmulator is called in: a data dir, tokenTtlSeconds, ...
   * A function is called at the start, so it can read what a beforeAll declared before useTestEmulator made.
   */
  startOptions?: FixedStartOptions | (() => FixedStartOptions);
  /** The emulator's time; set back to its start before each test, ahead of the reset. */
  clock?: TestClock;
  /** Repositories of the default account at the start of each test: names, or CreateRepository inputs. */
  repositories?: (string | CreateRepositoryCommandInput)[];
}

/** What a test reaches the emulator with. Read it inside tests and hooks (declared after useTestEmulator). */
export interface TestEmulatorEnvironment {
  readonly emulator: RunningEmulator;
  /** An ECR client of the default account (000000000000) in us-east-1. */
  readonly ecr: ECRClient;
  /** A data-plane client logged in as `ecr`, with a token issued after this test's reset and repositories. */
  readonly registry: RegistryClient;
  /** The `Basic` Authorization header `registry` sends. */
  readonly authorization: string;
  /** An ECR client for `accountId` (an access key of 12 digits selects the account) in `region`. */
  ecrClient(options?: { accountId?: string; region?: string }): ECRClient;
  /** A data-plane client with a token issued now to `ecr` (default the default account): another account, or a login after the clock moved. */
  loginRegistry(ecr?: ECRClient): Promise<RegistryClient>;
}

/**
 * Registers, in the describe block it is called in: beforeAll starts an emulator, afterAll stops it, beforeEach
 * resets the clock and the emulator, creates `repositories` and logs the default account in to the registry.
 * Hooks the caller declares later run after these (jest runs hooks in declaration order).
 */
export function useTestEmulator(options: UseTestEmulatorOptions = {}): TestEmulatorEnvironment {
  let running: { test: TestEmulator; ecr: ECRClient } | undefined;
  let login: { authorization: string; registry: RegistryClient } | undefined;

  const started = (): { test: TestEmulator; ecr: ECRClient } => {
    if (running === undefined) throw new Error('useTestEmulator: the emulator runs only in the tests and hooks of the block that called it');
    return running;
  };
  const loggedIn = (): { authorization: string; registry: RegistryClient } => {
    if (login === undefined) throw new Error('useTestEmulator: the registry login is made in beforeEach, so it exists only in tests and later hooks');
    return login;
  };

  beforeAll(async () => {
    const startOptions = typeof options.startOptions === 'function' ? options.startOptions() : options.startOptions;
    const test = await startTestEmulator({ ...startOptions, ...(options.clock !== undefined ? { clock: options.clock } : {}) });
    running = { test, ecr: test.ecrClient() };
  });
  afterAll(async () => {
    await running?.test.emulator.stop();
    running = undefined;
  });
  beforeEach(async () => {
    const { test, ecr } = started();
    options.clock?.reset();
    await test.emulator.reset();
    for (const repository of options.repositories ?? []) {
      await ecr.send(new CreateRepositoryCommand(typeof repository === 'string' ? { repositoryName: repository } : repository));
    }
    const authorization = await basicAuthorization(ecr);
    login = { authorization, registry: registryClient(test.emulator.endpoint, authorization) };
  });

  return {
    get emulator() {
      return started().test.emulator;
    },
    get ecr() {
      return started().ecr;
    },
    get registry() {
      return loggedIn().registry;
    },
    get authorization() {
      return loggedIn().authorization;
    },
    ecrClient: (clientOptions) => started().test.ecrClient(clientOptions),
    async loginRegistry(ecr = started().ecr) {
      return registryClient(started().test.emulator.endpoint, await basicAuthorization(ecr));
    },
  };
}

/** Sends one raw control-plane request, for protocol tests the SDK would refuse to send. */
export async function rawEcrCall(endpoint: string, target: string | undefined, body: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Headers; json: Record<string, unknown> }> {
  const response = await fetch(`${endpoint}/`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-amz-json-1.1', ...(target ? { 'x-amz-target': target } : {}), ...headers },
    body,
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, json: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}
