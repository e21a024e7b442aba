import type { AnyStateMachine, AnyStateNode } from 'xstate';
import { pureInitial, pureTransition } from '../../../state-machines/tools/pure-step.js';
import type { StoredEvent } from '../../envelope/index.js';
import { machineEventOf, stateValueString } from '../../process-runner/index.js';

export interface GraphState {
  /** Dotted path from the root (`open`, or `voting.open` in a nested machine). */
  id: string;
  description?: string;
  final: boolean;
}

export interface GraphTransition {
  /** `<source>:<event>:<index among that event's transitions>`: stable while the machine version is. */
  key: string;
  from: string;
  /** The source itself for a transition without a target (it stays, e.g. a vote recorded while open). */
  to: string;
  event: string;
  guard?: string;
  clauses: string[];
}

export interface MachineGraph {
  machineId: string;
  initial: string;
  states: GraphState[];
  transitions: GraphTransition[];
}

export interface PathStep {
  revision: number;
  position: number;
  event: string;
  from: string;
  to: string;
  /** Keys of the transitions the machine took for this event (one, in a machine without parallel regions). */
  transitions: string[];
}

/** The way a stream went through its machine, event by event. */
export interface TakenPath {
  steps: PathStep[];
  /** The state after the last event folded. */
  state: string;
  /** The first event the machine refused: the fold stops there (`verify` reports the same event). */
  refused: { revision: number; position: number; event: string; state: string } | null;
}

const guardName = (guard: unknown): string | undefined =>
  guard === undefined || guard === null
    ? undefined
    : typeof guard === 'string'
      ? guard
      : typeof guard === 'object' && 'type' in guard
        ? String((guard as { type: unknown }).type)
        : 'guarded';

const idOf = (node: AnyStateNode) => node.path.join('.');

/**
 * The states and transitions of a machine, read from XState's own state nodes (as the Mermaid diagrams are
 * drawn from its config), so a dossier's diagram cannot drift from the machine that judged the events.
 */
export function machineGraph(machine: AnyStateMachine): { graph: MachineGraph; keyOf: (definition: unknown) => string | undefined } {
  const states: GraphState[] = [];
  const transitions: GraphTransition[] = [];
  const keys = new Map<unknown, string>();
  const visit = (node: AnyStateNode) => {
    for (const child of Object.values(node.states) as AnyStateNode[]) {
      states.push({ id: idOf(child), final: child.type === 'final', ...(child.description ? { description: child.description } : {}) });
      for (const [event, definitions] of child.transitions) {
        definitions.forEach((definition, index) => {
          const key = `${idOf(child)}:${event}:${index}`;
          keys.set(definition, key);
          const guard = guardName(definition.guard);
          const clauses = (definition.meta as { clauses?: string[] } | undefined)?.clauses ?? [];
          const target = definition.target?.[0];
          transitions.push({ key, from: idOf(child), to: target ? idOf(target) : idOf(child), event, ...(guard ? { guard } : {}), clauses });
        });
      }
      visit(child);
    }
  };
  visit(machine.root);
  const initial = machine.root.initial?.target?.[0];
  return {
    graph: { machineId: machine.id, initial: initial ? idOf(initial) : (states[0]?.id ?? ''), states, transitions },
    keyOf: (definition) => keys.get(definition),
  };
}

/**
 * Folds a stream's events through its machine with XState's pure functions, noting which transition each event
 * took (`getTransitionData` answers the very definitions the graph was read from).
 */
export function takenPath(machine: AnyStateMachine, input: unknown, events: readonly StoredEvent[]): TakenPath {
  const { keyOf } = machineGraph(machine);
  let snapshot = pureInitial(machine, input);
  const steps: PathStep[] = [];
  for (const event of events) {
    const machineEvent = machineEventOf(event);
    const from = stateValueString(snapshot);
    const taken = machine.getTransitionData(snapshot, machineEvent);
    if (taken.length === 0) {
      return { steps, state: from, refused: { revision: event.revision, position: event.position, event: event.type, state: from } };
    }
    snapshot = pureTransition(machine, snapshot, machineEvent);
    steps.push({
      revision: event.revision,
      position: event.position,
      event: event.type,
      from,
      to: stateValueString(snapshot),
      transitions: taken.map((definition) => keyOf(definition) ?? `${from}:${event.type}:?`),
    });
  }
  return { steps, state: stateValueString(snapshot), refused: null };
}
