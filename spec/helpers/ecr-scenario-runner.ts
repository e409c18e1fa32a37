// The one way ECR scenarios (spec/scenarios/) run: against a target, an emulator with a client driver, started once
// per describe block and reset before each scenario. Integration runs them with the SDK over HTTP and in process
// (spec/integration/in-process.test.ts), e2e with each real client against the built CLI (spec/e2e/*.test.ts).
import type { CallOptions, ClientResult, EcrClientDriver, Paging } from './ecr-client-drivers';

/** What a scenario may need beyond the control plane and a client that sends only valid requests. */
export type Capability =
  /** The OCI data plane answers at `registryEndpoint` (not in process). */
  | 'dataPlane'
  /** STS answers on the endpoint (not in process). */
  | 'sts'
  /** The client pages on its own side (`paginate`). */
  | 'clientPaging'
  /** The client sends requests its model forbids, so the emulator's validation answers them. */
  | 'invalidRequests';

/** The instants the emulator's clock may have read during a call. */
export interface TimeWindow {
  earliest: Date;
  latest: Date;
}

/** What a scenario talks to. */
export interface ScenarioTarget {
  client: EcrClientDriver;
  /** host:port the emulator advertises in repositoryUri and proxyEndpoint. */
  registryHost: string;
  /** The data plane's URL; undefined where the target has none (in process). */
  registryEndpoint: string | undefined;
  /**
   * Runs `call` and says when the emulator's clock read during it: exactly the injected clock's instant where the
   * test gives the emulator a clock, else the system clock around the call (an emulator process cannot take one).
   */
  during<T>(call: () => Promise<T>): Promise<{ result: T; window: TimeWindow }>;
}

export interface EcrScenario {
  /** The behaviour, as a test name. */
  name: string;
  /** What the target must offer; a target without it does not run the scenario. */
  needs?: Capability[];
  /** Runs on an empty emulator and asserts as it goes. */
  run(target: ScenarioTarget): Promise<void>;
}

export interface ScenarioGroup {
  title: string;
  scenarios: EcrScenario[];
}

export interface StartedTarget extends ScenarioTarget {
  /** Empties every account and region (and sets an injected clock back). */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

/** How a describe block gets its target. */
export interface TargetSetup {
  capabilities: ReadonlySet<Capability>;
  /** For the start and for each scenario. */
  timeoutMs: number;
  start(): Promise<StartedTarget>;
}

/** One call a scenario made and what it answered, with what varies between emulators replaced by placeholders. */
export interface TranscriptEntry {
  operation: string;
  options: CallOptions;
  outcome: unknown;
}

export interface DescribeOptions {
  /** What the client's version line must match, so a test never runs another client than it names. */
  expectedVersion?: RegExp;
  /** Filled with each scenario's transcript, by scenarioKey, so two targets' answers can be compared. */
  transcripts?: Map<string, TranscriptEntry[]>;
}

export function scenarioKey(group: ScenarioGroup, scenario: EcrScenario): string {
  return `${group.title}: ${scenario.name}`;
}

/** The scenarios a target with `capabilities` runs, in their groups. */
export function scenariosFor(groups: ScenarioGroup[], capabilities: ReadonlySet<Capability>): ScenarioGroup[] {
  return groups.map((group) => ({ ...group, scenarios: group.scenarios.filter((scenario) => (scenario.needs ?? []).every((need) => capabilities.has(need))) }));
}

// Tokens are signed with each emulator's own secret and upload ids are random; everything else must be identical.
function normalized(value: unknown, key = ''): unknown {
  if (typeof value === 'string' && key === 'authorizationToken') return Buffer.from(value, 'base64').toString().startsWith('AWS:') ? '<AWS:token>' : value;
  if (typeof value === 'string' && key === 'uploadId') return '<uploadId>';
  if (Array.isArray(value)) return value.map((item) => normalized(item, key));
  if (value !== null && typeof value === 'object' && !(value instanceof Date) && !Buffer.isBuffer(value)) {
    return Object.fromEntries(Object.entries(value).map(([member, item]) => [member, normalized(item, member)]));
  }
  return value;
}

function outcomeOf(result: ClientResult): unknown {
  if (result.isOk) return { output: normalized(result.output) };
  return { errorCode: result.errorCode, message: result.message, exitCode: result.exitCode, sdk: result.sdk };
}

function recording(client: EcrClientDriver, transcript: TranscriptEntry[]): EcrClientDriver {
  const record = (operation: string, options: CallOptions, result: ClientResult): ClientResult => {
    transcript.push({ operation, options, outcome: outcomeOf(result) });
    return result;
  };
  return {
    ...client,
    call: async (operation, params, options = {}) => record(operation, options, await client.call(operation, params, options)),
    paginate: async (operation, params, paging: Paging, options = {}) => record(operation, options, await client.paginate(operation, params, paging, options)),
  };
}

/** Registers, in the describe block it is called in, one test per scenario the target can run, by group. */
export function describeEcrScenarios(groups: ScenarioGroup[], setup: TargetSetup, options: DescribeOptions = {}): void {
  let started: StartedTarget | undefined;
  const target = (): StartedTarget => {
    if (started === undefined) throw new Error('the scenario target did not start');
    return started;
  };

  beforeAll(async () => {
    started = await setup.start();
  }, setup.timeoutMs);
  afterAll(async () => {
    await started?.stop();
    started = undefined;
  });

  const { expectedVersion } = options;
  if (expectedVersion !== undefined) {
    it('runs the client version it names', async () => {
      expect(await target().client.version()).toMatch(expectedVersion);
    }, setup.timeoutMs);
  }

  for (const group of scenariosFor(groups, setup.capabilities).filter((runnable) => runnable.scenarios.length > 0)) {
    describe(group.title, () => {
      for (const scenario of group.scenarios) {
        it(scenario.name, async () => {
          const running = target();
          await running.reset();
          const transcript: TranscriptEntry[] = [];
          options.transcripts?.set(scenarioKey(group, scenario), transcript);
          await scenario.run({ client: recording(running.client, transcript), registryHost: running.registryHost, registryEndpoint: running.registryEndpoint, during: running.during });
        }, setup.timeoutMs);
      }
    });
  }
}
