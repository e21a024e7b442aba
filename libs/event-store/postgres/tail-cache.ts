import { RecentMap } from '../../kernel/recent-map.js';

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
  private readonly entries: RecentMap<string, KnownTail>;

  constructor(capacity: number) {
    this.entries = new RecentMap(capacity);
  }

  get size(): number {
    return this.entries.size;
  }

  get(stream: string): KnownTail | undefined {
    return this.entries.get(stream);
  }

  record(stream: string, revision: number, hash: string): void {
    const known = this.entries.peek(stream);
    this.entries.set(stream, known && known.revision >= revision ? known : { revision, hash });
  }
}
