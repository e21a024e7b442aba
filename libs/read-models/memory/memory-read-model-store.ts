import { assertDistinctProjectors, docText, compareIds } from '../json-text.js';
import { CheckpointMovedError, type CheckpointMove, type DocChange, type IdempotencyRecord, type ReadModelStore } from '../port.js';

/**
 * Read models in a process's memory: for tests and throw-away runs.
 * `commitAll` has no `await` between its checkpoint checks and its writes, so it is atomic on the event loop.
 */
export class MemoryReadModelStore implements ReadModelStore {
  readonly kind = 'memory' as const;

  private readonly collections = new Map<string, Map<string, string>>();
  private readonly checkpoints = new Map<string, number>();
  private readonly idempotency = new Map<string, string>();

  async checkpoint(projector: string): Promise<number> {
    return this.checkpoints.get(projector) ?? 0;
  }

  async get<T>(collection: string, id: string): Promise<T | undefined> {
    const text = this.collections.get(collection)?.get(id);
    return text === undefined ? undefined : (JSON.parse(text) as T);
  }

  async list<T>(collection: string): Promise<T[]> {
    const docs = this.collections.get(collection);
    if (!docs) return [];
    return [...docs.keys()].sort(compareIds).map((id) => JSON.parse(docs.get(id)!) as T);
  }

  async entries<T>(collection: string): Promise<{ id: string; doc: T }[]> {
    const docs = this.collections.get(collection);
    if (!docs) return [];
    return [...docs.keys()].sort(compareIds).map((id) => ({ id, doc: JSON.parse(docs.get(id)!) as T }));
  }

  async commit(projector: string, from: number, to: number, changes: readonly DocChange[]): Promise<void> {
    return this.commitAll([{ projector, from, to }], changes);
  }

  async commitAll(moves: readonly CheckpointMove[], changes: readonly DocChange[]): Promise<void> {
    assertDistinctProjectors(moves);
    for (const { projector, from } of moves) {
      const actual = this.checkpoints.get(projector) ?? 0;
      if (actual !== from) throw new CheckpointMovedError(projector, from, actual);
    }
    // Serialised before anything is applied, so a document without a JSON form applies nothing.
    const texts = changes.map(docText);
    changes.forEach(({ collection, id }, index) => {
      const text = texts[index]!;
      let docs = this.collections.get(collection);
      if (text === null) {
        docs?.delete(id);
        return;
      }
      if (!docs) this.collections.set(collection, (docs = new Map()));
      docs.set(id, text);
    });
    for (const { projector, to } of moves) this.checkpoints.set(projector, to);
  }

  async reset(projector: string, collections: readonly string[]): Promise<void> {
    for (const collection of collections) this.collections.delete(collection);
    this.checkpoints.delete(projector);
  }

  async getIdempotency(key: string): Promise<IdempotencyRecord | undefined> {
    const text = this.idempotency.get(key);
    return text === undefined ? undefined : (JSON.parse(text) as IdempotencyRecord);
  }

  async putIdempotency(record: IdempotencyRecord): Promise<boolean> {
    if (this.idempotency.has(record.key)) return false;
    const { key, requestHash, status, body, createdAt } = record;
    this.idempotency.set(key, JSON.stringify({ key, requestHash, status, body: body ?? null, createdAt }));
    return true;
  }

  async close(): Promise<void> {}
}
