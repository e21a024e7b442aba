import type { DocChange, IdempotencyRecord, ReadModelStore } from '../read-models/port.js';

/**
 * The idempotency half of a ReadModelStore, in memory, for the HTTP specs until the shared
 * MemoryReadModelStore lands. putIdempotency keeps the port's contract: the first record for a key wins.
 */
export class IdempotencyStore implements ReadModelStore {
  readonly kind = 'memory' as const;
  private readonly records = new Map<string, IdempotencyRecord>();

  async getIdempotency(key: string): Promise<IdempotencyRecord | undefined> {
    const record = this.records.get(key);
    return record && structuredClone(record);
  }

  async putIdempotency(record: IdempotencyRecord): Promise<boolean> {
    if (this.records.has(record.key)) return false;
    this.records.set(record.key, structuredClone(record));
    return true;
  }

  checkpoint(): Promise<number> {
    return unused();
  }
  get<T>(): Promise<T | undefined> {
    return unused();
  }
  list<T>(): Promise<T[]> {
    return unused();
  }
  entries<T>(): Promise<{ id: string; doc: T }[]> {
    return unused();
  }
  commit(_projector: string, _from: number, _to: number, _changes: readonly DocChange[]): Promise<void> {
    return unused();
  }
  commitAll(): Promise<void> {
    return unused();
  }
  reset(): Promise<void> {
    return unused();
  }
  async close(): Promise<void> {}
}

function unused(): never {
  throw new Error('not part of the HTTP specs');
}
