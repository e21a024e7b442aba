import type { DocChange, ReadModelStore } from '../read-models/port.js';
import type { DocSession } from './projection.js';

const key = (collection: string, id: string) => `${collection}\u0000${id}`;

/** Buffers a page's writes in memory so they reach the store in one transaction with the checkpoint. */
export class BufferedDocSession implements DocSession {
  private readonly pending = new Map<string, DocChange>();

  constructor(private readonly store: ReadModelStore) {}

  async get<T>(collection: string, id: string): Promise<T | undefined> {
    const change = this.pending.get(key(collection, id));
    if (change) return change.doc === null ? undefined : structuredClone(change.doc as T);
    return this.store.get<T>(collection, id);
  }

  put(collection: string, id: string, doc: unknown): void {
    this.pending.set(key(collection, id), { collection, id, doc: structuredClone(doc) });
  }

  delete(collection: string, id: string): void {
    this.pending.set(key(collection, id), { collection, id, doc: null });
  }

  changes(): DocChange[] {
    return [...this.pending.values()];
  }
}
