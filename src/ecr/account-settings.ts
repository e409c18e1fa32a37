// Account settings of a registry: GetAccountSetting and PutAccountSetting. Each setting has a closed set of values
// and a default that applies until it is first put; values are kept in the registry document store. Nothing here
// changes behaviour elsewhere: the planes that honour a setting read it themselves.
import { type AwsError, invalidParameter } from '../aws/aws-error';
import type { OperationHandlers } from './ecr-context';

const KIND = 'account-setting';

/**
 * API reference, PutAccountSetting: the settings, their values, and the default of each. Basic scanning defaults to
 * AWS_NATIVE since ECR retired Clair, the registry policy scope to V2 (the default of new registries, user guide
 * "Private registry permissions"), and blob mounting is off until turned on (user guide, "Blob mounting").
 */
const SETTINGS = {
  BASIC_SCAN_TYPE_VERSION: { values: ['AWS_NATIVE', 'CLAIR'], defaultValue: 'AWS_NATIVE' },
  REGISTRY_POLICY_SCOPE: { values: ['V1', 'V2'], defaultValue: 'V2' },
  BLOB_MOUNTING: { values: ['ENABLED', 'DISABLED'], defaultValue: 'DISABLED' },
} as const satisfies Record<string, { values: readonly string[]; defaultValue: string }>;

type AccountSettingName = keyof typeof SETTINGS;

function enumFailure(member: string, values: readonly string[]): AwsError {
  return invalidParameter(`Invalid parameter at '${member}' failed to satisfy constraint: 'must satisfy enum value set: [${values.join(', ')}]'`);
}

function settingNamed(name: string): AccountSettingName {
  if (!Object.hasOwn(SETTINGS, name)) throw enumFailure('name', Object.keys(SETTINGS));
  return name as AccountSettingName;
}

export const accountSettingHandlers: OperationHandlers = {
  GetAccountSetting(input, context) {
    const name = settingNamed(input.name);
    const value = context.services.documents.get<string>(context.scope, KIND, name) ?? SETTINGS[name].defaultValue;
    return { name, value };
  },
  PutAccountSetting(input, context) {
    const name = settingNamed(input.name);
    const allowed: readonly string[] = SETTINGS[name].values;
    if (!allowed.includes(input.value)) throw enumFailure('value', allowed);
    context.services.documents.put(context.scope, KIND, name, input.value);
    return { name, value: input.value };
  },
};
