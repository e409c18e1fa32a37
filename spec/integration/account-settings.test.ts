// Account settings through the SDK: the default of each setting, putting the values ECR allows, refusing names and
// values it does not know, and settings kept per account and Region.
import { GetAccountSettingCommand, PutAccountSettingCommand } from '@aws-sdk/client-ecr';
import { useTestEmulator } from '../helpers/test-emulator';

const NAMES = "[BASIC_SCAN_TYPE_VERSION, REGISTRY_POLICY_SCOPE, BLOB_MOUNTING]";

const env = useTestEmulator();

describe('GetAccountSetting', () => {
  it.each([
    ['BASIC_SCAN_TYPE_VERSION', 'AWS_NATIVE'],
    ['REGISTRY_POLICY_SCOPE', 'V2'],
    ['BLOB_MOUNTING', 'DISABLED'],
  ])('answers %s as %s before it is ever put', async (name, value) => {
    expect(await env.ecr.send(new GetAccountSettingCommand({ name }))).toEqual(expect.objectContaining({ name, value }));
  });

  it('refuses a setting ECR does not have with InvalidParameterException', async () => {
    await expect(env.ecr.send(new GetAccountSettingCommand({ name: 'SCAN_ON_PUSH' }))).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: `Invalid parameter at 'name' failed to satisfy constraint: 'must satisfy enum value set: ${NAMES}'`,
    });
  });

  it.each([
    ['an empty name', '', "Invalid parameter at 'name' failed to satisfy constraint: 'Member must have length greater than or equal to 1'"],
    ['a name over 64 characters', 'N'.repeat(65), "Invalid parameter at 'name' failed to satisfy constraint: 'Member must have length less than or equal to 64'"],
  ])('refuses %s with InvalidParameterException', async (_label, name, message) => {
    await expect(env.ecr.send(new GetAccountSettingCommand({ name }))).rejects.toMatchObject({ name: 'InvalidParameterException', message });
  });

  it('refuses a request without a name with ValidationException', async () => {
    await expect(env.ecr.send(new GetAccountSettingCommand({} as never))).rejects.toMatchObject({
      name: 'ValidationException',
      message: "1 validation error detected: Value null at 'name' failed to satisfy constraint: Member must not be null",
    });
  });
});

describe('PutAccountSetting', () => {
  it.each([
    ['BASIC_SCAN_TYPE_VERSION', 'CLAIR'],
    ['BASIC_SCAN_TYPE_VERSION', 'AWS_NATIVE'],
    ['REGISTRY_POLICY_SCOPE', 'V1'],
    ['REGISTRY_POLICY_SCOPE', 'V2'],
    ['BLOB_MOUNTING', 'ENABLED'],
    ['BLOB_MOUNTING', 'DISABLED'],
  ])('puts %s to %s and answers it on put and on get', async (name, value) => {
    expect(await env.ecr.send(new PutAccountSettingCommand({ name, value }))).toEqual(expect.objectContaining({ name, value }));
    expect(await env.ecr.send(new GetAccountSettingCommand({ name }))).toEqual(expect.objectContaining({ name, value }));
  });

  it('changes only the setting it names', async () => {
    await env.ecr.send(new PutAccountSettingCommand({ name: 'BLOB_MOUNTING', value: 'ENABLED' }));
    expect((await env.ecr.send(new GetAccountSettingCommand({ name: 'REGISTRY_POLICY_SCOPE' }))).value).toBe('V2');
    expect((await env.ecr.send(new GetAccountSettingCommand({ name: 'BASIC_SCAN_TYPE_VERSION' }))).value).toBe('AWS_NATIVE');
  });

  it('keeps settings per registry: accounts and regions apart', async () => {
    await env.ecr.send(new PutAccountSettingCommand({ name: 'BLOB_MOUNTING', value: 'ENABLED' }));
    for (const other of [env.ecrClient({ accountId: '111122223333' }), env.ecrClient({ region: 'eu-west-1' })]) {
      expect((await other.send(new GetAccountSettingCommand({ name: 'BLOB_MOUNTING' }))).value).toBe('DISABLED');
    }
  });

  it.each([
    ['a setting ECR does not have', { name: 'IMAGE_SIGNING', value: 'ENABLED' }, `Invalid parameter at 'name' failed to satisfy constraint: 'must satisfy enum value set: ${NAMES}'`],
    [
      'a value of another setting',
      { name: 'BASIC_SCAN_TYPE_VERSION', value: 'V2' },
      "Invalid parameter at 'value' failed to satisfy constraint: 'must satisfy enum value set: [AWS_NATIVE, CLAIR]'",
    ],
    ['a value in lower case', { name: 'BLOB_MOUNTING', value: 'enabled' }, "Invalid parameter at 'value' failed to satisfy constraint: 'must satisfy enum value set: [ENABLED, DISABLED]'"],
    ['a scope ECR does not have', { name: 'REGISTRY_POLICY_SCOPE', value: 'V3' }, "Invalid parameter at 'value' failed to satisfy constraint: 'must satisfy enum value set: [V1, V2]'"],
  ])('refuses %s with InvalidParameterException and keeps the value it had', async (_label, input, message) => {
    await expect(env.ecr.send(new PutAccountSettingCommand(input))).rejects.toMatchObject({ name: 'InvalidParameterException', message });
    for (const [name, value] of [['BASIC_SCAN_TYPE_VERSION', 'AWS_NATIVE'], ['REGISTRY_POLICY_SCOPE', 'V2'], ['BLOB_MOUNTING', 'DISABLED']] as const) {
      expect((await env.ecr.send(new GetAccountSettingCommand({ name }))).value).toBe(value);
    }
  });

  it.each([
    ['a name', { value: 'ENABLED' }, 'name'],
    ['a value', { name: 'BLOB_MOUNTING' }, 'value'],
  ])('refuses a request without %s with ValidationException', async (_label, input, member) => {
    await expect(env.ecr.send(new PutAccountSettingCommand(input as never))).rejects.toMatchObject({
      name: 'ValidationException',
      message: `1 validation error detected: Value null at '${member}' failed to satisfy constraint: Member must not be null`,
    });
  });
});
