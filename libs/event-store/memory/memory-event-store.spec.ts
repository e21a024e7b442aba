import { describe, expect, it } from '@jest/globals';
import { describeEventStoreContract } from '../contract/event-store.contract.js';
import { testEvents } from '../contract/test-events.js';
import { MemoryEventStore } from './memory-event-store.js';

describeEventStoreContract('memory', async (options) => {
  const store = new MemoryEventStore(options);
  return { store, dispose: () => store.close() };
});

describe('MemoryEventStore', () => {
  it('numbers positions 1, 2, 3… in append order', async () => {
    const store = new MemoryEventStore();
    await store.append('a', testEvents(2), { expectedRevision: 'no-stream' });
    await store.append('b', testEvents(1), { expectedRevision: 'no-stream' });
    expect((await store.readAll()).events.map((event) => event.position)).toEqual([1, 2, 3]);
    await store.close();
  });

  it('keeps data as JSON, as the durable stores do', async () => {
    const store = new MemoryEventStore();
    const [event] = testEvents(1);
    event!.data = { at: new Date('2026-02-03T04:05:06.000Z'), gone: undefined };
    await store.append('s', [event!], { expectedRevision: 'no-stream' });
    expect((await store.readStream('s'))[0]!.data).toEqual({ at: '2026-02-03T04:05:06.000Z' });
    await store.close();
  });

  it('stops its subscriptions and refuses calls once closed', async () => {
    const store = new MemoryEventStore();
    const seen: number[] = [];
    const subscription = store.subscribe((event) => void seen.push(event.position));
    await subscription.caughtUp;
    await store.close();
    await expect(store.append('s', testEvents(1), { expectedRevision: 'any' })).rejects.toThrow(/closed/);
    expect(() => store.subscribe(() => undefined)).toThrow(/closed/);
    expect(seen).toEqual([]);
  });
});
