import { partnerMachine, PARTNER_MACHINE_VERSION } from '../../state-machines/partner/partner.machine.js';
import type { ProcessDefinition } from '../process-runner/index.js';
import { TOR_VERSION } from '../kernel/tor.js';

const PREFIX = 'partner-';

/** One stream per Partner, named by its short id (e.g. `partner-ITU`). */
export function partnerStream(partnerId: string): string {
  return `${PREFIX}${partnerId}`;
}

export function partnerIdOf(stream: string): string {
  return stream.startsWith(PREFIX) ? stream.slice(PREFIX.length) : stream;
}

export const partnerProcess: ProcessDefinition<{ partnerId: string }> = {
  id: 'partner',
  currentVersion: PARTNER_MACHINE_VERSION,
  versions: { [PARTNER_MACHINE_VERSION]: partnerMachine },
  torVersion: TOR_VERSION,
  input: (stream) => ({ partnerId: partnerIdOf(stream) }),
};
