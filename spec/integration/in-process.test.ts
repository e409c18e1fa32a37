// In-process mode answers as the HTTP endpoint does: every ECR scenario run with the SDK both ways, with the same
// clock and advertised host, then compared call by call; then what only the mock has.
import net from 'node:net';
import {
  CreateRepositoryCommand,
  DescribeRepositoriesCommand,
  ECRClient,
  ECRServiceException,
  RepositoryNotFoundException,
} from '@aws-sdk/client-ecr';
import { mockEcrInProcess, type InProcessEcr } from '../../src/in-process';
import { describeEcrScenarios, scenarioKey, scenariosFor, type TranscriptEntry } from '../helpers/ecr-scenario-runner';
import { inProcessTarget, testEmulatorTarget, type InjectedTime } from '../helpers/scenario-targets';
import { testClock } from '../helpers/test-clock';
import { ECR_SCENARIOS } from '../scenarios/ecr-scenarios';

// Nothing listens on the discard port: a request that escaped the mock would fail with ECONNREFUSED.
const UNREACHABLE = 'http://127.0.0.1:9';
const NOW = new Date('2026-06-01T10:00:00.000Z');

function inProcessClient({ accountId, region }: { accountId?: string; region?: string } = {}): ECRClient {
  return new ECRClient({
    endpoint: UNREACHABLE,
    region: region ?? 'us-east-1',
    credentials: { accessKeyId: accountId ?? 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
}

const sameTime = (): InjectedTime => ({ clock: testClock(NOW), hostname: 'localhost:5000' });
const overHttpTarget = testEmulatorTarget(sameTime());
const inProcessModeTarget = inProcessTarget(sameTime());
const overHttp = new Map<string, TranscriptEntry[]>();
const inProcess = new Map<string, TranscriptEntry[]>();

// The class-wide mock would also catch the HTTP clients, so the two modes run one after the other.
describe('the ECR scenarios with the SDK over HTTP', () => {
  describeEcrScenarios(ECR_SCENARIOS, overHttpTarget, { transcripts: overHttp });
});

describe('the ECR scenarios with the SDK in process', () => {
  describeEcrScenarios(ECR_SCENARIOS, inProcessModeTarget, { transcripts: inProcess });
});

describe('the ECR scenarios in process, compared with HTTP', () => {
  const both = scenariosFor(ECR_SCENARIOS, inProcessModeTarget.capabilities).flatMap((group) => group.scenarios.map((scenario) => scenarioKey(group, scenario)));

  it.each(both)('%s: the same answers in process as over HTTP, call for call', (key) => {
    expect([...overHttp.keys()]).toContain(key);
    expect([...inProcess.keys()]).toContain(key);
    expect(overHttp.get(key)!.length).toBeGreaterThan(0);
    expect(inProcess.get(key)).toEqual(overHttp.get(key));
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
