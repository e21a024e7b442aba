import type { AnyStateMachine } from 'xstate';

interface NodeConfig {
  states?: Record<string, NodeConfig>;
  on?: Record<string, { meta?: { clauses?: string[] } } | { meta?: { clauses?: string[] } }[]>;
}

/**
 * The ToR clauses that govern an event type, read from the machine's transitions (`meta.clauses`): the single
 * source for clauses in stored envelopes, refusals and diagrams.
 */
export function clausesFor(machine: AnyStateMachine, eventType: string): string[] {
  const found = new Set<string>();
  const visit = (node: NodeConfig): void => {
    for (const transition of [node.on?.[eventType] ?? []].flat()) {
      for (const clause of transition.meta?.clauses ?? []) found.add(clause);
    }
    for (const child of Object.values(node.states ?? {})) visit(child);
  };
  visit(machine.config as NodeConfig);
  return [...found];
}
