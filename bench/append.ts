import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import type { NewEvent } from '../libs/envelope/index.js';
import type { EventStore } from '../libs/event-store/index.js';
import { SqliteEventStore } from '../libs/event-store/index.js';
import { PostgresEventStore } from '../libs/event-store/postgres/index.js';
import { partnerEvent, rawRow, type RawRow } from './lib/events.js';
import { freshSchema } from './lib/postgres.js';
import { ratio, runFor, type Latency, type Rate } from './lib/stats.js';

/**
 * Section 1: appends through the engine's adapter against raw driver inserts of the same rows at the same
 * durability (SQLite WAL + synchronous=FULL; PostgreSQL's defaults). The raw side writes a table with the same
 * columns, keys and unique constraints, but without the immutability triggers, and computes nothing: it is the
 * physical limit of the driver and the disk. Both sides build their events from the same pre-made templates,
 * so neither pays for producing events inside the timed loop.
 */

export type Scenario = 'new-streams' | 'one-stream' | 'concurrent-8' | 'batch-10';

export const SCENARIOS: readonly { name: Scenario; workers: number; batch: number; describe: string }[] = [
  { name: 'new-streams', workers: 1, batch: 1, describe: 'one event per append, each to a new stream (no-stream)' },
  { name: 'one-stream', workers: 1, batch: 1, describe: 'one event per append to one stream, expected revision' },
  { name: 'concurrent-8', workers: 8, batch: 1, describe: '8 concurrent writers, one event per append to new streams' },
  { name: 'batch-10', workers: 1, batch: 10, describe: '10 events per append, each to a new stream' },
];

export interface Measured extends Rate {
  latency: Latency;
}

export interface AppendFigure {
  store: 'sqlite' | 'postgres';
  scenario: Scenario;
  workers: number;
  batch: number;
  engine: Measured;
  /** Raw driver, explicit transaction (BEGIN; INSERT; COMMIT). */
  raw: Measured;
  /** PostgreSQL only: the same INSERT as one autocommit statement (one round trip instead of three). */
  rawAutocommit?: Measured;
  ratio: number;
  note?: string;
}

/** Events that differ only in id and stream: cheap to make, same size as the real ones. */
class EventSource {
  private readonly templates = Array.from({ length: 64 }, (_, index) => partnerEvent(`TEMPLATE${index % 32}`, index, 'append'));
  private counter = 0;
  private streams = 0;

  newStream(): string {
    this.streams += 1;
    return `partner-B${this.streams.toString(36).padStart(8, '0')}`;
  }

  events(count: number): NewEvent[] {
    return Array.from({ length: count }, () => {
      this.counter += 1;
      const template = this.templates[this.counter % this.templates.length]!;
      return { ...template, id: randomUUID() };
    });
  }

  rows(stream: string, fromRevision: number, count: number): RawRow[] {
    return this.events(count).map((event, index) => rawRow(stream, fromRevision + index, event));
  }
}

/** What one scenario does per op: the engine's append, or the raw insert. Returns events written. */
interface Writer {
  engine: (scenario: Scenario, batch: number) => Promise<number>;
  raw: (scenario: Scenario, batch: number) => Promise<number>;
  rawAutocommit?: (scenario: Scenario, batch: number) => Promise<number>;
}

async function measure(
  store: AppendFigure['store'],
  writer: Writer,
  ms: number,
  note?: (scenario: Scenario) => string | undefined,
): Promise<AppendFigure[]> {
  const figures: AppendFigure[] = [];
  for (const { name, workers, batch } of SCENARIOS) {
    // Raw and engine take turns in short slices, so a disk whose speed drifts (other processes' fsyncs, files
    // growing) weighs on both sides alike; each side's figure is its total over all of its slices.
    const raw: Measured[] = [];
    const engine: Measured[] = [];
    const autocommit: Measured[] = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      raw.push(await runFor(ms / ROUNDS, workers, () => writer.raw(name, batch)));
      engine.push(await runFor(ms / ROUNDS, workers, () => writer.engine(name, batch)));
      if (writer.rawAutocommit) autocommit.push(await runFor(ms / ROUNDS, workers, () => writer.rawAutocommit!(name, batch)));
    }
    const figure: AppendFigure = {
      store,
      scenario: name,
      workers,
      batch,
      engine: combine(engine),
      raw: combine(raw),
      ...(autocommit.length > 0 && { rawAutocommit: combine(autocommit) }),
      ratio: 0,
    };
    figure.ratio = ratio(figure.engine.eventsPerSecond, figure.raw.eventsPerSecond);
    const text = note?.(name);
    if (text) figure.note = text;
    figures.push(figure);
  }
  return figures;
}

const ROUNDS = 3;

/** Slices of one loop as one run: totals over total time; latency percentiles of the slice with the median rate. */
function combine(slices: readonly Measured[]): Measured {
  const ops = slices.reduce((total, slice) => total + slice.ops, 0);
  const events = slices.reduce((total, slice) => total + slice.events, 0);
  const seconds = slices.reduce((total, slice) => total + slice.seconds, 0);
  const median = [...slices].sort((a, b) => a.eventsPerSecond - b.eventsPerSecond)[Math.floor(slices.length / 2)]!;
  return {
    ops,
    events,
    seconds: Math.round(seconds * 1000) / 1000,
    opsPerSecond: Math.round((ops / seconds) * 10) / 10,
    eventsPerSecond: Math.round((events / seconds) * 10) / 10,
    latency: median.latency,
  };
}

const SQLITE_RAW_SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  position  INTEGER PRIMARY KEY AUTOINCREMENT,
  id        TEXT    NOT NULL UNIQUE,
  stream    TEXT    NOT NULL,
  revision  INTEGER NOT NULL,
  type      TEXT    NOT NULL,
  data      TEXT    NOT NULL,
  metadata  TEXT    NOT NULL,
  prev_hash TEXT    NOT NULL,
  hash      TEXT    NOT NULL,
  UNIQUE (stream, revision)
);`;

export async function appendSqlite(dir: string, ms: number): Promise<AppendFigure[]> {
  const store = SqliteEventStore.open(join(dir, 'append-engine.sqlite'));
  const raw = new Database(join(dir, 'append-raw.sqlite'));
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = FULL');
  raw.exec(SQLITE_RAW_SCHEMA);
  const insert = raw.prepare<[string, string, number, string, string, string, string, string]>(
    'INSERT INTO events (id, stream, revision, type, data, metadata, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const insertTx = raw.transaction((rows: RawRow[]) => {
    for (const r of rows) insert.run(r.id, r.stream, r.revision, r.type, r.data, r.metadata, r.prevHash, r.hash);
  });
  try {
    const writer = engineAndRaw(store, (rows) => {
      insertTx.immediate(rows);
      return Promise.resolve();
    });
    return await measure('sqlite', writer, ms, (scenario) =>
      scenario === 'concurrent-8'
        ? 'SQLite has one writer: better-sqlite3 is synchronous, so 8 async writers in one process run one at a time'
        : undefined,
    );
  } finally {
    await store.close();
    raw.close();
  }
}

const PG_RAW_INSERT = (table: string) => `
  INSERT INTO ${table} (id, stream, revision, type, data, metadata, prev_hash, hash)
  SELECT e.id, e.stream, e.revision, e.type, e.data::json, e.metadata::json, e.prev_hash, e.hash
  FROM unnest($1::text[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[])
       AS e(id, stream, revision, type, data, metadata, prev_hash, hash)`;

export async function appendPostgres(url: string, ms: number): Promise<AppendFigure[]> {
  const fresh = await freshSchema(url, 'bench_append');
  const store = await PostgresEventStore.open({ connectionString: url, schema: fresh.schema, poolSize: 8 });
  const pool = new pg.Pool({ connectionString: url, max: 8 });
  pool.on('error', () => undefined);
  const table = `${pg.escapeIdentifier(fresh.schema)}.raw_events`;
  try {
    await pool.query(`
      CREATE TABLE ${table} (
        position       bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
        transaction_id xid8   NOT NULL DEFAULT pg_current_xact_id(),
        id             text   NOT NULL UNIQUE,
        stream         text   NOT NULL,
        revision       bigint NOT NULL CHECK (revision >= 0),
        type           text   NOT NULL,
        data           json   NOT NULL,
        metadata       json   NOT NULL,
        prev_hash      text   NOT NULL,
        hash           text   NOT NULL,
        UNIQUE (stream, revision)
      )`);
    const sql = PG_RAW_INSERT(table);
    const params = (rows: RawRow[]) => [
      rows.map((r) => r.id),
      rows.map((r) => r.stream),
      rows.map((r) => r.revision),
      rows.map((r) => r.type),
      rows.map((r) => r.data),
      rows.map((r) => r.metadata),
      rows.map((r) => r.prevHash),
      rows.map((r) => r.hash),
    ];
    const source = new EventSource();
    const writer = engineAndRaw(store, async (rows) => {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        await client.query(sql, params(rows));
        await client.query('COMMIT');
      } finally {
        client.release();
      }
    }, source);
    const autocommit = engineAndRaw(store, async (rows) => {
      await pool.query(sql, params(rows));
    }, source);
    writer.rawAutocommit = autocommit.raw;
    // How often the adapter's one-statement path served an append, per scenario (the rest took the transaction).
    let seen = store.appendPathCounts();
    return await measure('postgres', writer, ms, () => {
      const now = store.appendPathCounts();
      const fast = now.fast - seen.fast;
      const fellBack = now.fellBack - seen.fellBack;
      seen = now;
      return `one round trip for ${fast} of ${fast + fellBack} appends`;
    });
  } finally {
    await store.close();
    await pool.end();
    await fresh.drop();
  }
}

/**
 * The four scenarios for one store: the engine appends NewEvents through the port, the raw side inserts the
 * same rows. 'one-stream' keeps one stream per side and its revision.
 */
function engineAndRaw(
  store: EventStore,
  insertRows: (rows: RawRow[]) => Promise<void>,
  source = new EventSource(),
): Writer {
  const oneStream = { engine: source.newStream(), raw: source.newStream(), engineRevision: -1, rawRevision: -1 };
  return {
    async engine(scenario, batch) {
      if (scenario === 'one-stream') {
        const expected = oneStream.engineRevision;
        const result = await store.append(oneStream.engine, source.events(batch), {
          expectedRevision: expected === -1 ? 'no-stream' : expected,
        });
        oneStream.engineRevision = result.lastRevision;
        return batch;
      }
      await store.append(source.newStream(), source.events(batch), { expectedRevision: 'no-stream' });
      return batch;
    },
    async raw(scenario, batch) {
      if (scenario === 'one-stream') {
        const rows = source.rows(oneStream.raw, oneStream.rawRevision + 1, batch);
        oneStream.rawRevision += batch;
        await insertRows(rows);
        return batch;
      }
      await insertRows(source.rows(source.newStream(), 0, batch));
      return batch;
    },
  };
}
