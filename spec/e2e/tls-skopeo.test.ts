// skopeo against the emulator's HTTPS port (--tls-cert / --tls-key) with a self-signed certificate made in the
// test: trusted through a cert dir, the push and inspect work with verification on; without it skopeo refuses.
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CreateRepositoryCommand, ECRClient, GetAuthorizationTokenCommand } from '@aws-sdk/client-ecr';
import { startEmulator, type RunningEmulator } from '../../src/index';
import { runOrThrow, runProcess } from '../helpers/run-process';
import { makeSelfSignedCertificate, type SelfSignedCertificate } from '../helpers/self-signed-certificate';

const sha256 = (bytes: Buffer): string => `sha256:${createHash('sha256').update(bytes).digest('hex')}`;

/** A one-layer OCI image layout written by hand, so the test needs no image tooling besides skopeo. */
function writeOciLayout(directory: string): { manifestDigest: string } {
  const blobs = path.join(directory, 'blobs', 'sha256');
  mkdirSync(blobs, { recursive: true });
  const put = (bytes: Buffer): string => {
    const digest = sha256(bytes);
    writeFileSync(path.join(blobs, digest.slice('sha256:'.length)), bytes);
    return digest;
  };
  // Already compressed: skopeo would compress an uncompressed layer on push and so change the manifest.
  const layer = gzipSync(Buffer.from('tls layer bytes'));
  const config = Buffer.from(JSON.stringify({ architecture: 'amd64', os: 'linux', rootfs: { type: 'layers', diff_ids: [sha256(layer)] } }));
  const manifest = Buffer.from(JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: put(config), size: config.length },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: put(layer), size: layer.length }],
  }));
  const manifestDigest = put(manifest);
  writeFileSync(path.join(directory, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
  writeFileSync(path.join(directory, 'index.json'), JSON.stringify({
    schemaVersion: 2,
    manifests: [{ mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: manifestDigest, size: manifest.length, annotations: { 'org.opencontainers.image.ref.name': 'latest' } }],
  }));
  return { manifestDigest };
}

let certificate: SelfSignedCertificate;
let emulator: RunningEmulator;
let work: string;
let certDir: string;
let credentials: string;

beforeAll(async () => {
  certificate = makeSelfSignedCertificate();
  emulator = await startEmulator({ host: '127.0.0.1', port: 0, memory: true, logLevel: 'silent', tlsCert: certificate.certPath, tlsKey: certificate.keyPath });
  work = mkdtempSync(path.join(tmpdir(), 'ecr-tls-skopeo-'));
  certDir = path.join(work, 'certs');
  mkdirSync(certDir);
  // containers/image reads *.crt in a cert dir as extra CA roots.
  copyFileSync(certificate.certPath, path.join(certDir, 'ca.crt'));
  const client = new ECRClient({
    endpoint: emulator.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    requestHandler: { httpsAgent: new https.Agent({ ca: certificate.certificate }) },
  });
  await client.send(new CreateRepositoryCommand({ repositoryName: 'tls/app' }));
  const { authorizationData } = await client.send(new GetAuthorizationTokenCommand({}));
  credentials = Buffer.from(authorizationData![0]!.authorizationToken!, 'base64').toString();
});

afterAll(async () => {
  await emulator.stop();
  certificate.remove();
  rmSync(work, { recursive: true, force: true });
});

describe('skopeo over HTTPS with a self-signed certificate', () => {
  it('pushes to and inspects the repositoryUri with TLS verification on, digests unchanged', async () => {
    const layout = path.join(work, 'layout');
    const { manifestDigest } = writeOciLayout(layout);
    const target = `docker://${emulator.registryHost}/tls/app:v1`;
    await runOrThrow('skopeo', ['copy', '--dest-cert-dir', certDir, '--dest-creds', credentials, `oci:${layout}:latest`, target], { timeoutMs: 120_000 });
    const inspected = await runOrThrow('skopeo', ['inspect', '--raw', '--cert-dir', certDir, '--creds', credentials, target]);
    expect(sha256(Buffer.from(inspected.stdout))).toBe(manifestDigest);
  });

  it('refuses the registry when the certificate is not trusted', async () => {
    const result = await runProcess('skopeo', ['inspect', '--raw', '--creds', credentials, `docker://${emulator.registryHost}/tls/app:v1`], { timeoutMs: 120_000 });
    expect(result.exitCode).not.toBe(0);
    expect(result.stderr).toMatch(/certificate|x509/i);
  });
});
