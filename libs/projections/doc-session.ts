import type { DocChange, ReadModelStore } from '../read-models/port.js';
import type { DocSession } from './projection.js';

const key = (collection: string, id: string) => `${collection}\u0000${id}`;

/** Buffers a page's writes in memory so they reach the store in one transaction with the checkpoint. */
export class BufferedDocSession implements DocSession {
  private readonly pending = new Map<string, DocChange>();

  constructor(private readonly store: ReadModelStore) {}

  /**
   * A document written earlier in this page comes back as the very object that was put, not a copy: projections
   * read, change and put back the same documents many times per page, and copying each time dominated rebuilds.
   * A document from the store is a fresh copy already.
   */
  async get<T>(collection: string, id: string): Promise<T | undefined> {
    const change = this.pending.get(key(collection, id));
    if (change) return change.doc === null ? undefined : (change.doc as T);
    return this.store.get<T>(collection, id);
  }

  /** Keeps `doc` itself until the commit serialises it: the projection must not reuse the object for another. */
  put(collection: string, id: string, doc: unknown): void {
    this.pending.set(key(collection, id), { collection, id, doc });
  }

  delete(collection: string, id: string): void {
    this.pending.set(key(collection, id), { collection, id, doc: null });
  }

  changes(): DocChange[] {
    return [...this.pending.values()];
  }
}
