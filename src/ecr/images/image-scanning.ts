// Image scans through the control plane: StartImageScan and DescribeImageScanFindings. Scan state, findings and
// scan on push live in scanning/; this maps them to the wire.
import { AwsError } from '../../aws/aws-error';
import type { EnhancedImageScanFinding, ImageIdentifier, ImageScanFinding } from '../../aws/ecr-types.generated';
import { deserializeShape } from '../../aws/json-protocol';
import { COMPLETE_DESCRIPTION, imageScanOf, startImageScan } from '../../scanning/image-scans';
import type { Scope } from '../../kernel/scope';
import type { OperationHandlers } from '../ecr-context';
import { targetScope } from '../ecr-context';
import { imageIdOf, requireImage } from './image-ids';
import { pageOf, pageRequest } from '../pagination';

function scanNotFound(imageId: ImageIdentifier, repository: string, scope: Scope): AwsError {
  return new AwsError(
    'ScanNotFoundException',
    `Image scan does not exist for the image with '{imageDigest:'${imageId.imageDigest ?? 'null'}', imageTag:'${imageId.imageTag ?? 'null'}'}' in the repository with name '${repository}' in the registry with id '${scope.accountId}'`,
  );
}

type ListedFinding = { position: string } & ({ isEnhanced: false; finding: ImageScanFinding } | { isEnhanced: true; finding: Record<string, unknown> });

/** Basic findings, then enhanced ones, as one list the page runs over. */
function listedFindings(findings: readonly ImageScanFinding[], enhancedFindings: readonly Record<string, unknown>[]): ListedFinding[] {
  const position = (index: number): string => String(index).padStart(6, '0');
  return [
    ...findings.map((finding, index): ListedFinding => ({ position: position(index), isEnhanced: false, finding })),
    ...enhancedFindings.map((finding, index): ListedFinding => ({ position: position(findings.length + index), isEnhanced: true, finding })),
  ];
}

export const imageScanningHandlers: OperationHandlers = {
  StartImageScan(input, context) {
    const scope = targetScope(context, input.registryId);
    const repository = input.repositoryName;
    const { images, scans } = context.services;
    const digest = requireImage(images, scope, repository, input.imageId);
    startImageScan(scans, scope, repository, images.details(scope, repository, digest)!);
    // ECR answers before the scan runs; DescribeImageScanFindings reports it COMPLETE from the next call on.
    return {
      registryId: scope.accountId,
      repositoryName: repository,
      imageId: { ...imageIdOf(input.imageId), imageDigest: digest },
      imageScanStatus: { status: 'IN_PROGRESS' },
    };
  },

  DescribeImageScanFindings(input, context) {
    const scope = targetScope(context, input.registryId);
    const repository = input.repositoryName;
    const digest = requireImage(context.services.images, scope, repository, input.imageId);
    const scan = imageScanOf(context.services.documents, scope, repository, digest);
    if (scan === undefined) throw scanNotFound(input.imageId, repository, scope);
    const enhanced = scan.enhancedFindings ?? [];
    const { page, nextToken } = pageOf(pageRequest('DescribeImageScanFindings', input), listedFindings(scan.findings, enhanced), (item) => item.position);
    const findings = page.flatMap((item) => (item.isEnhanced ? [] : [item.finding]));
    // Supplied enhanced findings carry timestamps as epoch seconds or ISO text; the wire wants Dates.
    const enhancedFindings = page.flatMap((item) => (item.isEnhanced ? [deserializeShape('EnhancedImageScanFinding', item.finding) as EnhancedImageScanFinding] : []));
    return {
      registryId: scope.accountId,
      repositoryName: repository,
      imageId: { ...imageIdOf(input.imageId), imageDigest: digest },
      imageScanStatus: { status: 'COMPLETE', description: COMPLETE_DESCRIPTION },
      imageScanFindings: {
        imageScanCompletedAt: scan.completedAt,
        vulnerabilitySourceUpdatedAt: scan.vulnerabilitySourceUpdatedAt,
        findingSeverityCounts: scan.findingSeverityCounts,
        findings,
        ...(enhanced.length > 0 ? { enhancedFindings } : {}),
      },
      ...(nextToken !== undefined ? { nextToken } : {}),
    };
  },
};
