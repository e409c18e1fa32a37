// Scan state: recording a scan with supplied or simulated findings, the summary DescribeImages reports, and
// StartImageScan's rules (no image indexes, no archived images, one scan per image per 24 hours).
import type { Clock } from '../../../src/kernel/clock';
import { DomainError } from '../../../src/images/domain-error';
import { registryDocuments, type SuppliedFindings } from '../../../src/images/registry-documents';
import { imageScanOf, imageScanSummary, recordImageScan, forgetImageScan, startImageScan, type ImageScanDependencies } from '../../../src/scanning/image-scans';
import { simulatedFindings } from '../../../src/scanning/simulated-findings';
import type { ImageDetails } from '../../../src/store/image-store';
import { openDatabase } from '../../../src/store/sqlite/database';
import { createSqliteRegistryDocumentStore } from '../../../src/store/sqlite/sqlite-registry-document-store';

const SCOPE = { accountId: '111122223333', region: 'eu-west-1' };
const DIGEST = `sha256:${'ab'.repeat(32)}`;
const START = new Date('2026-03-01T00:00:00Z');
const HOUR_MS = 60 * 60 * 1000;

let now: Date;
let supplied: Map<string, SuppliedFindings>;
let dependencies: ImageScanDependencies;

function image(overrides: Partial<ImageDetails> = {}): ImageDetails {
  return {
    digest: DIGEST,
    mediaType: 'application/vnd.docker.distribution.manifest.v2+json',
    manifest: Buffer.from('{}'),
    sizeInBytes: 10,
    pushedAt: START,
    tags: ['v1'],
    storageClass: 'STANDARD',
    ...overrides,
  };
}

function kindOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError) return error.kind;
    throw error;
  }
  return 'no error';
}

beforeEach(() => {
  now = START;
  supplied = new Map();
  const clock: Clock = { now: () => now };
  dependencies = { documents: registryDocuments(createSqliteRegistryDocumentStore(openDatabase(':memory:'))), clock, findings: { findingsFor: (digest) => supplied.get(digest) } };
});

describe('recordImageScan', () => {
  it('records the simulated findings of a digest nobody supplied findings for', () => {
    const scan = recordImageScan(dependencies, SCOPE, 'app', DIGEST);
    expect(scan.findings).toEqual(simulatedFindings(DIGEST));
    expect(imageScanOf(dependencies.documents, SCOPE, 'app', DIGEST)).toEqual(scan);
  });

  it('records supplied findings, most severe first, with counts by severity', () => {
    supplied.set(DIGEST, { findings: [{ name: 'CVE-1', severity: 'LOW' }, { name: 'CVE-2', severity: 'CRITICAL' }, { name: 'CVE-3', severity: 'LOW' }] });
    const scan = recordImageScan(dependencies, SCOPE, 'app', DIGEST);
    expect(scan.findings.map((finding) => finding.name)).toEqual(['CVE-2', 'CVE-1', 'CVE-3']);
    expect(scan.findingSeverityCounts).toEqual({ CRITICAL: 1, LOW: 2 });
  });

  it('counts enhanced findings by severity when there are no basic ones', () => {
    supplied.set(DIGEST, { findings: [], enhancedFindings: [{ severity: 'HIGH' }, { severity: 'HIGH' }] });
    expect(recordImageScan(dependencies, SCOPE, 'app', DIGEST).findingSeverityCounts).toEqual({ HIGH: 2 });
  });

  it('keeps scans apart by scope and repository', () => {
    recordImageScan(dependencies, SCOPE, 'app', DIGEST);
    expect(imageScanOf(dependencies.documents, SCOPE, 'other', DIGEST)).toBeUndefined();
    expect(imageScanOf(dependencies.documents, { ...SCOPE, region: 'us-east-1' }, 'app', DIGEST)).toBeUndefined();
  });

  it('forgets a scan when asked', () => {
    recordImageScan(dependencies, SCOPE, 'app', DIGEST);
    forgetImageScan(dependencies.documents, SCOPE, 'app', DIGEST);
    expect(imageScanOf(dependencies.documents, SCOPE, 'app', DIGEST)).toBeUndefined();
  });
});

describe('imageScanSummary', () => {
  it('is undefined for an image never scanned', () => {
    expect(imageScanSummary(dependencies.documents, SCOPE, 'app', DIGEST)).toBeUndefined();
  });

  it('reports a scanned image COMPLETE with its completion time and counts', () => {
    supplied.set(DIGEST, { findings: [{ name: 'CVE-1', severity: 'MEDIUM' }] });
    recordImageScan(dependencies, SCOPE, 'app', DIGEST);
    expect(imageScanSummary(dependencies.documents, SCOPE, 'app', DIGEST)).toEqual({
      imageScanStatus: { status: 'COMPLETE', description: 'The scan was completed successfully.' },
      imageScanFindingsSummary: { imageScanCompletedAt: START, vulnerabilitySourceUpdatedAt: new Date('2025-06-01T00:00:00Z'), findingSeverityCounts: { MEDIUM: 1 } },
    });
  });
});

describe('startImageScan', () => {
  it.each([
    ['an OCI image index', 'application/vnd.oci.image.index.v1+json'],
    ['a Docker manifest list', 'application/vnd.docker.distribution.manifest.list.v2+json'],
  ])('refuses %s with UnsupportedMediaType', (_name, mediaType) => {
    expect(kindOf(() => startImageScan(dependencies, SCOPE, 'app', image({ mediaType })))).toBe('UnsupportedMediaType');
  });

  it('refuses an archived image with ImageArchived', () => {
    expect(kindOf(() => startImageScan(dependencies, SCOPE, 'app', image({ storageClass: 'ARCHIVE' })))).toBe('ImageArchived');
  });

  it('refuses a scan within 24 hours of the last with LimitExceeded, and allows one at 24 hours', () => {
    startImageScan(dependencies, SCOPE, 'app', image());
    now = new Date(START.getTime() + 24 * HOUR_MS - 1);
    expect(kindOf(() => startImageScan(dependencies, SCOPE, 'app', image()))).toBe('LimitExceeded');
    now = new Date(START.getTime() + 24 * HOUR_MS);
    expect(startImageScan(dependencies, SCOPE, 'app', image()).completedAt).toEqual(now);
  });
});
