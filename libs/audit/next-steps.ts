import type { AnyMachineSnapshot, AnyStateMachine } from 'xstate';

interface NodeConfig {
  type?: string;
  states?: Record<string, NodeConfig>;
  on?: Record<string, TransitionConfig | TransitionConfig[]>;
}

interface TransitionConfig {
  target?: string | string[];
  guard?: unknown;
  meta?: { clauses?: string[] };
}

/** One event the process could take next, as its machine declares it. */
export interface NextStep {
  event: string;
  /** Where it leads (the state's own name for a self-transition). */
  target: string;
  clauses: string[];
  /** Set when the transition is guarded: it is allowed only when the guard holds for the event's data. */
  guard?: string;
}

/**
 * The transitions leaving the current state, read from the machine's config: which event types `snapshot.can`
 * would accept depends on the event's data when a guard is involved, so the steps are listed with their guard
 * rather than tested with made-up data. Nested and parallel states list the transitions of every active node,
 * innermost first (XState tries the deepest node first).
 */
export function nextSteps(machine: AnyStateMachine, snapshot: AnyMachineSnapshot): NextStep[] {
  if (snapshot.status === 'done') return [];
  const steps: NextStep[] = [];
  const seen = new Set<string>();
  const visit = (node: NodeConfig, value: unknown, path: string[]): void => {
    const children = typeof value === 'string' ? { [value]: undefined } : ((value ?? {}) as Record<string, unknown>);
    for (const [name, childValue] of Object.entries(children)) {
      const child = node.states?.[name];
      if (child) visit(child, childValue, [...path, name]);
    }
    for (const [event, transitions] of Object.entries(node.on ?? {})) {
      for (const transition of [transitions].flat()) {
        const target = [transition.target ?? path.at(-1) ?? '(root)'].flat().map((t) => t.replace(/^\./, '')).join(', ');
        const guard = describeGuard(transition.guard);
        const key = `${event}\u0000${target}\u0000${guard ?? ''}`;
        if (seen.has(key)) continue;
        seen.add(key);
        steps.push({ event, target, clauses: transition.meta?.clauses ?? [], ...(guard ? { guard } : {}) });
      }
    }
  };
  visit(machine.config as NodeConfig, snapshot.value, []);
  return steps;
}

function describeGuard(guard: unknown): string | undefined {
  if (guard === undefined || guard === null) return undefined;
  if (typeof guard === 'string') return guard;
  if (typeof guard === 'object' && 'type' in guard) return String((guard as { type: unknown }).type);
  return 'guarded';
}
