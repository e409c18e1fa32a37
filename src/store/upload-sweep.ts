// Start-up housekeeping of upload sessions. A crash can leave bytes without a session (between writing the file and
// recording the row) or a session without bytes, and clients abandon uploads: without a sweep these would stay on
// disk forever. Runs before the server listens, so no upload is in flight.
import type { BlobStore } from './blob-store';
import type { UploadStore } from './upload-store';

/** distribution's default `uploadpurging` age: a session idle this long is abandoned. */
export const ABANDONED_UPLOAD_AGE_MS = 7 * 24 * 60 * 60 * 1000;

export interface UploadSweep {
  /** Sessions idle for longer than the age, removed with their bytes. */
  abandonedSessions: number;
  /** Sessions whose bytes were gone. */
  sessionsWithoutBytes: number;
  /** Bytes no session recorded. */
  bytesWithoutSession: number;
}

export async function sweepUploads(uploads: UploadStore, blobs: BlobStore, now: Date, maxIdleMs = ABANDONED_UPLOAD_AGE_MS): Promise<UploadSweep> {
  const held = new Set(await blobs.listUploads());
  const sessions = uploads.list();
  const recorded = new Set(sessions.map((session) => session.id));
  const sweep: UploadSweep = { abandonedSessions: 0, sessionsWithoutBytes: 0, bytesWithoutSession: 0 };
  for (const session of sessions) {
    if (!held.has(session.id)) {
      uploads.delete(session.id);
      sweep.sessionsWithoutBytes += 1;
    } else if (now.getTime() - session.updatedAt.getTime() > maxIdleMs) {
      uploads.delete(session.id);
      await blobs.deleteUpload(session.id);
      sweep.abandonedSessions += 1;
    }
  }
  for (const id of held) {
    if (recorded.has(id)) continue;
    await blobs.deleteUpload(id);
    sweep.bytesWithoutSession += 1;
  }
  return sweep;
}
