import type { StoredEvent } from '../envelope/index.js';
import { IntegrityError } from '../errors/index.js';
import type { EventStore } from '../event-store/index.js';
import type { SigningKey } from '../signing/index.js';
import type { ProcessSnapshot, SnapshotStore } from '../snapshots/port.js';
import { snapshotSignedBody } from '../snapshots/signed-body.js';
import { foldOnto, type ProcessState } from './fold.js';
import { loadProcess } from './load-process.js';
import { LogIntegrity } from './log-integrity.js';
import type { ProcessDefinition } from './process-definition.js';
import { restoreState, snapshotText, SNAPSHOT_FORMAT } from './snapshot-state.js';
import type { StateCache } from './state-cache.js';

/** Snapshots for the runner (issue 8): where they are kept, how often one is written, who hears of problems. */
export interface RunnerSnapshots {
  store: SnapshotStore;
  /** The engine's signing key: every snapshot written is signed with it, and one it signed is trusted back. */
  key: SigningKey;
  /** Write a snapshot after a command once the stream has grown by at least this many events since its latest
   * snapshot (or since its start); default 100. */
  every?: number;
  /** This process's last folded state per stream, checked against the log like a snapshot before each use. */
  cache?: StateCache;
  /** Told when a snapshot is ignored (stale, unreadable, unsigned, forged, unreachable) or cannot be written; the
   * command goes on. */
  onProblem?: (message: string, error?: unknown) => void;
}

export const DEFAULT_SNAPSHOT_EVERY = 100;

/** A stream's current state, and how it was reached. */
export interface CurrentProcess {
  state: ProcessState;
  /** The events folded: the whole stream, or those after the snapshot (or cached state) the fold started from. */
  events: StoredEvent[];
  /** The revision the fold started after: -1 when it started from the stream's first event. */
  base: number;
  /** The hash of the event at `state.revision`; null for an empty stream. */
  hash: string | null;
  /** The revision of the stream's latest stored snapshot known here (-1: none): when to write the next one. */
  lastSnapshot: number;
}

/** A state at a known revision of a stream, to be checked against the log before anything is folded onto it. */
interface Origin {
  machineVersion: number;
  revision: number;
  hash: string;
  /** Why the origin may not be trusted, knowing where its event stands in the log (a stored snapshot's signature). */
  distrust?(at: StoredEvent): Promise<string | null>;
  state(): ProcessState;
}

/**
 * The stream's current state: from this process's cached state or the latest stored snapshot when there is one
 * this engine may use, else by folding the whole stream. A state is used only when
 * - it is for the stream's machine id, a machine version this engine has, and (stored) this snapshot format;
 * - the stream still holds, at its revision, an event with its hash and machine, and the events read after it
 *   chain on from that hash (the chain then vouches for everything before);
 * - (stored) its signature verifies with a key valid at its event's position (the engine wrote it, as it is);
 * - (stored) its text comes back as a state of that machine, and the events after it are legal transitions from it.
 * Anything else (no snapshot, a stale, foreign, unsigned, forged or unreadable one, a store that fails) means a
 * full fold: a snapshot can make a command faster, never change its answer.
 * Every event folded (the whole stream, or those after the state started from) is checked by `integrity` first: an
 * event that fails its checks is an IntegrityError, never folded, never silently skipped.
 */
export async function loadCurrent(
  store: EventStore,
  definition: ProcessDefinition,
  stream: string,
  snapshots?: RunnerSnapshots,
  integrity: LogIntegrity = LogIntegrity.of(store),
): Promise<CurrentProcess> {
  if (!snapshots) return fullFold(store, definition, stream, -1, integrity);
  const report = (message: string, error?: unknown) => snapshots.onProblem?.(message, error);
  const cached = snapshots.cache?.get(stream);
  if (cached && cached.machineId === definition.id) {
    const origin: Origin = {
      machineVersion: cached.state.machineVersion,
      revision: cached.state.revision,
      hash: cached.hash,
      state: () => cached.state,
    };
    // A cached state the log no longer agrees with is dropped silently: the stored snapshot or a full fold follows.
    // It never left this process, so it needs no signature; the events after it are checked like any others.
    const resumed = await resume(store, definition, stream, origin, () => undefined, integrity).catch((error: unknown) => {
      if (error instanceof IntegrityError) throw error;
      return undefined;
    });
    if (resumed) return remember(snapshots, stream, definition, { ...resumed, lastSnapshot: cached.lastSnapshot });
    snapshots.cache?.delete(stream);
  }
  try {
    const snapshot = await snapshots.store.latest(stream, definition.id, SNAPSHOT_FORMAT);
    if (snapshot) {
      const machine = definition.versions[snapshot.machineVersion];
      const ignore = (why: string) => {
        report(`snapshot of "${stream}" at revision ${snapshot.revision} ignored: ${why}; folding from the start`);
        return undefined;
      };
      const origin: Origin = {
        ...snapshot,
        distrust: (at) => signatureProblem(integrity, snapshot, at, snapshots.key),
        state: () => restoreState(machine!, snapshot),
      };
      const resumed = machine
        ? await resume(store, definition, stream, origin, ignore, integrity)
        : ignore(`machine version ${snapshot.machineVersion} is not known to this engine`);
      if (resumed) return remember(snapshots, stream, definition, { ...resumed, lastSnapshot: snapshot.revision });
    }
  } catch (error) {
    if (error instanceof IntegrityError) throw error;
    report(`snapshot of "${stream}" not used: ${describe(error)}; folding from the start`, error);
  }
  // A stale or unreadable snapshot counts as none: the next one is written as soon as the stream is long enough.
  return remember(snapshots, stream, definition, await fullFold(store, definition, stream, -1, integrity));
}

async function fullFold(
  store: EventStore,
  definition: ProcessDefinition,
  stream: string,
  lastSnapshot: number,
  integrity: LogIntegrity,
): Promise<CurrentProcess> {
  const { state, events } = await loadProcess(store, definition, stream, {}, integrity);
  return { state, events, base: -1, hash: events.at(-1)?.hash ?? null, lastSnapshot };
}

/** Why a stored snapshot is not the engine's own, as it wrote it: checked at its event's position in the log. */
async function signatureProblem(integrity: LogIntegrity, snapshot: ProcessSnapshot, at: StoredEvent, own: SigningKey): Promise<string | null> {
  const problem = await integrity.signatureProblem('snapshot', snapshotSignedBody(snapshot), snapshot.signature, at.position, own);
  return problem && `it is not a snapshot the engine signed: ${problem}`;
}

/** `origin` and the events after it, when the log still agrees with it; else `ignore(why)`. */
async function resume(
  store: EventStore,
  definition: ProcessDefinition,
  stream: string,
  origin: Origin,
  ignore: (why: string) => undefined,
  integrity: LogIntegrity,
): Promise<Omit<CurrentProcess, 'lastSnapshot'> | undefined> {
  const machine = definition.versions[origin.machineVersion];
  if (!machine) return ignore(`machine version ${origin.machineVersion} is not known to this engine`);
  // One read gives both the event the origin names (the check) and the events after it (the tail).
  const [at, ...tail] = await store.readStream(stream, { fromRevision: origin.revision });
  if (!at || at.revision !== origin.revision) return ignore('the stream has no event at that revision');
  if (at.hash !== origin.hash) return ignore('the event at that revision has another hash');
  const pinned = at.metadata.machine;
  if (pinned.id !== definition.id || pinned.version !== origin.machineVersion) {
    return ignore(`the stream runs machine ${pinned.id} v${pinned.version}`);
  }
  const distrusted = await origin.distrust?.(at);
  if (distrusted) return ignore(distrusted);
  let previous = at;
  for (const event of tail) {
    if (event.revision !== previous.revision + 1 || event.prevHash !== previous.hash) {
      return ignore(`the events after it do not chain on (revision ${event.revision})`);
    }
    previous = event;
  }
  // The origin vouches for the events up to its own; those after it are facts the decide step will rest on.
  await integrity.checkStream(stream, tail, { revision: at.revision, hash: at.hash });
  const state = foldOnto(machine, origin.state(), tail);
  return { state, events: tail, base: origin.revision, hash: previous.hash };
}

function remember(snapshots: RunnerSnapshots, stream: string, definition: ProcessDefinition, current: CurrentProcess): CurrentProcess {
  if (snapshots.cache && current.hash !== null) {
    snapshots.cache.put(stream, { machineId: definition.id, state: current.state, hash: current.hash, lastSnapshot: current.lastSnapshot });
  }
  return current;
}

/**
 * After a command appended `events` onto `current` (and folded them into `state`): keeps the new state in the
 * cache, and writes a snapshot when the stream has grown by `every` events since its latest one. Outside the
 * append's transaction, after it; a failed write is reported and swallowed (the command has succeeded), and the
 * next attempt waits for another `every` events rather than failing again on every command.
 */
export async function afterAppend(
  snapshots: RunnerSnapshots,
  definition: ProcessDefinition,
  stream: string,
  current: CurrentProcess,
  state: ProcessState,
  hash: string,
): Promise<void> {
  const saved = await saveSnapshot(snapshots, definition, stream, state, current.lastSnapshot, hash);
  const lastSnapshot = saved === 'not due' ? current.lastSnapshot : state.revision;
  remember(snapshots, stream, definition, { state, events: [], base: state.revision, hash, lastSnapshot });
}

/**
 * Writes a snapshot of `state` when the stream has grown by `every` events since `lastSnapshot`. A failure is
 * reported and swallowed; so is a state that JSON cannot carry (`snapshotText`), which is never written.
 */
export async function saveSnapshot(
  snapshots: RunnerSnapshots,
  definition: ProcessDefinition,
  stream: string,
  state: ProcessState,
  lastSnapshot: number,
  hash: string,
): Promise<'written' | 'not due' | 'not written'> {
  const every = snapshots.every ?? DEFAULT_SNAPSHOT_EVERY;
  if (every <= 0 || state.revision - lastSnapshot < every) return 'not due';
  try {
    const machine = definition.versions[state.machineVersion]!;
    const text = snapshotText(machine, state);
    if (text === undefined) return 'not written';
    const body = { stream, machineId: definition.id, machineVersion: state.machineVersion, format: SNAPSHOT_FORMAT, revision: state.revision, hash, state: text };
    const signature = { keyId: snapshots.key.keyId, value: snapshots.key.sign('snapshot', snapshotSignedBody(body)) };
    await snapshots.store.save({ ...body, signature });
    return 'written';
  } catch (error) {
    snapshots.onProblem?.(`snapshot of "${stream}" at revision ${state.revision} not written: ${describe(error)}`, error);
    return 'not written';
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
