import { ballotMachine, BALLOT_MACHINE_VERSION } from '../../state-machines/ballot/ballot.machine.js';
import { derivedId } from '../kernel/ids.js';
import type { ProcessDefinition } from '../process-runner/index.js';
import { TOR_VERSION } from '../kernel/tor.js';

const PREFIX = 'ballot-';

/** One stream per ballot (e.g. `ballot-3f2a…`). */
export function ballotStream(ballotId: string): string {
  return `${PREFIX}${ballotId}`;
}

export function ballotIdOf(stream: string): string {
  return stream.startsWith(PREFIX) ? stream.slice(PREFIX.length) : stream;
}

/**
 * A new ballot's id derives from the command that opens it, so a retried open (same Idempotency-Key) lands on
 * the same stream and appends nothing, instead of opening a twin ballot.
 */
export function newBallotId(commandId: string): string {
  return derivedId('ballot', commandId);
}

export const ballotProcess: ProcessDefinition<{ ballotId: string }> = {
  id: 'ballot',
  currentVersion: BALLOT_MACHINE_VERSION,
  versions: { [BALLOT_MACHINE_VERSION]: ballotMachine },
  torVersion: TOR_VERSION,
  input: (stream) => ({ ballotId: ballotIdOf(stream) }),
};
