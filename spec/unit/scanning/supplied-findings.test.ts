// Supplied findings: validation of one digest's entry, the fixture file read at each lookup, and admin-supplied
// findings taking precedence over the file.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DomainError } from '../../../src/images/domain-error';
import { registryDocuments, type RegistryDocuments } from '../../../src/images/registry-documents';
import { createScanFindingsSource, parseSuppliedFindings, putSuppliedFindings } from '../../../src/scanning/supplied-findings';
import { openDatabase } from '../../../src/store/sqlite/database';
import { createSqliteRegistryDocumentStore } from '../../../src/store/sqlite/sqlite-registry-document-store';

const DIGEST = `sha256:${'cd'.repeat(32)}`;

let directory: string;
let documents: RegistryDocuments;

beforeEach(() => {
  directory = mkdtempSync(path.join(tmpdir(), 'supplied-findings-'));
  documents = registryDocuments(createSqliteRegistryDocumentStore(openDatabase(':memory:')));
});
afterEach(() => {
  rmSync(directory, { recursive: true, force: true });
});

function failureOf(run: () => unknown): string {
  try {
    run();
  } catch (error) {
    if (error instanceof DomainError && error.kind === 'InvalidParameter') return error.message;
    throw error;
  }
  throw new Error('accepted');
}

function fixture(document: unknown): string {
  const file = path.join(directory, 'findings.json');
  writeFileSync(file, JSON.stringify(document));
  return file;
}

describe('parseSuppliedFindings', () => {
  it('keeps the modelled members of each finding', () => {
    const finding = { name: 'CVE-1', description: 'd', uri: 'https://example.com', severity: 'HIGH', attributes: [{ key: 'package_name', value: 'p' }, { key: 'flag' }] };
    expect(parseSuppliedFindings({ findings: [finding] })).toEqual({ findings: [finding] });
  });

  it('keeps enhanced findings as given', () => {
    expect(parseSuppliedFindings({ findings: [], enhancedFindings: [{ title: 't' }] })).toEqual({ findings: [], enhancedFindings: [{ title: 't' }] });
  });

  it.each([
    ['a body that is not an object', [], 'body must be an object with a findings array'],
    ['a body without findings', {}, 'body.findings must be an array'],
    ['a finding that is not an object', { findings: ['CVE-1'] }, 'body.findings[0] must be an object'],
    ['an unknown member', { findings: [{ name: 'CVE-1', score: 9 }] }, 'body.findings[0] has members an ImageScanFinding does not have: score'],
    ['an unknown severity', { findings: [{ severity: 'SEVERE' }] }, 'body.findings[0].severity must be one of INFORMATIONAL, LOW, MEDIUM, HIGH, CRITICAL, UNDEFINED'],
    ['a name that is not a string', { findings: [{ name: 7 }] }, 'body.findings[0].name must be a string'],
    ['an attribute without a key', { findings: [{ attributes: [{ value: 'v' }] }] }, 'body.findings[0].attributes[0] must be an object with a string key'],
    ['enhanced findings that are not objects', { findings: [], enhancedFindings: [1] }, 'body.enhancedFindings must be an array of objects'],
  ])('refuses %s', (_name, value, message) => {
    expect(failureOf(() => parseSuppliedFindings(value))).toBe(message);
  });
});

describe('createScanFindingsSource', () => {
  it('finds nothing without a fixture file or admin-supplied findings', () => {
    expect(createScanFindingsSource({ documents, fixturePath: () => undefined }).findingsFor(DIGEST)).toBeUndefined();
  });

  it('reads the fixture file at each lookup, so later changes count', () => {
    const file = fixture({});
    const source = createScanFindingsSource({ documents, fixturePath: () => file });
    expect(source.findingsFor(DIGEST)).toBeUndefined();
    fixture({ [DIGEST]: { findings: [{ name: 'CVE-1', severity: 'LOW' }] } });
    expect(source.findingsFor(DIGEST)).toEqual({ findings: [{ name: 'CVE-1', severity: 'LOW' }] });
  });

  it('names the file and the digest when an entry is malformed', () => {
    const file = fixture({ [DIGEST]: { findings: 'none' } });
    expect(failureOf(() => createScanFindingsSource({ documents, fixturePath: () => file }).findingsFor(DIGEST))).toBe(`${file}["${DIGEST}"].findings must be an array`);
  });

  it('names the file when it cannot be read', () => {
    const file = path.join(directory, 'missing.json');
    expect(failureOf(() => createScanFindingsSource({ documents, fixturePath: () => file }).findingsFor(DIGEST))).toContain(`ECR_EMULATOR_SCAN_FINDINGS names '${file}'`);
  });

  it('prefers admin-supplied findings to the file', () => {
    const file = fixture({ [DIGEST]: { findings: [{ name: 'from-file' }] } });
    putSuppliedFindings(documents, DIGEST, { findings: [{ name: 'from-admin' }] });
    expect(createScanFindingsSource({ documents, fixturePath: () => file }).findingsFor(DIGEST)).toEqual({ findings: [{ name: 'from-admin' }] });
  });

  it('refuses admin-supplied findings for something that is not a sha256 digest', () => {
    expect(failureOf(() => putSuppliedFindings(documents, 'latest', { findings: [] }))).toBe("'latest' is not an image digest (sha256:<64 hex digits>)");
  });
});
