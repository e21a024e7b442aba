import { afterEach, beforeEach, expect, it } from '@jest/globals';
import { verifyLog, type StoredEvent } from '../../envelope/index.js';
import { testEvent, testEvents } from '../contract/test-events.js';
import { ConcurrencyError, DuplicateEventIdError } from '../errors.js';
import { PostgresEventStore, type PostgresEventStoreOptions } from './postgres-event-store.js';
import { createSchema, describePostgres, dropSchema, postgresTestUrl, randomSchemaName } from './test-database.js';
import { failure, readWholeLog } from '../contract/test-helpers.js';

/**
 * The one-statement append (issue #8): taken when the adapter knows the tail, and never a different answer from
 * the transactional path. Every test writes through a second store on the same schema (another process, with its
 * own pool and its own tail cache) where it needs the remembered tail to be stale.
 */

let schema: string;
let stores: PostgresEventStore[];

async function open(options: Partial<PostgresEventStoreOptions> = {}): Promise<PostgresEventStore> {
  const store = await PostgresEventStore.open({ connectionString: postgresTestUrl(), schema, ...options });
  stores.push(store);
  return store;
}

describePostgres('PostgresEventStore fast path (one INSERT when the tail is known)', () => {
  beforeEach(() => {
    schema = randomSchemaName('fast');
    stores = [];
  });
  afterEach(async () => {
    await Promise.all(stores.map((store) => store.close()));
    await dropSchema(schema);
  });

  it('writes a new stream and each next append of its own in one statement', async () => {
    const store = await open();
    const first = await store.append('s', testEvents(2), { expectedRevision: 'no-stream' });
    const second = await store.append('s', testEvents(3), { expectedRevision: first.lastRevision });
    expect(store.appendPathCounts()).toEqual({ fast: 2, fellBack: 0 });
    expect(second.lastRevision).toBe(4);
    expect(await store.readStream('s')).toEqual([...first.events, ...second.events]);
    expect(await verifyLog(await readWholeLog(store))).toMatchObject({ ok: true, events: 5 });
  });

  it("learns the tail from readStream, lastRevision and findEvent, and never uses it for 'any'", async () => {
    const writer = await open();
    const written = await writer.append('s', testEvents(3), { expectedRevision: 'no-stream' });

    const byRead = await open();
    expect(await byRead.readStream('s')).toHaveLength(3);
    await byRead.append('s', testEvents(1), { expectedRevision: 2 });
    const byLast = await open();
    expect(await byLast.lastRevision('s')).toBe(3);
    await byLast.append('s', testEvents(1), { expectedRevision: 3 });
    const byFind = await open();
    const tail = await byLast.readStream('s', { fromRevision: 4 });
    expect(await byFind.findEvent('s', tail[0]!.id)).toEqual(tail[0]);
    await byFind.append('s', testEvents(1), { expectedRevision: 4 });
    for (const store of [byRead, byLast, byFind]) expect(store.appendPathCounts()).toEqual({ fast: 1, fellBack: 0 });

    // A store that has read nothing of the stream, and 'any' even when the tail is known, take the transaction.
    const stranger = await open();
    await stranger.append('s', testEvents(1), { expectedRevision: 5 });
    await byFind.append('s', testEvents(1), { expectedRevision: 'any' });
    expect(stranger.appendPathCounts()).toEqual({ fast: 0, fellBack: 0 });
    expect(byFind.appendPathCounts()).toEqual({ fast: 1, fellBack: 0 });
    const stream = await writer.readStream('s');
    expect(stream.slice(0, 3)).toEqual(written.events);
    expect(stream.map((event) => event.revision)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    const positions = stream.map((event) => event.position);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(await verifyLog(stream)).toMatchObject({ ok: true, events: 8 });
  });

  it('answers a stale remembered tail with ConcurrencyError, appends nothing, then knows the new tail', async () => {
    const mine = await open();
    const other = await open();
    await mine.append('s', testEvents(1), { expectedRevision: 'no-stream' });
    const theirs = await other.append('s', testEvents(1), { expectedRevision: 0 });

    // `mine` still remembers revision 0: the statement collides on revision 1, and the transaction decides.
    const error = await failure(mine.append('s', [testEvent({ type: 'Stale' })], { expectedRevision: 0 }));
    expect(error).toBeInstanceOf(ConcurrencyError);
    expect(error).toMatchObject({ stream: 's', expected: 0, actual: 1 });
    expect(mine.appendPathCounts()).toEqual({ fast: 1, fellBack: 1 });
    const stored = await other.readStream('s');
    expect(stored.map((event) => event.type)).not.toContain('Stale');
    expect(stored.at(-1)).toEqual(theirs.events[0]);

    // The refusing transaction read the actual tail, so the caller's next attempt at it is fast again.
    await mine.append('s', testEvents(1), { expectedRevision: 1 });
    expect(mine.appendPathCounts()).toEqual({ fast: 2, fellBack: 1 });
    expect(await verifyLog(await readWholeLog(mine))).toMatchObject({ ok: true, events: 3 });
  });

  it("answers a retry of stored ids with duplicate: true, for 'no-stream' and for a remembered revision", async () => {
    const mine = await open();
    const other = await open();
    // The first attempts were stored through `other` (the answer lost on the way back, say); `mine` retries.
    const retried = testEvents(2);
    const original = await other.append('new', retried, { expectedRevision: 'no-stream' });
    const again = await mine.append('new', retried, { expectedRevision: 'no-stream' });
    expect(again).toEqual({ lastRevision: 1, events: original.events, duplicate: true });

    await mine.readStream('new');
    const next = testEvents(1);
    const nextOriginal = await other.append('new', next, { expectedRevision: 1 });
    const nextAgain = await mine.append('new', next, { expectedRevision: 1 });
    expect(nextAgain).toEqual({ lastRevision: 2, events: nextOriginal.events, duplicate: true });

    expect(mine.appendPathCounts()).toEqual({ fast: 0, fellBack: 2 });
    expect(await readWholeLog(mine)).toHaveLength(3);
  });

  it("goes straight to the transaction for 'no-stream' on a stream it has seen, and is refused", async () => {
    const store = await open();
    await store.append('s', testEvents(1), { expectedRevision: 'no-stream' });
    const error = await failure(store.append('s', testEvents(1), { expectedRevision: 'no-stream' }));
    expect(error).toMatchObject({ name: 'ConcurrencyError', expected: 'no-stream', actual: 0 });
    // Revision 0 is known to exist: a statement could only collide, so none was sent.
    expect(store.appendPathCounts()).toEqual({ fast: 1, fellBack: 0 });
  });

  it('refuses, through the fallback, an id another stream holds', async () => {
    const mine = await open();
    const clash = testEvent();
    await mine.append('first', [clash], { expectedRevision: 'no-stream' });
    const error = await failure(mine.append('second', [testEvent(), clash], { expectedRevision: 'no-stream' }));
    expect(error).toBeInstanceOf(DuplicateEventIdError);
    expect(mine.appendPathCounts()).toEqual({ fast: 1, fellBack: 1 });
    expect(await mine.lastRevision('second')).toBe(-1);
  });

  it('does not chain on a remembered event the database no longer holds (schema dropped and made again)', async () => {
    const mine = await open();
    await mine.append('s', testEvents(1), { expectedRevision: 'no-stream' });
    // Only a dropped schema can make a remembered event untrue: without the statement's check, the next append
    // would store revision 1 of a stream with no revision 0.
    await dropSchema(schema);
    await createSchema(schema);
    await open();

    const error = await failure(mine.append('s', testEvents(1), { expectedRevision: 0 }));
    expect(error).toMatchObject({ name: 'ConcurrencyError', actual: -1 });
    expect(mine.appendPathCounts()).toEqual({ fast: 1, fellBack: 1 });
    expect(await mine.readStream('s')).toEqual([]);
  });

  it('lets exactly one of two appends of one process with the same expected revision win, every time', async () => {
    const store = await open();
    let last = (await store.append('s', testEvents(1), { expectedRevision: 'no-stream' })).lastRevision;
    for (let round = 0; round < 25; round += 1) {
      const outcomes = await Promise.allSettled([
        store.append('s', [testEvent({ data: { round, writer: 'a' } })], { expectedRevision: last }),
        store.append('s', [testEvent({ data: { round, writer: 'b' } })], { expectedRevision: last }),
      ]);
      const won = outcomes.flatMap((outcome) => (outcome.status === 'fulfilled' ? [outcome.value] : []));
      const lost = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason] : []));
      expect(won).toHaveLength(1);
      expect(lost).toHaveLength(1);
      expect(lost[0]).toBeInstanceOf(ConcurrencyError);
      expect(won[0]!.lastRevision).toBe(last + 1);
      last = won[0]!.lastRevision;
    }
    // Both raced on the remembered tail each round; the loser fell back and was refused.
    expect(store.appendPathCounts()).toEqual({ fast: 26, fellBack: 25 });

    const stream = await store.readStream('s');
    expect(stream.map((event) => event.revision)).toEqual(Array.from({ length: 26 }, (_, i) => i));
    const positions = stream.map((event) => event.position);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(await readWholeLog(store)).toEqual(stream);
    expect(await verifyLog(stream)).toMatchObject({ ok: true, events: 26 });
  });

  it('keeps positions in revision order; a reader in another process misses nothing while writers race', async () => {
    const writerStore = await open();
    const rival = await open();
    const reader = await open({ visibilityWaitMs: 100 });
    const seen: StoredEvent[] = [];
    const subscription = reader.subscribe((event) => void seen.push(event), { pollMs: 5 });
    await subscription.caughtUp;

    // 8 streams, each appended to by two processes that race (expected revision = their last known tail), in
    // single events and batches of 3, while the reader pages through the log.
    const streams = Array.from({ length: 8 }, (_, i) => `race-${i}`);
    const writer = async (store: PostgresEventStore, stream: string, seed: number) => {
      let expected: 'no-stream' | number = 'no-stream';
      for (let step = 0; step < 15; step += 1) {
        try {
          const events = testEvents(1 + ((seed + step) % 3));
          const result = await store.append(stream, events, { expectedRevision: expected });
          expected = result.lastRevision;
        } catch (error) {
          if (!(error instanceof ConcurrencyError)) throw error;
          expected = error.actual === -1 ? 'no-stream' : error.actual;
        }
      }
    };
    await Promise.all(streams.flatMap((stream, i) => [writer(writerStore, stream, i), writer(rival, stream, i + 1)]));
    expect(writerStore.appendPathCounts().fast + rival.appendPathCounts().fast).toBeGreaterThan(0);

    const log = await readWholeLog(reader);
    const deadline = Date.now() + 10_000;
    while (seen.length < log.length && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    await subscription.stop();
    // Delivered while the writers ran, in position order, exactly the log: nothing skipped, nothing twice.
    expect(seen.map((event) => event.id)).toEqual(log.map((event) => event.id));
    for (const stream of streams) {
      const events = log.filter((event) => event.stream === stream);
      expect(events.map((event) => event.revision)).toEqual(events.map((_, i) => i));
    }
    expect(await verifyLog(log)).toMatchObject({ ok: true, events: log.length });
  });

  it('never takes the fast path for a numeric expected revision when the cache is off', async () => {
    const store = await open({ tailCacheSize: 0 });
    await store.append('s', testEvents(1), { expectedRevision: 'no-stream' });
    await store.readStream('s');
    await store.append('s', testEvents(1), { expectedRevision: 0 });
    expect(store.appendPathCounts()).toEqual({ fast: 1, fellBack: 0 });
    expect(await store.lastRevision('s')).toBe(1);
  });
});
