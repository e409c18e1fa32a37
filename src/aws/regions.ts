// The regions of the AWS partitions, from the partitions data botocore ships (vendored in model/ like the service
// model). A credential scoped to anything else is refused as AWS refuses it, rather than creating state under a
// region that does not exist (`mars-1`, `US-EAST-1`).
import rawPartitions from './model/partitions.json';

interface PartitionsData {
  partitions: { id: string; regions: Record<string, unknown> }[];
}

// `aws-global` and its kin are endpoint names, not regions a credential is scoped to.
const REGIONS: ReadonlySet<string> = new Set(
  (rawPartitions as PartitionsData).partitions.flatMap((partition) => Object.keys(partition.regions)).filter((name) => !name.endsWith('-global')),
);

export function isKnownRegion(name: string): boolean {
  return REGIONS.has(name);
}

/** AWS's words for a credential scoped to another region (JSON services answer InvalidSignatureException with them). */
export function invalidRegionMessage(region: string): string {
  return `Credential should be scoped to a valid region, not '${region}'.`;
}

export function knownRegions(): string[] {
  return [...REGIONS].sort();
}
