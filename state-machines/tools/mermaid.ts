import type { AnyStateMachine } from 'xstate';

interface StateConfig {
  initial?: string;
  type?: string;
  states?: Record<string, StateConfig>;
  on?: Record<string, TransitionConfig | TransitionConfig[]>;
}

interface TransitionConfig {
  target?: string | string[];
  guard?: unknown;
  meta?: { clauses?: string[] };
}

/**
 * A Mermaid state diagram of a machine, labelled with the ToR clauses of each transition, drawn from the
 * machine's own config so that it cannot drift: a spec compares it with the committed `.mmd` file.
 */
export function toMermaid(machine: AnyStateMachine): string {
  const lines = ['stateDiagram-v2'];
  drawStates(machine.config as StateConfig, '', lines, '  ');
  return `${lines.join('\n')}\n`;
}

function drawStates(node: StateConfig, prefix: string, lines: string[], indent: string): void {
  if (node.initial) lines.push(`${indent}[*] --> ${prefix}${node.initial}`);
  for (const [name, child] of Object.entries(node.states ?? {})) {
    const id = `${prefix}${name}`;
    if (child.states) {
      lines.push(`${indent}state ${id} {`);
      drawStates(child, `${id}_`, lines, `${indent}  `);
      lines.push(`${indent}}`);
    }
    if (child.type === 'final') lines.push(`${indent}${id} --> [*]`);
    for (const [eventType, transitions] of Object.entries(child.on ?? {})) {
      for (const transition of [transitions].flat()) {
        const targets = [transition.target ?? name].flat().map((target) => `${prefix}${target.replace(/^\./, '')}`);
        const clauses = transition.meta?.clauses?.length ? ` (${transition.meta.clauses.join(', ')})` : '';
        const guard = transition.guard ? ` [${describeGuard(transition.guard)}]` : '';
        for (const target of targets) lines.push(`${indent}${id} --> ${target}: ${eventType}${guard}${clauses}`);
      }
    }
  }
}

function describeGuard(guard: unknown): string {
  if (typeof guard === 'string') return guard;
  if (guard && typeof guard === 'object' && 'type' in guard) return String((guard as { type: unknown }).type);
  return 'guarded';
}
