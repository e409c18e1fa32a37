// The byte-bounded LRU: eviction by bytes in least-recently-used order, the capacity bound, oversize values refused.
import { createByteLruCache } from '../../../src/kernel/byte-lru-cache';

describe('createByteLruCache', () => {
  it('evicts the least recently used entries until a new one fits the capacity in bytes', () => {
    const cache = createByteLruCache<string>(400);
    cache.set('a', 'A', 100);
    cache.set('b', 'B', 100);
    cache.set('c', 'C', 100);
    expect(cache.get('a')).toBe('A');
    cache.set('d', 'D', 100);
    cache.set('e', 'E', 100);
    expect(cache.get('b')).toBeUndefined();
    expect(['a', 'c', 'd', 'e'].map((key) => cache.get(key))).toEqual(['A', 'C', 'D', 'E']);
    expect(cache.sizeInBytes).toBe(400);
  });

  it('evicts as many small entries as a larger one needs', () => {
    const cache = createByteLruCache<string>(1000);
    for (const key of ['a', 'b', 'c', 'd', 'e']) cache.set(key, key, 200);
    cache.set('big', 'BIG', 250);
    expect(['a', 'b', 'c', 'd', 'e', 'big'].map((key) => cache.get(key) !== undefined)).toEqual([false, false, true, true, true, true]);
    expect(cache.sizeInBytes).toBe(850);
  });

  it('refuses a value above a quarter of the capacity and keeps what it held', () => {
    const cache = createByteLruCache<string>(400);
    cache.set('a', 'A', 100);
    expect(cache.maxEntryBytes).toBe(100);
    expect(cache.set('big', 'BIG', 101)).toBe(false);
    expect(cache.get('big')).toBeUndefined();
    expect(cache.get('a')).toBe('A');
    expect(cache.sizeInBytes).toBe(100);
  });

  it('replaces an entry set again under the same key without counting it twice', () => {
    const cache = createByteLruCache<string>(400);
    cache.set('a', 'old', 100);
    cache.set('a', 'new', 50);
    expect(cache.get('a')).toBe('new');
    expect(cache.sizeInBytes).toBe(50);
  });

  it('forgets deleted and cleared entries and their bytes', () => {
    const cache = createByteLruCache<string>(400);
    cache.set('a', 'A', 100);
    cache.set('b', 'B', 100);
    cache.delete('a');
    expect(cache.get('a')).toBeUndefined();
    expect(cache.sizeInBytes).toBe(100);
    cache.clear();
    expect(cache.get('b')).toBeUndefined();
    expect(cache.sizeInBytes).toBe(0);
  });
});
