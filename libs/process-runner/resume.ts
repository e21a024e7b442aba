import type { StoredEvent } from '../envelope/index.js';
import type { EventStore } from '../event-store/index.js';
import type { SnapshotStore } from '../snapshots/port.js';
import { foldOnto, type ProcessState } from './fold.js';
import { loadProcess } from './load-process.js';
import type { ProcessDefinition } from './process-definition.js';
import { restoreState, snapshotText, SNAPSHOT_FORMAT } from './snapshot-state.js';

/** Snapshots for the runner (issue 8): where they are kept, how often one is written, who hears of problems. */
export interface RunnerSnapshots {
  store: SnapshotStore;
  /** Write a snapshot after a command once the stream has grown by at least this many events since the one it
   * started from (or since its start); default 100. */
  every?: number;
  /** Told when a snapshot is ignored (stale, unreadable, unreachable) or cannot be written; the command goes on. */
  onProblem?: (message: string, error?: unknown) => void;
}

export const DEFAULT_SNAPSHOT_EVERY = 100;

/** A stream's current state, and how it was reached. */
export interface CurrentProcess {
  state: ProcessState;
  /** The events folded: the whole stream, or those after the snapshot. */
  events: StoredEvent[];
  /** The revision of the snapshot the fold started from; -1 when it started from the stream's first event. */
  base: number;
}

/**
 * The stream's current state: from its latest snapshot and the events after it when there is a snapshot this
 * engine may use, else by folding the whole stream. A snapshot is used only when
 * - it is for the stream's machine id, a machine version this engine has, and this snapshot format;
 * - the stream still holds, at the snapshot's revision, an event with the snapshot's hash and machine, and the
 *   events read after it chain on from that hash (the chain then vouches for everything before);
 * - its text comes back as a state of that machine, and the events after it are legal transitions from it.
 * Anything else (no snapshot, a stale, foreign or unreadable one, a store that fails) means a full fold: a snapshot
 * can make a command faster, never change its answer.
 */
export async function loadCurrent(
  store: EventStore,
  definition: ProcessDefinition,
  stream: string,
  snapshots?: RunnerSnapshots,
): Promise<CurrentProcess> {
  if (snapshots) {
    try {
      const resumed = await resume(store, definition, stream, snapshots);
      if (resumed) return resumed;
    } catch (error) {
      snapshots.onProblem?.(`snapshot of "${stream}" not used: ${describe(error)}; folding from the start`, error);
    }
  }
  const { state, events } = await loadProcess(store, definition, stream);
  return { state, events, base: -1 };
}

async function resume(
  store: EventStore,
  definition: ProcessDefinition,
  stream: string,
  snapshots: RunnerSnapshots,
): Promise<CurrentProcess | undefined> {
  const snapshot = await snapshots.store.latest(stream, definition.id, SNAPSHOT_FORMAT);
  if (!snapshot) return undefined;
  const ignore = (why: string) => {
    snapshots.onProblem?.(`snapshot of "${stream}" at revision ${snapshot.revision} ignored: ${why}; folding from the start`);
    return undefined;
  };
  const machine = definition.versions[snapshot.machineVersion];
  if (!machine) return ignore(`machine version ${snapshot.machineVersion} is not known to this engine`);

  // One read gives both the event the snapshot names (the check) and the events after it (the tail).
  const [at, ...tail] = await store.readStream(stream, { fromRevision: snapshot.revision });
  if (!at || at.revision !== snapshot.revision) return ignore('the stream has no event at that revision');
  if (at.hash !== snapshot.hash) return ignore('the event at that revision has another hash');
  const pinned = at.metadata.machine;
  if (pinned.id !== definition.id || pinned.version !== snapshot.machineVersion) {
    return ignore(`the stream runs machine ${pinned.id} v${pinned.version}`);
  }
  let previous = at;
  for (const event of tail) {
    if (event.revision !== previous.revision + 1 || event.prevHash !== previous.hash) {
      return ignore(`the events after it do not chain on (revision ${event.revision})`);
    }
    previous = event;
  }
  const state = foldOnto(machine, restoreState(machine, snapshot), tail);
  return { state, events: tail, base: snapshot.revision };
}

/**
 * Writes a snapshot of `state` (just folded by a command) when the stream has grown by `every` events since `base`.
 * Outside the append's transaction, after it; a failure is reported and swallowed: the command has succeeded.
 */
export async function saveSnapshot(
  snapshots: RunnerSnapshots,
  definition: ProcessDefinition,
  stream: string,
  state: ProcessState,
  base: number,
  hash: string,
): Promise<boolean> {
  const every = snapshots.every ?? DEFAULT_SNAPSHOT_EVERY;
  if (every <= 0 || state.revision - base < every) return false;
  try {
    const machine = definition.versions[state.machineVersion]!;
    const text = snapshotText(machine, state);
    if (text === undefined) return false;
    await snapshots.store.save({
      stream,
      machineId: definition.id,
      machineVersion: state.machineVersion,
      format: SNAPSHOT_FORMAT,
      revision: state.revision,
      hash,
      state: text,
    });
    return true;
  } catch (error) {
    snapshots.onProblem?.(`snapshot of "${stream}" at revision ${state.revision} not written: ${describe(error)}`, error);
    return false;
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
