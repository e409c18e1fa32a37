// Open upload sessions: which repository they belong to and how many bytes they hold. Their bytes are in the
// blob store; a session row outlives a restart, so a chunked upload can continue after one.
import type { Scope } from '../kernel/scope';

export interface UploadRecord {
  id: string;
  repository: string;
  sizeInBytes: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface UploadStore {
  create(scope: Scope, record: UploadRecord): void;
  /** Only an upload of this scope and repository is found. */
  find(scope: Scope, repository: string, id: string): UploadRecord | undefined;
  setSize(id: string, sizeInBytes: number, at: Date): void;
  delete(id: string): void;
  /** Every session of every scope, with when it last grew: the start-up sweep's view. */
  list(): { id: string; updatedAt: Date }[];
}
