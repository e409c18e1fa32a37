// How the console writes numbers, times and digests for people: sizes in 1024-based units (KiB, MiB), times as
// ISO-like local date and time, digests shortened. Pure functions; the full value always goes into a title.

const SIZE_UNITS = ['KiB', 'MiB', 'GiB', 'TiB'];

/** 1028219 -> '1004.1 KiB'; below 1 KiB in bytes. 1 KiB = 1024 bytes. */
export function formatBytes(sizeInBytes) {
  if (typeof sizeInBytes !== 'number' || !Number.isFinite(sizeInBytes)) return '—';
  if (sizeInBytes < 1024) return `${sizeInBytes} B`;
  let value = sizeInBytes;
  let unit = -1;
  while (value >= 1024 && unit < SIZE_UNITS.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(value >= 100 ? 0 : 1)} ${SIZE_UNITS[unit]}`;
}

/** The exact count, grouped: '1,028,219 bytes'. */
export function formatExactBytes(sizeInBytes) {
  return `${new Intl.NumberFormat('en').format(sizeInBytes)} bytes`;
}

const pad = (number) => String(number).padStart(2, '0');

/** An ISO timestamp as local 'YYYY-MM-DD HH:MM:SS'; '—' when absent. */
export function formatTime(iso) {
  if (typeof iso !== 'string' || iso === '') return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/** 'sha256:eb8fb769e29e' from a full digest: the algorithm and 12 hex digits, as docker prints image ids. */
export function shortDigest(digest) {
  const match = /^([a-z0-9]+):([a-f0-9]{12})[a-f0-9]*$/.exec(digest ?? '');
  return match === null ? String(digest ?? '') : `${match[1]}:${match[2]}`;
}

/** 0.4213 -> '42.1 %'; a share too small to show as 0.1 % is '< 0.1 %', not a misleading 0. */
export function formatShare(fraction) {
  if (fraction > 0 && fraction < 0.0005) return '< 0.1 %';
  return `${(fraction * 100).toFixed(1)} %`;
}

/** A JSON text pretty-printed; text that is not JSON comes back as it is. */
export function prettyJson(value) {
  if (typeof value !== 'string') return JSON.stringify(value, null, 2);
  try {
    return JSON.stringify(JSON.parse(value), null, 2);
  } catch {
    return value;
  }
}

/** 'application/vnd.oci.image.manifest.v1+json' -> 'OCI manifest', for a compact column; the full type goes in a title. */
export function mediaTypeLabel(mediaType) {
  const known = {
    'application/vnd.oci.image.manifest.v1+json': 'OCI manifest',
    'application/vnd.oci.image.index.v1+json': 'OCI index',
    'application/vnd.docker.distribution.manifest.v2+json': 'Docker v2 manifest',
    'application/vnd.docker.distribution.manifest.list.v2+json': 'Docker manifest list',
    'application/vnd.docker.distribution.manifest.v1+prettyjws': 'Docker v1 manifest',
    'application/vnd.oci.image.config.v1+json': 'OCI image config',
    'application/vnd.docker.container.image.v1+json': 'Docker image config',
    'application/vnd.oci.image.layer.v1.tar+gzip': 'OCI layer (gzip)',
    'application/vnd.oci.image.layer.v1.tar+zstd': 'OCI layer (zstd)',
    'application/vnd.oci.image.layer.v1.tar': 'OCI layer (tar)',
    'application/vnd.docker.image.rootfs.diff.tar.gzip': 'Docker layer (gzip)',
    'application/vnd.docker.image.rootfs.foreign.diff.tar.gzip': 'Docker foreign layer',
    'application/vnd.oci.empty.v1+json': 'OCI empty descriptor',
    'application/vnd.dev.cosign.artifact.sig.v1+json': 'Cosign signature',
    'application/vnd.dev.cosign.simplesigning.v1+json': 'Cosign simple signing',
    'application/vnd.cyclonedx+json': 'CycloneDX SBOM',
    'application/spdx+json': 'SPDX SBOM',
    'application/vnd.in-toto+json': 'in-toto attestation',
  };
  return known[mediaType] ?? mediaType ?? '—';
}

/** Severities as ECR orders them, most severe first. */
export const SEVERITIES = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFORMATIONAL', 'UNDEFINED'];
