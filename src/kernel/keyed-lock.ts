// Serializes async work per key: writes to one repository, appends to one upload. Work on different keys runs
// concurrently. In-process only: one emulator process owns its store.
import { scopeKey, type Scope } from './scope';

export interface KeyedLock {
  /**
   * Runs `work` after every earlier `work` of the same key has settled; resolves or rejects as `work` does. The
   * key is taken when `run` is called, before it returns: later calls queue behind this `work`.
   */
  run<T>(key: string, work: () => Promise<T> | T): Promise<T>;
  /** Whether some `work` of the key is running or waiting. */
  isHeld(key: string): boolean;
}

export function createKeyedLock(): KeyedLock {
  const tails = new Map<string, Promise<void>>();
  return {
    async run(key, work) {
      const previous = tails.get(key) ?? Promise.resolve();
      const result = previous.then(work);
      const tail = result.then(
        () => undefined,
        () => undefined,
      );
      tails.set(key, tail);
      try {
        return await result;
      } finally {
        if (tails.get(key) === tail) tails.delete(key);
      }
    },
    isHeld: (key) => tails.has(key),
  };
}

export function repositoryLockKey(scope: Scope, repository: string): string {
  return `repository:${scopeKey(scope)}/${repository}`;
}

export function uploadLockKey(uploadId: string): string {
  return `upload:${uploadId}`;
}

/** A blob's bytes, in every scope: an upload's commit and link of them, and their reclaim, hold it. */
export function blobLockKey(digest: string): string {
  return `blob:${digest}`;
}
