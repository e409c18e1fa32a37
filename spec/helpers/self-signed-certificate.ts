// A throw-away TLS certificate for localhost and 127.0.0.1, made with openssl in a temporary directory, so HTTPS
// tests need no fixture that could expire. Clients trust it through `ca`, never by turning verification off.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

export interface SelfSignedCertificate {
  certPath: string;
  keyPath: string;
  /** The certificate in PEM, for `ca` of an https.Agent or NODE_EXTRA_CA_CERTS. */
  certificate: Buffer;
  remove(): void;
}

export function makeSelfSignedCertificate(): SelfSignedCertificate {
  const directory = mkdtempSync(path.join(tmpdir(), 'ecr-emulator-tls-'));
  const certPath = path.join(directory, 'cert.pem');
  const keyPath = path.join(directory, 'key.pem');
  execFileSync('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '2',
    '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1',
    '-keyout', keyPath, '-out', certPath,
  ], { stdio: 'pipe' });
  return { certPath, keyPath, certificate: readFileSync(certPath), remove: () => rmSync(directory, { recursive: true, force: true }) };
}
