import type { StoredEvent } from '../envelope/index.js';

/** Reads and writes a projection makes while applying one page of events; written at once with the checkpoint. */
export interface DocSession {
  get<T>(collection: string, id: string): Promise<T | undefined>;
  put(collection: string, id: string, doc: unknown): void;
  delete(collection: string, id: string): void;
}

/**
 * A read model: a fold of the global log into documents. Projections must be deterministic functions of the
 * events (no clock, no randomness), so that a rebuild from position 0 gives the same documents.
 */
export interface Projection {
  /** Also the checkpoint's name. */
  name: string;
  /** The collections it owns: a rebuild deletes them. */
  collections: readonly string[];
  apply(event: StoredEvent, docs: DocSession): Promise<void> | void;
}
