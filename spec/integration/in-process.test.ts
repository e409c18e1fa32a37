// In-process mode answers as the HTTP endpoint does: one scenario table run both ways, then what only the mock has.
import net from 'node:net';
import {
  CreateRepositoryCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  ECRServiceException,
  RepositoryNotFoundException,
} from '@aws-sdk/client-ecr';
import { mockEcrInProcess, type InProcessEcr } from '../../src/in-process';
import { ECR_SCENARIOS, type Outcome, type ScenarioClients } from '../helpers/ecr-scenarios';
import { startTestEmulator } from '../helpers/test-emulator';

// Nothing listens on the discard port: a request that escaped the mock would fail with ECONNREFUSED.
const UNREACHABLE = 'http://127.0.0.1:9';

function inProcessClient({ accountId, region }: { accountId?: string; region?: string } = {}): ECRClient {
  return new ECRClient({
    endpoint: UNREACHABLE,
    region: region ?? 'us-east-1',
    credentials: { accessKeyId: accountId ?? 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
}

type Run = Outcome[] | { failure: string };

async function runAll(reset: () => Promise<void>, clients: ScenarioClients): Promise<Map<string, Run>> {
  const runs = new Map<string, Run>();
  for (const scenario of ECR_SCENARIOS) {
    await reset();
    runs.set(scenario.name, await scenario.run(clients).catch((error: unknown) => ({ failure: String(error) })));
  }
  return runs;
}

describe('the scenario table, over HTTP and in process', () => {
  let overHttp: Map<string, Run>;
  let inProcess: Map<string, Run>;

  // The class-wide mock would also catch the HTTP clients, so the two modes run one after the other.
  beforeAll(async () => {
    const test = await startTestEmulator();
    try {
      overHttp = await runAll(() => test.emulator.reset(), { client: (options) => test.ecrClient(options) });
    } finally {
      await test.emulator.stop();
    }
    const ecr = mockEcrInProcess();
    try {
      inProcess = await runAll(() => ecr.reset(), { client: inProcessClient });
    } finally {
      ecr.restore();
    }
  });

  describe.each(ECR_SCENARIOS)('$name', (scenario) => {
    it('has the expected outcome over HTTP', () => {
      expect(overHttp.get(scenario.name)).toMatchObject(scenario.expected);
    });

    it('has the expected outcome in process', () => {
      expect(inProcess.get(scenario.name)).toMatchObject(scenario.expected);
    });

    it('has exactly the same outcome in process as over HTTP', () => {
      expect(inProcess.get(scenario.name)).toEqual(overHttp.get(scenario.name));
    });
  });
});

describe('mockEcrInProcess', () => {
  let ecr: InProcessEcr;
  let client: ECRClient;

  beforeEach(() => {
    ecr = mockEcrInProcess();
    client = inProcessClient();
  });
  afterEach(() => {
    ecr.restore();
    jest.restoreAllMocks();
  });

  it("throws the SDK's own exception class with name, message, $fault and $metadata", async () => {
    const error: unknown = await client.send(new DescribeRepositoriesCommand({ repositoryNames: ['missing'] })).catch((thrown: unknown) => thrown);
    expect(error).toBeInstanceOf(RepositoryNotFoundException);
    expect(error).toBeInstanceOf(ECRServiceException);
    expect(error).toMatchObject({
      name: 'RepositoryNotFoundException',
      message: "The repository with name 'missing' does not exist in the registry with id '000000000000'",
      $fault: 'client',
      $metadata: { httpStatusCode: 400, requestId: expect.stringMatching(/^[0-9a-f-]{36}$/) },
    });
  });

  it('answers with Date timestamps', async () => {
    const { repository } = await client.send(new CreateRepositoryCommand({ repositoryName: 'dated' }));
    expect(repository?.createdAt).toBeInstanceOf(Date);
  });

  it('opens no socket', async () => {
    const connect = jest.spyOn(net.Socket.prototype, 'connect');
    await client.send(new CreateRepositoryCommand({ repositoryName: 'offline' }));
    await client.send(new DescribeRepositoriesCommand({}));
    expect(connect).not.toHaveBeenCalled();
  });

  it('takes the time from the clock it is given', async () => {
    ecr.restore();
    const at = new Date('2030-05-06T07:08:09.000Z');
    ecr = mockEcrInProcess({ clock: { now: () => at } });
    const { repository } = await client.send(new CreateRepositoryCommand({ repositoryName: 'timed' }));
    expect(repository?.createdAt).toEqual(at);
  });

  it('advertises the hostname it is given in repositoryUri, else localhost:5000', async () => {
    const { repository } = await client.send(new CreateRepositoryCommand({ repositoryName: 'plain' }));
    expect(repository?.repositoryUri).toBe('localhost:5000/plain');
    ecr.restore();
    ecr = mockEcrInProcess({ hostname: 'registry.test:8443', accountId: '123456789012' });
    const named = await client.send(new CreateRepositoryCommand({ repositoryName: 'named' }));
    expect(named.repository).toMatchObject({ repositoryUri: 'registry.test:8443/named', registryId: '123456789012' });
  });

  it('records the commands it answered, for aws-sdk-client-mock assertions', async () => {
    await client.send(new CreateRepositoryCommand({ repositoryName: 'seen' }));
    expect(ecr.mock.commandCalls(CreateRepositoryCommand).map((call) => call.args[0].input)).toEqual([{ repositoryName: 'seen' }]);
  });

  it('reset() empties every repository and the call history', async () => {
    await client.send(new CreateRepositoryCommand({ repositoryName: 'gone' }));
    await ecr.reset();
    expect(ecr.mock.calls()).toHaveLength(0);
    expect((await client.send(new DescribeRepositoriesCommand({}))).repositories).toEqual([]);
  });

  it('restore() gives ECRClient its real send back, which goes to the network again', async () => {
    ecr.restore();
    await expect(client.send(new DescribeRepositoriesCommand({}))).rejects.toThrow(/ECONNREFUSED/);
  });

  it('mocks only the client it is given, so two emulators can run side by side', async () => {
    ecr.restore();
    const first = inProcessClient();
    const second = inProcessClient();
    const firstEcr = mockEcrInProcess({ client: first });
    const secondEcr = mockEcrInProcess({ client: second });
    try {
      await first.send(new CreateRepositoryCommand({ repositoryName: 'only-in-first' }));
      expect((await second.send(new DescribeRepositoriesCommand({}))).repositories).toEqual([]);
      expect((await first.send(new DescribeRepositoriesCommand({}))).repositories).toHaveLength(1);
    } finally {
      firstEcr.restore();
      secondEcr.restore();
    }
  });
});
