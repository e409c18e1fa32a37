// The registry's scanning configuration: PutRegistryScanningConfiguration, GetRegistryScanningConfiguration, and
// BatchGetRepositoryScanningConfiguration, which applies it (and each repository's own scanOnPush) to repositories.
// Nothing here scans images.
import { invalidParameter } from '../aws/aws-error';
import type {
  RegistryScanningConfiguration,
  RegistryScanningRule,
  RepositoryScanningConfiguration,
  RepositoryScanningConfigurationFailure,
  ScanFrequency,
  ScanningRepositoryFilter,
  ScanType,
} from '../aws/ecr-types.generated';
import { repositoryNotFound } from '../images/domain-error';
import type { RegistryDocuments } from '../images/registry-documents';
import { matchesWildcard } from '../kernel/wildcard';
import type { RepositoryRecord } from '../store/repository-store';
import type { Scope } from '../kernel/scope';
import type { EcrContext, OperationHandlers } from './ecr-context';
import { repositoryArn } from '../auth/access';

// A registry that never set one uses basic scanning with no rules (API reference, PutRegistryScanningConfiguration).
const DEFAULT_CONFIGURATION: Required<RegistryScanningConfiguration> = { scanType: 'BASIC', rules: [] };

// API reference, RegistryScanningRule: basic scanning scans on push (MANUAL is what it does otherwise); enhanced
// scanning scans on push or continuously.
const FREQUENCIES_OF: Record<ScanType, readonly ScanFrequency[]> = {
  BASIC: ['SCAN_ON_PUSH', 'MANUAL'],
  ENHANCED: ['SCAN_ON_PUSH', 'CONTINUOUS_SCAN'],
};
// User guide, "Filters for image scanning": where rules of both frequencies match, continuous scanning wins.
const PRECEDENCE: readonly ScanFrequency[] = ['CONTINUOUS_SCAN', 'SCAN_ON_PUSH', 'MANUAL'];

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

/**
 * User guide, "Filter wildcards": a filter without `*` matches every name that contains it; with `*` it must match
 * the whole name, each `*` standing for zero or more characters.
 */
function scanFilterMatches(filter: string, repositoryName: string): boolean {
  return filter.includes('*') ? matchesWildcard(filter, repositoryName) : repositoryName.includes(filter);
}

/** The registry's scanning configuration: the stored one, else basic scanning without rules. */
export function registryScanningConfigurationOf(documents: RegistryDocuments, scope: Scope): Required<RegistryScanningConfiguration> {
  return documents.get('registry-scanning-configuration', scope, 'configuration') ?? DEFAULT_CONFIGURATION;
}

function storedConfiguration(context: EcrContext): Required<RegistryScanningConfiguration> {
  return registryScanningConfigurationOf(context.services.documents, context.scope);
}

/**
 * How one repository is scanned. The registry's rules decide (the highest-precedence rule with a matching filter,
 * reporting the filters that matched); a repository no rule matches is scanned manually. The repository's own
 * scanOnPush (PutImageScanningConfiguration, deprecated by ECR in favour of registry rules) counts only while the
 * registry is on basic scanning without rules. scanOnPush is reported for every frequency that scans pushed images.
 */
export function scanningOf(configuration: Required<RegistryScanningConfiguration>, record: RepositoryRecord, scope: Scope): RepositoryScanningConfiguration {
  const wire = (scanFrequency: ScanFrequency, appliedScanFilters: ScanningRepositoryFilter[]): RepositoryScanningConfiguration => ({
    repositoryArn: repositoryArn(scope, record.name),
    repositoryName: record.name,
    scanOnPush: scanFrequency !== 'MANUAL',
    scanFrequency,
    appliedScanFilters,
  });
  for (const frequency of PRECEDENCE) {
    const rule = configuration.rules.find((candidate) => candidate.scanFrequency === frequency);
    const matched = rule?.repositoryFilters.filter(({ filter }) => scanFilterMatches(filter, record.name)) ?? [];
    if (matched.length > 0) return wire(frequency, matched);
  }
  const usesRepositorySetting = configuration.scanType === 'BASIC' && configuration.rules.length === 0;
  return wire(usesRepositorySetting && record.imageScanningConfiguration.scanOnPush ? 'SCAN_ON_PUSH' : 'MANUAL', []);
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
