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
  /** Also the checkpoint's name (with its version: `checkpointName`). */
  name: string;
  /**
   * The shape of its documents; default 1. Raise it when a change to `apply` makes documents already stored
   * wrong for the new code: the new version has its own checkpoint, at 0, so at its first pass the projector
   * deletes the collections and replays the log into them (no `u4ssc rebuild` needed after an upgrade).
   */
  version?: number;
  /** The collections it owns: a rebuild deletes them. */
  collections: readonly string[];
  apply(event: StoredEvent, docs: DocSession): Promise<void> | void;
}

/** The name its checkpoint is kept under: the projection's name, and `@v<version>` from version 2 on. */
export function checkpointName(projection: Pick<Projection, 'name' | 'version'>, version = projection.version ?? 1): string {
  return version > 1 ? `${projection.name}@v${version}` : projection.name;
}
