// The registry's replication configuration through the SDK: DescribeRegistry before and after
// PutReplicationConfiguration, the rules ECR puts on destinations and filters, and scoping by account and Region.
import { DescribeRegistryCommand, PutReplicationConfigurationCommand, type ReplicationConfiguration } from '@aws-sdk/client-ecr';
import { useTestEmulator } from '../helpers/test-emulator';

const ACCOUNT = '000000000000';
const OTHER_ACCOUNT = '111122223333';
const CROSS_REGION: ReplicationConfiguration = {
  rules: [
    { destinations: [{ region: 'us-west-2', registryId: ACCOUNT }], repositoryFilters: [{ filter: 'prod', filterType: 'PREFIX_MATCH' }] },
    { destinations: [{ region: 'eu-west-1', registryId: OTHER_ACCOUNT }, { region: 'us-east-1', registryId: OTHER_ACCOUNT }] },
  ],
};

const env = useTestEmulator();

function put(replicationConfiguration: ReplicationConfiguration) {
  return env.ecr.send(new PutReplicationConfigurationCommand({ replicationConfiguration }));
}

describe('DescribeRegistry', () => {
  it('answers the caller\'s registry with no replication rules when none were put', async () => {
    const registry = await env.ecr.send(new DescribeRegistryCommand({}));
    expect(registry).toEqual(expect.objectContaining({ registryId: ACCOUNT, replicationConfiguration: { rules: [] } }));
  });

  it('names the registry of the account that calls', async () => {
    const registry = await env.ecrClient({ accountId: OTHER_ACCOUNT }).send(new DescribeRegistryCommand({}));
    expect(registry.registryId).toBe(OTHER_ACCOUNT);
  });
});

describe('PutReplicationConfiguration', () => {
  it('returns the configuration it stores, and DescribeRegistry reports it', async () => {
    const answer = await put(CROSS_REGION);
    expect(answer.replicationConfiguration).toEqual(CROSS_REGION);
    expect((await env.ecr.send(new DescribeRegistryCommand({}))).replicationConfiguration).toEqual(CROSS_REGION);
  });

  it('replaces the configuration the registry had', async () => {
    await put(CROSS_REGION);
    const single: ReplicationConfiguration = { rules: [{ destinations: [{ region: 'ap-south-1', registryId: ACCOUNT }] }] };
    await put(single);
    expect((await env.ecr.send(new DescribeRegistryCommand({}))).replicationConfiguration).toEqual(single);
  });

  it('clears replication with an empty rule list', async () => {
    await put(CROSS_REGION);
    await put({ rules: [] });
    expect((await env.ecr.send(new DescribeRegistryCommand({}))).replicationConfiguration).toEqual({ rules: [] });
  });

  it('keeps one configuration per registry: accounts and regions apart', async () => {
    await put(CROSS_REGION);
    for (const other of [env.ecrClient({ accountId: OTHER_ACCOUNT }), env.ecrClient({ region: 'eu-west-1' })]) {
      expect((await other.send(new DescribeRegistryCommand({}))).replicationConfiguration).toEqual({ rules: [] });
    }
  });

  it('accepts a destination in its own Region of another account, and in another Region of its own account', async () => {
    const configuration: ReplicationConfiguration = {
      rules: [{ destinations: [{ region: 'us-east-1', registryId: OTHER_ACCOUNT }, { region: 'us-east-2', registryId: ACCOUNT }] }],
    };
    expect((await put(configuration)).replicationConfiguration).toEqual(configuration);
  });

  it.each([
    [
      'a destination that is the source registry itself',
      { rules: [{ destinations: [{ region: 'us-east-1', registryId: ACCOUNT }] }] },
      "Invalid parameter at 'replicationConfiguration' failed to satisfy constraint: 'Replication destination cannot be the same as the source registry'",
    ],
    [
      'a rule without destinations',
      { rules: [{ destinations: [] }] },
      "Invalid parameter at 'replicationConfiguration' failed to satisfy constraint: 'Replication rule must have at least one destination'",
    ],
    [
      'more than 25 unique destinations across the rules',
      {
        rules: [
          { destinations: Array.from({ length: 13 }, (_unused, index) => ({ region: 'us-west-2', registryId: `1000000000${String(index).padStart(2, '0')}` })) },
          { destinations: Array.from({ length: 13 }, (_unused, index) => ({ region: 'eu-west-1', registryId: `1000000000${String(index).padStart(2, '0')}` })) },
        ],
      },
      "Invalid parameter at 'replicationConfiguration' failed to satisfy constraint: 'Replication configuration can have at most 25 unique destinations, 26 given'",
    ],
    [
      'a registry id that is not 12 digits',
      { rules: [{ destinations: [{ region: 'us-west-2', registryId: '1234' }] }] },
      "Invalid parameter at 'replicationConfiguration.rules.1.member.destinations.1.member.registryId' failed to satisfy constraint: 'Member must satisfy regular expression pattern: [0-9]{12}'",
    ],
    [
      'a region with characters a region name never has',
      { rules: [{ destinations: [{ region: 'US_WEST_2', registryId: ACCOUNT }] }] },
      "Invalid parameter at 'replicationConfiguration.rules.1.member.destinations.1.member.region' failed to satisfy constraint: 'Member must satisfy regular expression pattern: [0-9a-z-]{2,25}'",
    ],
    [
      'a filter type other than PREFIX_MATCH',
      { rules: [{ destinations: [{ region: 'us-west-2', registryId: ACCOUNT }], repositoryFilters: [{ filter: 'prod', filterType: 'WILDCARD' }] }] },
      "Invalid parameter at 'replicationConfiguration.rules.1.member.repositoryFilters.1.member.filterType' failed to satisfy constraint: 'Member must satisfy enum value set: [PREFIX_MATCH]'",
    ],
    [
      'more than 10 rules',
      { rules: Array.from({ length: 11 }, () => ({ destinations: [{ region: 'us-west-2', registryId: ACCOUNT }] })) },
      "Invalid parameter at 'replicationConfiguration.rules' failed to satisfy constraint: 'Member must have length less than or equal to 10'",
    ],
  ])('rejects %s with InvalidParameterException and keeps the configuration it had', async (_label, configuration, message) => {
    await put(CROSS_REGION);
    await expect(put(configuration as ReplicationConfiguration)).rejects.toMatchObject({ name: 'InvalidParameterException', message });
    expect((await env.ecr.send(new DescribeRegistryCommand({}))).replicationConfiguration).toEqual(CROSS_REGION);
  });

  it.each([
    ['without a replication configuration', {}, 'replicationConfiguration'],
    ['with a rule without destinations', { replicationConfiguration: { rules: [{}] } }, 'replicationConfiguration.rules.1.member.destinations'],
    ['with a destination without a region', { replicationConfiguration: { rules: [{ destinations: [{ registryId: ACCOUNT }] }] } }, 'replicationConfiguration.rules.1.member.destinations.1.member.region'],
  ])('rejects a request %s with ValidationException', async (_label, input, path) => {
    await expect(env.ecr.send(new PutReplicationConfigurationCommand(input as never))).rejects.toMatchObject({
      name: 'ValidationException',
      message: `1 validation error detected: Value null at '${path}' failed to satisfy constraint: Member must not be null`,
    });
  });
});
