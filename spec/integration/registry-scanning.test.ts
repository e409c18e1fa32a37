// Registry scanning through the SDK: the BASIC default, putting and reading rules, the frequencies each scan type
// allows, and how BatchGetRepositoryScanningConfiguration applies the rules and each repository's own scanOnPush.
import {
  BatchGetRepositoryScanningConfigurationCommand,
  CreateRepositoryCommand,
  GetRegistryScanningConfigurationCommand,
  PutImageScanningConfigurationCommand,
  PutRegistryScanningConfigurationCommand,
  type PutRegistryScanningConfigurationCommandInput,
  type RegistryScanningRule,
} from '@aws-sdk/client-ecr';
import { useTestEmulator } from '../helpers/test-emulator';

const ACCOUNT = '000000000000';
const OTHER_ACCOUNT = '111122223333';

const env = useTestEmulator();

function rule(scanFrequency: RegistryScanningRule['scanFrequency'], ...filters: string[]): RegistryScanningRule {
  return { scanFrequency, repositoryFilters: filters.map((filter) => ({ filter, filterType: 'WILDCARD' })) };
}

function putScanning(input: PutRegistryScanningConfigurationCommandInput) {
  return env.ecr.send(new PutRegistryScanningConfigurationCommand(input));
}

async function scanningOf(name: string) {
  const { scanningConfigurations } = await env.ecr.send(new BatchGetRepositoryScanningConfigurationCommand({ repositoryNames: [name] }));
  return scanningConfigurations![0]!;
}

describe('GetRegistryScanningConfiguration', () => {
  it('answers basic scanning without rules for a registry that never set one', async () => {
    const answer = await env.ecr.send(new GetRegistryScanningConfigurationCommand({}));
    expect(answer).toEqual(expect.objectContaining({ registryId: ACCOUNT, scanningConfiguration: { scanType: 'BASIC', rules: [] } }));
  });
});

describe('PutRegistryScanningConfiguration', () => {
  it('returns the configuration it stores, and GetRegistryScanningConfiguration reports it', async () => {
    const rules = [rule('CONTINUOUS_SCAN', 'prod*'), rule('SCAN_ON_PUSH', '*')];
    const answer = await putScanning({ scanType: 'ENHANCED', rules });
    expect(answer.registryScanningConfiguration).toEqual({ scanType: 'ENHANCED', rules });
    expect((await env.ecr.send(new GetRegistryScanningConfigurationCommand({}))).scanningConfiguration).toEqual({ scanType: 'ENHANCED', rules });
  });

  it('uses basic scanning without rules when neither is given', async () => {
    await putScanning({ scanType: 'ENHANCED', rules: [rule('CONTINUOUS_SCAN', '*')] });
    expect((await putScanning({})).registryScanningConfiguration).toEqual({ scanType: 'BASIC', rules: [] });
    expect((await env.ecr.send(new GetRegistryScanningConfigurationCommand({}))).scanningConfiguration).toEqual({ scanType: 'BASIC', rules: [] });
  });

  it('keeps one configuration per registry: accounts and regions apart', async () => {
    await putScanning({ scanType: 'ENHANCED', rules: [rule('SCAN_ON_PUSH', '*')] });
    for (const other of [env.ecrClient({ accountId: OTHER_ACCOUNT }), env.ecrClient({ region: 'eu-west-1' })]) {
      expect((await other.send(new GetRegistryScanningConfigurationCommand({}))).scanningConfiguration).toEqual({ scanType: 'BASIC', rules: [] });
    }
  });

  it.each([
    ['BASIC', 'SCAN_ON_PUSH'],
    ['BASIC', 'MANUAL'],
    ['ENHANCED', 'SCAN_ON_PUSH'],
    ['ENHANCED', 'CONTINUOUS_SCAN'],
  ] as const)('accepts %s scanning with a rule at %s', async (scanType, frequency) => {
    const rules = [rule(frequency, 'team/*')];
    expect((await putScanning({ scanType, rules })).registryScanningConfiguration).toEqual({ scanType, rules });
  });

  it.each([
    [
      'continuous scanning with basic scanning',
      { scanType: 'BASIC', rules: [rule('CONTINUOUS_SCAN', '*')] },
      "Invalid parameter at 'rules' failed to satisfy constraint: 'scan frequency CONTINUOUS_SCAN is not supported for scan type BASIC, only SCAN_ON_PUSH, MANUAL'",
    ],
    [
      'manual scanning with enhanced scanning',
      { scanType: 'ENHANCED', rules: [rule('MANUAL', '*')] },
      "Invalid parameter at 'rules' failed to satisfy constraint: 'scan frequency MANUAL is not supported for scan type ENHANCED, only SCAN_ON_PUSH, CONTINUOUS_SCAN'",
    ],
    [
      'two rules of one frequency',
      { scanType: 'ENHANCED', rules: [rule('SCAN_ON_PUSH', 'a*'), rule('SCAN_ON_PUSH', 'b*')] },
      "Invalid parameter at 'rules' failed to satisfy constraint: 'only one rule per scan frequency is allowed, SCAN_ON_PUSH is given twice'",
    ],
    [
      'more than two rules',
      { scanType: 'ENHANCED', rules: [rule('SCAN_ON_PUSH', 'a*'), rule('CONTINUOUS_SCAN', 'b*'), rule('SCAN_ON_PUSH', 'c*')] },
      "Invalid parameter at 'rules' failed to satisfy constraint: 'Member must have length less than or equal to 2'",
    ],
    [
      'an unknown scan type',
      { scanType: 'DEEP', rules: [] },
      "Invalid parameter at 'scanType' failed to satisfy constraint: 'Member must satisfy enum value set: [BASIC, ENHANCED]'",
    ],
    [
      'an unknown scan frequency',
      { scanType: 'BASIC', rules: [rule('HOURLY' as never, '*')] },
      "Invalid parameter at 'rules.1.member.scanFrequency' failed to satisfy constraint: 'Member must satisfy enum value set: [SCAN_ON_PUSH, CONTINUOUS_SCAN, MANUAL]'",
    ],
    [
      'a filter type other than WILDCARD',
      { scanType: 'BASIC', rules: [{ scanFrequency: 'SCAN_ON_PUSH', repositoryFilters: [{ filter: 'prod', filterType: 'PREFIX_MATCH' }] }] },
      "Invalid parameter at 'rules.1.member.repositoryFilters.1.member.filterType' failed to satisfy constraint: 'Member must satisfy enum value set: [WILDCARD]'",
    ],
    [
      'a filter with characters no repository name has',
      { scanType: 'BASIC', rules: [rule('SCAN_ON_PUSH', 'Prod*')] },
      "Invalid parameter at 'rules.1.member.repositoryFilters.1.member.filter' failed to satisfy constraint: 'Member must satisfy regular expression pattern: ^[a-z0-9*](?:[._\\-/a-z0-9*]?[a-z0-9*]+)*$'",
    ],
  ])('rejects %s with InvalidParameterException and keeps the configuration it had', async (_label, input, message) => {
    const kept: PutRegistryScanningConfigurationCommandInput = { scanType: 'ENHANCED', rules: [rule('SCAN_ON_PUSH', 'kept*')] };
    await putScanning(kept);
    await expect(putScanning(input as PutRegistryScanningConfigurationCommandInput)).rejects.toMatchObject({ name: 'InvalidParameterException', message });
    expect((await env.ecr.send(new GetRegistryScanningConfigurationCommand({}))).scanningConfiguration).toEqual(kept);
  });

  it('rejects a rule without repository filters with ValidationException', async () => {
    await expect(putScanning({ scanType: 'BASIC', rules: [{ scanFrequency: 'SCAN_ON_PUSH' } as never] })).rejects.toMatchObject({
      name: 'ValidationException',
      message: "1 validation error detected: Value null at 'rules.1.member.repositoryFilters' failed to satisfy constraint: Member must not be null",
    });
  });
});

describe('BatchGetRepositoryScanningConfiguration', () => {
  beforeEach(async () => {
    for (const repositoryName of ['prod', 'repo-prod', 'prod-repo', 'repo-prod-repo', 'prodrepo']) {
      await env.ecr.send(new CreateRepositoryCommand({ repositoryName }));
    }
  });

  it('answers manual scanning without filters for a repository of a registry without rules', async () => {
    expect(await scanningOf('prod')).toEqual({
      repositoryArn: `arn:aws:ecr:us-east-1:${ACCOUNT}:repository/prod`,
      repositoryName: 'prod',
      scanOnPush: false,
      scanFrequency: 'MANUAL',
      appliedScanFilters: [],
    });
  });

  it('answers scan on push for a repository that turned scanOnPush on while the registry has no rules', async () => {
    await env.ecr.send(new PutImageScanningConfigurationCommand({ repositoryName: 'prod', imageScanningConfiguration: { scanOnPush: true } }));
    expect(await scanningOf('prod')).toMatchObject({ scanOnPush: true, scanFrequency: 'SCAN_ON_PUSH', appliedScanFilters: [] });
  });

  it('lets registry rules decide over the repository\'s own scanOnPush', async () => {
    await env.ecr.send(new PutImageScanningConfigurationCommand({ repositoryName: 'prod', imageScanningConfiguration: { scanOnPush: true } }));
    await putScanning({ scanType: 'BASIC', rules: [rule('SCAN_ON_PUSH', 'other*')] });
    expect(await scanningOf('prod')).toMatchObject({ scanOnPush: false, scanFrequency: 'MANUAL', appliedScanFilters: [] });
  });

  // The user guide's table of filter wildcards ("Filters for image scanning"), row by row.
  it.each([
    ['prod', ['prod', 'repo-prod', 'prod-repo', 'repo-prod-repo', 'prodrepo']],
    ['*prod', ['prod', 'repo-prod']],
    ['prod*', ['prod', 'prod-repo', 'prodrepo']],
    ['*prod*', ['prod', 'repo-prod', 'prod-repo', 'repo-prod-repo', 'prodrepo']],
    ['prod*repo', ['prod-repo', 'prodrepo']],
  ])('applies the filter %s to exactly the repositories ECR documents', async (filter, matching) => {
    await putScanning({ scanType: 'BASIC', rules: [rule('SCAN_ON_PUSH', filter)] });
    const names = ['prod', 'repo-prod', 'prod-repo', 'repo-prod-repo', 'prodrepo'];
    const { scanningConfigurations } = await env.ecr.send(new BatchGetRepositoryScanningConfigurationCommand({ repositoryNames: names }));
    const scanned = scanningConfigurations!.filter(({ scanFrequency }) => scanFrequency === 'SCAN_ON_PUSH').map(({ repositoryName }) => repositoryName);
    expect(scanned.sort()).toEqual([...matching].sort());
  });

  it('reports the filters of the rule that applies, and scan on push', async () => {
    await putScanning({ scanType: 'BASIC', rules: [rule('SCAN_ON_PUSH', 'prod*', 'other', '*repo')] });
    expect(await scanningOf('prod-repo')).toMatchObject({
      scanOnPush: true,
      scanFrequency: 'SCAN_ON_PUSH',
      appliedScanFilters: [
        { filter: 'prod*', filterType: 'WILDCARD' },
        { filter: '*repo', filterType: 'WILDCARD' },
      ],
    });
  });

  it('prefers continuous scanning where both enhanced rules match', async () => {
    await putScanning({ scanType: 'ENHANCED', rules: [rule('SCAN_ON_PUSH', '*'), rule('CONTINUOUS_SCAN', 'prod*')] });
    expect(await scanningOf('prod-repo')).toMatchObject({ scanOnPush: true, scanFrequency: 'CONTINUOUS_SCAN', appliedScanFilters: [{ filter: 'prod*', filterType: 'WILDCARD' }] });
    expect(await scanningOf('repo-prod')).toMatchObject({ scanOnPush: true, scanFrequency: 'SCAN_ON_PUSH', appliedScanFilters: [{ filter: '*', filterType: 'WILDCARD' }] });
  });

  it('answers manual scanning for a repository no enhanced rule matches, whatever its own scanOnPush', async () => {
    await env.ecr.send(new PutImageScanningConfigurationCommand({ repositoryName: 'prod', imageScanningConfiguration: { scanOnPush: true } }));
    await putScanning({ scanType: 'ENHANCED', rules: [rule('CONTINUOUS_SCAN', 'other*')] });
    expect(await scanningOf('prod')).toMatchObject({ scanOnPush: false, scanFrequency: 'MANUAL', appliedScanFilters: [] });
  });

  it('reports missing repositories as REPOSITORY_NOT_FOUND failures beside the found ones, each name once', async () => {
    const answer = await env.ecr.send(new BatchGetRepositoryScanningConfigurationCommand({ repositoryNames: ['prod', 'missing', 'prod', 'missing'] }));
    expect(answer.scanningConfigurations!.map(({ repositoryName }) => repositoryName)).toEqual(['prod']);
    expect(answer.failures).toEqual([
      {
        repositoryName: 'missing',
        failureCode: 'REPOSITORY_NOT_FOUND',
        failureReason: `The repository with name 'missing' does not exist in the registry with id '${ACCOUNT}'`,
      },
    ]);
  });

  it('finds only the caller\'s repositories: another account or region reports them missing', async () => {
    for (const other of [env.ecrClient({ accountId: OTHER_ACCOUNT }), env.ecrClient({ region: 'eu-west-1' })]) {
      const answer = await other.send(new BatchGetRepositoryScanningConfigurationCommand({ repositoryNames: ['prod'] }));
      expect(answer.scanningConfigurations).toEqual([]);
      expect(answer.failures).toEqual([expect.objectContaining({ repositoryName: 'prod', failureCode: 'REPOSITORY_NOT_FOUND' })]);
    }
  });

  it.each([
    ['no repository names', [], "Invalid parameter at 'repositoryNames' failed to satisfy constraint: 'Member must have length greater than or equal to 1'"],
    ['more than 25 repository names', Array.from({ length: 26 }, (_unused, index) => `repo${index}`), "Invalid parameter at 'repositoryNames' failed to satisfy constraint: 'Member must have length less than or equal to 25'"],
  ])('rejects %s with InvalidParameterException', async (_label, repositoryNames, message) => {
    await expect(env.ecr.send(new BatchGetRepositoryScanningConfigurationCommand({ repositoryNames }))).rejects.toMatchObject({ name: 'InvalidParameterException', message });
  });

  it('rejects a request without repository names with ValidationException', async () => {
    await expect(env.ecr.send(new BatchGetRepositoryScanningConfigurationCommand({} as never))).rejects.toMatchObject({
      name: 'ValidationException',
      message: "1 validation error detected: Value null at 'repositoryNames' failed to satisfy constraint: Member must not be null",
    });
  });
});
