// Simulated basic-scan findings: a small built-in catalogue of real, well-known OS package vulnerabilities, and a
// choice among them seeded by the image digest, so one digest always gets the same findings. Nothing is inspected.
import { createHash } from 'node:crypto';
import type { FindingSeverity, ImageScanFinding } from '../aws/ecr-types.generated';

/** When the built-in catalogue was last brought up to date: every simulated scan reports it. */
export const CATALOGUE_UPDATED_AT = new Date('2025-06-01T00:00:00Z');

interface CatalogueEntry {
  name: string;
  description: string;
  severity: FindingSeverity;
  packageName: string;
  packageVersion: string;
  cvss2Score: string;
}

// Basic scanning names CVEs, links their record, and reports the package, its version and the CVSS v2 score as
// attributes (user guide, "Scan images for OS vulnerabilities in Amazon ECR").
const CATALOGUE: readonly CatalogueEntry[] = [
  {
    name: 'CVE-2022-37434',
    description: 'zlib through 1.2.12 has a heap-based buffer over-read or buffer overflow in inflate in inflate.c via a large gzip header extra field.',
    severity: 'CRITICAL',
    packageName: 'zlib',
    packageVersion: '1:1.2.11.dfsg-2',
    cvss2Score: '7.5',
  },
  {
    name: 'CVE-2019-12900',
    description: 'BZ2_decompress in decompress.c in bzip2 through 1.0.6 has an out-of-bounds write when there are many selectors.',
    severity: 'CRITICAL',
    packageName: 'bzip2',
    packageVersion: '1.0.6-9',
    cvss2Score: '7.5',
  },
  {
    name: 'CVE-2022-0778',
    description: 'The BN_mod_sqrt() function of OpenSSL, which computes a modular square root, can loop forever for non-prime moduli, for example while parsing certificates.',
    severity: 'HIGH',
    packageName: 'openssl',
    packageVersion: '1.1.1k-1',
    cvss2Score: '5.0',
  },
  {
    name: 'CVE-2023-4911',
    description: "A buffer overflow in the GNU C Library's dynamic loader ld.so while processing the GLIBC_TUNABLES environment variable may let a local attacker gain elevated privileges.",
    severity: 'HIGH',
    packageName: 'glibc',
    packageVersion: '2.36-9',
    cvss2Score: '7.2',
  },
  {
    name: 'CVE-2022-1304',
    description: 'An out-of-bounds read/write in e2fsprogs 1.46.5 leads to a segmentation fault and possibly arbitrary code execution via a specially crafted filesystem.',
    severity: 'HIGH',
    packageName: 'e2fsprogs',
    packageVersion: '1.46.2-2',
    cvss2Score: '6.8',
  },
  {
    name: 'CVE-2021-33560',
    description: 'Libgcrypt before 1.8.8 and 1.9.x before 1.9.3 mishandles ElGamal encryption because it lacks exponent blinding against a side-channel attack on mpi_powm.',
    severity: 'MEDIUM',
    packageName: 'libgcrypt20',
    packageVersion: '1.8.7-6',
    cvss2Score: '5.0',
  },
  {
    name: 'CVE-2022-3715',
    description: 'A heap-buffer overflow can occur in the bash package in valid parameter_transform.',
    severity: 'MEDIUM',
    packageName: 'bash',
    packageVersion: '5.1-2',
    cvss2Score: '4.6',
  },
  {
    name: 'CVE-2020-28928',
    description: 'In musl libc through 1.2.1, wcsnrtombs mishandles particular combinations of destination buffer size and source character limit.',
    severity: 'LOW',
    packageName: 'musl',
    packageVersion: '1.1.24-r9',
    cvss2Score: '2.1',
  },
  {
    name: 'CVE-2023-29383',
    description: 'In Shadow 4.13, control characters can be injected into fields provided to the SUID program chfn.',
    severity: 'LOW',
    packageName: 'shadow',
    packageVersion: '1:4.8.1-1',
    cvss2Score: '2.1',
  },
  {
    name: 'CVE-2011-3374',
    description: 'apt-key in apt does not correctly validate gpg keys with the master keyring, leading to a potential man-in-the-middle attack.',
    severity: 'INFORMATIONAL',
    packageName: 'apt',
    packageVersion: '2.2.4',
    cvss2Score: '4.3',
  },
  {
    name: 'CVE-2005-2541',
    description: 'Tar 1.15.1 does not properly warn the user when extracting setuid or setgid files, which may allow local users or remote attackers to gain privileges.',
    severity: 'INFORMATIONAL',
    packageName: 'tar',
    packageVersion: '1.34+dfsg-1',
    cvss2Score: '10.0',
  },
];

/** ECR lists the most severe findings first. */
const SEVERITY_ORDER: readonly FindingSeverity[] = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL', 'UNDEFINED'];

/** At most this many findings per image, so the simulated lists stay readable. */
const MAX_FINDINGS = 6;

function findingOf(entry: CatalogueEntry): ImageScanFinding {
  return {
    name: entry.name,
    description: entry.description,
    uri: `https://nvd.nist.gov/vuln/detail/${entry.name}`,
    severity: entry.severity,
    attributes: [
      { key: 'package_version', value: entry.packageVersion },
      { key: 'package_name', value: entry.packageName },
      { key: 'CVSS2_SCORE', value: entry.cvss2Score },
    ],
  };
}

export function bySeverity(left: ImageScanFinding, right: ImageScanFinding): number {
  const rank = (finding: ImageScanFinding): number => SEVERITY_ORDER.indexOf(finding.severity ?? 'UNDEFINED');
  return rank(left) - rank(right) || (left.name ?? '').localeCompare(right.name ?? '');
}

/**
 * The simulated findings of an image: zero to six distinct catalogue entries chosen by the bytes of the digest's
 * sha256 (the first byte decides how many, the next ones draw without replacement), most severe first.
 */
export function simulatedFindings(digest: string): ImageScanFinding[] {
  // Hashing the digest text gives 32 well-mixed bytes whatever the digest looks like.
  const seed = createHash('sha256').update(digest).digest();
  const count = seed[0]! % (MAX_FINDINGS + 1);
  const remaining = [...CATALOGUE];
  const chosen: CatalogueEntry[] = [];
  for (let index = 0; index < count; index += 1) {
    const [entry] = remaining.splice(seed[index + 1]! % remaining.length, 1);
    chosen.push(entry!);
  }
  return chosen.map(findingOf).sort(bySeverity);
}
