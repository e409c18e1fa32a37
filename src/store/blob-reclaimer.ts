// Online garbage collection of blob bytes. A blob whose last link goes is deleted right after: the link store
// records the digest in the transaction that removes the link, and a reclaim pass deletes the blob of each
// recorded digest no repository links any more, then forgets the record; a crash in between leaves the record for
// the next pass. A straggler pass finds blobs no link names and no record does (committed just before a crash cut
// the link). It decides nothing about repositories and never deletes a linked blob.
//
// Why no link ever names a missing blob: the blob's lock (blobLockKey) is held by the reclaimer from its link check
// to the delete, and by an upload from its commit to its link. The blob store keeps one copy of content committed
// twice, so without the lock an upload could find the bytes in place, link them, and lose them to a reclaim that
// had checked just before. Any other new link copies an existing one in a step with no await between finding it
// and linking (mount, replication), so it cannot appear while the reclaimer has seen none.
import type { BlobLinkStore } from './blob-link-store';
import type { BlobStore } from './blob-store';
import type { Sha256Digest } from '../kernel/digest';
import { blobLockKey, type KeyedLock } from '../kernel/keyed-lock';

/** Records read per query of a reclaim pass. */
const RECLAIM_BATCH_SIZE = 256;

export interface BlobReclaimer {
  /** Has a reclaim pass run soon (now, or after the pass under way); never rejects. Call it after removing links. */
  reclaimSoon(): void;
  /**
   * Runs a reclaim pass over every recorded digest (after the pass under way, or joining one not yet started);
   * resolves to how many blobs it deleted. A digest whose delete fails is reported and keeps its record.
   */
  reclaim(): Promise<number>;
  /**
   * The straggler pass: deletes every blob no repository links that was written before `writtenBefore` (the process
   * start: no blob of an upload of this process is touched), a batch of the blob store's at a time, letting other
   * work run between batches. Resolves to how many it deleted; stops early once closed.
   */
  sweepUnlinked(writtenBefore: Date): Promise<number>;
  /** Resolves once every pass started so far has ended. */
  idle(): Promise<void>;
  /** Stops a straggler pass at its next batch, then waits for the passes under way: the store can close after. */
  close(): Promise<void>;
}

export interface BlobReclaimerDependencies {
  links: BlobLinkStore;
  blobs: BlobStore;
  /** The process's lock table, shared with the upload service (it holds blobLockKey from commit to link). */
  locks: KeyedLock;
  /** Where a failed delete is reported; the pass goes on with the next digest. */
  onError: (error: unknown) => void;
}

const nextTurn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export function createBlobReclaimer(dependencies: BlobReclaimerDependencies): BlobReclaimer {
  const { links, blobs, locks, onError } = dependencies;
  let tail: Promise<unknown> = Promise.resolve();
  let queued: Promise<number> | undefined;
  const sweeps = new Set<Promise<number>>();
  let isClosed = false;

  /** Deletes the blob unless something links it, then forgets its record, both under the blob's lock; true when deleted. */
  function reclaimDigest(digest: Sha256Digest): Promise<boolean> {
    return locks.run(blobLockKey(digest), async () => {
      const isUnlinked = !links.isLinked(digest);
      if (isUnlinked) await blobs.deleteBlob(digest);
      // After the delete: a crash before this line leaves the record, and the next pass finds the blob gone. Still
      // under the lock, so no new link of the digest (and no new record of its removal) comes in between.
      links.forgetReclaim(digest);
      return isUnlinked;
    });
  }

  /** Deletes a blob that nothing links and that was written before `writtenBefore`, under its lock; true when deleted. */
  function sweepDigest(digest: Sha256Digest, writtenBefore: Date): Promise<boolean> {
    return locks.run(blobLockKey(digest), async () => {
      if (links.isLinked(digest)) return false;
      const modifiedAt = await blobs.modifiedAt(digest);
      if (modifiedAt === undefined || modifiedAt >= writtenBefore) return false;
      await blobs.deleteBlob(digest);
      return true;
    });
  }

  async function reclaimPass(): Promise<number> {
    let deleted = 0;
    let after = '';
    for (;;) {
      const digests = links.pendingReclaims(after, RECLAIM_BATCH_SIZE) as Sha256Digest[];
      if (digests.length === 0) return deleted;
      for (const digest of digests) {
        try {
          if (await reclaimDigest(digest)) deleted += 1;
        } catch (error) {
          onError(error);
        }
      }
      after = digests[digests.length - 1]!;
    }
  }

  function reclaim(): Promise<number> {
    if (queued !== undefined) return queued;
    const pass = tail.then(() => {
      queued = undefined;
      return reclaimPass();
    });
    queued = pass;
    tail = pass.catch(() => undefined);
    return pass;
  }

  async function sweepPass(writtenBefore: Date): Promise<number> {
    let deleted = 0;
    for await (const batch of blobs.listBlobs()) {
      if (isClosed) break;
      for (const digest of batch) {
        if (links.isLinked(digest)) continue;
        try {
          if (await sweepDigest(digest, writtenBefore)) deleted += 1;
        } catch (error) {
          onError(error);
        }
      }
      await nextTurn();
    }
    return deleted;
  }

  return {
    reclaimSoon() {
      if (!isClosed) reclaim().catch(onError);
    },
    reclaim,
    sweepUnlinked(writtenBefore) {
      const sweep = sweepPass(writtenBefore);
      sweeps.add(sweep);
      const forget = (): void => {
        sweeps.delete(sweep);
      };
      sweep.then(forget, forget);
      return sweep;
    },
    async idle() {
      await Promise.allSettled([tail, ...sweeps]);
    },
    async close() {
      isClosed = true;
      await Promise.allSettled([tail, ...sweeps]);
    },
  };
}
