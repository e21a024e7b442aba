import type { StoredEvent } from '../../envelope/index.js';
import type { EventStore } from '../port.js';

/** Every event of the log from `after`, read through the public paging API (which is itself under test). */
export async function readWholeLog(store: EventStore, after = 0): Promise<StoredEvent[]> {
  const events: StoredEvent[] = [];
  for (;;) {
    const page = await store.readAll({ after, limit: 1000 });
    events.push(...page.events);
    after = page.next;
    if (page.end) return events;
  }
}

/** The error the promise rejects with; a promise that fulfils fails the test. */
export async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected the call to fail, but it succeeded');
}
