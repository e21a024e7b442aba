import { randomBytes } from 'node:crypto';
import { EventStoreDBClient, jsonEvent } from '@eventstore/db-client';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { verifyLog, type StoredEvent } from '../../envelope/index.js';
import { describeEventStoreContract } from '../contract/event-store.contract.js';
import { testEvent, testEvents } from '../contract/test-events.js';
import { readAllEvents } from '../read-all-events.js';
import { EventStoreDbEventStore } from './eventstoredb-event-store.js';
import { CLAIM_STREAM_PREFIX } from './eventstoredb-mapping.js';
import { describeEventStoreDb, eventStoreTestUrl, openIsolatedStore } from './test-server.js';

/**
 * Runs only against a real server named by EVENTSTORE_URL (see test-server.ts); skipped, saying so, otherwise.
 * One server holds every fixture of every run: each store writes under a random stream prefix and ignores what the
 * server held before it opened, so the contract sees the empty log it expects.
 */
describeEventStoreDb('EventStoreDbEventStore', () => {
  describeEventStoreContract('eventstoredb', async (options) => {
    const store = await openIsolatedStore(options);
    return { store, dispose: () => store.close() };
  });

  describe('on the server', () => {
    let prefix: string;
    let store: EventStoreDbEventStore;
    let raw: EventStoreDBClient;

    const open = () =>
      EventStoreDbEventStore.open({
        connectionString: eventStoreTestUrl()!,
        streamPrefix: prefix,
        ignoreExistingLog: true,
      });

    beforeEach(async () => {
      prefix = `test_${randomBytes(6).toString('hex')}_`;
      store = await open();
      raw = EventStoreDBClient.connectionString(eventStoreTestUrl()!);
    });
    afterEach(async () => {
      await store.close();
      await raw.dispose();
    });

    async function whole(of: EventStoreDbEventStore = store): Promise<StoredEvent[]> {
      const events: StoredEvent[] = [];
      for await (const event of readAllEvents(of)) events.push(event);
      return events;
    }

    it('writes each event to its prefixed stream at its revision, with the envelope in the metadata', async () => {
      const appended = await store.append('partner-ITU', testEvents(2), { expectedRevision: 'no-stream' });
      const records = [];
      for await (const resolved of raw.readStream(`${prefix}partner-ITU`)) records.push(resolved.event!);
      expect(records.map((record) => [record.id, record.revision, record.type])).toEqual(
        appended.events.map((event) => [event.id, BigInt(event.revision), event.type]),
      );
      expect(records[1]!.metadata).toMatchObject({
        u4ssc: 1,
        id: appended.events[1]!.id,
        revision: 1,
        prevHash: appended.events[0]!.hash,
        hash: appended.events[1]!.hash,
      });
      expect(records.map((record) => record.position?.commit)).toEqual(
        appended.events.map((event) => BigInt(event.position)),
      );
    });

    it('claims every event id once, and keeps the claims out of readAll, headPosition and verify', async () => {
      const appended = await store.append('s', testEvents(3), { expectedRevision: 'no-stream' });
      for (const event of appended.events) {
        const claims = [];
        const claimStream = `${prefix}${CLAIM_STREAM_PREFIX}${event.id}`;
        for await (const resolved of raw.readStream(claimStream)) claims.push(resolved);
        expect(claims.map((claim) => claim.event!.data)).toEqual([{ id: event.id, stream: 's' }]);
      }
      expect(await whole()).toEqual(appended.events);
      expect(await store.headPosition()).toBe(appended.events[2]!.position);
      expect(await verifyLog(await whole())).toMatchObject({ ok: true, events: 3, streams: 1 });
    });

    it('refuses an event another client wrote into its streams, naming it', async () => {
      await store.append('s', testEvents(1), { expectedRevision: 'no-stream' });
      await raw.appendToStream(`${prefix}s`, jsonEvent({ type: 'Forged', data: { x: 1 } }));
      await expect(store.readStream('s')).rejects.toThrow(/"test_[0-9a-f]+_s"@1 was not written by this engine/);
      await expect(store.readAll()).rejects.toThrow(/not written by this engine/);
    });

    it('stores racing retries of one append once, answering each with the stored events', async () => {
      const events = testEvents(3);
      const results = await Promise.all(
        Array.from({ length: 5 }, () => store.append('retried', events, { expectedRevision: 'no-stream' })),
      );
      const stored = await store.readStream('retried');
      expect(stored.map((event) => event.id)).toEqual(events.map((event) => event.id));
      for (const result of results) expect(result.events).toEqual(stored);
      expect(results.filter((result) => !result.duplicate).length).toBeGreaterThanOrEqual(1);
    });

    it("chains racing 'any' appends to one stream one after another", async () => {
      const results = await Promise.all(
        Array.from({ length: 5 }, (_, i) =>
          store.append('busy', [testEvent({ data: { i } })], { expectedRevision: 'any' }),
        ),
      );
      expect(results.map((result) => result.lastRevision).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4]);
      expect(await verifyLog(await whole())).toMatchObject({ ok: true, events: 5 });
    });

    it('delivers to a subscriber in another store instance (another connection, no in-process wake)', async () => {
      const other = await open();
      const seen: StoredEvent[] = [];
      const subscription = other.subscribe((event) => void seen.push(event), { pollMs: 20 });
      try {
        await subscription.caughtUp;
        const appended = await store.append('s', testEvents(3), { expectedRevision: 'no-stream' });
        const deadline = Date.now() + 5000;
        while (seen.length < 3 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
        expect(seen).toEqual(appended.events);
      } finally {
        await subscription.stop();
        await other.close();
      }
    });
  });
});
