import { workplanMachine, WORKPLAN_MACHINE_VERSION } from '../../state-machines/workplan/workplan.machine.js';
import type { ProcessDefinition } from '../process-runner/index.js';
import { TOR_VERSION } from '../kernel/tor.js';

const PREFIX = 'workplan-';

/** A cycle is named by its year (`2027`) or its span (`2027-2028`). */
export const CYCLE_PATTERN = /^\d{4}(?:-\d{4})?$/;

/** One stream per yearly cycle (e.g. `workplan-2027`). */
export function workplanStream(cycle: string): string {
  return `${PREFIX}${cycle}`;
}

export function cycleOf(stream: string): string {
  return stream.startsWith(PREFIX) ? stream.slice(PREFIX.length) : stream;
}

/** The cycle a ballot's subject reference names: `workplan-2027` (as opened here) or `2027`. */
export function cycleOfReference(reference: string | undefined): string | undefined {
  if (!reference) return undefined;
  const cycle = cycleOf(reference);
  return CYCLE_PATTERN.test(cycle) ? cycle : undefined;
}

export const workplanProcess: ProcessDefinition<{ cycle: string }> = {
  id: 'workplan',
  currentVersion: WORKPLAN_MACHINE_VERSION,
  versions: { [WORKPLAN_MACHINE_VERSION]: workplanMachine },
  torVersion: TOR_VERSION,
  input: (stream) => ({ cycle: cycleOf(stream) }),
};
