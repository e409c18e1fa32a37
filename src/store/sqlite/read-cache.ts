// What the configuration stores keep of their rows between requests. Every request reads its repository and a handful
// of registry documents several times over (a profile of PutImage counted five reads of each, a JSON parse every
// time); they change only when a client configures something. Values are frozen and shared, bounded by the bytes
// of their JSON. Safe under transactions: an entry is kept only from a read outside any transaction (so it is
// committed state), and every write drops the entries it touches, so a rolled-back write leaves nothing behind.
import { createByteLruCache } from '../../kernel/byte-lru-cache';
import { deepFreeze } from '../../kernel/deep-freeze';
import type { Database } from './database';

/** A few thousand repositories' records and documents: about their JSON's size in memory. */
const DEFAULT_CAPACITY_BYTES = 8 * 1024 * 1024;

/** What an absent row costs in the cache: absence is worth keeping (most documents are never configured). */
const ABSENT_BYTES = 64;

export interface ReadCache<V> {
  /** The cached value, else `read()`'s (kept when read outside a transaction); undefined when there is no row. */
  read(key: string, load: () => { value: V; bytes: number } | undefined): V | undefined;
  /** Forgets the keys a write touched, before or after the write. */
  forget(...keys: string[]): void;
  /** Forgets everything: the tables were emptied behind the store's back (a reset). */
  clear(): void;
}

const ABSENT = Symbol('absent');

export function createReadCache<V>(db: Database, capacityInBytes = DEFAULT_CAPACITY_BYTES): ReadCache<V> {
  const entries = createByteLruCache<V | typeof ABSENT>(capacityInBytes);
  return {
    read(key, load) {
      const cached = entries.get(key);
      if (cached !== undefined) return cached === ABSENT ? undefined : cached;
      const loaded = load();
      if (!db.inTransaction) {
        if (loaded === undefined) entries.set(key, ABSENT, ABSENT_BYTES);
        else entries.set(key, deepFreeze(loaded.value), loaded.bytes);
      }
      return loaded?.value;
    },
    forget(...keys) {
      for (const key of keys) entries.delete(key);
    },
    clear: () => entries.clear(),
  };
}
