// What happens after a push, whichever plane made it: the observers (replication, scan on push) and how they are
// told. The image service tells them once the push is committed and its repository lock released.
import type { Scope } from '../kernel/scope';

/** What the push observers (scan on push, replication) learn of a manifest push that changed something. */
export interface PushedImage {
  scope: Scope;
  repository: string;
  digest: string;
  mediaType: string;
  tag?: string;
  /** False when the manifest was stored already and only the tag moved onto it. */
  isNewImage: boolean;
  /** True when replication wrote it. */
  isReplica: boolean;
}

/**
 * What happens after a push, whichever plane made it (replication, scan on push). Observers run once the push is
 * committed and its repository lock released, so they may push elsewhere through the image service; a failing
 * observer does not fail the push.
 */
export type PushObserver = (image: PushedImage) => void | Promise<void>;

/** Tells each observer in order; an observer's failure is its own (the push is committed and answered as such). */
export async function notifyObservers(observers: readonly PushObserver[], image: PushedImage): Promise<void> {
  for (const observe of observers) {
    try {
      await observe(image);
    } catch {
      // An observer that cannot do its work must not turn a committed push into an error.
    }
  }
}
