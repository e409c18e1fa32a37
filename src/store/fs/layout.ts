// The one place that knows the data directory's tree. Every path the emulator writes is built here.
//
//   <data-dir>/
//     metadata.sqlite        repositories, images, tags, links, registry configuration (SQLite, WAL)
//     token-secret           HMAC key for registry tokens (32 random bytes, mode 0600)
//     blobs/sha256/ab/<hex>  content-addressed blobs, written once, never modified, deleted once no repository
//                            links them (store/blob-reclaimer.ts)
//     uploads/<uuid>         bytes of open upload sessions (data plane and layer-upload API); a finished upload
//                            is renamed from here into blobs/, so this is also the only temp area
import { join } from 'node:path';

export interface DataDirLayout {
  root: string;
  metadataDatabase: string;
  tokenSecret: string;
  blobsRoot: string;
  uploadsRoot: string;
  blobPath(hex: string): string;
  uploadPath(uploadId: string): string;
}

export function dataDirLayout(root: string): DataDirLayout {
  const blobsRoot = join(root, 'blobs', 'sha256');
  const uploadsRoot = join(root, 'uploads');
  return {
    root,
    metadataDatabase: join(root, 'metadata.sqlite'),
    tokenSecret: join(root, 'token-secret'),
    blobsRoot,
    uploadsRoot,
    blobPath: (hex) => join(blobsRoot, hex.slice(0, 2), hex),
    uploadPath: (uploadId) => join(uploadsRoot, uploadId),
  };
}
