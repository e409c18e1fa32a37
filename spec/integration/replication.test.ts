// Private image replication through the SDK and the data plane: across Regions of one account, across accounts as
// the destination's registry policy allows, into an immutable destination, into a repository a REPLICATION creation
// template shapes, with DescribeImageReplicationStatus reporting each destination's outcome.
import {
  BatchGetImageCommand,
  CreateRepositoryCommand,
  CreateRepositoryCreationTemplateCommand,
  DescribeImageReplicationStatusCommand,
  DescribeRepositoriesCommand,
  ListTagsForResourceCommand,
  PutRegistryPolicyCommand,
  PutReplicationConfigurationCommand,
  type ReplicationDestination,
} from '@aws-sdk/client-ecr';
import { useTestEmulator } from '../helpers/test-emulator';

const SOURCE = '000000000000';
const DESTINATION = '222222222222';
const env = useTestEmulator({ repositories: ['app'] });

async function replicateTo(...destinations: ReplicationDestination[]): Promise<void> {
  await env.ecr.send(new PutReplicationConfigurationCommand({ replicationConfiguration: { rules: [{ destinations }] } }));
}

async function statusesOf(tag: string) {
  return (await env.ecr.send(new DescribeImageReplicationStatusCommand({ repositoryName: 'app', imageId: { imageTag: tag } }))).replicationStatuses;
}

function allowReplicationFrom(account: string) {
  return new PutRegistryPolicyCommand({
    policyText: JSON.stringify({
      Version: '2012-10-17',
      Statement: [{ Sid: 'ReplicationAccess', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${account}:root` }, Action: ['ecr:CreateRepository', 'ecr:ReplicateImage'], Resource: `arn:aws:ecr:eu-west-1:${DESTINATION}:repository/*` }],
    }),
  });
}

describe('replication', () => {
  it('replicates to another Region of the account and reports it COMPLETE once the worker ran', async () => {
    await replicateTo({ region: 'eu-west-1', registryId: SOURCE });
    const pushed = await env.registry.pushImage('app', 'v1');
    await env.emulator.idle();
    expect(await statusesOf('v1')).toEqual([{ region: 'eu-west-1', registryId: SOURCE, status: 'COMPLETE' }]);
    const replica = await env.ecrClient({ region: 'eu-west-1' }).send(new BatchGetImageCommand({ repositoryName: 'app', imageIds: [{ imageTag: 'v1' }] }));
    expect(replica.images![0]!.imageManifest).toBe(pushed.manifest);
  });

  it('fails replication to another account whose registry policy does not allow it, and copies nothing', async () => {
    await replicateTo({ region: 'eu-west-1', registryId: DESTINATION });
    await env.registry.pushImage('app', 'v1');
    await env.emulator.idle();
    expect(await statusesOf('v1')).toEqual([
      { region: 'eu-west-1', registryId: DESTINATION, status: 'FAILED', failureCode: `The registry policy of ${DESTINATION} in eu-west-1 does not allow account ${SOURCE} ecr:CreateRepository on repository 'app'` },
    ]);
    const destination = env.ecrClient({ accountId: DESTINATION, region: 'eu-west-1' });
    expect((await destination.send(new DescribeRepositoriesCommand({}))).repositories).toEqual([]);
  });

  it('replicates to another account whose registry policy allows the source account', async () => {
    const destination = env.ecrClient({ accountId: DESTINATION, region: 'eu-west-1' });
    await destination.send(allowReplicationFrom(SOURCE));
    await replicateTo({ region: 'eu-west-1', registryId: DESTINATION }, { region: 'us-west-2', registryId: SOURCE });
    const pushed = await env.registry.pushImage('app', 'v1');
    await env.emulator.idle();
    expect(await statusesOf('v1')).toEqual([
      { region: 'eu-west-1', registryId: DESTINATION, status: 'COMPLETE' },
      { region: 'us-west-2', registryId: SOURCE, status: 'COMPLETE' },
    ]);
    const replica = await destination.send(new BatchGetImageCommand({ repositoryName: 'app', imageIds: [{ imageTag: 'v1' }] }));
    expect(replica.images![0]!.imageId!.imageDigest).toBe(pushed.digest);
  });

  it('fails a destination whose immutable tag holds another image, and keeps that image', async () => {
    const europe = env.ecrClient({ region: 'eu-west-1' });
    await europe.send(new CreateRepositoryCommand({ repositoryName: 'app', imageTagMutability: 'IMMUTABLE' }));
    await replicateTo({ region: 'eu-west-1', registryId: SOURCE });
    const first = await env.registry.pushImage('app', 'v1', { layers: ['first'] });
    await env.registry.pushImage('app', 'v1', { layers: ['second'] });
    await env.emulator.idle();
    expect(await statusesOf('v1')).toEqual([
      { region: 'eu-west-1', registryId: SOURCE, status: 'FAILED', failureCode: "The image tag 'v1' already exists in the 'app' repository and cannot be overwritten because the repository is immutable." },
    ]);
    const kept = await europe.send(new BatchGetImageCommand({ repositoryName: 'app', imageIds: [{ imageTag: 'v1' }] }));
    expect(kept.images![0]!.imageId!.imageDigest).toBe(first.digest);
  });

  it('creates the destination repository with the settings of the destination\'s REPLICATION template', async () => {
    const europe = env.ecrClient({ region: 'eu-west-1' });
    await europe.send(new CreateRepositoryCreationTemplateCommand({ prefix: 'ROOT', appliedFor: ['REPLICATION'], imageTagMutability: 'IMMUTABLE', resourceTags: [{ Key: 'team', Value: 'platform' }] }));
    await replicateTo({ region: 'eu-west-1', registryId: SOURCE });
    await env.registry.pushImage('app', 'v1');
    await env.emulator.idle();
    const [repository] = (await europe.send(new DescribeRepositoriesCommand({ repositoryNames: ['app'] }))).repositories!;
    expect(repository!.imageTagMutability).toBe('IMMUTABLE');
    expect((await europe.send(new ListTagsForResourceCommand({ resourceArn: repository!.repositoryArn }))).tags).toEqual([{ Key: 'team', Value: 'platform' }]);
  });
});
