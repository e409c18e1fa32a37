// Blobs a pull-through manifest names that the store does not hold yet: where each is fetched from, and the one
// download per blob that streams it to the client that asked while the upload service stores it (hashed, verified,
// linked). It decides nothing about rules or freshness; the pull-through cache says what is pending.
import { PassThrough, Readable, type Writable } from 'node:stream';
import type { Scope } from '../kernel/scope';
import { DomainError } from '../images/domain-error';
import type { RepositoryService } from '../images/repository-service';
import type { UploadService } from '../images/upload-service';
import type { BlobLinkStore } from '../store/blob-link-store';
import type { UpstreamClient, UpstreamTarget } from './upstream-client';

/** A blob as the manifest's descriptor announces it: what a HEAD answers without downloading. */
export interface PendingBlob {
  digest: string;
  sizeInBytes: number;
  mediaType: string;
}

/** The upstream a pending blob comes from. */
export interface PendingBlobSource {
  target: UpstreamTarget;
  upstreamRepository: string;
}

export interface BlobFetch {
  /**
   * The bytes as they arrive, for the caller that started the download when it asked for them; absent for a caller
   * that joined a running download. It holds back its last chunk until the blob is stored with a verified digest,
   * so a client never receives a whole blob that was not; on any failure it errors instead of ending.
   */
  stream?: Readable;
  /**
   * With `stream`: resolves once the upstream has answered with the blob, so the caller answers the client only then;
   * rejects as `stored` when the upstream refuses it.
   */
  started?: Promise<void>;
  /** Settles once the blob is stored and linked. Rejects with DigestInvalid, BlobUnknown (upstream failed), RepositoryNotFound. */
  stored: Promise<void>;
}

export interface PendingUpstreamBlobs {
  /** Remembers blobs of `repository` to fetch from `source` on first pull; a later call for a digest replaces its source. */
  expect(scope: Scope, repository: string, blobs: readonly PendingBlob[], source: PendingBlobSource): void;
  /** The pending blob, or undefined when it is not pending (never was, is linked now, or its repository is gone). */
  find(scope: Scope, repository: string, digest: string): PendingBlob | undefined;
  /**
   * Starts the download of a pending blob, or joins the one running: one download per blob goes into the store.
   * A failed download leaves the blob pending, so the next pull tries again. Throws BlobUnknown when not pending.
   */
  fetch(scope: Scope, repository: string, digest: string, options: { isStreamed: boolean }): BlobFetch;
}

export interface PendingUpstreamBlobsDependencies {
  repositories: RepositoryService;
  uploads: UploadService;
  links: BlobLinkStore;
  client: UpstreamClient;
}

interface PendingRecord {
  blob: PendingBlob;
  source: PendingBlobSource;
}

function blobUnknown(digest: string, reason: string): DomainError {
  return new DomainError('BlobUnknown', `blob unknown to registry: ${digest} (${reason})`, { digest });
}

/** Writes to the client unless it is gone; waits while it is full, so the upstream goes at the client's pace. */
async function offer(live: Writable, chunk: Buffer): Promise<void> {
  if (live.destroyed || live.write(chunk)) return;
  await new Promise<void>((resolve) => {
    const done = (): void => {
      live.off('drain', done);
      live.off('close', done);
      resolve();
    };
    live.on('drain', done);
    live.on('close', done);
  });
}

/** The upstream's bytes for the store, each but the last also written to the client; the last waits in `tail`. */
async function* forwarding(upstream: Readable, live: Writable, tail: { chunk?: Buffer }): AsyncGenerator<Buffer> {
  for await (const chunk of upstream) {
    if (tail.chunk !== undefined) await offer(live, tail.chunk);
    tail.chunk = chunk as Buffer;
    yield tail.chunk;
  }
}

export function createPendingUpstreamBlobs(dependencies: PendingUpstreamBlobsDependencies): PendingUpstreamBlobs {
  const { repositories, uploads, links, client } = dependencies;
  // In memory: after a restart the pull-through cache registers a cached image's missing blobs again on its next pull.
  const records = new Map<string, PendingRecord>();
  const downloads = new Map<string, Promise<void>>();
  const keyOf = (scope: Scope, repository: string, digest: string): string => `${scope.accountId}/${scope.region}/${repository}@${digest}`;

  async function download(scope: Scope, repository: string, record: PendingRecord, live: PassThrough | undefined, onStarted: () => void): Promise<void> {
    const { blob, source } = record;
    let upstream: Readable | undefined;
    const tail: { chunk?: Buffer } = {};
    try {
      upstream = (await client.getBlob(source.target, source.upstreamRepository, blob.digest)).body;
      onStarted();
      const body = live === undefined ? upstream : Readable.from(forwarding(upstream, live, tail));
      // The normal push path: hashed while written, temp file → fsync → rename, a mismatch discards the upload.
      await uploads.push(scope, repository, blob.digest, body);
    } catch (error) {
      const failure = error instanceof DomainError ? error : blobUnknown(blob.digest, `the upstream registry did not provide it: ${(error as Error).message}`);
      // Refused before any byte: the caller learns it from `started` and never reads the stream, so no error event.
      if (upstream === undefined) live?.destroy();
      else live?.destroy(failure);
      upstream?.destroy();
      throw failure;
    }
    // A client that left has no stream to end; the blob is stored all the same.
    if (live !== undefined && !live.destroyed) live.end(tail.chunk);
  }

  return {
    expect(scope, repository, blobs, source) {
      for (const blob of blobs) records.set(keyOf(scope, repository, blob.digest), { blob, source });
    },

    find(scope, repository, digest) {
      const key = keyOf(scope, repository, digest);
      const record = records.get(key);
      if (record === undefined) return undefined;
      if (repositories.find(scope, repository) === undefined || links.find(scope, repository, digest) !== undefined) {
        // Linked meanwhile (a push, a mount) or the repository was deleted: the record has served its purpose.
        records.delete(key);
        return undefined;
      }
      return record.blob;
    },

    fetch(scope, repository, digest, { isStreamed }) {
      const key = keyOf(scope, repository, digest);
      const running = downloads.get(key);
      // A second pull while the first downloads waits for the store rather than asking the upstream again.
      if (running !== undefined) return { stored: running };
      const record = records.get(key);
      if (record === undefined) throw blobUnknown(digest, 'no upstream blob is pending');
      const live = isStreamed ? new PassThrough() : undefined;
      let onStarted = (): void => undefined;
      const started = new Promise<void>((resolve) => (onStarted = resolve));
      const stored = download(scope, repository, record, live, onStarted).finally(() => downloads.delete(key));
      downloads.set(key, stored);
      stored.then(
        () => records.delete(key),
        // The caller that streams learns of a failure through its stream; the blob stays pending for a retry.
        () => undefined,
      );
      // Before the upstream answers, its refusal is the caller's to report; after, it reaches the caller as `stored`.
      const startedOrFailed = Promise.race([started, stored]);
      startedOrFailed.catch(() => undefined);
      return { ...(live !== undefined ? { stream: live, started: startedOrFailed } : {}), stored };
    },
  };
}
