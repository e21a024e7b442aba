import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { GENESIS_HASH, verifyLog, type EventSigner, type NewEvent, type StoredEvent } from '../../envelope/index.js';
import { SigningKey } from '../../signing/index.js';
import { ConcurrencyError, DuplicateEventIdError } from '../errors.js';
import type { EventStore } from '../port.js';
import { testEvent, testEvents, testMetadata } from './test-events.js';
import { failure, readWholeLog } from './test-helpers.js';

export interface EventStoreFixture {
  store: EventStore;
  dispose(): Promise<void>;
}

/** Waits for something asynchronous to happen; the deadline only turns a hang into a readable failure. */
async function until(condition: () => boolean, what: string, deadlineMs = 10_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > deadlineMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** What a writer handed in, as it must come back. */
const written = (event: NewEvent) => ({ id: event.id, type: event.type, data: event.data, metadata: event.metadata });

/** What a fixture is opened with: a signer, for the signing tests. */
export interface EventStoreFixtureOptions {
  signer?: EventSigner;
}

/**
 * THE event store contract: every adapter runs this suite unchanged (docs/architecture.md §3 "One contract test suite").
 * `open` must return an empty store, signing with `options.signer` when given; each test opens its own and disposes it.
 */
export function describeEventStoreContract(
  name: string,
  open: (options?: EventStoreFixtureOptions) => Promise<EventStoreFixture>,
): void {
  describe(`EventStore contract: ${name}`, () => {
    let fixture: EventStoreFixture;
    let store: EventStore;

    beforeEach(async () => {
      fixture = await open();
      store = fixture.store;
    });

    afterEach(async () => {
      await fixture.dispose();
    });

    describe('append', () => {
      it("starts a stream with 'no-stream' at revision 0, chained to the genesis hash", async () => {
        const event = testEvent();
        const result = await store.append('partner-ITU', [event], { expectedRevision: 'no-stream' });

        expect(result.duplicate).toBe(false);
        expect(result.lastRevision).toBe(0);
        expect(result.events).toHaveLength(1);
        const [stored] = result.events;
        expect(stored).toMatchObject({ ...written(event), stream: 'partner-ITU', revision: 0, prevHash: GENESIS_HASH });
        expect(stored!.position).toBeGreaterThan(0);
        expect(stored!.hash).toMatch(/^[0-9a-f]{64}$/);
        expect(await store.readStream('partner-ITU')).toEqual(result.events);
      });

      it('appends at an exact revision, with 0-based gap-free revisions and increasing positions', async () => {
        const first = await store.append('s', testEvents(2), { expectedRevision: 'no-stream' });
        expect(first.lastRevision).toBe(1);
        const second = await store.append('s', testEvents(3), { expectedRevision: 1 });
        expect(second.lastRevision).toBe(4);
        const third = await store.append('s', testEvents(1), { expectedRevision: 4 });
        expect(third.lastRevision).toBe(5);

        const stream = await store.readStream('s');
        expect(stream.map((event) => event.revision)).toEqual([0, 1, 2, 3, 4, 5]);
        expect(stream).toEqual([...first.events, ...second.events, ...third.events]);
        const positions = stream.map((event) => event.position);
        positions.slice(1).forEach((position, index) => expect(position).toBeGreaterThan(positions[index]!));
      });

      it("appends with 'any' to a new and to an existing stream", async () => {
        expect((await store.append('s', testEvents(2), { expectedRevision: 'any' })).lastRevision).toBe(1);
        expect((await store.append('s', testEvents(1), { expectedRevision: 'any' })).lastRevision).toBe(2);
        expect((await store.readStream('s')).map((event) => event.revision)).toEqual([0, 1, 2]);
      });

      it('refuses a wrong expected revision with the actual revision, and appends nothing', async () => {
        const original = await store.append('s', testEvents(2), { expectedRevision: 'no-stream' });
        const head = await store.headPosition();

        const cases = [
          { stream: 's', expected: 'no-stream' as const, actual: 1 },
          { stream: 's', expected: 0, actual: 1 },
          { stream: 's', expected: 2, actual: 1 },
          { stream: 'missing', expected: 0, actual: -1 },
        ];
        for (const { stream, expected, actual } of cases) {
          const error = await failure(store.append(stream, testEvents(2), { expectedRevision: expected }));
          expect(error).toBeInstanceOf(ConcurrencyError);
          expect(error).toMatchObject({ stream, expected, actual });
        }

        expect(await store.headPosition()).toBe(head);
        expect(await store.readStream('s')).toEqual(original.events);
        expect(await store.readStream('missing')).toEqual([]);
        expect(await store.lastRevision('missing')).toBe(-1);
      });

      it('appending no event checks the expected revision and stores nothing', async () => {
        await store.append('s', testEvents(1), { expectedRevision: 'no-stream' });
        const result = await store.append('s', [], { expectedRevision: 0 });
        expect(result).toEqual({ lastRevision: 0, events: [], duplicate: false });
        expect(await failure(store.append('s', [], { expectedRevision: 'no-stream' }))).toBeInstanceOf(
          ConcurrencyError,
        );
        expect(await store.headPosition()).toBe((await store.readStream('s'))[0]!.position);
      });
    });

    describe('idempotency on event ids', () => {
      it('stores a retried append once and returns the stored events with duplicate: true', async () => {
        const events = testEvents(3);
        const first = await store.append('s', events, { expectedRevision: 'no-stream' });
        const head = await store.headPosition();

        // The retry names the expected revision of the original attempt, which no longer holds.
        const retry = await store.append('s', events, { expectedRevision: 'no-stream' });
        expect(retry.duplicate).toBe(true);
        expect(retry.events).toEqual(first.events);
        expect(retry.lastRevision).toBe(2);
        expect(await store.headPosition()).toBe(head);
        expect(await store.readStream('s')).toHaveLength(3);
      });

      it('recognises a retried single-event append (most commands append one) the same way', async () => {
        const [event] = testEvents(1);
        const first = await store.append('s', [event!], { expectedRevision: 'no-stream' });
        await store.append('s', testEvents(1), { expectedRevision: 0 });
        const retry = await store.append('s', [event!], { expectedRevision: 'no-stream' });
        expect(retry).toEqual({ lastRevision: 1, events: first.events, duplicate: true });
        expect(await store.readStream('s')).toHaveLength(2);
      });

      it('recognises a retry after the stream has moved on, and reports its current last revision', async () => {
        const events = testEvents(2);
        const first = await store.append('s', events, { expectedRevision: 'no-stream' });
        await store.append('s', testEvents(2), { expectedRevision: 1 });
        const retry = await store.append('s', events, { expectedRevision: 'no-stream' });
        expect(retry).toEqual({ lastRevision: 3, events: first.events, duplicate: true });
        expect(await store.readStream('s')).toHaveLength(4);
      });

      it('refuses a partial overlap, another stream’s ids, a reordering or a repeated id, appending nothing', async () => {
        const events = testEvents(2);
        await store.append('s', events, { expectedRevision: 'no-stream' });
        const head = await store.headPosition();
        const before = await readWholeLog(store);

        const attempts: [string, NewEvent[]][] = [
          ['s', [events[0]!, testEvent()]],
          ['s', [testEvent(), events[1]!]],
          ['s', [events[1]!, events[0]!]],
          ['other', events],
          ['other', [events[0]!]],
          ['fresh', [testEvents(1)[0]!, events[1]!]],
        ];
        for (const [stream, batch] of attempts) {
          const error = await failure(store.append(stream, batch, { expectedRevision: 'any' }));
          expect(error).toBeInstanceOf(DuplicateEventIdError);
        }
        const repeated = testEvent();
        const twice = await failure(store.append('new', [repeated, repeated], { expectedRevision: 'any' }));
        expect(twice).toBeInstanceOf(DuplicateEventIdError);

        expect(await store.headPosition()).toBe(head);
        expect(await readWholeLog(store)).toEqual(before);
        expect(await store.lastRevision('other')).toBe(-1);
        expect(await store.lastRevision('new')).toBe(-1);
      });
    });

    describe('hash chain', () => {
      it('chains each stream and verifies over the whole log with the right counts and head', async () => {
        await store.append('a', testEvents(3), { expectedRevision: 'no-stream' });
        await store.append('b', testEvents(2), { expectedRevision: 'no-stream' });
        await store.append('a', testEvents(1), { expectedRevision: 2 });
        await store.append('c', testEvents(4), { expectedRevision: 'any' });
        const last = await store.append('b', testEvents(1), { expectedRevision: 1 });

        for (const stream of ['a', 'b', 'c']) {
          const events = await store.readStream(stream);
          events.forEach((event, index) =>
            expect(event.prevHash).toBe(index === 0 ? GENESIS_HASH : events[index - 1]!.hash),
          );
        }
        const report = await verifyLog(await readWholeLog(store));
        expect(report).toMatchObject({
          ok: true,
          events: 11,
          streams: 3,
          head: { position: last.events[0]!.position, hash: last.events[0]!.hash, seq: 11 },
          fault: null,
        });
      });
    });

    describe('signatures', () => {
      const key = SigningKey.generate();
      const verifies = (event: StoredEvent) =>
        event.signature?.keyId === key.keyId && key.verifying.verify('event', event.hash, event.signature.value);

      it('stores no signature without a signer', async () => {
        const { events } = await store.append('s', testEvents(2), { expectedRevision: 'no-stream' });
        expect(events.map((event) => event.signature)).toEqual([undefined, undefined]);
        expect((await readWholeLog(store)).every((event) => event.signature === undefined)).toBe(true);
      });

      it('signs every event over its hash, on every append path, and reads the signatures back', async () => {
        const signed = await open({ signer: key });
        try {
          const s = signed.store;
          const appended = [
            await s.append('a', testEvents(3), { expectedRevision: 'no-stream' }),
            await s.append('a', testEvents(1), { expectedRevision: 2 }),
            await s.append('b', testEvents(2), { expectedRevision: 'any' }),
            await s.append('b', testEvents(1), { expectedRevision: 'any' }),
          ].flatMap((result) => result.events);
          expect(appended).toHaveLength(7);
          expect(appended.every(verifies)).toBe(true);
          const all = await readWholeLog(s);
          expect(all).toEqual(appended);
          expect(all.every(verifies)).toBe(true);
          expect([...(await s.readStream('a')), ...(await s.readStream('b'))]).toEqual(appended);
          expect(await s.findEvent('b', appended[6]!.id)).toEqual(appended[6]);
          // The signature covers the hash only: the chain is what an unsigned store would have made.
          expect(await verifyLog(all)).toMatchObject({ ok: true, events: 7, streams: 2 });
          // A retried append gives back the stored signatures.
          const retry = await s.append('a', [written(appended[3]!)], { expectedRevision: 3 });
          expect(retry.duplicate).toBe(true);
          expect(retry.events[0]!.signature).toEqual(appended[3]!.signature);
        } finally {
          await signed.dispose();
        }
      });

      it('gives a signature that another key or another hash does not verify', async () => {
        const signed = await open({ signer: key });
        try {
          const [event] = (await signed.store.append('s', testEvents(1), { expectedRevision: 'no-stream' })).events;
          expect(verifies(event!)).toBe(true);
          expect(SigningKey.generate().verifying.verify('event', event!.hash, event!.signature!.value)).toBe(false);
          expect(key.verifying.verify('event', GENESIS_HASH, event!.signature!.value)).toBe(false);
        } finally {
          await signed.dispose();
        }
      });
    });

    describe('reading', () => {
      it('reads a stream from and to a revision, and an unknown stream as empty', async () => {
        await store.append('s', testEvents(6), { expectedRevision: 'no-stream' });
        await store.append('other', testEvents(2), { expectedRevision: 'no-stream' });
        const revisions = (events: StoredEvent[]) => events.map((event) => event.revision);

        expect(revisions(await store.readStream('s'))).toEqual([0, 1, 2, 3, 4, 5]);
        expect(revisions(await store.readStream('s', { fromRevision: 2 }))).toEqual([2, 3, 4, 5]);
        expect(revisions(await store.readStream('s', { toRevision: 2 }))).toEqual([0, 1, 2]);
        expect(revisions(await store.readStream('s', { fromRevision: 1, toRevision: 3 }))).toEqual([1, 2, 3]);
        expect(revisions(await store.readStream('s', { fromRevision: 6 }))).toEqual([]);
        expect(await store.readStream('nope')).toEqual([]);
        expect((await store.readStream('s')).every((event) => event.stream === 's')).toBe(true);
      });

      it('finds an event by id in its own stream only', async () => {
        const [first, second] = (await store.append('s', testEvents(2), { expectedRevision: 'no-stream' })).events;
        const [elsewhere] = (await store.append('other', testEvents(1), { expectedRevision: 'no-stream' })).events;

        expect(await store.findEvent('s', first!.id)).toEqual(first);
        expect(await store.findEvent('s', second!.id)).toEqual(second);
        expect(await store.findEvent('other', elsewhere!.id)).toEqual(elsewhere);
        expect(await store.findEvent('s', elsewhere!.id)).toBeUndefined();
        expect(await store.findEvent('nope', first!.id)).toBeUndefined();
        expect(await store.findEvent('s', testEvent().id)).toBeUndefined();
      });

      it('names the streams that start with a prefix, once each, sorted, and only streams with events', async () => {
        for (const stream of ['partner-WHO', 'partner-ITU', 'partners', 'ballot-1', 'partner', 'partner-ITU-2', 'office-chair', 'partnes-x', 'partner.x']) {
          await store.append(stream, testEvents(2), { expectedRevision: 'any' });
        }
        await store.append('partner-empty', [], { expectedRevision: 'no-stream' });

        expect(await store.streamNames('partner-')).toEqual(['partner-ITU', 'partner-ITU-2', 'partner-WHO']);
        expect(await store.streamNames('partner')).toEqual(['partner', 'partner-ITU', 'partner-ITU-2', 'partner-WHO', 'partner.x', 'partners']);
        expect(await store.streamNames('office-')).toEqual(['office-chair']);
        expect(await store.streamNames('nothing-')).toEqual([]);
        expect(await store.streamNames('')).toEqual([
          'ballot-1', 'office-chair', 'partner', 'partner-ITU', 'partner-ITU-2', 'partner-WHO', 'partner.x', 'partners', 'partnes-x',
        ]);
      });

      it('names streams by a prefix with non-ASCII characters, in code point order', async () => {
        for (const stream of ['ville-🏙️', 'ville-é', 'ville-z', 'villf-a', 'ville-北京']) {
          await store.append(stream, testEvents(1), { expectedRevision: 'no-stream' });
        }
        expect(await store.streamNames('ville-')).toEqual(['ville-z', 'ville-é', 'ville-北京', 'ville-🏙️']);
        expect(await store.streamNames('ville-é')).toEqual(['ville-é']);
      });

      it('pages through the whole log in position order with after/next/end, without gaps or repeats', async () => {
        const appended: string[] = [];
        for (let batch = 0; batch < 21; batch += 1) {
          const events = testEvents(50);
          appended.push(...events.map((event) => event.id));
          await store.append(`stream-${batch % 4}`, events, { expectedRevision: 'any' });
        }

        const pages = [];
        let after = 0;
        for (;;) {
          const page = await store.readAll({ after, limit: 100 });
          pages.push(page);
          if (page.events.length > 0) expect(page.next).toBe(page.events.at(-1)!.position);
          else expect(page.next).toBe(after);
          after = page.next;
          if (page.end) break;
          expect(pages.length).toBeLessThan(20);
        }
        expect(pages.map((page) => page.events.length)).toEqual([100, 100, 100, 100, 100, 100, 100, 100, 100, 100, 50]);
        expect(pages.map((page) => page.end)).toEqual([...Array(10).fill(false), true]);

        const events = pages.flatMap((page) => page.events);
        expect(events.map((event) => event.id)).toEqual(appended);
        events.slice(1).forEach((event, index) => expect(event.position).toBeGreaterThan(events[index]!.position));
        expect(await store.headPosition()).toBe(events.at(-1)!.position);
      });

      it('reads an empty log, reads past the head, and pages 500 by default', async () => {
        expect(await store.readAll()).toEqual({ events: [], next: 0, end: true });
        expect(await store.headPosition()).toBe(0);

        await store.append('s', testEvents(600), { expectedRevision: 'no-stream' });
        const head = await store.headPosition();
        const first = await store.readAll();
        expect(first.events).toHaveLength(500);
        expect(first.end).toBe(false);
        const rest = await store.readAll({ after: first.next });
        expect(rest.events).toHaveLength(100);
        expect(rest.end).toBe(true);
        expect(rest.next).toBe(head);
        expect(await store.readAll({ after: head })).toEqual({ events: [], next: head, end: true });
        expect(await store.readAll({ after: head + 1000 })).toEqual({ events: [], next: head + 1000, end: true });
      });

      it('reports the head position and each stream’s last revision', async () => {
        expect(await store.headPosition()).toBe(0);
        expect(await store.lastRevision('s')).toBe(-1);
        await store.append('s', testEvents(3), { expectedRevision: 'no-stream' });
        const last = await store.append('t', testEvents(2), { expectedRevision: 'no-stream' });
        expect(await store.lastRevision('s')).toBe(2);
        expect(await store.lastRevision('t')).toBe(1);
        expect(await store.lastRevision('u')).toBe(-1);
        expect(await store.headPosition()).toBe(last.events[1]!.position);
      });
    });

    describe('subscribe', () => {
      it('delivers the existing events, resolves caughtUp, then delivers later appends live', async () => {
        const before = await store.append('s', testEvents(5), { expectedRevision: 'no-stream' });
        const seen: StoredEvent[] = [];
        const subscription = store.subscribe((event) => void seen.push(event), { pollMs: 20 });
        try {
          await subscription.caughtUp;
          expect(seen).toEqual(before.events);
          expect(subscription.position).toBe(before.events[4]!.position);

          const later = await store.append('t', testEvents(3), { expectedRevision: 'no-stream' });
          const more = await store.append('s', testEvents(1), { expectedRevision: 4 });
          await until(() => seen.length === 9, 'live delivery of 4 events');
          expect(seen).toEqual([...before.events, ...later.events, ...more.events]);
          expect(subscription.position).toBe(more.events[0]!.position);
        } finally {
          await subscription.stop();
        }
      });

      it('starts after a given position', async () => {
        const appended = await store.append('s', testEvents(6), { expectedRevision: 'no-stream' });
        const seen: StoredEvent[] = [];
        const subscription = store.subscribe((event) => void seen.push(event), {
          after: appended.events[2]!.position,
          pollMs: 20,
        });
        try {
          await subscription.caughtUp;
          expect(seen).toEqual(appended.events.slice(3));
        } finally {
          await subscription.stop();
        }
      });

      it('resolves caughtUp on an empty log and delivers the first append', async () => {
        const seen: StoredEvent[] = [];
        const subscription = store.subscribe((event) => void seen.push(event), { pollMs: 20 });
        try {
          await subscription.caughtUp;
          expect(seen).toEqual([]);
          expect(subscription.position).toBe(0);
          const first = await store.append('s', testEvents(1), { expectedRevision: 'no-stream' });
          await until(() => seen.length === 1, 'the first event');
          expect(seen).toEqual(first.events);
        } finally {
          await subscription.stop();
        }
      });

      it('awaits the handler: one event at a time, in position order', async () => {
        const appended = await store.append('s', testEvents(20), { expectedRevision: 'no-stream' });
        let running = 0;
        let overlapped = false;
        const seen: number[] = [];
        const subscription = store.subscribe(
          async (event) => {
            running += 1;
            if (running > 1) overlapped = true;
            await pause(1);
            seen.push(event.position);
            running -= 1;
          },
          { pollMs: 20 },
        );
        try {
          await subscription.caughtUp;
          expect(overlapped).toBe(false);
          expect(seen).toEqual(appended.events.map((event) => event.position));
        } finally {
          await subscription.stop();
        }
      });

      it('delivers nothing after stop()', async () => {
        const seen: StoredEvent[] = [];
        const subscription = store.subscribe((event) => void seen.push(event), { pollMs: 20 });
        await subscription.caughtUp;
        await store.append('s', testEvents(1), { expectedRevision: 'no-stream' });
        await until(() => seen.length === 1, 'the first event');

        await subscription.stop();
        await store.append('s', testEvents(2), { expectedRevision: 0 });
        // Several poll intervals: a subscription still running would have delivered by now.
        await pause(150);
        expect(seen).toHaveLength(1);
      });

      it('stops and reports through onError when the handler throws', async () => {
        const appended = await store.append('s', testEvents(5), { expectedRevision: 'no-stream' });
        const seen: StoredEvent[] = [];
        const errors: unknown[] = [];
        const boom = new Error('projection failed');
        const subscription = store.subscribe(
          (event) => {
            if (event.revision === 2) throw boom;
            seen.push(event);
          },
          { pollMs: 20, onError: (error) => errors.push(error) },
        );
        await until(() => errors.length === 1, 'onError');
        expect(errors).toEqual([boom]);
        expect(subscription.position).toBe(appended.events[1]!.position);

        await store.append('s', testEvents(1), { expectedRevision: 4 });
        await pause(150);
        expect(seen).toEqual(appended.events.slice(0, 2));
        await subscription.stop();
      });
    });

    describe('content', () => {
      it('gives back exactly what was written: ids, types, data and metadata', async () => {
        const events: NewEvent[] = [
          testEvent({
            type: 'PartnerRegistered',
            data: {
              name: 'ITU',
              tags: ['a', 'b'],
              founded: 1865,
              share: 0.25,
              active: true,
              parent: null,
              nested: { deep: [1, [2, [3]]] },
            },
            metadata: testMetadata({ clauses: ['¶12', '¶13(b)'], imported: true }),
          }),
          testEvent({
            type: 'Empty',
            data: {},
            metadata: testMetadata({ actor: { id: 'p-2', role: 'chair' }, clauses: [] }),
          }),
          testEvent({ type: 'Scalar', data: 'just a string' }),
          testEvent({ type: 'Number', data: -12.5e-3 }),
          testEvent({ type: 'Null', data: null }),
          testEvent({ type: 'List', data: [1, 'two', { three: 3 }] }),
        ];
        const result = await store.append('s', events, { expectedRevision: 'no-stream' });
        const read = await store.readStream('s');
        expect(read.map(written)).toEqual(events.map(written));
        expect(result.events.map(written)).toEqual(events.map(written));
        expect((await store.readAll()).events.map(written)).toEqual(events.map(written));
      });

      it('is not changed by callers mutating what they wrote or read', async () => {
        const event = testEvent({ data: { name: 'original', list: [1, 2] } });
        const result = await store.append('s', [event], { expectedRevision: 'no-stream' });
        (event.data as { name: string }).name = 'mutated after append';
        (result.events[0]!.data as { list: number[] }).list.push(3);
        const read = await store.readStream('s');
        (read[0]!.data as { name: string }).name = 'mutated after read';
        read[0]!.metadata.clauses.push('¶99');

        const again = await store.readStream('s');
        expect(again[0]!.data).toEqual({ name: 'original', list: [1, 2] });
        expect(again[0]!.metadata.clauses).toEqual(['¶12']);
        expect((await verifyLog(await readWholeLog(store))).ok).toBe(true);
      });

      it('round-trips big payloads exactly: a 1 MiB string and a 5,000-element nested array', async () => {
        const big = 'x'.repeat(1024 * 1024 - 7) + 'é北🏙️';
        const array = Array.from({ length: 5000 }, (_, i) => ({ i, pair: [i, `v${i}`], inner: { odd: i % 2 === 1 } }));
        let deep: unknown = 'bottom';
        for (let level = 0; level < 100; level += 1) deep = [level, deep];
        const events = [
          testEvent({ type: 'Big', data: { big } }),
          testEvent({ type: 'Array', data: { array, deep } }),
        ];
        await store.append('big', events, { expectedRevision: 'no-stream' });
        const read = await store.readStream('big');
        expect((read[0]!.data as { big: string }).big).toBe(big);
        expect(read.map(written)).toEqual(events.map(written));
        expect((await verifyLog(await readWholeLog(store))).ok).toBe(true);
      });

      it('round-trips unicode stream names, types and data exactly, and the hashes still verify', async () => {
        const streams = ['partner-Société-Générale', 'città-北京-東京-서울', 'ville-🏙️-🌍👩🏽‍💻', 'مدينة-עיר-شريك'];
        const data = {
          latin: 'Ça déjà vu — «Ünïcödé» ñ ø å ß',
          cjk: '联合智慧可持续城市 統合 スマートシティ 스마트 시티',
          emoji: '🏙️🌱👩🏽‍💻🇺🇳 \u{1F600}',
          rtl: 'مدينة ذكية مستدامة ‏עיר חכמה‎',
          combining: 'e\u0301 vs é',
          controls: 'tab\there\nnew line "quoted" \\ back\u0001slash',
          'clé-ключ-鍵-🔑': ['ε', 'ж', '字'],
        };
        for (const stream of streams) {
          const event = testEvent({
            type: `Événement·事件·🎉·حدث`,
            data: { ...data, stream },
            metadata: testMetadata({ actor: { id: 'p-é', role: 'présidente', org: '国际电信联盟', name: 'Zoë 😀' } }),
          });
          await store.append(stream, [event], { expectedRevision: 'no-stream' });
          const [read] = await store.readStream(stream);
          expect(read!.stream).toBe(stream);
          expect(written(read!)).toEqual(written(event));
          expect(await store.lastRevision(stream)).toBe(0);
        }
        const log = await readWholeLog(store);
        expect(log.map((event) => event.stream)).toEqual(streams);
        expect(await verifyLog(log)).toMatchObject({ ok: true, events: 4, streams: 4 });
      });
    });

    describe('concurrency', () => {
      it('stores 1,000 concurrent appends to distinct streams at 1,000 distinct positions', async () => {
        const appends = Array.from({ length: 1000 }, (_, i) =>
          store.append(`stream-${i}`, [testEvent({ data: { i } })], { expectedRevision: 'no-stream' }),
        );
        const results = await Promise.all(appends);
        const positions = new Set(results.map((result) => result.events[0]!.position));
        expect(positions.size).toBe(1000);
        expect(results.every((result) => result.lastRevision === 0)).toBe(true);

        const log = await readWholeLog(store);
        expect(log).toHaveLength(1000);
        expect(new Set(log.map((event) => event.position))).toEqual(positions);
        expect(await verifyLog(log)).toMatchObject({ ok: true, events: 1000, streams: 1000 });
      });

      it('lets exactly one of 100 racing appends win each revision of one stream', async () => {
        const race = async (expectedRevision: 'no-stream' | number) => {
          const attempts = Array.from({ length: 100 }, (_, i) =>
            store.append('contested', [testEvent({ data: { racer: i } })], { expectedRevision }),
          );
          const outcomes = await Promise.allSettled(attempts);
          const winners = outcomes.filter((outcome) => outcome.status === 'fulfilled');
          const losers = outcomes.flatMap((outcome) => (outcome.status === 'rejected' ? [outcome.reason] : []));
          expect(winners).toHaveLength(1);
          expect(losers).toHaveLength(99);
          for (const loser of losers) expect(loser).toBeInstanceOf(ConcurrencyError);
          return (winners[0] as PromiseFulfilledResult<Awaited<(typeof attempts)[number]>>).value;
        };

        const first = await race('no-stream');
        const second = await race(0);
        expect(first.lastRevision).toBe(0);
        expect(second.lastRevision).toBe(1);
        const stream = await store.readStream('contested');
        expect(stream).toEqual([...first.events, ...second.events]);
        expect(await verifyLog(await readWholeLog(store))).toMatchObject({ ok: true, events: 2 });
      });
    });
  });
}
