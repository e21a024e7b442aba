import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { initialTransition, transition, type AnyMachineSnapshot, type AnyStateMachine } from 'xstate';
import { PROCESS_REGISTRY } from '../../libs/audit/process-registry.js';
import type { StoredEvent } from '../../libs/envelope/index.js';
import { machineEventOf } from '../../libs/process-runner/index.js';
import { MACHINES } from '../index.js';
import { pureInitial, pureTransition } from './pure-step.js';

/** The recorded histories (test/golden): real streams of the Partner and ballot machines, interleaved. */
function goldenEvents(name: string): StoredEvent[] {
  const text = readFileSync(new URL(`../../test/golden/${name}.jsonl`, import.meta.url), 'utf8');
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .slice(1)
    .map((line) => (JSON.parse(line) as { event: StoredEvent }).event);
}

const view = (snapshot: AnyMachineSnapshot) => ({ value: snapshot.value, context: snapshot.context, status: snapshot.status });

interface NodeShape {
  id: string;
  invoke: unknown[];
  entry: unknown[];
  exit: unknown[];
  states?: Record<string, NodeShape>;
  transitions: Map<string, { actions: unknown[] }[]>;
}

describe('pure steps with one actor scope per machine', () => {
  // The premise of sharing one scope (pure-step.ts): a step leaves nothing in it. A machine that invokes or
  // spawns actors, or runs actions other than assign, would need XState's own transition() instead.
  it.each(MACHINES.map((entry) => [entry.id, entry.machine] as const))('%s: invokes nothing, runs only assign actions', (_id, machine) => {
    const implementations = Object.entries(machine.implementations.actions as Record<string, { type?: string }>);
    expect(implementations.filter(([, action]) => action.type !== 'xstate.assign').map(([name]) => name)).toEqual([]);
    const nodes: NodeShape[] = [];
    const walk = (node: NodeShape) => {
      nodes.push(node);
      Object.values(node.states ?? {}).forEach(walk);
    };
    walk(machine.root as unknown as NodeShape);
    for (const node of nodes) {
      expect({ node: node.id, invoke: node.invoke.length, entry: node.entry.length, exit: node.exit.length }).toEqual({ node: node.id, invoke: 0, entry: 0, exit: 0 });
      for (const [, transitions] of node.transitions) {
        for (const { actions } of transitions) {
          for (const action of actions) {
            const named = typeof action === 'string' && implementations.some(([name]) => name === action);
            expect(named || (action as { type?: string }).type === 'xstate.assign').toBe(true);
          }
        }
      }
    }
  });

  it.each(['partner-lifecycle', 'ballot-lifecycle'])(
    '%s: every step, and every other event type tried at every state, as XState transition() gives it',
    (name) => {
      const events = goldenEvents(name);
      const machines = new Map<string, AnyStateMachine>();
      const theirs = new Map<string, AnyMachineSnapshot>();
      const ours = new Map<string, AnyMachineSnapshot>();
      let refusals = 0;
      for (const event of events) {
        const definition = PROCESS_REGISTRY.get(event.metadata.machine.id)!;
        const machine = definition.versions[event.metadata.machine.version]!;
        machines.set(event.stream, machine);
        if (event.revision === 0) {
          theirs.set(event.stream, initialTransition(machine, definition.input(event.stream))[0]);
          ours.set(event.stream, pureInitial(machine, definition.input(event.stream)));
          expect(view(ours.get(event.stream)!)).toEqual(view(theirs.get(event.stream)!));
        }
        const before = { theirs: theirs.get(event.stream)!, ours: ours.get(event.stream)! };
        // Every event of the log, applied here: most are refused in this state (same snapshot back) and must be
        // refused by both; those accepted must give the same state.
        for (const other of events) {
          const [t] = transition(machine, before.theirs, machineEventOf(other));
          const o = pureTransition(machine, before.ours, machineEventOf(other));
          expect(o === before.ours).toBe(t === before.theirs);
          if (t === before.theirs) refusals += 1;
          else expect(view(o)).toEqual(view(t));
        }
        theirs.set(event.stream, transition(machine, before.theirs, machineEventOf(event))[0]);
        ours.set(event.stream, pureTransition(machine, before.ours, machineEventOf(event)));
        expect(ours.get(event.stream)).not.toBe(before.ours);
        expect(view(ours.get(event.stream)!)).toEqual(view(theirs.get(event.stream)!));
      }
      expect(refusals).toBeGreaterThan(events.length);
    },
  );
});
