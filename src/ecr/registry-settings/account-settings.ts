// GetAccountSetting and PutAccountSetting over the core's account settings, with ECR's enum wording for a name or
// value outside a setting's closed set.
import { type AwsError, invalidParameter } from '../../aws/aws-error';
import { ACCOUNT_SETTINGS, isAccountSettingName, type AccountSettingName } from '../../images/account-settings';
import type { OperationHandlers } from '../ecr-context';

function enumFailure(member: string, values: readonly string[]): AwsError {
  return invalidParameter(`Invalid parameter at '${member}' failed to satisfy constraint: 'must satisfy enum value set: [${values.join(', ')}]'`);
}

function settingNamed(name: string): AccountSettingName {
  if (!isAccountSettingName(name)) throw enumFailure('name', Object.keys(ACCOUNT_SETTINGS));
  return name;
}

export const accountSettingHandlers: OperationHandlers = {
  GetAccountSetting(input, context) {
    const name = settingNamed(input.name);
    return { name, value: context.services.accountSettings.get(context.scope, name) };
  },
  PutAccountSetting(input, context) {
    const name = settingNamed(input.name);
    const allowed: readonly string[] = ACCOUNT_SETTINGS[name].values;
    if (!allowed.includes(input.value)) throw enumFailure('value', allowed);
    context.services.accountSettings.put(context.scope, name, input.value);
    return { name, value: input.value };
  },
};
