// The registry's scanning configuration: PutRegistryScanningConfiguration, GetRegistryScanningConfiguration, and
// BatchGetRepositoryScanningConfiguration, which applies it (and each repository's own scanOnPush) to repositories.
// Nothing here scans images.
import { invalidParameter } from '../../aws/aws-error';
import type {
  RegistryScanningConfiguration,
  RegistryScanningRule,
  RepositoryScanningConfiguration,
  RepositoryScanningConfigurationFailure,
  ScanFrequency,
  ScanType,
} from '../../aws/ecr-types.generated';
import { repositoryNotFound } from '../../images/domain-error';
import { registryScanningConfigurationOf, scanningOf } from '../../scanning/scanning-rules';
import type { EcrContext, OperationHandlers } from '../ecr-context';

// API reference, RegistryScanningRule: basic scanning scans on push (MANUAL is what it does otherwise); enhanced
// scanning scans on push or continuously.
const FREQUENCIES_OF: Record<ScanType, readonly ScanFrequency[]> = {
  BASIC: ['SCAN_ON_PUSH', 'MANUAL'],
  ENHANCED: ['SCAN_ON_PUSH', 'CONTINUOUS_SCAN'],
};
function checkRules(scanType: ScanType, rules: readonly RegistryScanningRule[]): void {
  const seen = new Set<ScanFrequency>();
  for (const { scanFrequency } of rules) {
    if (!FREQUENCIES_OF[scanType].includes(scanFrequency)) {
      throw invalidParameter(
        `Invalid parameter at 'rules' failed to satisfy constraint: 'scan frequency ${scanFrequency} is not supported for scan type ${scanType}, only ${FREQUENCIES_OF[scanType].join(', ')}'`,
      );
    }
    if (seen.has(scanFrequency)) {
      throw invalidParameter(`Invalid parameter at 'rules' failed to satisfy constraint: 'only one rule per scan frequency is allowed, ${scanFrequency} is given twice'`);
    }
    seen.add(scanFrequency);
  }
}

/** Copied member by member: inputs may carry members the model does not have, and those are not kept. */
function copyRules(rules: readonly RegistryScanningRule[]): RegistryScanningRule[] {
  return rules.map(({ scanFrequency, repositoryFilters }) => ({
    scanFrequency,
    repositoryFilters: repositoryFilters.map(({ filter, filterType }) => ({ filter, filterType })),
  }));
}

function storedConfiguration(context: EcrContext): Required<RegistryScanningConfiguration> {
  return registryScanningConfigurationOf(context.services.documents, context.scope);
}

export const registryScanningHandlers: OperationHandlers = {
  PutRegistryScanningConfiguration(input, context) {
    // API reference: without a scan type the registry uses basic scanning.
    const scanType = input.scanType ?? 'BASIC';
    const rules = copyRules(input.rules ?? []);
    checkRules(scanType, rules);
    const stored: Required<RegistryScanningConfiguration> = { scanType, rules };
    context.services.documents.put('registry-scanning-configuration', context.scope, 'configuration', stored);
    return { registryScanningConfiguration: stored };
  },
  GetRegistryScanningConfiguration(_input, context) {
    return { registryId: context.scope.accountId, scanningConfiguration: storedConfiguration(context) };
  },
  BatchGetRepositoryScanningConfiguration(input, context) {
    const configuration = storedConfiguration(context);
    const scanningConfigurations: RepositoryScanningConfiguration[] = [];
    const failures: RepositoryScanningConfigurationFailure[] = [];
    // A name asked for twice is answered once.
    for (const name of new Set(input.repositoryNames)) {
      const record = context.services.repositories.find(context.scope, name);
      if (record === undefined) {
        failures.push({ repositoryName: name, failureCode: 'REPOSITORY_NOT_FOUND', failureReason: repositoryNotFound(name, context.scope.accountId).message });
      } else {
        scanningConfigurations.push(scanningOf(configuration, record, context.scope));
      }
    }
    return { scanningConfigurations, failures };
  },
};
