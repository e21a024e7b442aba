import { officeMachine, OFFICE_MACHINE_VERSION } from '../../state-machines/office/office.machine.js';
import { TOR_VERSION } from '../kernel/tor.js';
import type { ProcessDefinition } from '../process-runner/index.js';

const PREFIX = 'office-';

/** One stream per office seat: `office-chair`, `office-vice-chair-1`, `office-leader-<thematic-group>`, `office-ip-leader`. */
export function officeStream(seat: string): string {
  return `${PREFIX}${seat}`;
}

export function seatOf(stream: string): string {
  return stream.startsWith(PREFIX) ? stream.slice(PREFIX.length) : stream;
}

export const officeProcess: ProcessDefinition<{ seat: string }> = {
  id: 'office',
  currentVersion: OFFICE_MACHINE_VERSION,
  versions: { [OFFICE_MACHINE_VERSION]: officeMachine },
  torVersion: TOR_VERSION,
  input: (stream) => ({ seat: seatOf(stream) }),
};
