import {
  ANY,
  jsonEvent,
  NO_STREAM,
  START,
  type ExpectedRevision as EventStoreDbExpectedRevision,
  type JSONEventData,
  type JSONType,
  type Position,
  type ReadPosition,
} from '@eventstore/db-client';
import type { EventMetadata, EventSignature, StoredEvent } from '../../envelope/index.js';
import { derivedId } from '../../kernel/ids.js';
import type { ExpectedRevision } from '../port.js';

/**
 * How the port's events, revisions and positions are written to and read from EventStoreDB: pure functions, so
 * the whole mapping is tested without a server.
 *
 * An event is one EventStoreDB JSON event in the EventStoreDB stream `streamPrefix + stream`:
 * - its EventStoreDB id is the port id when that is a lowercase UUID (the engine's ids always are: `derivedId` and
 *   `randomUUID`), so EventStoreDB's own idempotency recognises a retried write; any other id is mapped to a UUID
 *   derived from it, and the port id is kept in the envelope either way;
 * - its type is the port type, its data the port data as JSON;
 * - its metadata JSON is the envelope: the port metadata plus id, revision, prevHash and hash (what the hash chain
 *   needs to be re-derived from EventStoreDB alone) and the event's signature when it has one, marked `u4ssc: 1`
 *   so events written by anything else are recognised and refused rather than misread.
 */

/** The envelope format written into every event's metadata. */
export const ENVELOPE_VERSION = 1;

/** Streams `<prefix>u4ssc-event-id-<uuid>` hold the claims on event ids (see event-id-claims.ts). */
export const CLAIM_STREAM_PREFIX = 'u4ssc-event-id-';

/** The metadata JSON of an event: the envelope, plus the two keys EventStoreDB's own tools read. */
export interface EnvelopeMetadata {
  u4ssc: typeof ENVELOPE_VERSION;
  id: string;
  revision: number;
  prevHash: string;
  hash: string;
  /** Absent on events written before signing began. */
  signature?: EventSignature;
  metadata: EventMetadata;
  /** Read by EventStoreDB's UI and `$by_correlation_id`; the engine itself reads only `metadata`. */
  $correlationId: string;
  $causationId: string;
}

/** The part of the client's `RecordedEvent` the mapping reads (the client's type is assignable to it). */
export interface RecordedEventLike {
  streamId: string;
  id: string;
  revision: bigint;
  type: string;
  isJson: boolean;
  data: unknown;
  metadata: unknown;
  position?: Position;
}

/** The part of the client's `ResolvedEvent` / `AllStreamResolvedEvent` the mapping reads. */
export interface ResolvedEventLike {
  event?: RecordedEventLike;
  commitPosition?: bigint;
}

/** What a record of `$all` is to this store. */
export type RecordKind = 'event' | 'claim' | 'elsewhere';

const CANONICAL_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;

/** The UUID EventStoreDB stores for a port event id: the id itself when it is a lowercase UUID. */
export function eventStoreDbId(id: string): string {
  return CANONICAL_UUID.test(id) ? id : derivedId('u4ssc:eventstoredb-id', id);
}

/** The EventStoreDB event for a chained port event (its position is assigned by the server). */
export function toEventData(event: Omit<StoredEvent, 'position'>): JSONEventData {
  const metadata: EnvelopeMetadata = {
    u4ssc: ENVELOPE_VERSION,
    id: event.id,
    revision: event.revision,
    prevHash: event.prevHash,
    hash: event.hash,
    ...(event.signature && { signature: { keyId: event.signature.keyId, value: event.signature.value } }),
    metadata: event.metadata,
    $correlationId: event.metadata.correlationId,
    $causationId: event.metadata.causationId,
  };
  // The client writes `JSON.stringify(data)`, so scalars and null are fine although its type says object or string.
  return jsonEvent({ id: eventStoreDbId(event.id), type: event.type, data: event.data as JSONType, metadata });
}

/**
 * The port event an EventStoreDB record holds. Throws when the record is not an event this store wrote (no
 * envelope, a binary event, a revision or id that disagrees with the envelope): such a record in the engine's
 * streams was written by something else, and reading past it would hide it from `verify`.
 */
export function fromResolvedEvent(resolved: ResolvedEventLike, streamPrefix = ''): StoredEvent {
  const recorded = resolved.event;
  if (!recorded) throw new Error('EventStoreDB returned a record without an event (a link to a deleted event?)');
  const where = `event ${recorded.id} at "${recorded.streamId}"@${recorded.revision}`;
  const foreign = (why: string) =>
    new Error(
      `EventStoreDB ${where} was not written by this engine (${why}); the engine's streams hold only its own events`,
    );

  if (!recorded.streamId.startsWith(streamPrefix)) throw foreign(`its stream is outside the prefix "${streamPrefix}"`);
  if (!recorded.isJson) throw foreign('it is not a JSON event');
  const envelope = recorded.metadata as Partial<EnvelopeMetadata> | undefined;
  if (!isEnvelope(envelope)) throw foreign('its metadata carries no u4ssc envelope');
  if (BigInt(envelope.revision) !== recorded.revision) {
    throw foreign(`its envelope says revision ${envelope.revision}`);
  }
  if (eventStoreDbId(envelope.id) !== recorded.id.toLowerCase()) throw foreign(`its envelope names id ${envelope.id}`);
  const signature = envelope.signature as Partial<EventSignature> | undefined;
  if (signature !== undefined && (typeof signature?.keyId !== 'string' || typeof signature.value !== 'string')) {
    throw foreign('its envelope carries a signature without a key id and a value');
  }

  return {
    id: envelope.id,
    stream: recorded.streamId.slice(streamPrefix.length),
    revision: envelope.revision,
    position: toPortPosition(recordPosition(resolved)),
    type: recorded.type,
    data: recorded.data,
    metadata: envelope.metadata,
    prevHash: envelope.prevHash,
    hash: envelope.hash,
    ...(signature && { signature: { keyId: signature.keyId!, value: signature.value! } }),
  };
}

function isEnvelope(value: Partial<EnvelopeMetadata> | undefined): value is EnvelopeMetadata {
  return (
    typeof value === 'object' &&
    value !== null &&
    !(value instanceof Uint8Array) &&
    value.u4ssc === ENVELOPE_VERSION &&
    typeof value.id === 'string' &&
    Number.isSafeInteger(value.revision) &&
    value.revision! >= 0 &&
    typeof value.prevHash === 'string' &&
    SHA256_HEX.test(value.prevHash) &&
    typeof value.hash === 'string' &&
    SHA256_HEX.test(value.hash) &&
    typeof value.metadata === 'object' &&
    value.metadata !== null
  );
}

/**
 * Sorts a record of `$all`: one of this store's events, one of its id claims, or anything else — EventStoreDB's own
 * records (`$`-prefixed streams such as `$$meta` and `$stats-…`, `$`-prefixed types such as `$streamDeleted` and the
 * `$>` links of system projections) and streams outside the prefix.
 */
export function classifyRecord(resolved: ResolvedEventLike, streamPrefix = ''): RecordKind {
  const recorded = resolved.event;
  if (!recorded) return 'elsewhere';
  if (recorded.streamId.startsWith('$') || recorded.type.startsWith('$')) return 'elsewhere';
  if (!recorded.streamId.startsWith(streamPrefix)) return 'elsewhere';
  return recorded.streamId.startsWith(streamPrefix + CLAIM_STREAM_PREFIX) ? 'claim' : 'event';
}

/**
 * The port's expected revision as EventStoreDB's. The adapter itself always appends at the exact revision it read
 * (the hash chain needs the tail's hash, so even an 'any' append reads the tail first): it passes `'no-stream'` or
 * a number, and 'any' maps to ANY only for completeness.
 */
export function toEventStoreDbRevision(expected: ExpectedRevision): EventStoreDbExpectedRevision {
  if (expected === 'any') return ANY;
  if (expected === 'no-stream' || expected === -1) return NO_STREAM;
  if (!Number.isSafeInteger(expected) || expected < 0) {
    throw new RangeError(`an expected revision is 'any', 'no-stream' or a revision ≥ 0, got ${expected}`);
  }
  return BigInt(expected);
}

/**
 * The port's positions are numbers, EventStoreDB's `$all` positions are byte offsets into its transaction log
 * (bigint). Since EventStoreDB 22.10 every event has its own commit position (the prepare position names the
 * append it came in), equal in `$all` and in stream reads, strictly increasing in `$all` order: that is the port's
 * position. Exact as a JavaScript number up to 2^53 − 1 bytes of log (8 PiB); a position beyond is refused, never
 * rounded.
 */
export function toPortPosition(commit: bigint): number {
  if (commit <= 0n) {
    throw new RangeError(
      `EventStoreDB returned no log position (${commit}) for an event: ` +
        'EventStoreDB 22.10 or later (or KurrentDB) is needed',
    );
  }
  if (commit > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new RangeError(
      `EventStoreDB log position ${commit} is beyond 2^53 − 1, the largest exact position this engine can hold`,
    );
  }
  return Number(commit);
}

/**
 * Where a forward or backward read of `$all` starts for a port position: 0 is the start of the log; any other
 * position is that of a record, given as both its commit and prepare position, which is how the server compares
 * records (a forward read includes the record at the position, a backward read excludes it).
 */
export function toReadPosition(position: number): ReadPosition {
  if (!Number.isSafeInteger(position) || position < 0) {
    throw new RangeError(`a log position is an integer from 0 to 2^53 − 1, got ${position}`);
  }
  if (position === 0) return START;
  const at = BigInt(position);
  return { commit: at, prepare: at };
}

/** A record's commit position: per event since EventStoreDB 22.10 (see toPortPosition). */
export function recordPosition(resolved: ResolvedEventLike): bigint {
  const commit = resolved.event?.position?.commit ?? resolved.commitPosition;
  if (commit === undefined) {
    throw new RangeError(
      'EventStoreDB returned a record without a log position: EventStoreDB 22.10 or later is needed',
    );
  }
  return commit;
}

/**
 * Stream names and event types the adapter will not write: EventStoreDB reserves `$` for its own streams and
 * types (readers skip them), and the claim streams' prefix belongs to the adapter.
 */
export function refuseReservedNames(stream: string, types: readonly string[]): void {
  if (stream.length === 0) throw new RangeError('a stream name cannot be empty');
  if (stream.startsWith('$')) {
    throw new RangeError(`stream "${stream}": names starting with "$" are EventStoreDB's system streams`);
  }
  if (stream.startsWith(CLAIM_STREAM_PREFIX)) {
    throw new RangeError(
      `stream "${stream}": names starting with "${CLAIM_STREAM_PREFIX}" hold the event-id claims`,
    );
  }
  const reserved = types.find((type) => type.startsWith('$'));
  if (reserved !== undefined) {
    throw new RangeError(`event type "${reserved}": types starting with "$" are EventStoreDB's system event types`);
  }
}
