/**
 * A map that keeps at most `capacity` entries, dropping the one used least recently: the one bounded cache the
 * engine's in-memory caches share (folded states, stream tails, verified tokens). A Map iterates in insertion
 * order, so a key re-inserted on each use moves to the end, and the first key is always the one to drop.
 * A capacity of 0 keeps nothing.
 */
export class RecentMap<K, V> {
  private readonly entries = new Map<K, V>();

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 0) {
      throw new RangeError(`a cache holds a whole number of entries (0 keeps nothing), got ${capacity}`);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  /** The entry, now the most recently used. */
  get(key: K): V | undefined {
    if (!this.entries.has(key)) return undefined;
    const value = this.entries.get(key)!;
    this.entries.delete(key);
    this.entries.set(key, value);
    return value;
  }

  /** Without counting as a use. */
  peek(key: K): V | undefined {
    return this.entries.get(key);
  }

  set(key: K, value: V): void {
    this.entries.delete(key);
    if (this.capacity === 0) return;
    this.entries.set(key, value);
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }

  delete(key: K): void {
    this.entries.delete(key);
  }
}
