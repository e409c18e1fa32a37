// Findings a user supplies for an image digest, in place of the simulated ones: from the JSON file named by
// ECR_EMULATOR_SCAN_FINDINGS (read at scan time) or from PUT /_emulator/scan-findings/<digest> (kept in the
// document store). Validates what it is given; it never scans.
import { readFileSync } from 'node:fs';
import type { FindingSeverity, ImageScanFinding } from '../aws/ecr-types.generated';
import { DomainError } from '../images/domain-error';
import type { RegistryDocuments, SuppliedFindings } from '../images/registry-documents';
import type { Scope } from '../kernel/scope';

/** The variable naming the findings fixture: `{ "<digest>": { "findings": [...], "enhancedFindings"?: [...] } }`. */
export const SCAN_FINDINGS_FILE_VARIABLE = 'ECR_EMULATOR_SCAN_FINDINGS';

/** Where the findings for one digest come from, when a user supplied them. */
export interface ScanFindingsSource {
  /** Throws DomainError InvalidParameter when the fixture file cannot be read or is malformed. */
  findingsFor(digest: string): SuppliedFindings | undefined;
}

// Supplied findings belong to no account: one image digest has the same findings wherever it is pushed.
const SUPPLIED_SCOPE: Scope = { accountId: 'emulator', region: 'global' };

// The registry stores sha256 manifests only, so only a sha256 digest can name an image.
const SHA256_DIGEST = /^sha256:[a-f0-9]{64}$/;
const SEVERITIES: readonly FindingSeverity[] = ['INFORMATIONAL', 'LOW', 'MEDIUM', 'HIGH', 'CRITICAL', 'UNDEFINED'];
const FINDING_MEMBERS = ['name', 'description', 'uri', 'severity', 'attributes'];

function fail(message: string): never {
  throw new DomainError('InvalidParameter', message);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function optionalString(object: Record<string, unknown>, member: string, where: string): string | undefined {
  const value = object[member];
  if (value !== undefined && typeof value !== 'string') fail(`${where}.${member} must be a string`);
  return value;
}

function parseFinding(value: unknown, where: string): ImageScanFinding {
  if (!isObject(value)) fail(`${where} must be an object`);
  const unknown = Object.keys(value).filter((member) => !FINDING_MEMBERS.includes(member));
  if (unknown.length > 0) fail(`${where} has members an ImageScanFinding does not have: ${unknown.join(', ')}`);
  const severity = optionalString(value, 'severity', where);
  if (severity !== undefined && !(SEVERITIES as readonly string[]).includes(severity)) fail(`${where}.severity must be one of ${SEVERITIES.join(', ')}`);
  const attributes = value.attributes;
  if (attributes !== undefined && !Array.isArray(attributes)) fail(`${where}.attributes must be an array`);
  const name = optionalString(value, 'name', where);
  const description = optionalString(value, 'description', where);
  const uri = optionalString(value, 'uri', where);
  return {
    ...(name !== undefined ? { name } : {}),
    ...(description !== undefined ? { description } : {}),
    ...(uri !== undefined ? { uri } : {}),
    ...(severity !== undefined ? { severity: severity as FindingSeverity } : {}),
    ...(attributes !== undefined
      ? {
          attributes: attributes.map((attribute: unknown, index) => {
            const at = `${where}.attributes[${index}]`;
            if (!isObject(attribute) || typeof attribute.key !== 'string') fail(`${at} must be an object with a string key`);
            const attributeValue = optionalString(attribute, 'value', at);
            return { key: attribute.key, ...(attributeValue !== undefined ? { value: attributeValue } : {}) };
          }),
        }
      : {}),
  };
}

/** Checks one digest's entry. Throws DomainError InvalidParameter naming what is wrong and where. */
export function parseSuppliedFindings(value: unknown, where = 'body'): SuppliedFindings {
  if (!isObject(value)) fail(`${where} must be an object with a findings array`);
  if (!Array.isArray(value.findings)) fail(`${where}.findings must be an array`);
  const findings = value.findings.map((finding: unknown, index) => parseFinding(finding, `${where}.findings[${index}]`));
  const enhanced = value.enhancedFindings;
  if (enhanced === undefined) return { findings };
  if (!Array.isArray(enhanced) || !enhanced.every(isObject)) fail(`${where}.enhancedFindings must be an array of objects`);
  return { findings, enhancedFindings: enhanced };
}

/** Reads the fixture file; a file that cannot be read or parsed is InvalidParameter, naming the file. */
function readFixture(path: string): Record<string, unknown> {
  let document: unknown;
  try {
    document = JSON.parse(readFileSync(path, 'utf8'));
  } catch (error) {
    fail(`${SCAN_FINDINGS_FILE_VARIABLE} names '${path}', which is not a readable JSON file: ${(error as Error).message}`);
  }
  if (!isObject(document)) fail(`${SCAN_FINDINGS_FILE_VARIABLE} file '${path}' must hold an object keyed by image digest`);
  return document;
}

/** Stores the findings an admin call supplies for `digest`; they replace any supplied before. */
export function putSuppliedFindings(documents: RegistryDocuments, digest: string, findings: SuppliedFindings): void {
  if (!SHA256_DIGEST.test(digest)) fail(`'${digest}' is not an image digest (sha256:<64 hex digits>)`);
  documents.put('supplied-scan-findings', SUPPLIED_SCOPE, digest, findings);
}

/**
 * Supplied findings, admin-supplied first, then the fixture file. `fixturePath` is asked at each lookup, so a file
 * written (or a variable set) after start-up counts for the next scan.
 */
export function createScanFindingsSource(options: { documents: RegistryDocuments; fixturePath: () => string | undefined }): ScanFindingsSource {
  return {
    findingsFor(digest) {
      const stored = options.documents.get('supplied-scan-findings', SUPPLIED_SCOPE, digest);
      if (stored !== undefined) return stored;
      const path = options.fixturePath();
      if (path === undefined || path === '') return undefined;
      const entry = readFixture(path)[digest];
      return entry === undefined ? undefined : parseSuppliedFindings(entry, `${path}["${digest}"]`);
    },
  };
}
