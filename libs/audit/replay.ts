import { pureInitial } from '../../state-machines/tools/pure-step.js';
import type { MachineRef, StoredEvent } from '../envelope/index.js';
import { NotFoundError } from '../errors/index.js';
import type { EventStore } from '../event-store/index.js';
import { IllegalHistoryError, machineEventOf, stateValueString, stepMachine } from '../process-runner/index.js';
import { nextSteps, type NextStep } from './next-steps.js';
import { PROCESS_REGISTRY, type ProcessRegistry } from './process-registry.js';

export interface ReplayOptions {
  /** The state as it stood at this instant: the stream's events up to the first one that occurred later. */
  at?: Date;
  /** The state as it stood once the log reached this global position (inclusive). */
  position?: number;
  registry?: ProcessRegistry;
}

/** A stream's state at a point of the past (or now), as an auditor asks for it (docs/architecture.md §1, item 2). */
export interface ProcessReplay {
  stream: string;
  /** The machine the stream pinned in its first event: its history is read with that version only. */
  machine: MachineRef;
  asOf: { at: string | null; position: number | null };
  /** Dotted state value (parallel regions joined by commas), e.g. "registered". */
  state: string;
  context: unknown;
  /** True in a final state: nothing can follow. */
  done: boolean;
  /** Revision of the last event folded; -1 when the stream had not begun yet. */
  revision: number;
  /** Events folded, out of the stream's events now. */
  events: { folded: number; total: number };
  lastEvent: { position: number; type: string; occurredAt: string; hash: string } | null;
  /** The ToR version the last folded event was decided under. */
  torVersion: string | null;
  /** What the machine allows next from this state, with the ToR clauses. */
  next: NextStep[];
}

/** One event as an auditor reads it: who, in what capacity, under which rule and machine, and what it led to. */
export interface HistoryEntry {
  position: number;
  revision: number;
  id: string;
  type: string;
  occurredAt: string;
  actor: { id: string; name?: string };
  /** The role the person acted in, and the Partner they spoke for. */
  capacity: { role: string; org?: string };
  clauses: string[];
  machine: MachineRef;
  torVersion: string;
  commandId: string;
  correlationId: string;
  causationId: string;
  imported?: boolean;
  data: unknown;
  /** The stream's state once this event was folded. */
  stateAfter: string;
  prevHash: string;
  hash: string;
}

export interface StreamReplay {
  replay: ProcessReplay;
  history: HistoryEntry[];
}

/** The process definition a stream's first event names is not in the registry. */
export class UnknownProcessError extends Error {
  override readonly name = 'UnknownProcessError';
  constructor(
    readonly stream: string,
    readonly machine: MachineRef,
  ) {
    super(
      `stream "${stream}" belongs to ${machine.id} machine v${machine.version}, which this engine does not know (libs/audit/process-registry.ts)`,
    );
  }
}

/**
 * Folds a stream through its pinned machine up to an instant or a position, keeping the state after each
 * event for the history. The cut is a prefix of the stream: a stream's history is never folded with a gap.
 */
export async function replayStream(store: EventStore, stream: string, options: ReplayOptions = {}): Promise<StreamReplay> {
  const all = await store.readStream(stream);
  if (all.length === 0) throw new NotFoundError(`no process has a stream named "${stream}"`, { stream });
  const pinned = all[0]!.metadata.machine;
  const definition = (options.registry ?? PROCESS_REGISTRY).get(pinned.id);
  const machine = definition?.versions[pinned.version];
  if (!definition || !machine) throw new UnknownProcessError(stream, pinned);

  const cut = options.at?.getTime();
  const upTo = all.findIndex(
    (event) =>
      (cut !== undefined && Date.parse(event.metadata.occurredAt) > cut) ||
      (options.position !== undefined && event.position > options.position),
  );
  const events = upTo === -1 ? all : all.slice(0, upTo);
  let snapshot = pureInitial(machine, definition.input(stream));
  const history = events.map((event): HistoryEntry => {
    const next = stepMachine(machine, snapshot, machineEventOf(event));
    if (!next) throw new IllegalHistoryError(event, stateValueString(snapshot));
    snapshot = next;
    return historyEntry(event, stateValueString(snapshot));
  });
  const last = events.at(-1);
  return {
    replay: {
      stream,
      machine: { id: pinned.id, version: pinned.version },
      asOf: { at: options.at?.toISOString() ?? null, position: options.position ?? null },
      state: stateValueString(snapshot),
      context: snapshot.context,
      done: snapshot.status === 'done',
      revision: last?.revision ?? -1,
      events: { folded: events.length, total: all.length },
      lastEvent: last
        ? { position: last.position, type: last.type, occurredAt: last.metadata.occurredAt, hash: last.hash }
        : null,
      torVersion: last?.metadata.torVersion ?? null,
      next: nextSteps(machine, snapshot),
    },
    history,
  };
}

/**
 * The stored event a history entry was read from, rebuilt from what the history API answers (the entry keeps every
 * field of the envelope): a client of `/v1/processes/{stream}/history` can fold it again, e.g. to draw the path
 * taken through the machine (libs/audit/dossier `takenPath`) from the very events the API showed.
 */
export function storedEventOf(stream: string, entry: HistoryEntry): StoredEvent {
  return {
    id: entry.id,
    stream,
    revision: entry.revision,
    position: entry.position,
    type: entry.type,
    data: entry.data,
    metadata: {
      actor: { id: entry.actor.id, role: entry.capacity.role, ...(entry.capacity.org ? { org: entry.capacity.org } : {}), ...(entry.actor.name ? { name: entry.actor.name } : {}) },
      commandId: entry.commandId,
      correlationId: entry.correlationId,
      causationId: entry.causationId,
      occurredAt: entry.occurredAt,
      machine: entry.machine,
      torVersion: entry.torVersion,
      clauses: entry.clauses,
      ...(entry.imported ? { imported: true } : {}),
    },
    prevHash: entry.prevHash,
    hash: entry.hash,
  };
}

function historyEntry(event: StoredEvent, stateAfter: string): HistoryEntry {
  const { actor, ...metadata } = event.metadata;
  return {
    position: event.position,
    revision: event.revision,
    id: event.id,
    type: event.type,
    occurredAt: metadata.occurredAt,
    actor: { id: actor.id, ...(actor.name ? { name: actor.name } : {}) },
    capacity: { role: actor.role, ...(actor.org ? { org: actor.org } : {}) },
    clauses: metadata.clauses,
    machine: metadata.machine,
    torVersion: metadata.torVersion,
    commandId: metadata.commandId,
    correlationId: metadata.correlationId,
    causationId: metadata.causationId,
    ...(metadata.imported ? { imported: true } : {}),
    data: event.data,
    stateAfter,
    prevHash: event.prevHash,
    hash: event.hash,
  };
}
