import { createActor, type AnyActorScope, type AnyMachineSnapshot, type AnyStateMachine, type EventObject } from 'xstate';

/**
 * XState's pure `transition(machine, snapshot, event)` and `initialTransition(machine, input)` build a throwaway
 * actor scope on every call, and the actor's constructor computes the machine's whole initial state: measured on
 * verify's machine-legality replay, that was about half of each step's CPU and most of its garbage.
 *
 * Our machines spawn nothing, invoke nothing and have no actions but `assign` (their transitions compute the next
 * context and nothing else), so nothing a step does lands in the scope: one inert scope per machine serves every
 * step of every stream. The snapshots are the very ones XState's own functions give (pure-step.spec.ts compares
 * them over recorded histories, refusals included), and, as with `transition`, a step no transition accepts gives
 * back the same snapshot object.
 */
const scopes = new WeakMap<AnyStateMachine, AnyActorScope>();

function scopeOf(machine: AnyStateMachine): AnyActorScope {
  let scope = scopes.get(machine);
  if (!scope) {
    const self = createActor(machine);
    scope = {
      self,
      id: '',
      sessionId: '',
      system: self.system,
      // Pure: actions are neither run nor collected (`transition` collects them for its caller; no caller here wants them).
      defer: () => {},
      logger: () => {},
      stopChild: () => {},
      emit: () => {},
      actionExecutor: () => {},
    } as unknown as AnyActorScope;
    scopes.set(machine, scope);
  }
  return scope;
}

/** `initialTransition(machine, input)[0]`, without a new actor per call. */
export function pureInitial(machine: AnyStateMachine, input?: unknown): AnyMachineSnapshot {
  return machine.getInitialSnapshot(scopeOf(machine), input) as AnyMachineSnapshot;
}

/** `transition(machine, snapshot, event)[0]`, without a new actor per call. */
export function pureTransition(machine: AnyStateMachine, snapshot: AnyMachineSnapshot, event: EventObject): AnyMachineSnapshot {
  return machine.transition(snapshot, event, scopeOf(machine)) as AnyMachineSnapshot;
}
