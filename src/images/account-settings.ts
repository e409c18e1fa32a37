// A registry's account settings (GetAccountSetting / PutAccountSetting): each setting has a closed set of values and
// a default that holds until it is first put. The core reads them where a setting changes behaviour (blob mounting).
import type { Scope } from '../kernel/scope';
import type { RegistryDocuments } from './registry-documents';

/**
 * API reference, PutAccountSetting: the settings, their values, and the default of each. Basic scanning defaults to
 * AWS_NATIVE since ECR retired Clair, the registry policy scope to V2 (the default of new registries, user guide
 * "Private registry permissions"), and blob mounting is off until turned on (user guide, "Blob mounting").
 */
export const ACCOUNT_SETTINGS = {
  BASIC_SCAN_TYPE_VERSION: { values: ['AWS_NATIVE', 'CLAIR'], defaultValue: 'AWS_NATIVE' },
  REGISTRY_POLICY_SCOPE: { values: ['V1', 'V2'], defaultValue: 'V2' },
  BLOB_MOUNTING: { values: ['ENABLED', 'DISABLED'], defaultValue: 'DISABLED' },
} as const satisfies Record<string, { values: readonly string[]; defaultValue: string }>;

export type AccountSettingName = keyof typeof ACCOUNT_SETTINGS;

export function isAccountSettingName(name: string): name is AccountSettingName {
  return Object.hasOwn(ACCOUNT_SETTINGS, name);
}

export interface AccountSettings {
  /** The value put last, else the setting's default. */
  get(scope: Scope, name: AccountSettingName): string;
  /** The caller has checked `value` is one of the setting's values. */
  put(scope: Scope, name: AccountSettingName, value: string): void;
}

export function createAccountSettings(documents: RegistryDocuments): AccountSettings {
  return {
    get: (scope, name) => documents.get('account-setting', scope, name) ?? ACCOUNT_SETTINGS[name].defaultValue,
    put: (scope, name, value) => documents.put('account-setting', scope, name, value),
  };
}
