// Image scans: the scan state of each (scope, repository, image digest), kept in the registry document store, and
// the rules for starting one (what can be scanned, how often). A scan completes the moment it starts, with the
// supplied or simulated findings. No HTTP, no ECR wire errors: it throws DomainError only.
import type { FindingSeverityCounts, ImageScanFinding, ImageScanFindingsSummary, ImageScanStatus } from '../aws/ecr-types.generated';
import type { Clock } from '../kernel/clock';
import { DomainError } from '../images/domain-error';
import { isIndexMediaType } from '../images/media-types';
import type { RegistryDocuments, StoredImageScan } from '../images/registry-documents';
import type { ImageDetails } from '../store/image-store';
import type { Scope } from '../kernel/scope';
import { CATALOGUE_UPDATED_AT, bySeverity, simulatedFindings } from './simulated-findings';
import type { ScanFindingsSource } from './supplied-findings';

/** API reference, StartImageScan: a basic scan can be started once per 24 hours per image, scans on push included. */
export const BASIC_SCAN_INTERVAL_MS = 24 * 60 * 60 * 1000;

/** ECR's description of a finished basic scan. */
export const COMPLETE_DESCRIPTION = 'The scan was completed successfully.';

/** A completed scan of one image. */
export interface ImageScan {
  digest: string;
  startedAt: Date;
  completedAt: Date;
  vulnerabilitySourceUpdatedAt: Date;
  /** Most severe first. */
  findings: ImageScanFinding[];
  /** Supplied enhanced findings, in their wire form. */
  enhancedFindings?: Record<string, unknown>[];
  findingSeverityCounts: FindingSeverityCounts;
}

export interface ImageScanDependencies {
  documents: RegistryDocuments;
  clock: Clock;
  findings: ScanFindingsSource;
}

function keyOf(repository: string, digest: string): string {
  return `${repository}@${digest}`;
}

/** Counts by severity of the findings listed; enhanced findings count when there are no basic ones. */
function severityCounts(findings: readonly ImageScanFinding[], enhancedFindings: readonly Record<string, unknown>[]): FindingSeverityCounts {
  const severities = findings.length > 0 ? findings.map((finding) => finding.severity ?? 'UNDEFINED') : enhancedFindings.map((finding) => String(finding.severity ?? 'UNDEFINED'));
  const counts: FindingSeverityCounts = {};
  for (const severity of severities) counts[severity] = (counts[severity] ?? 0) + 1;
  return counts;
}

function fromDocument(document: StoredImageScan): ImageScan {
  return {
    ...document,
    startedAt: new Date(document.startedAt),
    completedAt: new Date(document.completedAt),
    vulnerabilitySourceUpdatedAt: new Date(document.vulnerabilitySourceUpdatedAt),
  };
}

/** The image's latest scan, or undefined when it was never scanned. */
export function imageScanOf(documents: RegistryDocuments, scope: Scope, repository: string, digest: string): ImageScan | undefined {
  const document = documents.get('image-scan', scope, keyOf(repository, digest));
  return document === undefined ? undefined : fromDocument(document);
}

/** What DescribeImages reports of an image's scan: undefined for an image never scanned. */
export function imageScanSummary(
  documents: RegistryDocuments,
  scope: Scope,
  repository: string,
  digest: string,
): { imageScanStatus: ImageScanStatus; imageScanFindingsSummary?: ImageScanFindingsSummary } | undefined {
  const scan = imageScanOf(documents, scope, repository, digest);
  if (scan === undefined) return undefined;
  return {
    imageScanStatus: { status: 'COMPLETE', description: COMPLETE_DESCRIPTION },
    imageScanFindingsSummary: {
      imageScanCompletedAt: scan.completedAt,
      vulnerabilitySourceUpdatedAt: scan.vulnerabilitySourceUpdatedAt,
      findingSeverityCounts: scan.findingSeverityCounts,
    },
  };
}

/**
 * Scans an image now and stores the result, replacing any earlier scan: the supplied findings for its digest when
 * there are some, else the simulated ones. Throws DomainError InvalidParameter when the findings fixture is broken.
 */
export function recordImageScan(dependencies: ImageScanDependencies, scope: Scope, repository: string, digest: string): ImageScan {
  const now = dependencies.clock.now();
  const supplied = dependencies.findings.findingsFor(digest);
  const findings = [...(supplied?.findings ?? simulatedFindings(digest))].sort(bySeverity);
  const enhancedFindings = supplied?.enhancedFindings;
  const document: StoredImageScan = {
    digest,
    startedAt: now.toISOString(),
    completedAt: now.toISOString(),
    vulnerabilitySourceUpdatedAt: CATALOGUE_UPDATED_AT.toISOString(),
    findings,
    ...(enhancedFindings !== undefined ? { enhancedFindings } : {}),
    findingSeverityCounts: severityCounts(findings, enhancedFindings ?? []),
  };
  dependencies.documents.put('image-scan', scope, keyOf(repository, digest), document);
  return fromDocument(document);
}

/** Drops an image's scan, so an image pushed again after a delete does not inherit it. */
export function forgetImageScan(documents: RegistryDocuments, scope: Scope, repository: string, digest: string): void {
  documents.delete('image-scan', scope, keyOf(repository, digest));
}

/**
 * StartImageScan's rules, then the scan. Throws DomainError UnsupportedMediaType for an image index (ECR scans
 * the platform images an index lists, not the index), ImageArchived for an archived image, and LimitExceeded when
 * the image was scanned less than 24 hours ago.
 */
export function startImageScan(dependencies: ImageScanDependencies, scope: Scope, repository: string, image: ImageDetails): ImageScan {
  if (isIndexMediaType(image.mediaType)) {
    throw new DomainError('UnsupportedMediaType', `The image with digest '${image.digest}' is an image index (${image.mediaType}) and cannot be scanned; scan the images it lists instead.`, {
      digest: image.digest,
    });
  }
  if (image.storageClass === 'ARCHIVE') {
    throw new DomainError('ImageArchived', `The image with digest '${image.digest}' is archived and cannot be scanned.`, { digest: image.digest });
  }
  const previous = imageScanOf(dependencies.documents, scope, repository, image.digest);
  if (previous !== undefined && dependencies.clock.now().getTime() - previous.startedAt.getTime() < BASIC_SCAN_INTERVAL_MS) {
    throw new DomainError('LimitExceeded', 'The scan quota per image has been exceeded. Wait and try again.', { digest: image.digest });
  }
  return recordImageScan(dependencies, scope, repository, image.digest);
}
