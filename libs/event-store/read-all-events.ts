import type { StoredEvent } from '../envelope/index.js';
import type { EventStore } from './port.js';

/** The whole visible log, page by page, without ever holding more than one page in memory. */
export async function* readAllEvents(
  store: EventStore,
  options: { after?: number; pageSize?: number } = {},
): AsyncGenerator<StoredEvent> {
  let after = options.after ?? 0;
  for (;;) {
    const page = await store.readAll({ after, limit: options.pageSize ?? 1000 });
    yield* page.events;
    if (page.end || page.events.length === 0) return;
    after = page.next;
  }
}
