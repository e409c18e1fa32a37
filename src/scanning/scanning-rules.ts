// How the registry's scanning configuration applies to a repository: which rule (or the repository's own
// scanOnPush) decides, and whether pushed images are scanned. Pure reads; the control plane's scanning operations
// and the scan-on-push observer both ask here.
import type { RegistryScanningConfiguration, RepositoryScanningConfiguration, ScanFrequency, ScanningRepositoryFilter } from '../aws/ecr-types.generated';
import { repositoryArn } from '../auth/access';
import type { RegistryDocuments } from '../images/registry-documents';
import type { Scope } from '../kernel/scope';
import { matchesWildcard } from '../kernel/wildcard';
import type { RepositoryRecord } from '../store/repository-store';

// A registry that never set one uses basic scanning with no rules (API reference, PutRegistryScanningConfiguration).
const DEFAULT_CONFIGURATION: Required<RegistryScanningConfiguration> = { scanType: 'BASIC', rules: [] };

// User guide, "Filters for image scanning": where rules of both frequencies match, continuous scanning wins.
const PRECEDENCE: readonly ScanFrequency[] = ['CONTINUOUS_SCAN', 'SCAN_ON_PUSH', 'MANUAL'];

/**
 * User guide, "Filter wildcards": a filter without `*` matches every name that contains it; with `*` it must match
 * the whole name, each `*` standing for zero or more characters.
 */
export function scanFilterMatches(filter: string, repositoryName: string): boolean {
  return filter.includes('*') ? matchesWildcard(filter, repositoryName) : repositoryName.includes(filter);
}

/** The registry's scanning configuration: the stored one, else basic scanning without rules. */
export function registryScanningConfigurationOf(documents: RegistryDocuments, scope: Scope): Required<RegistryScanningConfiguration> {
  return documents.get('registry-scanning-configuration', scope, 'configuration') ?? DEFAULT_CONFIGURATION;
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
