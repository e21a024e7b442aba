import type { AnyMachineSnapshot, AnyStateMachine } from 'xstate';
import { pureInitial, pureTransition } from '../../state-machines/tools/pure-step.js';
import type { StoredEvent } from '../envelope/index.js';

export interface ProcessState {
  /** The machine's state value as one dotted string (e.g. "registered", "voting.open"). */
  value: string;
  context: unknown;
  /** The stream's last revision (-1 when empty). */
  revision: number;
  /** The machine version the stream is pinned to. */
  machineVersion: number;
  snapshot: AnyMachineSnapshot;
}

export function machineEventOf(event: Pick<StoredEvent, 'type' | 'data' | 'metadata'>) {
  const { actor, occurredAt } = event.metadata;
  return {
    type: event.type,
    data: event.data,
    meta: { occurredAt, actor: { id: actor.id, role: actor.role, ...(actor.org ? { org: actor.org } : {}) } },
  };
}

export function stateValueString(snapshot: AnyMachineSnapshot): string {
  const flatten = (value: unknown): string[] =>
    typeof value === 'string'
      ? [value]
      : Object.entries(value as Record<string, unknown>).flatMap(([key, child]) =>
          flatten(child).map((leaf) => `${key}.${leaf}`),
        );
  return flatten(snapshot.value).join(',');
}

/** Thrown when a stored event is not a legal transition of its stream's pinned machine. */
export class IllegalHistoryError extends Error {
  override readonly name = 'IllegalHistoryError';
  constructor(
    readonly event: Pick<StoredEvent, 'id' | 'stream' | 'revision' | 'type'>,
    readonly state: string,
  ) {
    super(`event ${event.type} at ${event.stream}@${event.revision} is not a legal transition from state "${state}"`);
  }
}

/**
 * One pure step, used by the fold, the decide check and verify's legality check: the next snapshot, or null when
 * the machine does not accept the event in this state. XState gives back the very same snapshot exactly when no
 * transition is enabled (docs/architecture.md §5; pinned by libs/audit/machine-legality.spec.ts), so one transition does the
 * work of `can` and `transition`. `pureTransition` is XState's `transition` without a new actor per call
 * (state-machines/tools/pure-step.ts).
 */
export function stepMachine(
  machine: AnyStateMachine,
  snapshot: AnyMachineSnapshot,
  event: ReturnType<typeof machineEventOf>,
): AnyMachineSnapshot | null {
  const next = pureTransition(machine, snapshot, event);
  return next === snapshot ? null : next;
}

/**
 * The state of a stream is a pure fold of its events through its machine, with XState's pure transition
 * functions: no actor is started, no clock is read, nothing is scheduled.
 */
export function foldEvents(
  machine: AnyStateMachine,
  input: unknown,
  events: readonly StoredEvent[],
  machineVersion: number,
): ProcessState {
  const initial = pureInitial(machine, input);
  return foldOnto(machine, { value: '', context: initial.context, revision: -1, machineVersion, snapshot: initial }, events);
}

/** Continues a fold from a known state with the events that follow it (e.g. those a command just appended). */
export function foldOnto(machine: AnyStateMachine, state: ProcessState, events: readonly StoredEvent[]): ProcessState {
  let snapshot = state.snapshot;
  let revision = state.revision;
  for (const event of events) {
    const next = stepMachine(machine, snapshot, machineEventOf(event));
    if (!next) throw new IllegalHistoryError(event, stateValueString(snapshot));
    snapshot = next;
    revision = event.revision;
  }
  return { value: stateValueString(snapshot), context: snapshot.context, revision, machineVersion: state.machineVersion, snapshot };
}
