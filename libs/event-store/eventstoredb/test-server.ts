import type { EventSigner } from '../../envelope/index.js';
import { randomBytes } from 'node:crypto';
import { describe } from '@jest/globals';
import { EventStoreDbEventStore } from './eventstoredb-event-store.js';

/**
 * What the EventStoreDB suites share. No container engine runs on the machines this was written on, so there is
 * no server by default: the suites run only when EVENTSTORE_URL names one (for instance the node docker-compose
 * starts: `EVENTSTORE_URL=esdb://localhost:2113?tls=false`), and are reported as skipped otherwise — on CI too,
 * since EventStoreDB is an optional backend. A URL that is set but does not answer fails the suites, with the
 * adapter's own "not reachable" message.
 *
 * The contract's big-payload test appends more than 1 MiB at once: run the server with a MaxAppendSize of at
 * least 4 MiB (`EVENTSTORE_MAX_APPEND_SIZE=4194304`), or that one test fails with the adapter's message saying so.
 */
export const EVENTSTORE_URL_VARIABLE = 'EVENTSTORE_URL';

export function eventStoreTestUrl(): string | undefined {
  return process.env[EVENTSTORE_URL_VARIABLE] || undefined;
}

/** `describe` for suites that need a server: skipped, with one printed line saying why, when none is named. */
export function describeEventStoreDb(name: string, fn: () => void): void {
  if (eventStoreTestUrl()) {
    describe(name, fn);
    return;
  }
  console.warn(
    `EventStoreDB suite skipped: ${EVENTSTORE_URL_VARIABLE} is not set, and no EventStoreDB server runs here ` +
      `(set it, e.g. ${EVENTSTORE_URL_VARIABLE}=esdb://localhost:2113?tls=false, to run "${name}")`,
  );
  // The reason is in the suite's name too: reporters that hold back a skipped file's console still show it.
  describe.skip(`${name} [skipped: ${EVENTSTORE_URL_VARIABLE} is not set]`, fn);
}

/**
 * A store that sees an empty log on a server shared by every fixture and every run: its streams carry a random
 * prefix and what the server already held is left out.
 */
export async function openIsolatedStore(options: { signer?: EventSigner } = {}): Promise<EventStoreDbEventStore> {
  const url = eventStoreTestUrl();
  if (!url) throw new Error(`${EVENTSTORE_URL_VARIABLE} is not set`);
  return EventStoreDbEventStore.open({
    connectionString: url,
    streamPrefix: `test_${randomBytes(6).toString('hex')}_`,
    ignoreExistingLog: true,
    ...options,
  });
}
