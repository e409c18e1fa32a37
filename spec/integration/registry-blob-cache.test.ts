// The blob cache seen from the data plane: a blob pulled again, or just pushed, is served from memory with the same
// bytes, headers and ranges, and never once its repository no longer links it or after a reset.
import { mkdtempSync, rmSync, unlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateRepositoryCommand } from '@aws-sdk/client-ecr';
import { dataDirLayout } from '../../src/store/fs/layout';
import { errorsOf, sha256 } from '../helpers/registry-client';
import { useTestEmulator } from '../helpers/test-emulator';

const dataDir = mkdtempSync(join(tmpdir(), 'registry-blob-cache-'));
const env = useTestEmulator({ startOptions: { memory: false, dataDir, blobCacheBytes: 16 * 1024 * 1024 }, repositories: ['app'] });
afterAll(() => {
  rmSync(dataDir, { recursive: true, force: true });
});

const HEADERS = ['content-type', 'content-length', 'content-range', 'docker-content-digest', 'accept-ranges', 'etag', 'cache-control'];

async function pushBlob(content: string): Promise<string> {
  const digest = sha256(content);
  const response = await env.registry.fetch(`/v2/app/blobs/uploads/?digest=${digest}`, { method: 'POST', body: content });
  expect(response.status).toBe(201);
  return digest;
}

/** Status, the blob headers and the body of a GET, for comparing a disk answer with a cached one. */
async function get(digest: string, range?: string): Promise<{ status: number; headers: Record<string, string | null>; body: string }> {
  const response = await env.registry.fetch(`/v2/app/blobs/${digest}`, range === undefined ? {} : { headers: { range } });
  return { status: response.status, headers: Object.fromEntries(HEADERS.map((name) => [name, response.headers.get(name)])), body: await response.text() };
}

/** Removes the blob's file: an answer afterwards can only come from the cache. */
function removeFile(digest: string): void {
  unlinkSync(dataDirLayout(dataDir).blobPath(digest.slice('sha256:'.length)));
}

describe('blob cache', () => {
  it('serves a blob pulled again with the same bytes, headers and ranges as from disk', async () => {
    const content = 'cached layer '.repeat(1000);
    const digest = await pushBlob(content);
    const witness = await pushBlob('witness layer');
    // Pushes of more than the cache holds push the first ones out of it (least recently used): they are read from
    // disk, as the witness shows, whose file is gone.
    for (let index = 0; index < 5; index += 1) await pushBlob(`${index}`.repeat(4 * 1024 * 1024 - 1000));
    removeFile(witness);
    await expect(get(witness)).rejects.toThrow();
    const fromDisk = await get(digest);
    const rangeFromDisk = await get(digest, 'bytes=13-4099');
    removeFile(digest);
    expect(await get(digest)).toEqual(fromDisk);
    expect(fromDisk).toMatchObject({ status: 200, body: content });
    expect(await get(digest, 'bytes=13-4099')).toEqual(rangeFromDisk);
    expect(rangeFromDisk).toMatchObject({ status: 206, body: content.slice(13, 4100) });
  });

  it('answers BLOB_UNKNOWN for a cached blob once the repository unlinks it', async () => {
    const digest = await pushBlob('unlinked layer');
    await get(digest);
    expect((await env.registry.fetch(`/v2/app/blobs/${digest}`, { method: 'DELETE' })).status).toBe(202);
    const response = await env.registry.fetch(`/v2/app/blobs/${digest}`);
    expect(response.status).toBe(404);
    expect((await errorsOf(response))[0]!.code).toBe('BLOB_UNKNOWN');
  });

  it('serves nothing it cached before a reset, and a blob pushed again from memory as it was pushed', async () => {
    const digest = await pushBlob('reset layer');
    await get(digest);
    expect((await env.registry.fetch('/_emulator/reset', { method: 'POST' })).status).toBe(200);
    await env.ecr.send(new CreateRepositoryCommand({ repositoryName: 'app' }));
    expect((await env.registry.fetch(`/v2/app/blobs/${digest}`)).status).toBe(404);
    await pushBlob('reset layer');
    removeFile(digest);
    // The push streamed through the cache: the pull after it needs no disk.
    expect(await get(digest)).toMatchObject({ status: 200, body: 'reset layer' });
  });

  it('serves a blob from memory right after its push, before any pull', async () => {
    const content = 'pushed then pulled '.repeat(500);
    const digest = await pushBlob(content);
    removeFile(digest);
    expect(await get(digest)).toMatchObject({ status: 200, body: content });
  });
});
