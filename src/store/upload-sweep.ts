// Housekeeping of upload sessions, at start and hourly while running (index.ts). A crash can leave bytes without a
// session (between writing the file and recording the row) or a session without bytes, and clients abandon uploads
// (an interrupted push starts a new session rather than resuming): without a sweep these would pile up on disk.
import type { BlobStore } from './blob-store';
import type { UploadStore } from './upload-store';

/**
 * A session that has not grown for this long is abandoned. distribution purges after 168 h; clients resume an
 * interrupted upload within seconds or start a new session, so an hour keeps resumability and the disk both.
 */
export const ABANDONED_UPLOAD_AGE_MS = 60 * 60 * 1000;

/** How often the running emulator sweeps; with the age above, an abandoned session lasts two hours at most. */
export const UPLOAD_SWEEP_INTERVAL_MS = 60 * 60 * 1000;

export interface UploadSweep {
  /** Sessions idle for longer than the age, removed with their bytes. */
  abandonedSessions: number;
  /** Sessions whose bytes were gone. */
  sessionsWithoutBytes: number;
  /** Bytes no session recorded. */
  bytesWithoutSession: number;
}

/**
 * Runs `work` on one upload while no request works on it, keeping requests on it waiting until `work` settles;
 * resolves without running `work` when a request is on it (that upload is live).
 */
export type UnlessBusy = (uploadId: string, work: () => Promise<void>) => Promise<void>;

export interface UploadSweepOptions {
  now: Date;
  maxIdleMs?: number;
  /** While the server runs, the upload lock (upload-service.ts). The default runs `work` at once: at start nothing is in flight. */
  unlessBusy?: UnlessBusy;
}

type Verdict = keyof UploadSweep | 'live';

interface Sighting {
  /** When the session last grew; undefined when no session is recorded. */
  updatedAt: Date | undefined;
  hasBytes: boolean;
}

function verdictOf({ updatedAt, hasBytes }: Sighting, now: Date, maxIdleMs: number): Verdict {
  if (updatedAt === undefined) return hasBytes ? 'bytesWithoutSession' : 'live';
  if (!hasBytes) return 'sessionsWithoutBytes';
  return now.getTime() - updatedAt.getTime() > maxIdleMs ? 'abandonedSessions' : 'live';
}

/**
 * Removes abandoned sessions with their bytes, sessions without bytes and bytes without a session. Each candidate
 * is looked at again under `unlessBusy` before anything is removed: a request may have moved it since the survey.
 */
export async function sweepUploads(uploads: UploadStore, blobs: BlobStore, options: UploadSweepOptions): Promise<UploadSweep> {
  const { now, maxIdleMs = ABANDONED_UPLOAD_AGE_MS, unlessBusy = (_uploadId, work) => work() } = options;
  const held = new Set(await blobs.listUploads());
  const recorded = new Map(uploads.list().map((session) => [session.id, session.updatedAt]));
  const candidates = [...new Set([...held, ...recorded.keys()])].filter(
    (id) => verdictOf({ updatedAt: recorded.get(id), hasBytes: held.has(id) }, now, maxIdleMs) !== 'live',
  );
  const sweep: UploadSweep = { abandonedSessions: 0, sessionsWithoutBytes: 0, bytesWithoutSession: 0 };
  for (const id of candidates) {
    await unlessBusy(id, async () => {
      const updatedAt = uploads.list().find((session) => session.id === id)?.updatedAt;
      const verdict = verdictOf({ updatedAt, hasBytes: await blobs.hasUpload(id) }, now, maxIdleMs);
      if (verdict === 'live') return;
      if (verdict !== 'bytesWithoutSession') uploads.delete(id);
      if (verdict !== 'sessionsWithoutBytes') await blobs.deleteUpload(id);
      sweep[verdict] += 1;
    });
  }
  return sweep;
}
