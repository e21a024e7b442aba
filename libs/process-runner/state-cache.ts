import { RecentMap } from '../kernel/recent-map.js';
import type { ProcessState } from './fold.js';

/** A stream's state as this process last folded it, and what it takes to check it against the log. */
export interface CachedState {
  machineId: string;
  state: ProcessState;
  /** The hash of the stream's event at `state.revision`. */
  hash: string;
  /** The revision of the stream's latest stored snapshot this process knows of; -1 for none. */
  lastSnapshot: number;
}

/**
 * The last folded state of the streams this process commands, kept in memory, so a command on a long stream
 * neither folds its history nor parses a snapshot: the state is checked against the log exactly as a stored
 * snapshot is (the event at its revision must still have its hash; the events after it are folded on), so
 * another process's appends, or a stream that changed under it, are seen. Bounded: the least recently used
 * streams are dropped beyond `capacity`.
 *
 * States are shared between commands, so their contexts are frozen when cached: a decide step that tried to
 * change one in place would throw instead of corrupting the next command's state (machines and decide steps
 * never mutate; XState's `assign` builds new objects).
 */
export class StateCache {
  private readonly entries: RecentMap<string, CachedState>;

  constructor(readonly capacity = 500) {
    this.entries = new RecentMap(capacity);
  }

  get(stream: string): CachedState | undefined {
    return this.entries.get(stream);
  }

  put(stream: string, entry: CachedState): void {
    deepFreeze(entry.state.context);
    this.entries.set(stream, entry);
  }

  delete(stream: string): void {
    this.entries.delete(stream);
  }

  get size(): number {
    return this.entries.size;
  }
}

/** Freezes a JSON-like tree, stopping at what is frozen already (after a fold step, all but the new parts). */
function deepFreeze(value: unknown): void {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return;
  Object.freeze(value);
  for (const child of Object.values(value)) deepFreeze(child);
}
