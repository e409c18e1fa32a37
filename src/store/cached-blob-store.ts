// A BlobStore that keeps hot blobs in memory over another one (the disk store): CI pulls the same layers again and
// again, and what it just pushed, and memory serves them about four times faster than the disk path. It decides nothing about access: the
// caller checks the repository's link before every read (blob-service.ts), so a cached blob is never served once
// unlinked. Blobs are content-addressed, so an entry never goes stale; deleteBlob and clear drop entries anyway.
import { Readable, Transform } from 'node:stream';
import { createByteLruCache } from '../kernel/byte-lru-cache';
import type { Sha256Digest } from '../kernel/digest';
import type { BlobStore, ByteRange } from './blob-store';

/**
 * A cached blob: the chunks the disk read produced, kept as they came (no concatenation, no copy). The disk stream
 * allocates each chunk for itself (not from a shared pool), so their lengths are the memory they hold.
 */
interface CachedBlob {
  chunks: readonly Buffer[];
  sizeInBytes: number;
}

/** A first whole read of a blob, whose chunks are collected on the way to the caller. */
interface Fill {
  chunks: Buffer[];
  sizeInBytes: number;
  /** The size the caller gave, reserved against the capacity until the fill ends. */
  expectedBytes: number;
  isAbandoned: boolean;
}

/** The bytes an upload has streamed so far, from offset 0 in order, to enter the cache when the upload commits. */
interface Capture {
  chunks: Buffer[];
  sizeInBytes: number;
  isAbandoned: boolean;
}

/**
 * The chunk as kept: a small view of a large socket buffer would hold the whole buffer, so such views are copied;
 * the chunks of a large upload are whole reads and are kept as they are.
 */
function keepable(chunk: Buffer): Buffer {
  return chunk.buffer.byteLength > 2 * chunk.length ? Buffer.from(chunk) : chunk;
}

/** The slices of `blob` inside the inclusive `range` (all of it without one), as views of the cached chunks. */
function* slicesOf(blob: CachedBlob, range: ByteRange | undefined): Generator<Buffer> {
  const start = range?.start ?? 0;
  const end = range === undefined ? blob.sizeInBytes - 1 : range.end;
  let offset = 0;
  for (const chunk of blob.chunks) {
    const chunkEnd = offset + chunk.length - 1;
    if (chunkEnd >= start && offset <= end) yield chunk.subarray(Math.max(start - offset, 0), Math.min(end - offset, chunk.length - 1) + 1);
    offset += chunk.length;
    if (offset > end) return;
  }
}

/**
 * Wraps `inner`. A whole read of an uncached blob whose size the caller gives is teed into the cache as it streams
 * (one disk read, no second pass) when it fits; any other read streams from `inner` untouched, since even a tee that
 * keeps nothing slows a large download (its buffers churn the heap). Fills in flight reserve their blob's size and
 * together hold at most the capacity, besides the cache itself.
 */
export function createCachedBlobStore(inner: BlobStore, capacityInBytes: number): BlobStore {
  const cache = createByteLruCache<CachedBlob>(capacityInBytes);
  const fills = new Map<Sha256Digest, Fill>();
  let reservedBytes = 0;

  function endFill(digest: Sha256Digest, fill: Fill): void {
    if (fills.get(digest) === fill) fills.delete(digest);
    if (!fill.isAbandoned) reservedBytes -= fill.expectedBytes;
    fill.isAbandoned = true;
    fill.chunks = [];
  }

  function teeIntoCache(digest: Sha256Digest, source: Readable, expectedBytes: number): Readable {
    const fill: Fill = { chunks: [], sizeInBytes: 0, expectedBytes, isAbandoned: false };
    fills.set(digest, fill);
    reservedBytes += expectedBytes;
    const tee = new Transform({
      // Buffers one disk read each side, as the disk stream does, so the tee does not add a round of small reads.
      highWaterMark: source.readableHighWaterMark,
      transform(chunk: Buffer, _encoding, done) {
        if (!fill.isAbandoned) {
          fill.chunks.push(chunk);
          fill.sizeInBytes += chunk.length;
          // A size that disagrees with the bytes means a wrong hint: keep nothing rather than exceed the reservation.
          if (fill.sizeInBytes > expectedBytes) endFill(digest, fill);
        }
        done(null, chunk);
      },
      flush(done) {
        if (!fill.isAbandoned && fill.sizeInBytes === expectedBytes) cache.set(digest, { chunks: fill.chunks, sizeInBytes: expectedBytes }, expectedBytes);
        endFill(digest, fill);
        done();
      },
    });
    // A reader that goes away mid-blob leaves a partial fill (dropped) and an open file (closed); a disk error
    // travels to the reader of `tee`.
    tee.once('close', () => {
      endFill(digest, fill);
      source.destroy();
    });
    source.once('error', (error) => tee.destroy(error));
    return source.pipe(tee);
  }

  // Uploads being captured. Their bytes are reserved against the capacity as they arrive, like fills.
  const captures = new Map<string, Capture>();

  function abandonCapture(uploadId: string): void {
    const capture = captures.get(uploadId);
    if (capture === undefined) return;
    captures.delete(uploadId);
    if (!capture.isAbandoned) reservedBytes -= capture.sizeInBytes;
    capture.isAbandoned = true;
    capture.chunks = [];
  }

  /** The capture an append at `offset` continues: a new one at 0, the upload's own when it stopped there; else none. */
  function captureFor(uploadId: string, offset: number): Capture | undefined {
    const existing = captures.get(uploadId);
    if (existing !== undefined && existing.sizeInBytes === offset) return existing;
    abandonCapture(uploadId);
    if (offset !== 0) return undefined;
    const capture: Capture = { chunks: [], sizeInBytes: 0, isAbandoned: false };
    captures.set(uploadId, capture);
    return capture;
  }

  function tap(uploadId: string, capture: Capture, source: Readable): Readable {
    const recorder = new Transform({
      highWaterMark: source.readableHighWaterMark,
      transform(chunk: Buffer, _encoding, done) {
        if (!capture.isAbandoned) {
          if (capture.sizeInBytes + chunk.length > cache.maxEntryBytes || reservedBytes + chunk.length > capacityInBytes) abandonCapture(uploadId);
          else {
            capture.chunks.push(keepable(chunk));
            capture.sizeInBytes += chunk.length;
            reservedBytes += chunk.length;
          }
        }
        done(null, chunk);
      },
    });
    source.once('error', (error) => recorder.destroy(error));
    return source.pipe(recorder);
  }

  function isWorthFilling(digest: Sha256Digest, range: ByteRange | undefined, sizeInBytes: number | undefined): sizeInBytes is number {
    // One fill per blob at a time: a second concurrent reader streams from disk rather than hold a second copy.
    return range === undefined && sizeInBytes !== undefined && sizeInBytes <= cache.maxEntryBytes && reservedBytes + sizeInBytes <= capacityInBytes && !fills.has(digest);
  }

  return {
    ...inner,
    // Pushes are captured as they stream to disk: a blob just pushed is often pulled next (the job after a build),
    // and then comes from memory without a first read from disk.
    async append(uploadId, offset, source) {
      const capture = captureFor(uploadId, offset);
      if (capture === undefined) return inner.append(uploadId, offset, source);
      try {
        const size = await inner.append(uploadId, offset, tap(uploadId, capture, source));
        if (capture.sizeInBytes !== size) abandonCapture(uploadId);
        return size;
      } catch (error) {
        // The upload is back at `offset`; what was captured past it is not its content.
        abandonCapture(uploadId);
        throw error;
      }
    },
    async commit(uploadId, sizeInBytes, expected) {
      const capture = captures.get(uploadId);
      try {
        await inner.commit(uploadId, sizeInBytes, expected);
      } catch (error) {
        abandonCapture(uploadId);
        throw error;
      }
      if (capture !== undefined && !capture.isAbandoned && capture.sizeInBytes === sizeInBytes && cache.get(expected) === undefined) {
        cache.set(expected, { chunks: capture.chunks, sizeInBytes }, sizeInBytes);
      }
      abandonCapture(uploadId);
    },
    async deleteUpload(uploadId) {
      abandonCapture(uploadId);
      await inner.deleteUpload(uploadId);
    },
    read(digest, range, sizeInBytes) {
      const cached = cache.get(digest);
      if (cached !== undefined) return Readable.from(slicesOf(cached, range), { objectMode: false });
      const source = inner.read(digest, range);
      return isWorthFilling(digest, range, sizeInBytes) ? teeIntoCache(digest, source, sizeInBytes) : source;
    },
    async deleteBlob(digest) {
      cache.delete(digest);
      const fill = fills.get(digest);
      if (fill !== undefined) endFill(digest, fill);
      await inner.deleteBlob(digest);
    },
    async clear() {
      cache.clear();
      for (const uploadId of [...captures.keys()]) abandonCapture(uploadId);
      for (const [digest, fill] of fills) endFill(digest, fill);
      await inner.clear();
    },
  };
}
