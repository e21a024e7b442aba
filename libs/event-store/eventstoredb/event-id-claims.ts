import {
  jsonEvent,
  NO_STREAM,
  StreamNotFoundError,
  WrongExpectedVersionError,
  type EventStoreDBClient,
} from '@eventstore/db-client';
import type { StoredEvent } from '../../envelope/index.js';
import type { StoredPlace } from '../append-rules.js';
import { DuplicateEventIdError } from '../errors.js';
import { CLAIM_STREAM_PREFIX, eventStoreDbId } from './eventstoredb-mapping.js';

/**
 * Why claims. The port promises that an event id is stored once in the whole log: an append naming an id another
 * stream holds is refused (DuplicateEventIdError). EventStoreDB keeps event ids per stream — its idempotency looks
 * only at the stream being written — and one append writes one stream. So before its events, an append claims each
 * new id by writing one small event to the stream `<prefix>u4ssc-event-id-<uuid>` with expected revision
 * "no stream": the server lets exactly one stream claim an id, even between processes racing for it.
 *
 * A claim is written before its event and never removed, so:
 * - an id nobody claimed is stored nowhere (no read of any stream is needed to know it);
 * - an id this stream claimed may be stored in it (a retry) or not (an earlier attempt lost on its expected
 *   revision): the stream is read, from its tail backwards, until the claimed ids are found or it ends;
 * - an id another stream claimed is refused, even when that stream's append then failed: the id stays reserved for
 *   it. The engine's ids derive from the stream and the command (`derivedId('event', stream, commandId, index)`),
 *   so only a programming error ever reuses an id elsewhere.
 * Claims cost one extra small write and read per event; readers of `$all` skip them (classifyRecord).
 */
const CLAIM_TYPE = 'u4ssc.EventIdClaimed';
const LOOKUPS_IN_FLIGHT = 32;

export class EventIdClaims {
  constructor(
    private readonly client: EventStoreDBClient,
    private readonly streamPrefix: string,
  ) {}

  /** The stream (port name) that claimed each id; ids nobody claimed are absent. */
  async lookup(ids: readonly string[]): Promise<Map<string, string>> {
    const claims = new Map<string, string>();
    await inBatches(ids, async (id) => {
      const stream = await this.claimant(id);
      if (stream !== undefined) claims.set(id, stream);
    });
    return claims;
  }

  /** Claims `ids` (none claimed yet when looked up) for `stream`; refuses any another stream claimed meanwhile. */
  async claim(stream: string, ids: readonly string[]): Promise<void> {
    const taken: string[] = [];
    await inBatches(ids, async (id) => {
      try {
        await this.client.appendToStream(
          this.streamOf(id),
          jsonEvent({ type: CLAIM_TYPE, data: { id, stream }, metadata: { u4ssc: 1 } }),
          { expectedRevision: NO_STREAM, requiresLeader: true },
        );
      } catch (error) {
        if (!(error instanceof WrongExpectedVersionError)) throw error;
        // Someone claimed it between the lookup and now: a racing retry of this same append is fine.
        if ((await this.claimant(id)) !== stream) taken.push(id);
      }
    });
    if (taken.length > 0) throw new DuplicateEventIdError(stream, taken);
  }

  private streamOf(id: string): string {
    return `${this.streamPrefix}${CLAIM_STREAM_PREFIX}${eventStoreDbId(id)}`;
  }

  private async claimant(id: string): Promise<string | undefined> {
    try {
      for await (const resolved of this.client.readStream(this.streamOf(id), { maxCount: 1, requiresLeader: true })) {
        const data = resolved.event?.data as { id?: unknown; stream?: unknown } | undefined;
        if (typeof data?.stream !== 'string' || data.id !== id) {
          throw new Error(`claim stream ${this.streamOf(id)} does not hold a claim on event id ${id}`);
        }
        return data.stream;
      }
      return undefined;
    } catch (error) {
      if (error instanceof StreamNotFoundError) return undefined;
      throw error;
    }
  }
}

/**
 * The places `isRetry` decides on: ids another stream claimed (refused whatever their revision) and this stream's
 * events that hold ids of the append. Ids this stream claimed but does not hold are left out: an earlier attempt
 * claimed them and then lost its expected revision, so they are free to append now.
 */
export function storedPlaces(
  stream: string,
  claims: ReadonlyMap<string, string>,
  found: ReadonlyMap<string, StoredEvent>,
): Map<string, StoredPlace> {
  const places = new Map<string, StoredPlace>();
  for (const [id, claimant] of claims) {
    if (claimant !== stream) places.set(id, { stream: claimant, revision: -1 });
  }
  for (const [id, event] of found) places.set(id, { stream, revision: event.revision });
  return places;
}

/** Runs `work` on every item, at most LOOKUPS_IN_FLIGHT at a time (a 600-event append makes 600 small calls). */
async function inBatches<T>(items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
  for (let start = 0; start < items.length; start += LOOKUPS_IN_FLIGHT) {
    await Promise.all(items.slice(start, start + LOOKUPS_IN_FLIGHT).map(work));
  }
}
