import { describe, expect, it } from '@jest/globals';
import type { StoredEvent } from '../envelope/index.js';
import { testEvents } from './contract/test-events.js';
import { MemoryEventStore } from './memory/memory-event-store.js';
import type { ReadAllOptions } from './port.js';
import { startPollingSubscription, SubscriptionStoppedError } from './subscription.js';

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/** A promise the test settles by hand, to hold a handler mid-event. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

describe('startPollingSubscription', () => {
  it('stop() waits for the in-flight handler, then delivers nothing more, even mid-page', async () => {
    const store = new MemoryEventStore();
    await store.append('s', testEvents(10), { expectedRevision: 'no-stream' });
    const held = gate();
    const seen: number[] = [];
    let handlerDone = false;
    const subscription = startPollingSubscription(
      (options) => store.readAll(options),
      async (event) => {
        seen.push(event.revision);
        if (event.revision === 3) {
          await held.opened;
          handlerDone = true;
        }
      },
    );
    await until(() => seen.length === 4, 'the fourth event');

    let stopped = false;
    const stopping = subscription.stop().then(() => (stopped = true));
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(stopped).toBe(false);
    held.open();
    await stopping;
    expect(handlerDone).toBe(true);
    expect(seen).toEqual([0, 1, 2, 3]);
    expect(subscription.position).toBe(4);
    await expect(subscription.caughtUp).rejects.toBeInstanceOf(SubscriptionStoppedError);
    await store.close();
  });

  it('reads in pages and resolves caughtUp only after the whole backlog', async () => {
    const store = new MemoryEventStore();
    for (let batch = 0; batch < 3; batch += 1) {
      await store.append(`s${batch}`, testEvents(400), { expectedRevision: 'no-stream' });
    }
    const reads: ReadAllOptions[] = [];
    const seen: StoredEvent[] = [];
    const subscription = startPollingSubscription(
      (options) => {
        reads.push(options);
        return store.readAll(options);
      },
      (event) => void seen.push(event),
      { after: 100 },
    );
    await subscription.caughtUp;
    expect(seen).toHaveLength(1100);
    expect(seen[0]!.position).toBe(101);
    expect(reads.slice(0, 3).map((options) => options.after)).toEqual([100, 600, 1100]);
    await subscription.stop();
    await store.close();
  });

  it('reports a failing read through onError, rejects caughtUp and stops', async () => {
    const failure = new Error('disk on fire');
    const errors: unknown[] = [];
    let reads = 0;
    const subscription = startPollingSubscription(
      async () => {
        reads += 1;
        throw failure;
      },
      () => undefined,
      { pollMs: 5, onError: (error) => errors.push(error) },
    );
    await expect(subscription.caughtUp).rejects.toBe(failure);
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(errors).toEqual([failure]);
    expect(reads).toBe(1);
    await subscription.stop();
  });

  it('sleeps between polls instead of reading in a loop, and wakes on a signal', async () => {
    const store = new MemoryEventStore();
    let reads = 0;
    let notify: () => void = () => undefined;
    let unregistered = false;
    const seen: StoredEvent[] = [];
    const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
    const subscription = startPollingSubscription(
      (options) => {
        reads += 1;
        return store.readAll(options);
      },
      (event) => void seen.push(event),
      { pollMs: 600_000 },
      (wake) => {
        notify = wake;
        return () => (unregistered = true);
      },
    );
    try {
      await subscription.caughtUp;
      await new Promise((resolve) => setTimeout(resolve, 50));
      expect(reads).toBe(1);

      await store.append('s', testEvents(1), { expectedRevision: 'no-stream' });
      notify();
      await until(() => seen.length === 1, 'the woken delivery');
      expect(reads).toBe(2);
    } finally {
      // Counted right around stop: other timers of the process (the test runner's, an earlier test's) come and go,
      // so a count taken earlier would make this test depend on the machine's load.
      const pending = timers();
      await subscription.stop();
      // The 10-minute poll timer is cleared, not left to keep the process alive, and the wake is released.
      expect(timers()).toBeLessThan(pending);
      expect(unregistered).toBe(true);
    }
    await store.close();
  });

  it('does not lose a wake that arrives while a page is being read', async () => {
    const store = new MemoryEventStore();
    let notify: () => void = () => undefined;
    let first = true;
    const seen: StoredEvent[] = [];
    const subscription = startPollingSubscription(
      async (options) => {
        const page = await store.readAll(options);
        if (first) {
          // An append (and its wake) landing after this read's snapshot but before the loop goes to sleep.
          first = false;
          await store.append('s', testEvents(1), { expectedRevision: 'no-stream' });
          notify();
        }
        return page;
      },
      (event) => void seen.push(event),
      { pollMs: 600_000 },
      (wake) => {
        notify = wake;
        return () => undefined;
      },
    );
    await subscription.caughtUp;
    await until(() => seen.length === 1, 'the event appended during the read');
    await subscription.stop();
    await store.close();
  });
});
