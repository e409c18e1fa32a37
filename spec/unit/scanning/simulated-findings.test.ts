// Simulated findings: the same digest always gets the same findings, drawn from the catalogue without repeats,
// most severe first, each in the shape basic scanning reports.
import { createHash } from 'node:crypto';
import { simulatedFindings } from '../../../src/scanning/simulated-findings';

const SEVERITY_RANK = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL', 'UNDEFINED'];
const DIGESTS = Array.from({ length: 64 }, (_, index) => `sha256:${createHash('sha256').update(`image ${index}`).digest('hex')}`);

describe('simulatedFindings', () => {
  it('gives one digest the same findings every time', () => {
    for (const digest of DIGESTS) expect(simulatedFindings(digest)).toEqual(simulatedFindings(digest));
  });

  it('gives different digests different findings', () => {
    const distinct = new Set(DIGESTS.map((digest) => JSON.stringify(simulatedFindings(digest))));
    expect(distinct.size).toBeGreaterThan(DIGESTS.length / 2);
  });

  it('lists zero to six distinct findings, and some digests get none', () => {
    const counts = DIGESTS.map((digest) => simulatedFindings(digest).length);
    expect(Math.min(...counts)).toBe(0);
    expect(Math.max(...counts)).toBeLessThanOrEqual(6);
    for (const digest of DIGESTS) {
      const names = simulatedFindings(digest).map((finding) => finding.name);
      expect(new Set(names).size).toBe(names.length);
    }
  });

  it('lists the most severe findings first', () => {
    for (const digest of DIGESTS) {
      const ranks = simulatedFindings(digest).map((finding) => SEVERITY_RANK.indexOf(finding.severity!));
      expect(ranks).toEqual([...ranks].sort((left, right) => left - right));
    }
  });

  it('names a CVE, links its record and reports the package, its version and the CVSS v2 score', () => {
    const finding = DIGESTS.flatMap(simulatedFindings)[0]!;
    expect(finding.name).toMatch(/^CVE-\d{4}-\d+$/);
    expect(finding.uri).toBe(`https://nvd.nist.gov/vuln/detail/${finding.name}`);
    expect(finding.attributes!.map((attribute) => attribute.key)).toEqual(['package_version', 'package_name', 'CVSS2_SCORE']);
  });
});
