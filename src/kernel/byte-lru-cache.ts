// A least-recently-used cache bounded by the bytes its values hold, not by their count. Knows nothing of what it
// holds: the caller says how large each value is. It never copies values and never exceeds its capacity.

export interface ByteLruCache<V> {
  /** The value, now the most recently used one; undefined when absent. */
  get(key: string): V | undefined;
  /**
   * Keeps `value` as the most recently used entry, evicting the least recently used ones until it fits. Returns
   * false, keeping nothing, when `sizeInBytes` is above maxEntryBytes (a value too large would flush the cache).
   */
  set(key: string, value: V, sizeInBytes: number): boolean;
  delete(key: string): void;
  clear(): void;
  /** Bytes held by the entries. */
  readonly sizeInBytes: number;
  readonly capacityInBytes: number;
  /** The largest value kept: a fraction of the capacity. */
  readonly maxEntryBytes: number;
}

/** A value larger than this share of the capacity is not kept. */
export const MAX_ENTRY_SHARE = 1 / 4;

interface Entry<V> {
  value: V;
  sizeInBytes: number;
}

export function createByteLruCache<V>(capacityInBytes: number): ByteLruCache<V> {
  // A Map iterates in insertion order: deleting and re-inserting on use keeps the least recently used first.
  const entries = new Map<string, Entry<V>>();
  const maxEntryBytes = Math.floor(capacityInBytes * MAX_ENTRY_SHARE);
  let heldBytes = 0;
  function remove(key: string): void {
    const entry = entries.get(key);
    if (entry === undefined) return;
    entries.delete(key);
    heldBytes -= entry.sizeInBytes;
  }
  return {
    get(key) {
      const entry = entries.get(key);
      if (entry === undefined) return undefined;
      entries.delete(key);
      entries.set(key, entry);
      return entry.value;
    },
    set(key, value, sizeInBytes) {
      if (sizeInBytes > maxEntryBytes) return false;
      remove(key);
      for (const [oldest] of entries) {
        if (heldBytes + sizeInBytes <= capacityInBytes) break;
        remove(oldest);
      }
      entries.set(key, { value, sizeInBytes });
      heldBytes += sizeInBytes;
      return true;
    },
    delete: remove,
    clear() {
      entries.clear();
      heldBytes = 0;
    },
    get sizeInBytes() {
      return heldBytes;
    },
    capacityInBytes,
    maxEntryBytes,
  };
}
