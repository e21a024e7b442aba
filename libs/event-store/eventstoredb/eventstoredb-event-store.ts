import { setTimeout as sleep } from 'node:timers/promises';
import {
  BACKWARDS,
  END,
  EventStoreDBClient,
  NotLeaderError,
  StreamNotFoundError,
  WrongExpectedVersionError,
  type ReadPosition,
  type StreamingRead,
} from '@eventstore/db-client';
import { chainEvents, GENESIS_HASH, type EventSigner, type NewEvent, type StoredEvent } from '../../envelope/index.js';
import { checkExpectedRevision, isRetry, normaliseEvent, pageSize, refuseRepeatedIds } from '../append-rules.js';
import { ConcurrencyError } from '../errors.js';
import type {
  AppendOptions,
  AppendResult,
  EventHandler,
  EventStore,
  LogCensus,
  ReadAllOptions,
  ReadAllPage,
  ReadStreamOptions,
  SubscribeOptions,
  Subscription,
} from '../port.js';
import { LocalSubscriptions } from '../subscription.js';
import { namesWithPrefix } from '../stream-prefix.js';
import { EventIdClaims, storedPlaces } from './event-id-claims.js';
import { describeEndpoint, EventStoreDbError, mapEventStoreDbError } from './eventstoredb-errors.js';
import {
  classifyRecord,
  fromResolvedEvent,
  recordPosition,
  refuseReservedNames,
  toEventData,
  toEventStoreDbRevision,
  toPortPosition,
  toReadPosition,
  type ResolvedEventLike,
} from './eventstoredb-mapping.js';

/** Appends with expectedRevision 'any' re-run after losing a race on the stream's next revision, this often. */
const ANY_REVISION_ATTEMPTS = 10;
/** Records read per request while looking backwards through `$all` for the head. */
const BACKWARD_CHUNK = 256;
/** Records read per request while paging forwards through `$all` (claims and system records are skipped). */
const MAX_FORWARD_CHUNK = 4096;

export interface EventStoreDbEventStoreOptions {
  /**
   * An EventStoreDB / KurrentDB connection string: `esdb://host:2113?tls=false` for one node,
   * `esdb+discover://seed1:2113,seed2:2113` or `esdb://node1:2113,node2:2113?nodePreference=leader` for a cluster.
   */
  connectionString: string;
  /**
   * Only for tests that share one server. Every port stream `s` is the EventStoreDB stream `streamPrefix + s`
   * (claims included), and readAll, headPosition and subscribe see those streams only, so a test fixture with a
   * random prefix starts with an empty log. The port's stream names, and so the hashes, stay unprefixed.
   */
  streamPrefix?: string;
  /**
   * Only for tests that share one server: leave out everything already in `$all` when the store opens, so a read
   * from position 0 starts at the server's current end instead of scanning its whole history for the prefix.
   */
  ignoreExistingLog?: boolean;
  /** Signs every event appended (docs/integrity.md); unsigned without one. */
  signer?: EventSigner;
}

/**
 * The EventStoreDB / KurrentDB backend (docs/architecture.md §3), on `@eventstore/db-client` (gRPC, EventStoreDB 22.10 or
 * later). EventStoreDB holds the events only; read models and their checkpoints stay in the read-model store.
 *
 * - Appends: read the stream's tail (its hash is the next event's prevHash), check the expected revision, claim new
 *   event ids (event-id-claims.ts), then append at exactly the revision read — for 'any' too, re-running on a
 *   lost race a bounded number of times. A retried append (every id already in the stream) returns the stored
 *   events with `duplicate: true`; EventStoreDB's own idempotency (same ids at the same revision) backs this up.
 * - Global order is `$all`: the port's position is an event's commit position (eventstoredb-mapping.ts).
 *   EventStoreDB has one writer and serves `$all` up to what it has committed, so a reader never passes an event
 *   that commits later.
 * - Subscriptions poll `readAll`, like every other adapter (subscription.ts), rather than using the client's
 *   `subscribeToAll`: the same loop gives the same delivery order, `caughtUp`, stop and error semantics and the same
 *   resume-from-checkpoint path, skips claims and system records in one place, and picks up after a dropped
 *   connection or a leader change by simply reading again from its position. The cost is one small `$all` read per
 *   poll interval when idle. No persistent subscription or server-side projection is used: the projector keeps its
 *   checkpoints beside its read models.
 * - Every call requires the leader, so a process reads its own writes; a follower answers NotLeader, the client
 *   switches to the leader it names, and the call is tried once more. Other failures become EventStoreDbError
 *   messages that say what to change (eventstoredb-errors.ts).
 */
export class EventStoreDbEventStore implements EventStore {
  readonly kind = 'eventstoredb' as const;

  private readonly subscriptions = new LocalSubscriptions();
  private readonly claims: EventIdClaims;
  private closed = false;

  private constructor(
    private readonly client: EventStoreDBClient,
    /** The server as messages name it (no credentials). */
    readonly endpoint: string,
    private readonly streamPrefix: string,
    /** Records at or before this position are not part of this store's log (ignoreExistingLog); 0 otherwise. */
    private readonly floor: number,
    private readonly signer: EventSigner | undefined,
  ) {
    this.claims = new EventIdClaims(client, streamPrefix);
  }

  /** Connects, and proves the server answers and lets this user read `$all` before the engine starts. */
  static async open(options: EventStoreDbEventStoreOptions): Promise<EventStoreDbEventStore> {
    const endpoint = describeEndpoint(options.connectionString);
    const prefix = options.streamPrefix ?? '';
    if (prefix.startsWith('$')) throw new RangeError(`streamPrefix "${prefix}" would name EventStoreDB system streams`);
    let client: EventStoreDBClient;
    try {
      client = EventStoreDBClient.connectionString(options.connectionString);
    } catch (error) {
      throw new EventStoreDbError(
        'bad-connection-string',
        `EVENTSTORE_URL is not an EventStoreDB connection string (esdb://host:2113?tls=false or ` +
          `esdb+discover://seed1:2113,seed2:2113): ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    }
    try {
      const end = await lastRecordPosition(client);
      return new EventStoreDbEventStore(client, endpoint, prefix, options.ignoreExistingLog ? end : 0, options.signer);
    } catch (error) {
      await client.dispose().catch(() => undefined);
      throw mapEventStoreDbError(error, endpoint);
    }
  }

  async append(stream: string, events: readonly NewEvent[], options: AppendOptions): Promise<AppendResult> {
    refuseReservedNames(stream, events.map((event) => event.type));
    const incoming = events.map(normaliseEvent);
    refuseRepeatedIds(stream, incoming);
    const result = await this.call(async () => {
      const attempts = options.expectedRevision === 'any' ? ANY_REVISION_ATTEMPTS : 2;
      for (let attempt = 1; ; attempt += 1) {
        try {
          return await this.tryAppend(stream, incoming, options);
        } catch (error) {
          if (!(error instanceof WrongExpectedVersionError)) throw error;
          // Another writer appended first. Re-running decides what that means with fresh reads: the same ids → a
          // retry (duplicate) or DuplicateEventIdError; a moved stream → ConcurrencyError with its actual revision;
          // for 'any', chain after the new tail (after a short random pause, so racing writers spread out).
          if (attempt >= attempts) {
            throw new ConcurrencyError(stream, options.expectedRevision, (await this.tail(stream)).lastRevision);
          }
          if (options.expectedRevision === 'any') await sleep(Math.random() * Math.min(2 ** attempt, 100));
        }
      }
    });
    if (!result.duplicate && result.events.length > 0) this.subscriptions.notify();
    return result;
  }

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    this.assertOpen();
    const from = options.fromRevision ?? 0;
    const to = options.toRevision ?? Number.MAX_SAFE_INTEGER;
    if (to < from) return [];
    return this.call(() => this.readRange(stream, from, to === Number.MAX_SAFE_INTEGER ? undefined : to - from + 1));
  }

  async lastRevision(stream: string): Promise<number> {
    return this.call(async () => (await this.tail(stream)).lastRevision);
  }

  /**
   * Best effort: EventStoreDB lists streams only through its `$streams` projection, which a server may not run, so
   * the names are collected by walking the log as readAll delivers it (an enumeration reads every event).
   */
  async streamNames(prefix: string): Promise<string[]> {
    const names = new Set<string>();
    for (let after = 0; ; ) {
      const page = await this.readAll({ after, limit: 10_000 });
      for (const event of page.events) names.add(event.stream);
      if (page.end) break;
      after = page.next;
    }
    return namesWithPrefix(names, prefix);
  }

  /**
   * An id nobody claimed is stored nowhere; one this stream claimed is looked for from the stream's tail backwards
   * (a command being retried is usually recent). See event-id-claims.ts.
   */
  async findEvent(stream: string, id: string): Promise<StoredEvent | undefined> {
    return this.call(async () => {
      const claims = await this.claims.lookup([id]);
      if (claims.get(id) !== stream) return undefined;
      return (await this.tail(stream, new Set([id]))).found.get(id);
    });
  }

  async readAll(options: ReadAllOptions = {}): Promise<ReadAllPage> {
    const after = options.after ?? 0;
    const limit = pageSize(options.limit);
    toReadPosition(after); // refuses a position that is not one
    return this.call(() => this.readPage(after, limit));
  }

  /**
   * EventStoreDB assigns its own positions and has no table to hide a row in: the census is the log as readAll
   * delivers it, counted by walking it (an auditor's tool, never on a command's path).
   */
  async census(): Promise<LogCensus> {
    let rows = 0;
    let highestPosition = 0;
    for (let after = 0; ; ) {
      const page = await this.readAll({ after, limit: 10_000 });
      rows += page.events.length;
      highestPosition = page.events.at(-1)?.position ?? highestPosition;
      if (page.end) break;
      after = page.next;
    }
    return { rows, highestPosition, unreachable: 0, heldBack: 0 };
  }

  async headPosition(): Promise<number> {
    return this.call(async () => {
      let cursor: ReadPosition = END;
      let before = Number.POSITIVE_INFINITY;
      for (;;) {
        let seen = 0;
        let head: number | undefined;
        let reachedFloor = false;
        const read = this.client.readAll({
          direction: BACKWARDS,
          fromPosition: cursor,
          maxCount: BACKWARD_CHUNK,
          requiresLeader: true,
        });
        await each(read, (resolved) => {
          seen += 1;
          const position = scanPosition(resolved);
          if (position >= before) return true; // the record the read started from
          if (position <= this.floor) {
            reachedFloor = true;
            return false;
          }
          before = position;
          if (classifyRecord(resolved, this.streamPrefix) !== 'event') return true;
          head = position;
          return false;
        });
        if (head !== undefined) return head;
        if (reachedFloor || seen < BACKWARD_CHUNK) return 0;
        cursor = toReadPosition(before);
      }
    });
  }

  subscribe(handler: EventHandler, options: SubscribeOptions = {}): Subscription {
    this.assertOpen();
    return this.subscriptions.start((page) => this.readAll(page), handler, options);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.subscriptions.stopAll();
    await this.client.dispose();
  }

  /**
   * One attempt: look (claims, then the stream's tail — and, for ids this stream claimed, back until they are
   * found) → decide (retry, refusal, expected revision) → claim the new ids → append at the revision read → read
   * the events back for their positions.
   */
  private async tryAppend(stream: string, events: readonly NewEvent[], options: AppendOptions): Promise<AppendResult> {
    const ids = events.map((event) => event.id);
    const claims = await this.claims.lookup(ids);
    const ownClaims = new Set(ids.filter((id) => claims.get(id) === stream));
    const { lastRevision, tailHash, found } = await this.tail(stream, ownClaims);

    if (isRetry(stream, events, storedPlaces(stream, claims, found))) {
      return { lastRevision, events: ids.map((id) => found.get(id)!), duplicate: true };
    }
    checkExpectedRevision(stream, options.expectedRevision, lastRevision);
    if (events.length === 0) return { lastRevision, events: [], duplicate: false };

    await this.claims.claim(stream, ids.filter((id) => !claims.has(id)));
    const chained = chainEvents(stream, lastRevision, tailHash, events, this.signer);
    await this.client.appendToStream(this.streamName(stream), chained.map(toEventData), {
      expectedRevision: toEventStoreDbRevision(lastRevision === -1 ? 'no-stream' : lastRevision),
      requiresLeader: true,
    });

    const stored = await this.readRange(stream, lastRevision + 1, chained.length);
    if (stored.length !== chained.length || stored.some((event, index) => event.id !== chained[index]!.id)) {
      throw new Error(
        `EventStoreDB accepted the append to "${stream}" at revision ${lastRevision + 1} but holds other events there`,
      );
    }
    // EventStoreDB's idempotency answers a write of ids it already holds at that revision with success, without
    // writing: then what is stored is another attempt's events (same ids, perhaps another occurredAt).
    if (stored.some((event, index) => event.hash !== chained[index]!.hash)) {
      return { lastRevision: (await this.tail(stream)).lastRevision, events: stored, duplicate: true };
    }
    return { lastRevision: stored.at(-1)!.revision, events: stored, duplicate: false };
  }

  /**
   * The stream's last revision and hash and, reading backwards from its tail, the events holding any of `wanted`
   * (it stops once all are found, so only a stream holding none of them is read to its start).
   */
  private async tail(
    stream: string,
    wanted: ReadonlySet<string> = new Set(),
  ): Promise<{ lastRevision: number; tailHash: string; found: Map<string, StoredEvent> }> {
    const found = new Map<string, StoredEvent>();
    let last: StoredEvent | undefined;
    await eachInStream(
      this.client.readStream(this.streamName(stream), {
        direction: BACKWARDS,
        fromRevision: END,
        maxCount: wanted.size === 0 ? 1 : Number.MAX_SAFE_INTEGER,
        requiresLeader: true,
      }),
      (resolved) => {
        const event = fromResolvedEvent(resolved, this.streamPrefix);
        last ??= event;
        if (wanted.has(event.id)) found.set(event.id, event);
        return found.size < wanted.size;
      },
    );
    return { lastRevision: last?.revision ?? -1, tailHash: last?.hash ?? GENESIS_HASH, found };
  }

  private async readRange(stream: string, from: number, count: number | undefined): Promise<StoredEvent[]> {
    const events: StoredEvent[] = [];
    await eachInStream(
      this.client.readStream(this.streamName(stream), {
        fromRevision: BigInt(from),
        maxCount: count ?? Number.MAX_SAFE_INTEGER,
        requiresLeader: true,
      }),
      (resolved) => void events.push(fromResolvedEvent(resolved, this.streamPrefix)),
    );
    return events;
  }

  /**
   * One page of this store's events after `after`, reading `$all` forwards in chunks and skipping claims, system
   * records and (with a prefix) other streams, until the page is full or the log ends.
   */
  private async readPage(after: number, limit: number): Promise<ReadAllPage> {
    const events: StoredEvent[] = [];
    let cursor = Math.max(after, this.floor);
    for (;;) {
      const want = Math.min((limit - events.length) * 2 + 16, MAX_FORWARD_CHUNK);
      let seen = 0;
      let full = false;
      let lastSeen = cursor;
      try {
        await each(
          this.client.readAll({ fromPosition: toReadPosition(cursor), maxCount: want, requiresLeader: true }),
          (resolved) => {
            seen += 1;
            const position = scanPosition(resolved);
            if (position <= cursor) return true; // a forward read includes the record it starts from
            lastSeen = position;
            if (classifyRecord(resolved, this.streamPrefix) !== 'event') return true;
            events.push(fromResolvedEvent(resolved, this.streamPrefix));
            full = events.length === limit;
            return !full;
          },
        );
      } catch (error) {
        // Only a read the server refused outright can mean a bad `after` (records decoded badly fail as themselves).
        if (seen > 0 || cursor !== after || after === 0 || isConnectionFailure(error)) throw error;
        // `after` is not the position of a record: past the end of the log there is simply nothing to read.
        if (after >= (await lastRecordPosition(this.client))) return { events: [], next: after, end: true };
        throw new RangeError(
          `readAll: ${after} is not the position of an event in EventStoreDB's $all; ` +
            'pass 0 or a position this store returned',
          { cause: error },
        );
      }
      if (full) return { events, next: events.at(-1)!.position, end: false };
      if (seen < want) return { events, next: events.at(-1)?.position ?? after, end: true };
      cursor = lastSeen;
    }
  }

  private streamName(stream: string): string {
    return this.streamPrefix + stream;
  }

  /** Runs one call against the server: refused once closed, tried again once after a leader change, errors mapped. */
  private async call<T>(work: () => Promise<T>): Promise<T> {
    this.assertOpen();
    try {
      return await work();
    } catch (error) {
      if (!(error instanceof NotLeaderError)) throw mapEventStoreDbError(error, this.endpoint);
      // The client reconnects to the leader the node named, asynchronously; give it a moment, then go there.
      await sleep(50);
      try {
        return await work();
      } catch (again) {
        throw mapEventStoreDbError(again, this.endpoint);
      }
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('EventStoreDbEventStore is closed');
  }
}

/** The position of the last record in `$all` (any record, system ones included), or 0 for an empty log. */
async function lastRecordPosition(client: EventStoreDBClient): Promise<number> {
  let position = 0;
  const read = client.readAll({ direction: BACKWARDS, fromPosition: END, maxCount: 1, requiresLeader: true });
  await each(read, (resolved) => {
    position = scanPosition(resolved);
    return false;
  });
  return position;
}

/**
 * Visits the records of a read until `visit` returns false (or throws). A read left early is cancelled on the
 * server: merely leaving the loop would stop consuming a gRPC call that has no deadline.
 */
async function each(
  read: StreamingRead<ResolvedEventLike>,
  visit: (resolved: ResolvedEventLike) => boolean | void,
): Promise<void> {
  let readToTheEnd = false;
  try {
    for await (const resolved of read) {
      if (visit(resolved) === false) return;
    }
    readToTheEnd = true;
  } finally {
    if (!readToTheEnd) await read.cancel().catch(() => undefined);
  }
}

/** `each` for a stream read: a stream that does not exist has no records. */
async function eachInStream(
  read: StreamingRead<ResolvedEventLike>,
  visit: (resolved: ResolvedEventLike) => boolean | void,
): Promise<void> {
  try {
    await each(read, visit);
  } catch (error) {
    if (!(error instanceof StreamNotFoundError)) throw error;
  }
}

/**
 * The position of any record met while scanning `$all`. EventStoreDB's own first records may sit at 0; this
 * store's events never do (fromResolvedEvent refuses that), so 0 only ever means "before every event".
 */
function scanPosition(resolved: ResolvedEventLike): number {
  const commit = recordPosition(resolved);
  return commit <= 0n ? 0 : toPortPosition(commit);
}

function isConnectionFailure(error: unknown): boolean {
  return mapEventStoreDbError(error) instanceof EventStoreDbError;
}
