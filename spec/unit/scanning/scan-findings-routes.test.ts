// PUT /_emulator/scan-findings/<digest> on its own express app: stores valid findings for the digest, refuses
// malformed bodies and digests with 400 and a message.
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import express from 'express';
import { registryDocuments, type RegistryDocuments } from '../../../src/images/registry-documents';
import { createScanFindingsSource } from '../../../src/scanning/supplied-findings';
import { scanFindingsRoutes } from '../../../src/server/scan-findings-routes';
import { openDatabase } from '../../../src/store/sqlite/database';
import { createSqliteRegistryDocumentStore } from '../../../src/store/sqlite/sqlite-registry-document-store';

const DIGEST = `sha256:${'ef'.repeat(32)}`;

let documents: RegistryDocuments;
let server: Server;
let base: string;

beforeEach(async () => {
  documents = registryDocuments(createSqliteRegistryDocumentStore(openDatabase(':memory:')));
  const app = express();
  app.use(scanFindingsRoutes({ documents, durable: () => undefined }));
  server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(async () => {
  await new Promise((resolve) => server.close(resolve));
});

function put(digest: string, body: unknown): Promise<Response> {
  return fetch(`${base}/_emulator/scan-findings/${digest}`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

describe('PUT /_emulator/scan-findings/<digest>', () => {
  it('stores the findings every later scan of the digest reports', async () => {
    const response = await put(DIGEST, { findings: [{ name: 'CVE-1', severity: 'HIGH' }] });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ digest: DIGEST, findings: 1, enhancedFindings: 0 });
    expect(createScanFindingsSource({ documents, fixturePath: () => undefined }).findingsFor(DIGEST)).toEqual({ findings: [{ name: 'CVE-1', severity: 'HIGH' }] });
  });

  it('refuses a malformed body with 400 and says what is wrong', async () => {
    const response = await put(DIGEST, { findings: [{ severity: 'SEVERE' }] });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toContain('body.findings[0].severity must be one of');
  });

  it('refuses a reference that is not a sha256 digest with 400', async () => {
    const response = await put('latest', { findings: [] });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ message: "'latest' is not an image digest (sha256:<64 hex digits>)" });
  });
});
