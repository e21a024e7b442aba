import type { AnyMachineSnapshot, AnyStateMachine } from 'xstate';
import { pureInitial } from '../../state-machines/tools/pure-step.js';
import type { MachineRef, StoredEvent } from '../envelope/index.js';
import { machineEventOf, stateValueString, stepMachine } from '../process-runner/index.js';
import type { ProcessDefinition } from '../process-runner/index.js';
import { PROCESS_REGISTRY, type ProcessRegistry } from './process-registry.js';

interface StreamReplay {
  pinned: MachineRef;
  definition: ProcessDefinition;
  machine: AnyStateMachine;
  /** The machine's count in `machines()`, kept here so an event costs no map look-up by a composed key. */
  counter: { events: number };
  /** Undefined when the stream was first seen mid-way (a partial bundle): its state before is unknown. */
  snapshot?: AnyMachineSnapshot;
}

export interface MachineLegality {
  /** For verifyLog's `legality` option: why this event is not a legal transition, or null. */
  check(event: StoredEvent): string | null;
  /**
   * For a walk that starts after a verified checkpoint: folds a stream's events before the first one walked (read
   * from the store, not counted in `machines()`), so that event is judged from the state they leave. Why they do
   * not fold, or null.
   */
  resume(prior: readonly StoredEvent[]): string | null;
  /** Streams whose first event seen was not revision 0: their legality could not be checked. */
  unchecked(): string[];
  /** The machines met, with the number of events each. */
  machines(): { id: string; version: number; events: number }[];
}

/**
 * Replays each stream, event by event, through the machine version its first event pins (docs/architecture.md §3
 * "Determinism"), with XState's pure functions: the check the runner made before appending, made again over
 * the stored history. A stream whose machine id or version this engine does not know is a fault too: its
 * history could not be replayed.
 */
export function machineLegality(registry: ProcessRegistry = PROCESS_REGISTRY): MachineLegality {
  const streams = new Map<string, StreamReplay>();
  const counts = new Map<string, { id: string; version: number; events: number }>();
  const step = (event: StoredEvent, counted: boolean): string | null => {
    const ref = event.metadata?.machine;
    let replay = streams.get(event.stream);
    if (!replay) {
      const definition = ref ? registry.get(ref.id) : undefined;
      if (!definition) {
        return `stream "${event.stream}" pins machine "${ref?.id}", which this engine does not know: no process definition is registered for it (libs/audit/process-registry.ts)`;
      }
      const machine = definition.versions[ref.version];
      if (!machine) {
        return `stream "${event.stream}" pins ${ref.id} machine version ${ref.version}, which this engine does not have (it has ${Object.keys(definition.versions).join(', ')})`;
      }
      const key = `${ref.id}\u0000${ref.version}`;
      let counter = counts.get(key);
      if (!counter) counts.set(key, (counter = { id: ref.id, version: ref.version, events: 0 }));
      replay = { pinned: { id: ref.id, version: ref.version }, definition, machine, counter };
      if (event.revision === 0) replay.snapshot = pureInitial(machine, definition.input(event.stream));
      streams.set(event.stream, replay);
    }
    const { pinned } = replay;
    if (ref?.id !== pinned.id || ref.version !== pinned.version) {
      return `event names machine ${ref?.id} v${ref?.version}, but stream "${event.stream}" is pinned to ${pinned.id} v${pinned.version} by its first event`;
    }
    if (replay.snapshot) {
      // The runner's own step (one pure transition doing the work of `can` and `transition`).
      const next = stepMachine(replay.machine, replay.snapshot, machineEventOf(event));
      if (next === null) {
        const state = stateValueString(replay.snapshot);
        return `${event.type} is not a legal transition of ${pinned.id} machine v${pinned.version} from state "${state}" (stream "${event.stream}", revision ${event.revision})`;
      }
      replay.snapshot = next;
    }
    if (counted) replay.counter.events += 1;
    return null;
  };
  return {
    check: (event) => step(event, true),
    resume: (prior) => {
      for (const event of prior) {
        const problem = step(event, false);
        if (problem) return problem;
      }
      return null;
    },
    unchecked: () => [...streams].filter(([, replay]) => !replay.snapshot).map(([stream]) => stream),
    machines: () =>
      [...counts.values()]
        .filter((counter) => counter.events > 0)
        .map(({ id, version, events }) => ({ id, version, events }))
        .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : a.version - b.version)),
  };
}
