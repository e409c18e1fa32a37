// Start-up removal of blobs no repository links any more: a force-deleted repository's layers, a blob committed
// just before a crash cut its link. Nothing can reach such a blob (every read, mount and download goes through a
// link), so it only takes disk. Runs before the server listens, so no upload is between commit and link.
import type { BlobLinkStore } from './blob-link-store';
import type { BlobStore } from './blob-store';

/** Returns how many blobs were removed. */
export async function sweepUnlinkedBlobs(links: BlobLinkStore, blobs: BlobStore): Promise<number> {
  const linked = links.linkedDigests();
  let removed = 0;
  for (const digest of await blobs.listBlobs()) {
    if (linked.has(digest)) continue;
    await blobs.deleteBlob(digest);
    removed += 1;
  }
  return removed;
}
