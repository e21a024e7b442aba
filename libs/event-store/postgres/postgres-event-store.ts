import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { openPool } from './open-pool.js';
import { ensureSchema, type DdlClient, type SchemaPart } from './schema-parts.js';
import { chainEvents, GENESIS_HASH, storedText, type EventSigner, type NewEvent, type StoredEvent } from '../../envelope/index.js';
import {
  checkExpectedRevision,
  isRetry,
  normaliseEvent,
  pageSize,
  refuseRepeatedIds,
  type StoredPlace,
} from '../append-rules.js';
import { ConcurrencyError } from '../errors.js';
import type {
  AppendOptions,
  AppendResult,
  EventHandler,
  EventStore,
  ExpectedRevision,
  LogCensus,
  ReadAllOptions,
  ReadAllPage,
  ReadStreamOptions,
  SubscribeOptions,
  Subscription,
} from '../port.js';
import { LocalSubscriptions } from '../subscription.js';
import { TailCache, type KnownTail } from './tail-cache.js';
import { namesWithPrefix, prefixUpperBound } from '../stream-prefix.js';

/**
 * Global order without skipping in-flight transactions.
 *
 * A sequence would hand out positions at insert time but make them visible at commit time, in another order:
 * a reader that saw position 11 could later find 10 appear behind it and never deliver it. Instead
 *
 *   position = (xid8 of the inserting transaction) * 65536 + (index of the event within its append)
 *
 * and a reader only returns events whose transaction id lies below the oldest transaction still running
 * (`pg_snapshot_xmin(pg_current_snapshot())`). Every transaction below that horizon has ended, and a transaction
 * that starts later receives a larger xid, so no event can ever appear below a position a reader has passed.
 * The horizon is cluster-wide: any long writing transaction on the server delays (never reorders) delivery.
 *
 * Per-stream order follows: an append reads its stream's tail *before* its transaction gets an xid (the xid is
 * assigned by the INSERT itself), so every earlier revision it chained to was committed by a transaction with a
 * smaller xid, hence a smaller position; a racing append of the same revision is stopped by UNIQUE(stream, revision).
 *
 * The fast path (one autocommit INSERT, no BEGIN/COMMIT, see `tryFastAppend`) keeps both properties. Its statement
 * is its own transaction, and PostgreSQL assigns that transaction's xid during execution, at the first write, after
 * the statement took its snapshot. The event it chains to was committed before the statement began: the adapter
 * learnt it from its own finished append or from a committed read, and the statement re-checks it in its snapshot
 * (`EXISTS … revision = r AND hash = h`). A transaction visible in a snapshot had its xid before that snapshot,
 * so again the predecessor's position is smaller. Readers are untouched: the statement is a transaction like any
 * other, below or above the horizon. A stale tail collides on UNIQUE(stream, revision), exactly like a racing
 * append, and the adapter falls back to the transactional path, which then answers as it always did.
 *
 * Positions stay exact JavaScript numbers while xid8 < 2^37 (137 billion transactions); an append beyond that is
 * refused rather than rounded. The CHECK ties position to transaction_id so no writer can bypass the scheme.
 * Visibility in readAll filters on position (equivalent under that CHECK) so the primary key serves the range.
 */
const EVENTS_PER_APPEND_LIMIT = 65_535;
const POSITION_SHIFT = 16;

/** Positions must stay exact JavaScript numbers: xid8 < 2^37 (see above). The fast path checks it in SQL. */
const XID_LIMIT = 2 ** (53 - POSITION_SHIFT);
/** Streams whose tail the adapter remembers for the fast path, by default. */
const DEFAULT_TAIL_CACHE_SIZE = 4096;

/** How long readAll and headPosition wait for events committed before the call to clear the horizon. */
const DEFAULT_VISIBILITY_WAIT_MS = 1000;
/** Appends with expectedRevision 'any' re-run after losing a race on the stream's next revision, this often. */
const ANY_REVISION_ATTEMPTS = 10;

const UNIQUE_VIOLATION = '23505';

export interface PostgresEventStoreOptions {
  connectionString: string;
  /** Where the events table lives; created if missing. Default `public`. */
  schema?: string;
  /** Connections in the pool; default 10. */
  poolSize?: number;
  /**
   * readAll and headPosition answer with everything committed before they were called, waiting up to this long
   * for older transactions still in flight elsewhere to end (they hold the visibility horizon back); after that
   * they answer with what is safely visible. Default 1000 ms; 0 never waits.
   */
  visibilityWaitMs?: number;
  /**
   * Streams whose last known revision and hash the adapter remembers (least recently used first out), so that an
   * append with an exact expected revision it already knows is written in one round trip. Default 4096; 0 turns
   * the fast path off for numeric expected revisions ('no-stream' appends of unknown streams still take it).
   */
  tailCacheSize?: number;
  /** Signs every event appended (docs/integrity.md); unsigned without one. */
  signer?: EventSigner;
}

/** How appends were written since the store was opened (for benchmarks and tests; not persisted). */
export interface AppendPathCounts {
  /** Appends written by the one-statement fast path. */
  fast: number;
  /** Fast-path attempts that met a unique violation or a failed check and went on to the transactional path. */
  fellBack: number;
}

interface EventRow {
  position: string;
  id: string;
  stream: string;
  revision: string;
  type: string;
  data: unknown;
  metadata: StoredEvent['metadata'];
  prev_hash: string;
  hash: string;
  signature_key: string | null;
  signature: string | null;
}

const COLUMNS = 'position, id, stream, revision, type, data, metadata, prev_hash, hash, signature_key, signature';

/**
 * The multi-instance backend (docs/architecture.md §3): several API processes share one database.
 * Appends are optimistic: the tail and the ids are read in one statement and the events written by one INSERT,
 * with the unique constraints deciding any race, so writers of different streams never wait for each other.
 * Only 'any' appends (which must succeed, not fail fast) queue on a per-stream advisory lock.
 * When the adapter already knows the tail an append expects (a new stream, or the revision it last wrote or read),
 * it skips the look and the transaction: one INSERT statement, one round trip (issue #8), falling back to the
 * transactional path whenever the database says the tail has moved.
 */
export class PostgresEventStore implements EventStore {
  readonly kind = 'postgres' as const;

  private readonly subscriptions = new LocalSubscriptions();
  private readonly table: string;
  private readonly tails: TailCache;
  private readonly paths: AppendPathCounts = { fast: 0, fellBack: 0 };
  private closed = false;
  private codePointOrder?: Promise<boolean>;

  private constructor(
    readonly pool: pg.Pool,
    readonly schema: string,
    private readonly visibilityWaitMs: number,
    tailCacheSize: number,
    private readonly signer: EventSigner | undefined,
  ) {
    this.table = `${pg.escapeIdentifier(schema)}.events`;
    this.tails = new TailCache(tailCacheSize);
  }

  static async open(options: PostgresEventStoreOptions): Promise<PostgresEventStore> {
    const schema = options.schema ?? 'public';
    const pool = await openPool(options.connectionString, options.poolSize ?? 10, (ready) => ensureSchema(ready, schema, [EVENTS_SCHEMA]));
    return new PostgresEventStore(
      pool,
      schema,
      options.visibilityWaitMs ?? DEFAULT_VISIBILITY_WAIT_MS,
      options.tailCacheSize ?? DEFAULT_TAIL_CACHE_SIZE,
      options.signer,
    );
  }

  /** How appends were written since this store was opened. */
  appendPathCounts(): AppendPathCounts {
    return { ...this.paths };
  }

  async append(stream: string, events: readonly NewEvent[], options: AppendOptions): Promise<AppendResult> {
    this.assertOpen();
    if (events.length > EVENTS_PER_APPEND_LIMIT) {
      throw new RangeError(
        `an append holds at most ${EVENTS_PER_APPEND_LIMIT} events (the position reserves 16 bits for the index), ` +
          `got ${events.length}; split it`,
      );
    }
    const incoming = events.map(normaliseEvent);
    refuseRepeatedIds(stream, incoming);
    const known = this.fastPathTail(stream, options.expectedRevision, incoming.length);
    if (known) {
      const result = await this.tryFastAppend(stream, incoming, known);
      if (result) {
        this.paths.fast += 1;
        return this.appended(stream, result);
      }
      // The tail moved, or some id is stored already: the transactional path below decides, with fresh reads,
      // exactly as if the fast path had never been tried (it wrote nothing).
      this.paths.fellBack += 1;
    }
    const attempts = options.expectedRevision === 'any' ? ANY_REVISION_ATTEMPTS : 2;
    for (let attempt = 1; ; attempt += 1) {
      try {
        // 'any' writers, and anyone who just lost a race, queue on the stream rather than race again.
        const queue = options.expectedRevision === 'any' || attempt > 1;
        return this.appended(stream, await this.tryAppend(stream, incoming, options, queue));
      } catch (error) {
        if (!isUniqueViolation(error)) throw error;
        // Another writer committed first. Re-running decides what that means with fresh reads: the same ids
        // → a retry (duplicate) or DuplicateEventIdError; the same revision → ConcurrencyError with the actual
        // revision; for 'any', simply chain after the new tail.
        if (attempt >= attempts) {
          throw new ConcurrencyError(stream, options.expectedRevision, await this.lastRevision(stream));
        }
      }
    }
  }

  async readStream(stream: string, options: ReadStreamOptions = {}): Promise<StoredEvent[]> {
    this.assertOpen();
    const from = options.fromRevision ?? 0;
    const to = options.toRevision ?? Number.MAX_SAFE_INTEGER;
    const { rows } = await this.pool.query<EventRow>(
      `SELECT ${COLUMNS} FROM ${this.table} WHERE stream = $1 AND revision >= $2 AND revision <= $3 ORDER BY revision`,
      [stream, from, to],
    );
    const events = rows.map(toStoredEvent);
    // The runner reads a stream, then appends expecting its last revision: remembering it makes that append fast.
    this.remember(events.at(-1));
    return events;
  }

  async lastRevision(stream: string): Promise<number> {
    this.assertOpen();
    // The hash comes along (the row is read anyway) so that the answer can feed the tail cache.
    const { rows } = await this.pool.query<{ revision: string; hash: string }>(
      `SELECT revision, hash FROM ${this.table} WHERE stream = $1 ORDER BY revision DESC LIMIT 1`,
      [stream],
    );
    const tail = rows[0];
    if (!tail) return -1;
    this.tails.record(stream, Number(tail.revision), tail.hash);
    return Number(tail.revision);
  }

  /**
   * A skip scan of UNIQUE(stream, revision) (a recursive query, one index probe per stream), bounded to the prefix's
   * range when the column compares by code point ("C", "POSIX", "C.UTF-8"). Under a language collation names with a
   * prefix need not be contiguous (punctuation is ignored at the first level), so every stream name is walked and
   * the prefix filtered here: still one probe per stream, never a read of the events.
   */
  async streamNames(prefix: string): Promise<string[]> {
    this.assertOpen();
    this.codePointOrder ??= this.comparesByCodePoint();
    const upper = (await this.codePointOrder) ? prefixUpperBound(prefix) : undefined;
    const lower = (await this.codePointOrder) ? prefix : '';
    const { rows } = await this.pool.query<{ stream: string }>(
      `WITH RECURSIVE names(stream) AS (
         SELECT (SELECT stream FROM ${this.table} WHERE stream >= $1 ORDER BY stream LIMIT 1)
         UNION ALL
         SELECT (SELECT e.stream FROM ${this.table} e WHERE e.stream > names.stream ORDER BY e.stream LIMIT 1)
           FROM names WHERE names.stream IS NOT NULL AND ($2::text IS NULL OR names.stream < $2::text)
       )
       SELECT stream FROM names WHERE stream IS NOT NULL AND ($2::text IS NULL OR stream < $2::text)`,
      [lower, upper ?? null],
    );
    return namesWithPrefix(rows.map((row) => row.stream), prefix);
  }

  private async comparesByCodePoint(): Promise<boolean> {
    const { rows } = await this.pool.query<{ collation: string | null; provider: string }>(
      `SELECT COALESCE(
                (SELECT c.collname FROM pg_attribute a JOIN pg_collation c ON c.oid = a.attcollation
                  WHERE a.attrelid = to_regclass($1) AND a.attname = 'stream' AND c.collname <> 'default'),
                d.datcollate) AS collation,
              COALESCE(to_jsonb(d) ->> 'datlocprovider', 'c') AS provider
         FROM pg_database d WHERE d.datname = current_database()`,
      [this.table],
    );
    const { collation, provider } = rows[0] ?? { collation: null, provider: '' };
    return provider === 'c' && collation !== null && /^(C|POSIX|C\.[A-Za-z0-9-]+|ucs_basic)$/i.test(collation);
  }

  async findEvent(stream: string, id: string): Promise<StoredEvent | undefined> {
    this.assertOpen();
    const { rows } = await this.pool.query<EventRow>(
      `SELECT ${COLUMNS} FROM ${this.table} WHERE id = $1 AND stream = $2`,
      [id, stream],
    );
    const event = rows[0] && toStoredEvent(rows[0]);
    this.remember(event);
    return event;
  }

  async readAll(options: ReadAllOptions = {}): Promise<ReadAllPage> {
    this.assertOpen();
    const after = options.after ?? 0;
    const limit = pageSize(options.limit);
    const events = await this.untilVisible(after, async () => {
      const { rows } = await this.pool.query<EventRow & Horizon>(
        `WITH h AS (SELECT ${HORIZON} AS horizon, (SELECT max(position) FROM ${this.table}) AS newest)
         SELECT h.horizon, h.newest, e.*
         FROM h LEFT JOIN LATERAL (
           SELECT ${COLUMNS} FROM ${this.table}
           WHERE position > $1 AND position < h.horizon ORDER BY position LIMIT $2
         ) e ON true
         ORDER BY e.position`,
        [after, limit],
      );
      const page = rows.filter((row) => row.position !== null).map(toStoredEvent);
      return { value: page, horizon: rows[0]!, settled: page.length === limit };
    });
    return { events, next: events.at(-1)?.position ?? after, end: events.length < limit };
  }

  async headPosition(): Promise<number> {
    this.assertOpen();
    return this.untilVisible(0, async () => {
      const { rows } = await this.pool.query<Horizon & { head: string | null }>(
        `WITH h AS (SELECT ${HORIZON} AS horizon, (SELECT max(position) FROM ${this.table}) AS newest)
         SELECT h.horizon, h.newest, (SELECT max(position) FROM ${this.table} WHERE position < h.horizon) AS head
         FROM h`,
      );
      const row = rows[0]!;
      return { value: row.head === null ? 0 : toPosition(row.head), horizon: row, settled: false };
    });
  }

  /**
   * One statement, so the counts and the horizon come from one snapshot: every row, the highest position, rows no
   * reader reaches (position at or below 0), rows committed but at or above the horizon, and who holds the horizon:
   * the running transaction whose xid is the snapshot's xmin, a session (pg_stat_activity) or a prepared
   * transaction (pg_prepared_xacts). Both views show that much to any role; when did the transaction begin is shown
   * only to the session's own role, superusers and pg_read_all_stats.
   */
  async census(): Promise<LogCensus> {
    this.assertOpen();
    const { rows } = await this.pool.query<CensusRow>(
      `WITH x AS (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS xmin),
       c AS (
         SELECT count(*)::text AS rows, COALESCE(max(position), 0)::text AS highest,
                count(*) FILTER (WHERE position <= 0)::text AS unreachable,
                count(*) FILTER (WHERE position >= (SELECT xmin::text::bigint << ${POSITION_SHIFT} FROM x))::text AS held_back
         FROM ${this.table}
       ),
       holder AS (
         SELECT 'session' AS kind, a.pid::text AS pid, a.datname AS database, a.usename AS role,
                a.application_name AS application, a.xact_start::text AS since, a.state
         FROM x JOIN pg_stat_activity a ON a.backend_xid = x.xmin::xid
         UNION ALL
         SELECT 'prepared', NULL, p.database, p.owner, p.gid, p.prepared::text, NULL
         FROM x JOIN pg_prepared_xacts p ON p.transaction = x.xmin::xid
         LIMIT 1
       )
       SELECT c.*, (SELECT xmin::text FROM x) AS xmin, holder.* FROM c LEFT JOIN holder ON true`,
    );
    const row = rows[0]!;
    const unreachable = Number(row.unreachable);
    const heldBack = Number(row.held_back);
    const first = unreachable
      ? (
          await this.pool.query<{ position: string; stream: string; revision: string; id: string }>(
            `SELECT position::text, stream, revision::text, id FROM ${this.table} WHERE position <= 0 ORDER BY position LIMIT 1`,
          )
        ).rows[0]
      : undefined;
    return {
      rows: Number(row.rows),
      highestPosition: toPosition(row.highest),
      unreachable,
      heldBack,
      ...(heldBack > 0 ? { horizonHeldBy: describeHolder(row) } : {}),
      ...(first ? { firstUnreachable: { position: Number(first.position), stream: first.stream, revision: Number(first.revision), id: first.id } } : {}),
    };
  }

  subscribe(handler: EventHandler, options: SubscribeOptions = {}): Subscription {
    this.assertOpen();
    return this.subscriptions.start((page) => this.readAll(page), handler, options);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.subscriptions.stopAll();
    await this.pool.end();
  }

  /**
   * The tail an append may chain on without looking, or undefined when only the transactional path can decide.
   * 'no-stream' chains on the genesis hash, unless this process has seen the stream (then the append can only
   * fail or be a retry, which the transactional path tells apart); a number chains on the remembered tail when it
   * is that revision. 'any' must not fail fast, so it keeps its queue; an empty append writes nothing, so there is
   * no statement to learn the tail from.
   */
  private fastPathTail(stream: string, expected: ExpectedRevision, count: number): KnownTail | undefined {
    if (count === 0 || expected === 'any') return undefined;
    const known = this.tails.get(stream);
    if (expected === 'no-stream') return known ? undefined : { revision: -1, hash: GENESIS_HASH };
    return known?.revision === expected ? known : undefined;
  }

  /**
   * One autocommit statement, one round trip: the events chained here on `after`, inserted only if `after` is
   * still what the database holds at that revision (the `EXISTS`, skipped for a new stream) and positions stay
   * exact numbers. Returns undefined, having written nothing, when the statement inserted no row or hit a unique
   * constraint: the tail moved (UNIQUE(stream, revision)), an id is stored already (a retry, or a clash), or the
   * remembered event is not there (a dropped schema). Other errors are thrown as on the transactional path.
   *
   * Durability is that of the transactional path: an autocommit statement commits (and, with PostgreSQL's
   * defaults, flushes the WAL) before the server answers. The position/xid argument is at the top of the file.
   */
  private async tryFastAppend(
    stream: string,
    events: readonly NewEvent[],
    after: KnownTail,
  ): Promise<AppendResult | undefined> {
    const chained = chainEvents(stream, after.revision, after.hash, events, this.signer);
    let inserted: pg.QueryResult<{ id: string; position: string }>;
    // A client of its own rather than pool.query: pg-pool closes the connection of any pool.query that fails, and
    // reconnecting (~30 ms) after every lost race would cost far more than the round trips this path saves.
    const client = await this.pool.connect();
    try {
      inserted = await client.query<{ id: string; position: string }>({
        // Named: each pooled connection parses and plans it once.
        name: 'u4ssc-fast-append',
        text: `INSERT INTO ${this.table} (position, id, stream, revision, type, data, metadata, prev_hash, hash, signature_key, signature)
         SELECT (pg_current_xact_id()::text::bigint << ${POSITION_SHIFT}) + e.ord - 1,
                e.id, $1, e.revision, e.type, e.data::json, e.metadata::json, e.prev_hash, e.hash, e.signature_key, e.signature
         FROM unnest($2::text[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[])
              WITH ORDINALITY AS e(id, revision, type, data, metadata, prev_hash, hash, signature_key, signature, ord)
         WHERE ($11::bigint = -1
                OR EXISTS (SELECT 1 FROM ${this.table} WHERE stream = $1 AND revision = $11 AND hash = $12))
           AND pg_current_xact_id()::text::bigint < ${XID_LIMIT}
         RETURNING id, position::text`,
        values: [...insertParameters(stream, chained), after.revision, after.hash],
      });
      client.release();
    } catch (error) {
      // An error the server answered leaves the connection usable; anything else (a broken socket) discards it.
      client.release(error instanceof pg.DatabaseError ? undefined : (error as Error));
      if (isUniqueViolation(error)) return undefined;
      throw error;
    }
    if (inserted.rowCount !== chained.length) return undefined;
    const positions = new Map(inserted.rows.map((row) => [row.id, toPosition(row.position)]));
    const stored = chained.map((event): StoredEvent => ({ ...event, position: positions.get(event.id)! }));
    return { lastRevision: stored.at(-1)!.revision, events: stored, duplicate: false };
  }

  /** After a successful append, on either path: remember the new tail and wake local subscribers. */
  private appended(stream: string, result: AppendResult): AppendResult {
    const last = result.events.at(-1);
    if (last) this.tails.record(stream, last.revision, last.hash);
    if (!result.duplicate && result.events.length > 0) this.subscriptions.notify();
    return result;
  }

  /** A committed event read back is a fact about its stream (see TailCache). */
  private remember(event: StoredEvent | undefined): void {
    if (event) this.tails.record(event.stream, event.revision, event.hash);
  }

  /**
   * One transaction: [lock] → look (ids and tail) → decide → INSERT → COMMIT. Nothing before the INSERT assigns an
   * xid (an advisory lock does not), which is what keeps positions in revision order within a stream.
   */
  private async tryAppend(
    stream: string,
    events: readonly NewEvent[],
    options: AppendOptions,
    queue: boolean,
  ): Promise<AppendResult> {
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      if (queue) {
        // Writers that would otherwise spin on the same revision wait their turn instead; the lock is released
        // after the holder's commit is visible, so the look below sees it. Other streams never wait.
        await client.query('SELECT pg_advisory_xact_lock(hashtext($1), hashtext($2))', [
          `u4ssc:append:${this.schema}`,
          stream,
        ]);
      }
      const result = await this.appendInTransaction(client, stream, events, options);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  private async appendInTransaction(
    client: pg.PoolClient,
    stream: string,
    events: readonly NewEvent[],
    options: AppendOptions,
  ): Promise<AppendResult> {
    // One statement, so the ids found and the tail come from the same snapshot: a concurrent identical append
    // is either seen here (a retry) or collides on insert and is seen on the re-run.
    const { rows } = await client.query<EventRow & { found: boolean }>(
      `SELECT true AS found, ${COLUMNS} FROM ${this.table} WHERE id = ANY($2::text[])
       UNION ALL
       (SELECT false, ${COLUMNS} FROM ${this.table} WHERE stream = $1 ORDER BY revision DESC LIMIT 1)`,
      [stream, events.map((event) => event.id)],
    );
    const found = new Map<string, StoredEvent>();
    let tail: StoredEvent | undefined;
    for (const row of rows) {
      if (row.found) found.set(row.id, toStoredEvent(row));
      else tail = toStoredEvent(row);
    }
    // Committed by someone (this transaction has written nothing yet), so a fact even if this append fails.
    this.remember(tail);
    const lastRevision = tail?.revision ?? -1;
    if (isRetry(stream, events, found as ReadonlyMap<string, StoredPlace>)) {
      return { lastRevision, events: events.map(({ id }) => found.get(id)!), duplicate: true };
    }
    checkExpectedRevision(stream, options.expectedRevision, lastRevision);
    if (events.length === 0) return { lastRevision, events: [], duplicate: false };

    const chained = chainEvents(stream, lastRevision, tail?.hash ?? GENESIS_HASH, events, this.signer);
    // The INSERT assigns this transaction's xid, after the tail was read: see the note at the top of the file.
    const inserted = await client.query<{ id: string; position: string }>(
      `INSERT INTO ${this.table} (position, id, stream, revision, type, data, metadata, prev_hash, hash, signature_key, signature)
       SELECT (pg_current_xact_id()::text::bigint << ${POSITION_SHIFT}) + e.ord - 1,
              e.id, $1, e.revision, e.type, e.data::json, e.metadata::json, e.prev_hash, e.hash, e.signature_key, e.signature
       FROM unnest($2::text[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[])
            WITH ORDINALITY AS e(id, revision, type, data, metadata, prev_hash, hash, signature_key, signature, ord)
       RETURNING id, position::text`,
      insertParameters(stream, chained),
    );
    // Converted before COMMIT, so a position beyond exact numbers throws and is never stored.
    const positions = new Map(inserted.rows.map((row) => [row.id, toPosition(row.position)]));
    const stored = chained.map((event): StoredEvent => ({ ...event, position: positions.get(event.id)! }));
    return { lastRevision: stored.at(-1)!.revision, events: stored, duplicate: false };
  }

  /**
   * Runs `read` until everything committed when the call began lies below the horizon (or the page is full, or
   * the wait is over): a process reads its own appends, and a subscription's `caughtUp` covers what was there.
   */
  private async untilVisible<T>(
    after: number,
    read: () => Promise<{ value: T; horizon: Horizon; settled: boolean }>,
  ): Promise<T> {
    const deadline = Date.now() + this.visibilityWaitMs;
    let target: number | undefined;
    for (let pause = 1; ; pause = Math.min(pause * 2, 20)) {
      const { value, horizon, settled } = await read();
      target ??= horizon.newest === null ? 0 : toPosition(horizon.newest);
      const visible = target < toPosition(horizon.horizon) || target <= after;
      if (settled || visible || this.closed || Date.now() >= deadline) return value;
      await sleep(pause);
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('PostgresEventStore is closed');
  }
}

interface CensusRow {
  rows: string;
  highest: string;
  unreachable: string;
  held_back: string;
  xmin: string;
  kind: 'session' | 'prepared' | null;
  pid: string | null;
  database: string | null;
  role: string | null;
  application: string | null;
  since: string | null;
  state: string | null;
}

/** The horizon's holder in words an operator can act on (pg_terminate_backend, COMMIT PREPARED). */
function describeHolder(row: CensusRow): string {
  const since = row.since ? `since ${row.since}` : 'start time not visible to this role';
  if (row.kind === 'session') {
    return (
      `transaction ${row.xmin} of pid ${row.pid} in database "${row.database}" (role "${row.role}", ` +
      `application "${row.application ?? ''}", ${row.state ?? 'state not visible'}, ${since})`
    );
  }
  if (row.kind === 'prepared') {
    return `prepared transaction "${row.application}" (${row.xmin}) in database "${row.database}" (owner "${row.role}", prepared ${since.replace(/^since /, 'at ')})`;
  }
  return `transaction ${row.xmin}, which ended while the census was taken`;
}

/** The first position no reader may see yet: that of the oldest transaction still running. */
const HORIZON = `(pg_snapshot_xmin(pg_current_snapshot())::text::bigint << ${POSITION_SHIFT})`;

interface Horizon {
  horizon: string;
  newest: string | null;
}

/**
 * The events table and its triggers: one refusing any change to a stored event, one refusing any row whose position
 * the store did not issue (see `events_issue_position`). Run by the schema owner (`u4ssc schema`, or an owner's open).
 */
export const EVENTS_SCHEMA: SchemaPart = {
  name: 'events',
  // Appending is all the serving role does to the log: no UPDATE, DELETE, TRUNCATE, TRIGGER or REFERENCES.
  privileges: { events: ['SELECT', 'INSERT'] },
  async ddl(client: DdlClient, s: string): Promise<void> {
    await client.query(`
      CREATE TABLE IF NOT EXISTS ${s}.events (
        position       bigint PRIMARY KEY,
        transaction_id xid8   NOT NULL DEFAULT pg_current_xact_id(),
        id             text   NOT NULL CONSTRAINT events_id_key UNIQUE,
        stream         text   NOT NULL,
        revision       bigint NOT NULL CHECK (revision >= 0),
        type           text   NOT NULL,
        -- json, not jsonb: json keeps the text as written, jsonb would reorder keys and reject \\u0000.
        data           json   NOT NULL,
        metadata       json   NOT NULL,
        prev_hash      text   NOT NULL,
        hash           text   NOT NULL,
        CONSTRAINT events_stream_revision_key UNIQUE (stream, revision),
        CONSTRAINT events_position_from_transaction
          CHECK (position >> ${POSITION_SHIFT} = transaction_id::text::bigint)
      )`);
    await addSignatureColumns(client, s);
    await client.query(`
      CREATE OR REPLACE FUNCTION ${s}.events_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'events are immutable: % on %.% is refused', TG_OP, TG_TABLE_SCHEMA, TG_TABLE_NAME
          USING ERRCODE = 'restrict_violation', HINT = 'append a correcting event instead';
      END $$`);
    // Created only when missing: CREATE OR REPLACE TRIGGER would lock the table against appends at every start.
    const trigger = await client.query(
      `SELECT 1 FROM pg_trigger WHERE tgrelid = $1::regclass AND tgname = 'events_immutable'`,
      [`${s}.events`],
    );
    if (!trigger.rowCount) {
      // Statement-level, so even an UPDATE or DELETE that matches no row is refused; TRUNCATE has no row triggers.
      await client.query(`
        CREATE TRIGGER events_immutable BEFORE UPDATE OR DELETE OR TRUNCATE ON ${s}.events
        FOR EACH STATEMENT EXECUTE FUNCTION ${s}.events_refuse_change()`);
    }
    // The CHECK ties a position to transaction_id, but both columns are the inserter's to write: a row could claim
    // a finished transaction's id (behind readers' backs) or id 0 at position 0 (before any reader's start). Only
    // the inserting transaction's own id, and a position of the scheme, are accepted.
    await client.query(`
      CREATE OR REPLACE FUNCTION ${s}.events_issue_position() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF NEW.transaction_id IS DISTINCT FROM pg_current_xact_id() THEN
          RAISE EXCEPTION 'events get their position from the transaction that appends them: transaction_id % is not the inserting transaction''s (%)',
            NEW.transaction_id, pg_current_xact_id()
            USING ERRCODE = 'check_violation', HINT = 'positions are issued by the store; append through the engine';
        END IF;
        IF NEW.position IS NULL OR NEW.position <= 0
           OR NEW.position >> ${POSITION_SHIFT} <> NEW.transaction_id::text::bigint
           OR (NEW.position & ${EVENTS_PER_APPEND_LIMIT}) >= ${EVENTS_PER_APPEND_LIMIT} THEN
          RAISE EXCEPTION 'position % is not one the store issues for transaction %', NEW.position, NEW.transaction_id
            USING ERRCODE = 'check_violation', HINT = 'positions are issued by the store; append through the engine';
        END IF;
        RETURN NEW;
      END $$`);
    const issued = await client.query(
      `SELECT 1 FROM pg_trigger WHERE tgrelid = $1::regclass AND tgname = 'events_position_issued'`,
      [`${s}.events`],
    );
    if (!issued.rowCount) {
      await client.query(`
        CREATE TRIGGER events_position_issued BEFORE INSERT ON ${s}.events
        FOR EACH ROW EXECUTE FUNCTION ${s}.events_issue_position()`);
    }
  },
};

/**
 * The signature columns, added to tables created before events were signed (NULL there: legacy events). Looked up
 * first: ALTER TABLE locks the table against appends even when it ends up adding nothing.
 */
async function addSignatureColumns(client: DdlClient, s: string): Promise<void> {
  const { rows } = await client.query(
    `SELECT attname AS name FROM pg_attribute WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped`,
    [`${s}.events`],
  );
  const columns = new Set((rows as { name: string }[]).map((row) => row.name));
  if (!columns.has('signature_key')) await client.query(`ALTER TABLE ${s}.events ADD COLUMN IF NOT EXISTS signature_key text`);
  if (!columns.has('signature')) await client.query(`ALTER TABLE ${s}.events ADD COLUMN IF NOT EXISTS signature text`);
}

/** $1–$10 of both INSERTs: the stream, then one array per column of the chained events. */
function insertParameters(stream: string, chained: readonly Omit<StoredEvent, 'position'>[]): unknown[] {
  return [
    stream,
    chained.map((event) => event.id),
    chained.map((event) => event.revision),
    chained.map((event) => event.type),
    chained.map((event) => storedText(event).data),
    chained.map((event) => storedText(event).metadata),
    chained.map((event) => event.prevHash),
    chained.map((event) => event.hash),
    chained.map((event) => event.signature?.keyId ?? null),
    chained.map((event) => event.signature?.value ?? null),
  ];
}

function isUniqueViolation(error: unknown): boolean {
  return error instanceof pg.DatabaseError && error.code === UNIQUE_VIOLATION;
}

function toPosition(value: string): number {
  const position = Number(value);
  if (!Number.isSafeInteger(position)) {
    throw new RangeError(`position ${value} is beyond exact JavaScript numbers (xid8 has passed 2^37)`);
  }
  return position;
}

function toStoredEvent(row: EventRow): StoredEvent {
  return {
    id: row.id,
    stream: row.stream,
    revision: Number(row.revision),
    position: toPosition(row.position),
    type: row.type,
    data: row.data,
    metadata: row.metadata,
    prevHash: row.prev_hash,
    hash: row.hash,
    // A legacy row (NULL columns) has no signature member at all.
    ...(row.signature_key !== null || row.signature !== null
      ? { signature: { keyId: row.signature_key ?? '', value: row.signature ?? '' } }
      : {}),
  };
}
