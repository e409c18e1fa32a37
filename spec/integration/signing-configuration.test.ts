// The registry's signing configuration through the SDK: put, get and delete, the rules the model puts on profiles
// and filters, SigningConfigurationNotFoundException, and one configuration per account and Region.
import {
  DeleteSigningConfigurationCommand,
  GetSigningConfigurationCommand,
  PutSigningConfigurationCommand,
  type SigningConfiguration,
} from '@aws-sdk/client-ecr';
import { useTestEmulator } from '../helpers/test-emulator';

const ACCOUNT = '000000000000';
const PROFILE = `arn:aws:signer:us-east-1:${ACCOUNT}:/signing-profiles/team_a_profile`;
const OTHER_PROFILE = `arn:aws:signer:us-east-1:${ACCOUNT}:/signing-profiles/team_b_profile`;
const CONFIGURATION: SigningConfiguration = {
  rules: [
    { signingProfileArn: PROFILE, repositoryFilters: [{ filter: 'team-a/*', filterType: 'WILDCARD_MATCH' }] },
    { signingProfileArn: OTHER_PROFILE },
  ],
};

const env = useTestEmulator();

function put(signingConfiguration: SigningConfiguration) {
  return env.ecr.send(new PutSigningConfigurationCommand({ signingConfiguration }));
}

function notFound(accountId = ACCOUNT) {
  return { name: 'SigningConfigurationNotFoundException', message: `Signing configuration does not exist in the registry with id '${accountId}'` };
}

describe('PutSigningConfiguration and GetSigningConfiguration', () => {
  it('puts a configuration and answers it on put and on get', async () => {
    expect((await put(CONFIGURATION)).signingConfiguration).toEqual(CONFIGURATION);
    expect(await env.ecr.send(new GetSigningConfigurationCommand({}))).toEqual(expect.objectContaining({ registryId: ACCOUNT, signingConfiguration: CONFIGURATION }));
  });

  it('replaces the configuration the registry had', async () => {
    await put(CONFIGURATION);
    const single: SigningConfiguration = { rules: [{ signingProfileArn: OTHER_PROFILE, repositoryFilters: [{ filter: 'prod', filterType: 'WILDCARD_MATCH' }] }] };
    await put(single);
    expect((await env.ecr.send(new GetSigningConfigurationCommand({}))).signingConfiguration).toEqual(single);
  });

  it('accepts a configuration without rules', async () => {
    await put({ rules: [] });
    expect((await env.ecr.send(new GetSigningConfigurationCommand({}))).signingConfiguration).toEqual({ rules: [] });
  });

  it('answers SigningConfigurationNotFoundException for a registry that never put one', async () => {
    await expect(env.ecr.send(new GetSigningConfigurationCommand({}))).rejects.toMatchObject(notFound());
  });

  it('keeps one configuration per registry: accounts and regions apart', async () => {
    await put(CONFIGURATION);
    await expect(env.ecrClient({ accountId: '111122223333' }).send(new GetSigningConfigurationCommand({}))).rejects.toMatchObject(notFound('111122223333'));
    await expect(env.ecrClient({ region: 'eu-west-1' }).send(new GetSigningConfigurationCommand({}))).rejects.toMatchObject(notFound());
  });

  it.each([
    [
      'a profile ARN of another service',
      { rules: [{ signingProfileArn: `arn:aws:iam::${ACCOUNT}:role/signer` }] },
      "Invalid parameter at 'signingConfiguration.rules.1.member.signingProfileArn' failed to satisfy constraint: 'Member must satisfy regular expression pattern: ^arn:aws(-[a-z]+)*:signer:[a-z0-9-]+:[0-9]{12}:\\/signing-profiles\\/[a-zA-Z0-9_]{2,}$'",
    ],
    [
      'a filter type other than WILDCARD_MATCH',
      { rules: [{ signingProfileArn: PROFILE, repositoryFilters: [{ filter: 'prod', filterType: 'PREFIX_MATCH' }] }] },
      "Invalid parameter at 'signingConfiguration.rules.1.member.repositoryFilters.1.member.filterType' failed to satisfy constraint: 'Member must satisfy enum value set: [WILDCARD_MATCH]'",
    ],
    [
      'an empty filter list',
      { rules: [{ signingProfileArn: PROFILE, repositoryFilters: [] }] },
      "Invalid parameter at 'signingConfiguration.rules.1.member.repositoryFilters' failed to satisfy constraint: 'Member must have length greater than or equal to 1'",
    ],
    [
      'a filter with characters no repository name has',
      { rules: [{ signingProfileArn: PROFILE, repositoryFilters: [{ filter: 'Team/*', filterType: 'WILDCARD_MATCH' }] }] },
      "Invalid parameter at 'signingConfiguration.rules.1.member.repositoryFilters.1.member.filter' failed to satisfy constraint: 'Member must satisfy regular expression pattern: ^(?:[a-z0-9*]+(?:[._-][a-z0-9*]+)*/)*[a-z0-9*]+(?:[._-][a-z0-9*]+)*$'",
    ],
    [
      'more than 10 rules',
      { rules: Array.from({ length: 11 }, () => ({ signingProfileArn: PROFILE })) },
      "Invalid parameter at 'signingConfiguration.rules' failed to satisfy constraint: 'Member must have length less than or equal to 10'",
    ],
  ])('rejects %s with InvalidParameterException and keeps the configuration it had', async (_label, configuration, message) => {
    await put(CONFIGURATION);
    await expect(put(configuration as SigningConfiguration)).rejects.toMatchObject({ name: 'InvalidParameterException', message });
    expect((await env.ecr.send(new GetSigningConfigurationCommand({}))).signingConfiguration).toEqual(CONFIGURATION);
  });

  it.each([
    ['without a signing configuration', {}, 'signingConfiguration'],
    ['with a rule without a profile', { signingConfiguration: { rules: [{}] } }, 'signingConfiguration.rules.1.member.signingProfileArn'],
  ])('rejects a request %s with ValidationException', async (_label, input, path) => {
    await expect(env.ecr.send(new PutSigningConfigurationCommand(input as never))).rejects.toMatchObject({
      name: 'ValidationException',
      message: `1 validation error detected: Value null at '${path}' failed to satisfy constraint: Member must not be null`,
    });
  });
});

describe('DeleteSigningConfiguration', () => {
  it('deletes the configuration and answers it as it was', async () => {
    await put(CONFIGURATION);
    expect(await env.ecr.send(new DeleteSigningConfigurationCommand({}))).toEqual(expect.objectContaining({ registryId: ACCOUNT, signingConfiguration: CONFIGURATION }));
    await expect(env.ecr.send(new GetSigningConfigurationCommand({}))).rejects.toMatchObject(notFound());
  });

  it('answers SigningConfigurationNotFoundException when there is none, or no longer one', async () => {
    await expect(env.ecr.send(new DeleteSigningConfigurationCommand({}))).rejects.toMatchObject(notFound());
    await put(CONFIGURATION);
    await env.ecr.send(new DeleteSigningConfigurationCommand({}));
    await expect(env.ecr.send(new DeleteSigningConfigurationCommand({}))).rejects.toMatchObject(notFound());
  });
});
