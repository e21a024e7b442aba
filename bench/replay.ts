import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { verifyLog, type StoredEvent } from '../libs/envelope/index.js';
import { readAllEvents, SqliteEventStore, type EventStore } from '../libs/event-store/index.js';
import { PostgresEventStore } from '../libs/event-store/postgres/index.js';
import { verifyStore } from '../libs/audit/index.js';
import { partnersProjection, PARTNERS_COLLECTION } from '../libs/partners/index.js';
import { Projector } from '../libs/projections/index.js';
import type { ReadModelStore } from '../libs/read-models/port.js';
import { PostgresReadModelStore } from '../libs/read-models/postgres/postgres-read-model-store.js';
import { SqliteReadModelStore } from '../libs/read-models/sqlite/sqlite-read-model-store.js';
import { chainedChunk } from './lib/events.js';
import { freshSchema, type FreshSchema } from './lib/postgres.js';
import { now, rate, ratio, type Rate } from './lib/stats.js';

/**
 * Section 4: replaying the whole log. The log is valid Partner history (streams of 20 events, register and
 * withdraw alternating, chained by the engine's own chainEvents, interleaved across streams) bulk-loaded with
 * plain INSERTs into the engine's own table (loading speed is not measured). Then, at each size:
 * - raw read: the same rows by position pages of 1,000 with the driver, text columns left unparsed;
 * - readAll: the engine's readAll pages (readAllEvents, 1,000 a page, as `u4ssc verify` reads);
 * - verify (hash chain): verifyLog over readAll pages of 1,000 (hashes, chain links, revisions, positions, ledger);
 * - verify + legality: libs/audit verifyStore, the whole check `u4ssc verify` makes (the above, and every event
 *   replayed through its stream's pinned machine);
 * - rebuild: Projector.rebuild of the Partner projection into the store's read models, as `u4ssc rebuild`.
 * PostgreSQL runs all of them at the first size and only readAll beyond (verify is the same code over the same
 * events; the time is better spent elsewhere); an operation whose estimated time exceeds the budget is skipped.
 */

export const EVENTS_PER_STREAM = 20;
const STREAMS_PER_CHUNK = 500;
const PAGE = 1000;

export type Operation = 'readAll' | 'verify' | 'verifyWithLegality' | 'rebuild';
export const OPERATIONS: readonly Operation[] = ['readAll', 'verify', 'verifyWithLegality', 'rebuild'];

/**
 * An operation not run at this size: 'budget' when its time, estimated from the rate at the size before, was over
 * the budget; 'same-as-sqlite' for PostgreSQL past the first size, where verify and legality run the same code over
 * the same events as on SQLite (only the read differs, and readAll is measured).
 */
export interface Skipped {
  skipped: true;
  reason: 'budget' | 'same-as-sqlite';
  estimatedSeconds: number;
}

export interface ReplayFigure {
  store: 'sqlite' | 'postgres';
  events: number;
  streams: number;
  rawRead: Rate;
  readAll: Rate | Skipped;
  verify: Rate | Skipped;
  verifyWithLegality: Rate | Skipped;
  rebuild: Rate | Skipped;
  /** Each operation's events/s over raw read's (null when skipped). */
  ratioToRaw: Record<Operation, number | null>;
}

export function isSkipped(value: Rate | Skipped): value is Skipped {
  return 'skipped' in value;
}

interface LogTarget {
  store: ReplayFigure['store'];
  engine: EventStore;
  load(events: readonly Omit<StoredEvent, 'position'>[]): Promise<void>;
  /** After loading, before timing: whatever the store does once after a bulk load. */
  settle(): Promise<void>;
  rawRead(): Promise<number>;
  readModels(): Promise<ReadModelStore>;
  close(): Promise<void>;
}

/**
 * `budgetSeconds`: an operation whose time at this size, estimated from its rate at the size before, would
 * exceed this is skipped and reported as such (the run must stay well under 10 minutes; --replay-budget 0 lifts it).
 */
export async function replay(
  targets: readonly LogTarget[],
  sizes: readonly number[],
  budgetSeconds: number,
  log: (line: string) => void,
): Promise<ReplayFigure[]> {
  const figures: ReplayFigure[] = [];
  let loaded = 0;
  for (const size of sizes) {
    const t0 = now();
    // A store that loads in another process (PostgreSQL) works on one chunk while the next is chained here.
    let loading: Promise<void>[] = [];
    while (loaded < size) {
      const streams = Math.min(STREAMS_PER_CHUNK, (size - loaded) / EVENTS_PER_STREAM);
      const chunk = chainedChunk(loaded / EVENTS_PER_STREAM, streams, EVENTS_PER_STREAM, 'replay');
      await Promise.all(loading);
      loading = targets.map((target) => target.load(chunk));
      loaded += chunk.length;
    }
    await Promise.all(loading);
    for (const target of targets) await target.settle();
    log(`  replay: log of ${size.toLocaleString('en')} events loaded in ${((now() - t0) / 1000).toFixed(1)} s`);
    for (const target of targets) {
      const before = figures.filter((figure) => figure.store === target.store).at(-1);
      const skip = (operation: Operation): Skipped | undefined => {
        const previous = before?.[operation];
        if (!previous || isSkipped(previous)) return undefined;
        const estimatedSeconds = Math.round(size / previous.eventsPerSecond);
        if (target.store === 'postgres' && operation !== 'readAll') return { skipped: true, reason: 'same-as-sqlite', estimatedSeconds };
        if (budgetSeconds <= 0) return undefined;
        return estimatedSeconds > budgetSeconds ? { skipped: true, reason: 'budget', estimatedSeconds } : undefined;
      };
      const figure = await measure(target, size, skip);
      const skipped = OPERATIONS.filter((operation) => isSkipped(figure[operation]));
      if (skipped.length) log(`  replay: ${target.store} ${size.toLocaleString('en')}: skipped ${skipped.join(', ')}`);
      figures.push(figure);
    }
  }
  return figures;
}

async function measure(
  target: LogTarget,
  size: number,
  skip: (operation: Operation) => Skipped | undefined,
): Promise<ReplayFigure> {
  const run = async (operation: Operation, work: () => Promise<number>): Promise<Rate | Skipped> =>
    skip(operation) ?? timed(work);
  const timed = async (work: () => Promise<number>): Promise<Rate> => {
    const t0 = now();
    const events = await work();
    if (events !== size) throw new Error(`${target.store} replay: expected ${size} events, handled ${events}`);
    return rate(1, events, now() - t0);
  };
  let rebuildMs = 0;
  const readAll = await run('readAll', async () => {
    let count = 0;
    for await (const _event of readAllEvents(target.engine, { pageSize: PAGE })) count += 1;
    return count;
  });
  const verify = await run('verify', async () => {
    const report = await verifyLog(readAllEvents(target.engine, { pageSize: PAGE }));
    if (!report.ok) throw new Error(`verify found a fault in the bench's own log: ${JSON.stringify(report.fault)}`);
    return report.events;
  });
  const verifyWithLegality = await run('verifyWithLegality', async () => {
    const report = await verifyStore(target.engine);
    if (!report.ok) throw new Error(`verifyStore found a fault in the bench's own log: ${JSON.stringify(report.fault)}`);
    return report.events;
  });
  const rebuild = await run('rebuild', async () => {
    const readModels = await target.readModels();
    try {
      const projector = new Projector(target.engine, readModels, [partnersProjection]);
      const t0 = now();
      await projector.rebuild();
      const ms = now() - t0;
      const docs = (await readModels.list(PARTNERS_COLLECTION)).length;
      if (docs !== size / EVENTS_PER_STREAM) throw new Error(`rebuild left ${docs} Partner documents, expected ${size / EVENTS_PER_STREAM}`);
      rebuildMs = ms;
      return size;
    } finally {
      await readModels.close();
    }
  });
  // Opening the read-model store and counting its documents are not part of the rebuild's time.
  if (!isSkipped(rebuild)) Object.assign(rebuild, rate(1, size, rebuildMs));
  // Raw last, after the engine's passes have warmed every cache the rows pass through: raw is never flattered low.
  const rawRead = await timed(() => target.rawRead());
  const raw = rawRead.eventsPerSecond;
  return {
    store: target.store,
    events: size,
    streams: size / EVENTS_PER_STREAM,
    rawRead,
    readAll,
    verify,
    verifyWithLegality,
    rebuild,
    ratioToRaw: {
      readAll: isSkipped(readAll) ? null : ratio(readAll.eventsPerSecond, raw),
      verify: isSkipped(verify) ? null : ratio(verify.eventsPerSecond, raw),
      verifyWithLegality: isSkipped(verifyWithLegality) ? null : ratio(verifyWithLegality.eventsPerSecond, raw),
      rebuild: isSkipped(rebuild) ? null : ratio(rebuild.eventsPerSecond, raw),
    },
  };
}

export function sqliteTarget(dir: string): LogTarget {
  const file = join(dir, 'replay.sqlite');
  const engine = SqliteEventStore.open(file);
  // The loader's own connection, with fsync off: loading is preparation, not a figure.
  const loader = new Database(file);
  loader.pragma('synchronous = OFF');
  const insert = loader.prepare<[string, string, number, string, string, string, string, string]>(
    'INSERT INTO events (id, stream, revision, type, data, metadata, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const loadTx = loader.transaction((events: readonly Omit<StoredEvent, 'position'>[]) => {
    for (const e of events) {
      insert.run(e.id, e.stream, e.revision, e.type, JSON.stringify(e.data), JSON.stringify(e.metadata), e.prevHash, e.hash);
    }
  });
  const reader = new Database(file, { readonly: true });
  const page = reader.prepare<[number, number], { position: number }>(
    'SELECT position, id, stream, revision, type, data, metadata, prev_hash, hash FROM events WHERE position > ? ORDER BY position LIMIT ?',
  );
  return {
    store: 'sqlite',
    engine,
    load: async (events) => {
      loadTx.immediate(events);
    },
    // Checkpoint the WAL the load wrote, so the timed reads find the rows in the database file.
    settle: async () => {
      loader.pragma('wal_checkpoint(TRUNCATE)');
    },
    rawRead: async () => {
      let after = 0;
      let count = 0;
      for (;;) {
        const rows = page.all(after, PAGE);
        count += rows.length;
        if (rows.length < PAGE) return count;
        after = rows.at(-1)!.position;
      }
    },
    readModels: async () => SqliteReadModelStore.open(file),
    close: async () => {
      reader.close();
      loader.close();
      await engine.close();
    },
  };
}

export async function postgresTarget(url: string): Promise<LogTarget> {
  const fresh: FreshSchema = await freshSchema(url, 'bench_replay');
  const engine = await PostgresEventStore.open({ connectionString: url, schema: fresh.schema, poolSize: 4 });
  const table = `${pg.escapeIdentifier(fresh.schema)}.events`;
  const loader = new pg.Client({ connectionString: url });
  loader.on('error', () => undefined);
  await loader.connect();
  // Session only: loading is preparation, and nobody else's commits are affected.
  await loader.query('SET synchronous_commit = off');
  const reader = new pg.Client({ connectionString: url });
  reader.on('error', () => undefined);
  await reader.connect();
  return {
    store: 'postgres',
    engine,
    load: async (events) => {
      // The adapter's own INSERT: position = (xid << 16) + index, so a chunk stays under 65,536 events.
      await loader.query('BEGIN');
      await loader.query(
        `INSERT INTO ${table} (position, id, stream, revision, type, data, metadata, prev_hash, hash)
         SELECT (pg_current_xact_id()::text::bigint << 16) + e.ord - 1,
                e.id, e.stream, e.revision, e.type, e.data::json, e.metadata::json, e.prev_hash, e.hash
         FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
              WITH ORDINALITY AS e(id, stream, revision, type, data, metadata, prev_hash, hash, ord)`,
        [
          events.map((e) => e.id),
          events.map((e) => e.stream),
          events.map((e) => e.revision),
          events.map((e) => e.type),
          events.map((e) => JSON.stringify(e.data)),
          events.map((e) => JSON.stringify(e.metadata)),
          events.map((e) => e.prevHash),
          events.map((e) => e.hash),
        ],
      );
      await loader.query('COMMIT');
    },
    // Hint bits and statistics set once, so the first timed pass does not pay for the bulk load.
    settle: async () => {
      await reader.query(`VACUUM ANALYZE ${table}`);
    },
    rawRead: async () => {
      let after = '0';
      let count = 0;
      for (;;) {
        const { rows } = await reader.query<{ position: string }>(
          `SELECT position, id, stream, revision, type, data::text, metadata::text, prev_hash, hash
           FROM ${table} WHERE position > $1 ORDER BY position LIMIT $2`,
          [after, PAGE],
        );
        count += rows.length;
        if (rows.length < PAGE) return count;
        after = rows.at(-1)!.position;
      }
    },
    readModels: () => PostgresReadModelStore.open({ connectionString: url, schema: fresh.schema }),
    close: async () => {
      await reader.end().catch(() => undefined);
      await loader.end().catch(() => undefined);
      await engine.close();
      await fresh.drop();
    },
  };
}
