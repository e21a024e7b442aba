import { randomUUID } from 'node:crypto';
import { ANY, NO_STREAM, START } from '@eventstore/db-client';
import { describe, expect, it } from '@jest/globals';
import { chainEvents, GENESIS_HASH, verifyLog, type StoredEvent } from '../../envelope/index.js';
import { derivedId } from '../../kernel/ids.js';
import { isRetry, normaliseEvent } from '../append-rules.js';
import { testEvent, testEvents, testMetadata } from '../contract/test-events.js';
import { DuplicateEventIdError } from '../errors.js';
import { storedPlaces } from './event-id-claims.js';
import { SigningKey } from '../../signing/index.js';
import {
  classifyRecord,
  CLAIM_STREAM_PREFIX,
  eventStoreDbId,
  fromResolvedEvent,
  recordPosition,
  refuseReservedNames,
  toEventData,
  toEventStoreDbRevision,
  toPortPosition,
  toReadPosition,
  type RecordedEventLike,
  type ResolvedEventLike,
} from './eventstoredb-mapping.js';

/**
 * The adapter's pure half. No EventStoreDB server runs here, so these tests stand in for the server with objects
 * shaped like the client's ResolvedEvent, built the way the client builds them: the data and metadata it wrote
 * with JSON.stringify come back through JSON.parse.
 */

/** What the client hands back for an event it wrote with `toEventData`, at the given log position. */
function asServerReturns(event: Omit<StoredEvent, 'position'>, commit: bigint, streamPrefix = ''): ResolvedEventLike {
  const written = toEventData(event);
  const recorded: RecordedEventLike = {
    streamId: streamPrefix + event.stream,
    id: written.id,
    revision: BigInt(event.revision),
    type: written.type,
    isJson: written.contentType === 'application/json',
    data: JSON.parse(JSON.stringify(written.data)) as unknown,
    metadata: JSON.parse(JSON.stringify(written.metadata)) as unknown,
    // Since EventStoreDB 22.10: commit = the event's own log position, prepare = its append's first position.
    position: { commit, prepare: commit - BigInt(event.revision) * 100n },
  };
  return { event: recorded, commitPosition: commit };
}

function chained(stream: string, count: number, lastRevision = -1, lastHash = GENESIS_HASH) {
  return chainEvents(stream, lastRevision, lastHash, testEvents(count).map(normaliseEvent));
}

describe('EventStoreDB mapping (no EventStoreDB server here: mapping only)', () => {
  describe('expected revisions', () => {
    it("maps 'no-stream' to NO_STREAM, a revision to a bigint and 'any' to ANY", () => {
      expect(toEventStoreDbRevision('no-stream')).toBe(NO_STREAM);
      expect(toEventStoreDbRevision(0)).toBe(0n);
      expect(toEventStoreDbRevision(41)).toBe(41n);
      expect(toEventStoreDbRevision(Number.MAX_SAFE_INTEGER)).toBe(BigInt(Number.MAX_SAFE_INTEGER));
      expect(toEventStoreDbRevision('any')).toBe(ANY);
      // -1 is how the adapter names an empty stream's last revision, as checkExpectedRevision does.
      expect(toEventStoreDbRevision(-1)).toBe(NO_STREAM);
    });

    it('refuses what is not a revision', () => {
      for (const bad of [-2, 1.5, Number.NaN, 2 ** 53]) {
        expect(() => toEventStoreDbRevision(bad)).toThrow(RangeError);
      }
    });
  });

  describe('event ids', () => {
    it("keeps the engine's ids as EventStoreDB ids: derivedId and the test builder's ids are lowercase UUIDs", () => {
      const derived = derivedId('event', 'partner-ITU', 'command-1', 0);
      const built = testEvent().id;
      for (const id of [derived, built, randomUUID()]) {
        expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
        expect(eventStoreDbId(id)).toBe(id);
      }
    });

    it('maps any other id to a stable UUID of its own', () => {
      const uuid = randomUUID();
      for (const id of ['too-many-1', uuid.toUpperCase(), `{${uuid}}`, '']) {
        const mapped = eventStoreDbId(id);
        expect(mapped).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
        expect(eventStoreDbId(id)).toBe(mapped);
        expect(mapped).not.toBe(uuid);
      }
      expect(eventStoreDbId('a')).not.toBe(eventStoreDbId('b'));
    });
  });

  describe('the envelope ↔ EventStoreDB event', () => {
    it('writes a JSON event: the port type and data, the envelope in its metadata', () => {
      const [event] = chained('partner-ITU', 1);
      const data = toEventData(event!);
      expect(data).toEqual({
        id: event!.id,
        contentType: 'application/json',
        type: event!.type,
        data: event!.data,
        metadata: {
          u4ssc: 1,
          id: event!.id,
          revision: 0,
          prevHash: GENESIS_HASH,
          hash: event!.hash,
          metadata: event!.metadata,
          $correlationId: event!.metadata.correlationId,
          $causationId: event!.metadata.causationId,
        },
      });
    });

    it('round-trips every kind of data and metadata exactly, and the hashes still verify', () => {
      const events = [
        testEvent({
          type: 'PartnerRegistered',
          data: { name: 'ITU', tags: ['a'], founded: 1865, share: 0.25, active: true, parent: null, deep: [[1, [2]]] },
          metadata: testMetadata({ clauses: ['¶12', '¶13(b)'], imported: true }),
        }),
        testEvent({ type: 'Scalar', data: 'just a string' }),
        testEvent({ type: 'Number', data: -12.5e-3 }),
        // testEvent fills in missing data, so these two are set after it.
        { ...testEvent({ type: 'Null' }), data: null },
        { ...testEvent({ type: 'NoData' }), data: undefined },
        testEvent({ type: 'List', data: [1, 'two', { three: 3 }] }),
        testEvent({
          type: 'Événement·事件·🎉·حدث',
          data: { emoji: '🏙️🇺🇳', controls: 'tab\there\u0001', combining: 'e\u0301' },
          metadata: testMetadata({ actor: { id: 'p-é', role: 'présidente', org: '国际电信联盟', name: 'Zoë 😀' } }),
        }),
      ].map(normaliseEvent);
      const written = chainEvents('ville-🏙️-北京', -1, GENESIS_HASH, events);

      const read = written.map((event, index) => fromResolvedEvent(asServerReturns(event, 1000n + BigInt(index))));

      expect(read).toEqual(written.map((event, index) => ({ ...event, position: 1000 + index })));
      expect(read.slice(3, 5).map((event) => event.data)).toEqual([null, null]);
      return expect(verifyLog(read)).resolves.toMatchObject({ ok: true, events: 7, streams: 1 });
    });

    it('keeps a signature in the envelope and reads it back; a malformed one is refused', () => {
      const key = SigningKey.generate();
      const [event] = chainEvents('s', -1, GENESIS_HASH, testEvents(1).map(normaliseEvent), key);
      const resolved = asServerReturns(event!, 42n);
      const read = fromResolvedEvent(resolved);
      expect(read.signature).toEqual(event!.signature);
      expect(key.verifying.verify('event', read.hash, read.signature!.value)).toBe(true);
      expect(fromResolvedEvent(asServerReturns(chained('s', 1)[0]!, 43n))).not.toHaveProperty('signature');
      (resolved.event!.metadata as { signature: unknown }).signature = { keyId: 7 };
      expect(() => fromResolvedEvent(resolved)).toThrow(/signature without a key id/);
    });

    it('strips the stream prefix, which the hash never included', async () => {
      const written = chained('partner-ITU', 2);
      const read = written.map((event, index) =>
        fromResolvedEvent(asServerReturns(event, 500n + BigInt(index), 'test_ab12_'), 'test_ab12_'),
      );
      expect(read.map((event) => event.stream)).toEqual(['partner-ITU', 'partner-ITU']);
      expect((await verifyLog(read)).ok).toBe(true);
    });

    it('keeps the port id in the envelope when EventStoreDB holds a mapped one', () => {
      const [event] = chainEvents('s', -1, GENESIS_HASH, [normaliseEvent({ ...testEvent(), id: 'legacy-42' })]);
      const resolved = asServerReturns(event!, 77n);
      expect(resolved.event!.id).toBe(eventStoreDbId('legacy-42'));
      expect(fromResolvedEvent(resolved).id).toBe('legacy-42');
    });

    it('carries what verify needs: data altered in EventStoreDB is named as a hash fault', async () => {
      const written = chained('s', 3);
      const resolved = written.map((event, index) => asServerReturns(event, 10n + BigInt(index)));
      (resolved[1]!.event!.data as { seq: number }).seq = 99;
      const report = await verifyLog(resolved.map((record) => fromResolvedEvent(record)));
      expect(report).toMatchObject({ ok: false, fault: { kind: 'hash', revision: 1, eventId: written[1]!.id } });
    });

    it('refuses records this engine did not write, naming them', () => {
      const [event] = chained('partner-ITU', 1);
      const good = asServerReturns(event!, 9n);
      const variant = (change: Partial<RecordedEventLike>): ResolvedEventLike => ({
        ...good,
        event: { ...good.event!, ...change },
      });
      const envelope = good.event!.metadata as Record<string, unknown>;

      const cases: [ResolvedEventLike, RegExp][] = [
        [variant({ metadata: undefined }), /carries no u4ssc envelope/],
        [variant({ metadata: { $correlationId: 'x' } }), /carries no u4ssc envelope/],
        [variant({ metadata: { ...envelope, u4ssc: 2 } }), /carries no u4ssc envelope/],
        [variant({ metadata: { ...envelope, hash: 'not-a-hash' } }), /carries no u4ssc envelope/],
        [variant({ metadata: new Uint8Array([1, 2]) }), /carries no u4ssc envelope/],
        [variant({ isJson: false, data: new Uint8Array([1]) }), /not a JSON event/],
        [variant({ revision: 3n }), /envelope says revision 0/],
        [variant({ id: randomUUID() }), /envelope names id/],
        [{ commitPosition: 9n }, /without an event/],
      ];
      for (const [record, message] of cases) {
        expect(() => fromResolvedEvent(record)).toThrow(message);
      }
      expect(() => fromResolvedEvent(good, 'other_')).toThrow(/outside the prefix "other_"/);
      expect(() => fromResolvedEvent(variant({ metadata: undefined }))).toThrow(
        /event .* at "partner-ITU"@0 was not written by this engine/,
      );
    });
  });

  describe('records of $all', () => {
    const record = (streamId: string, type = 'PartnerRegistered'): ResolvedEventLike => ({
      event: {
        streamId,
        id: randomUUID(),
        revision: 0n,
        type,
        isJson: true,
        data: {},
        metadata: {},
        position: { commit: 1n, prepare: 1n },
      },
    });

    it("tells this store's events from its claims, EventStoreDB's system records and other prefixes", () => {
      expect(classifyRecord(record('partner-ITU'))).toBe('event');
      expect(classifyRecord(record(`${CLAIM_STREAM_PREFIX}${randomUUID()}`, 'u4ssc.EventIdClaimed'))).toBe('claim');
      expect(classifyRecord(record('$stats-127.0.0.1:2113', '$statsCollected'))).toBe('elsewhere');
      expect(classifyRecord(record('$$partner-ITU', '$metadata'))).toBe('elsewhere');
      expect(classifyRecord(record('$ce-partner', '$>'))).toBe('elsewhere');
      expect(classifyRecord(record('partner-ITU', '$streamDeleted'))).toBe('elsewhere');
      expect(classifyRecord({})).toBe('elsewhere');

      expect(classifyRecord(record('test_1_partner-ITU'), 'test_1_')).toBe('event');
      expect(classifyRecord(record(`test_1_${CLAIM_STREAM_PREFIX}x`), 'test_1_')).toBe('claim');
      expect(classifyRecord(record('test_2_partner-ITU'), 'test_1_')).toBe('elsewhere');
      expect(classifyRecord(record('partner-ITU'), 'test_1_')).toBe('elsewhere');
    });
  });

  describe('positions', () => {
    it('maps a commit position to the same number, up to 2^53 − 1', () => {
      expect(toPortPosition(1n)).toBe(1);
      expect(toPortPosition(123_456_789n)).toBe(123_456_789);
      expect(toPortPosition(BigInt(Number.MAX_SAFE_INTEGER))).toBe(Number.MAX_SAFE_INTEGER);
    });

    it('refuses a position beyond 2^53 − 1 rather than rounding it, and a missing one', () => {
      expect(() => toPortPosition(BigInt(Number.MAX_SAFE_INTEGER) + 1n)).toThrow(/beyond 2\^53 − 1/);
      expect(() => toPortPosition(2n ** 63n)).toThrow(RangeError);
      expect(() => toPortPosition(0n)).toThrow(/22\.10 or later/);
      expect(() => toPortPosition(-1n)).toThrow(/no log position/);
    });

    it('reads $all from the start for 0, and from the record itself (commit = prepare) for a position', () => {
      expect(toReadPosition(0)).toBe(START);
      expect(toReadPosition(42)).toEqual({ commit: 42n, prepare: 42n });
      expect(toReadPosition(Number.MAX_SAFE_INTEGER)).toEqual({
        commit: BigInt(Number.MAX_SAFE_INTEGER),
        prepare: BigInt(Number.MAX_SAFE_INTEGER),
      });
      for (const bad of [-1, 1.5, 2 ** 53, Number.NaN]) expect(() => toReadPosition(bad)).toThrow(RangeError);
    });

    it("takes a record's position from its event, else from the resolved event, else refuses", () => {
      const event = asServerReturns(chained('s', 1)[0]!, 300n).event!;
      expect(recordPosition({ event, commitPosition: 1n })).toBe(300n);
      expect(recordPosition({ event: { ...event, position: undefined }, commitPosition: 301n })).toBe(301n);
      expect(() => recordPosition({ event: { ...event, position: undefined } })).toThrow(/22\.10 or later/);
    });
  });

  describe('names the adapter will not write', () => {
    it("refuses EventStoreDB's $ streams and types, the claim streams and an empty name", () => {
      expect(() => refuseReservedNames('partner-ITU', ['PartnerRegistered'])).not.toThrow();
      expect(() => refuseReservedNames('$settings', ['X'])).toThrow(/system streams/);
      expect(() => refuseReservedNames(`${CLAIM_STREAM_PREFIX}abc`, ['X'])).toThrow(/event-id claims/);
      expect(() => refuseReservedNames('s', ['Ok', '$metadata'])).toThrow(/system event types/);
      expect(() => refuseReservedNames('', ['X'])).toThrow(/empty/);
    });
  });

  describe('event-id claims → the places isRetry decides on', () => {
    const [a, b, c] = chained('s', 3).map((event, index) => ({ ...event, position: 10 + index }));

    it('an append none of whose ids is claimed is new', () => {
      const places = storedPlaces('s', new Map(), new Map());
      expect(isRetry('s', [a!, b!], places)).toBe(false);
    });

    it('ids this stream claimed and holds, in order, are a retry', () => {
      const claims = new Map([
        [a!.id, 's'],
        [b!.id, 's'],
      ]);
      const found = new Map([
        [a!.id, a!],
        [b!.id, b!],
      ]);
      expect(isRetry('s', [a!, b!], storedPlaces('s', claims, found))).toBe(true);
    });

    it('ids this stream claimed but does not hold (an attempt that lost its expected revision) are free', () => {
      const claims = new Map([[c!.id, 's']]);
      expect(storedPlaces('s', claims, new Map()).size).toBe(0);
      expect(isRetry('s', [c!], storedPlaces('s', claims, new Map()))).toBe(false);
    });

    it("an id another stream claimed is refused, even if that stream's append never happened", () => {
      const claims = new Map([
        [a!.id, 's'],
        [c!.id, 'other'],
      ]);
      const places = storedPlaces('s', claims, new Map([[a!.id, a!]]));
      expect(places.get(c!.id)).toEqual({ stream: 'other', revision: -1 });
      expect(() => isRetry('s', [a!, c!], places)).toThrow(DuplicateEventIdError);
      expect(() => isRetry('s', [c!], storedPlaces('s', new Map([[c!.id, 'other']]), new Map()))).toThrow(
        DuplicateEventIdError,
      );
    });

    it('a partial overlap with what this stream holds is refused', () => {
      const claims = new Map([[a!.id, 's']]);
      const places = storedPlaces('s', claims, new Map([[a!.id, a!]]));
      expect(() => isRetry('s', [a!, testEvent()], places)).toThrow(DuplicateEventIdError);
    });
  });
});
