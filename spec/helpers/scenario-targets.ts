// The targets ECR scenarios run against: the built CLI as a process (e2e, any client), the emulator over HTTP in
// this process and the in-process SDK mock (integration, the SDK). Each says what it offers as capabilities.
import { mockEcrInProcess } from '../../src/in-process';
import type { DriverFactory } from './ecr-client-drivers';
import type { Capability, StartedTarget, TargetSetup, TimeWindow } from './ecr-scenario-runner';
import { startEmulatorProcess } from './emulator-process';
import { sdkDriver } from './sdk-driver';
import type { TestClock } from './test-clock';
import { startTestEmulator } from './test-emulator';

// An emulator process reads the system clock in another process, and the aws CLI v1 prints epoch seconds.
const PROCESS_CLOCK_SLACK_MS = 2000;
const PROCESS_TIMEOUT_MS = 180_000;
const IN_PROCESS_TIMEOUT_MS = 30_000;
// Nothing listens on the discard port: a request that escaped the mock would fail with ECONNREFUSED.
const UNREACHABLE = 'http://127.0.0.1:9';

export interface InjectedTime {
  /** The emulator's clock; every scenario starts at its start. */
  clock: TestClock;
  /** The registry host to advertise, the same in every mode so answers compare exactly. */
  hostname: string;
}

function capabilitiesOf(driver: DriverFactory, place: Capability[]): ReadonlySet<Capability> {
  return new Set<Capability>([...place, ...(driver.canPageClientSide ? ['clientPaging' as const] : []), ...(driver.canSendInvalidRequests ? ['invalidRequests' as const] : [])]);
}

/** The clock read around the call, widened by the slack. */
async function aroundSystemClock<T>(call: () => Promise<T>): Promise<{ result: T; window: TimeWindow }> {
  const earliest = new Date(Date.now() - PROCESS_CLOCK_SLACK_MS);
  const result = await call();
  return { result, window: { earliest, latest: new Date(Date.now() + PROCESS_CLOCK_SLACK_MS) } };
}

function aroundClock(clock: TestClock) {
  return async <T>(call: () => Promise<T>): Promise<{ result: T; window: TimeWindow }> => {
    const earliest = clock.now();
    const result = await call();
    return { result, window: { earliest, latest: clock.now() } };
  };
}

/** The built command line (dist/main.js) in memory, with any client as a process: what e2e runs. */
export function emulatorProcessTarget(driver: DriverFactory): TargetSetup {
  return {
    capabilities: capabilitiesOf(driver, ['dataPlane', 'sts']),
    timeoutMs: PROCESS_TIMEOUT_MS,
    async start(): Promise<StartedTarget> {
      const emulator = await startEmulatorProcess({ memory: true });
      return {
        client: driver.connect(emulator.endpoint),
        registryHost: emulator.registryHost,
        registryEndpoint: emulator.endpoint,
        during: aroundSystemClock,
        reset: () => emulator.reset(),
        stop: async () => {
          await emulator.stop();
        },
      };
    },
  };
}

/** The emulator over HTTP in this process (startTestEmulator), with the SDK and an injected clock. */
export function testEmulatorTarget({ clock, hostname }: InjectedTime): TargetSetup {
  const driver = sdkDriver();
  return {
    capabilities: capabilitiesOf(driver, ['dataPlane', 'sts']),
    timeoutMs: IN_PROCESS_TIMEOUT_MS,
    async start(): Promise<StartedTarget> {
      const { emulator } = await startTestEmulator({ clock, hostname });
      return {
        client: driver.connect(emulator.endpoint),
        registryHost: emulator.registryHost,
        registryEndpoint: emulator.endpoint,
        during: aroundClock(clock),
        async reset() {
          clock.reset();
          await emulator.reset();
        },
        stop: () => emulator.stop(),
      };
    },
  };
}

/**
 * The in-process mode (mockEcrInProcess) with the SDK: every ECRClient of the process is answered in memory while
 * it runs, so it must not overlap with a target over HTTP (jest runs describe blocks one after the other).
 */
export function inProcessTarget({ clock, hostname }: InjectedTime): TargetSetup {
  const driver = sdkDriver();
  return {
    capabilities: capabilitiesOf(driver, []),
    timeoutMs: IN_PROCESS_TIMEOUT_MS,
    async start(): Promise<StartedTarget> {
      const ecr = mockEcrInProcess({ clock, hostname });
      return {
        client: driver.connect(UNREACHABLE),
        registryHost: hostname,
        registryEndpoint: undefined,
        during: aroundClock(clock),
        async reset() {
          clock.reset();
          await ecr.reset();
        },
        stop: async () => ecr.restore(),
      };
    },
  };
}
