/** A stream's event this adapter has seen committed: its revision and hash, all a new append needs to chain on. */
export interface KnownTail {
  revision: number;
  hash: string;
}

/**
 * The highest revision (with its hash) this process has written or read per stream, for the streams used most
 * recently (least recently used first out).
 *
 * Every entry is a fact that stays true, because stored events never change (the table refuses UPDATE and
 * DELETE): "this stream has revision r, with hash h". It may no longer be the stream's *tail* (another process
 * may have appended since), so the adapter only uses an entry to try an append optimistically, and the database
 * decides (UNIQUE(stream, revision) and a check that revision r with hash h is stored): a stale entry costs a
 * failed attempt, never a wrong answer.
 *
 * `record` only ever raises an entry: two appends of this process to one stream may finish in either order, and
 * the later-finishing one must not lower what the earlier-finishing one recorded.
 */
export class TailCache {
  private readonly entries = new Map<string, KnownTail>();

  constructor(private readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 0) {
      throw new RangeError(`the tail cache holds a whole number of streams (0 turns it off), got ${capacity}`);
    }
  }

  get size(): number {
    return this.entries.size;
  }

  get(stream: string): KnownTail | undefined {
    const known = this.entries.get(stream);
    if (known) this.touch(stream, known);
    return known;
  }

  record(stream: string, revision: number, hash: string): void {
    if (this.capacity === 0) return;
    const known = this.entries.get(stream);
    this.touch(stream, known && known.revision >= revision ? known : { revision, hash });
    if (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value!);
  }

  /** A Map iterates in insertion order, so re-inserting moves the stream to the most recently used end. */
  private touch(stream: string, tail: KnownTail): void {
    this.entries.delete(stream);
    this.entries.set(stream, tail);
  }
}
