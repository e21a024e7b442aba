import type { AnyStateMachine, StateValue } from 'xstate';
import type { ProcessSnapshot } from '../snapshots/port.js';
import { stateValueString, type ProcessState } from './fold.js';

/**
 * How a fold state is written into a snapshot. Bump it whenever what is written, or how it is read back,
 * changes: snapshots in another format are ignored (and replaced by the next one written), never misread.
 */
export const SNAPSHOT_FORMAT = 1;

/** What a snapshot's `state` text holds: XState's persisted snapshot, less what our pure machines never have. */
interface SnapshotBody {
  status: 'active' | 'done';
  value: StateValue;
  context: unknown;
  output?: unknown;
}

/** Thrown when a snapshot's text is not a state of its machine; the runner then folds from the start. */
export class UnreadableSnapshotError extends Error {
  override readonly name = 'UnreadableSnapshotError';
}

/**
 * The fold state as snapshot text: XState's own persisted form (`getPersistedSnapshot`) as JSON, or undefined when
 * the state holds what JSON cannot carry back exactly (spawned children, history states: our machines have none),
 * in which case no snapshot is written and the stream simply keeps folding from its start.
 */
export function snapshotText(machine: AnyStateMachine, state: ProcessState): string | undefined {
  const persisted = machine.getPersistedSnapshot(state.snapshot) as unknown as {
    status: string;
    value: StateValue;
    context: unknown;
    output?: unknown;
    children?: Record<string, unknown>;
    historyValue?: Record<string, unknown>;
  };
  if (persisted.status !== 'active' && persisted.status !== 'done') return undefined;
  if (Object.keys(persisted.children ?? {}).length > 0 || Object.keys(persisted.historyValue ?? {}).length > 0) {
    return undefined;
  }
  const body: SnapshotBody = {
    status: persisted.status,
    value: persisted.value,
    context: persisted.context,
    ...(persisted.output !== undefined ? { output: persisted.output } : {}),
  };
  return JSON.stringify(body);
}

/**
 * The fold state a snapshot holds, rebuilt with `machine.resolveState` (no actor, no side effect). Throws
 * UnreadableSnapshotError when the text is not JSON, not of this shape, or names a state the machine does not have.
 */
export function restoreState(machine: AnyStateMachine, snapshot: ProcessSnapshot): ProcessState {
  let body: SnapshotBody;
  try {
    body = JSON.parse(snapshot.state) as SnapshotBody;
  } catch (error) {
    throw new UnreadableSnapshotError(`the snapshot of "${snapshot.stream}" at ${snapshot.revision} is not JSON`, { cause: error });
  }
  const valueOk = typeof body?.value === 'string' || (typeof body?.value === 'object' && body.value !== null);
  const contextOk = typeof body?.context === 'object' && body.context !== null;
  if (!valueOk || !contextOk || (body.status !== 'active' && body.status !== 'done')) {
    throw new UnreadableSnapshotError(`the snapshot of "${snapshot.stream}" at ${snapshot.revision} is not a machine state`);
  }
  let restored;
  try {
    // No status passed in: resolveState derives it from the state nodes, and it must match what was written.
    restored = machine.resolveState({ value: body.value, context: body.context, output: body.output });
  } catch (error) {
    throw new UnreadableSnapshotError(
      `the snapshot of "${snapshot.stream}" at ${snapshot.revision} names a state machine "${machine.id}" does not have`,
      { cause: error },
    );
  }
  // resolveState completes a partial value with initial states: a snapshot that does not come back exactly as
  // written was not written by this machine.
  if (JSON.stringify(restored.value) !== JSON.stringify(body.value) || restored.status !== body.status) {
    throw new UnreadableSnapshotError(
      `the snapshot of "${snapshot.stream}" at ${snapshot.revision} is not a complete state of machine "${machine.id}"`,
    );
  }
  return {
    value: stateValueString(restored),
    context: restored.context,
    revision: snapshot.revision,
    machineVersion: snapshot.machineVersion,
    snapshot: restored,
  };
}
