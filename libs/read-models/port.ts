/**
 * Where projections keep their read models: JSON documents by collection and id, plus one checkpoint per
 * projector. A projector's document changes and its checkpoint move in one transaction, so a crash never leaves
 * a read model ahead of, or behind, its checkpoint.
 */

/** A document to write, or to delete when `doc` is null. */
export interface DocChange {
  collection: string;
  id: string;
  doc: unknown | null;
}

/** One projector's checkpoint moving from `from` to `to` (compare-and-set) in a commit. */
export interface CheckpointMove {
  projector: string;
  from: number;
  to: number;
}

/** The stored answer to a POST made with an Idempotency-Key (docs/architecture.md §4). */
export interface IdempotencyRecord {
  /** The key as scoped by the caller (e.g. `${actorId}:${key}`). */
  key: string;
  /** SHA-256 of the method, path and canonical body: the same key with another request is refused (422). */
  requestHash: string;
  status: number;
  body: unknown;
  createdAt: string;
}

export interface ReadModelStore {
  readonly kind: 'memory' | 'sqlite' | 'postgres';

  /** The position of the last event the projector has applied; 0 when it has applied none. */
  checkpoint(projector: string): Promise<number>;

  get<T>(collection: string, id: string): Promise<T | undefined>;

  /** Every document of a collection, ordered by id. */
  list<T>(collection: string): Promise<T[]>;
  /** Every document of a collection with its id, ordered by id: what an audit compares read models by. */
  entries<T>(collection: string): Promise<{ id: string; doc: T }[]>;

  /**
   * Applies the changes and moves the projector's checkpoint from `from` to `to`, atomically.
   * Throws CheckpointMovedError (and applies nothing) when the stored checkpoint is not `from`:
   * another projector instance got there first.
   */
  commit(projector: string, from: number, to: number, changes: readonly DocChange[]): Promise<void>;

  /**
   * `commit` for several projectors at once: applies the changes and moves every checkpoint named in `moves`,
   * in one transaction. Throws CheckpointMovedError (and applies nothing, moves nothing) when any stored
   * checkpoint is not its move's `from`. The projector commits a page of events for all its projections this way,
   * so a command's read-your-writes waits for one read-model commit, not one per projection.
   * A projector may appear once in `moves` (TypeError otherwise).
   */
  commitAll(moves: readonly CheckpointMove[], changes: readonly DocChange[]): Promise<void>;

  /** Deletes the given collections and the projector's checkpoint, atomically: the start of a rebuild. */
  reset(projector: string, collections: readonly string[]): Promise<void>;

  getIdempotency(key: string): Promise<IdempotencyRecord | undefined>;

  /** Stores the record unless the key is taken; returns false (and stores nothing) when it is. */
  putIdempotency(record: IdempotencyRecord): Promise<boolean>;

  close(): Promise<void>;
}

export class CheckpointMovedError extends Error {
  override readonly name = 'CheckpointMovedError';
  constructor(
    readonly projector: string,
    readonly expected: number,
    readonly actual: number,
  ) {
    super(`projector "${projector}" checkpoint is ${actual}, expected ${expected}: another instance is projecting`);
  }
}
