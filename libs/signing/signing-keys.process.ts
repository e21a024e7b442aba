import { signingKeysMachine, SIGNING_KEYS_MACHINE_VERSION } from '../../state-machines/signing-keys/signing-keys.machine.js';
import type { ProcessDefinition } from '../process-runner/index.js';
import { TOR_VERSION } from '../kernel/tor.js';

/** The one `signing-keys` stream, replayed by `verify` like every process (its machine checks the record's shape). */
export const signingKeysProcess: ProcessDefinition<undefined> = {
  id: 'signing-keys',
  currentVersion: SIGNING_KEYS_MACHINE_VERSION,
  versions: { [SIGNING_KEYS_MACHINE_VERSION]: signingKeysMachine },
  torVersion: TOR_VERSION,
  input: () => undefined,
};
