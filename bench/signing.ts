import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { chainEvents, GENESIS_HASH, verifyLog, type NewEvent, type StoredEvent } from '../libs/envelope/index.js';
import { normaliseEvent } from '../libs/event-store/append-rules.js';
import { SqliteEventStore, type EventStore } from '../libs/event-store/index.js';
import { PostgresEventStore } from '../libs/event-store/postgres/index.js';
import { ENGINE_ACTOR, KeyRing, keyPublication, SIGNING_KEYS_STREAM, SigningKey } from '../libs/signing/index.js';
import { partnerEvent, rawRow } from './lib/events.js';
import { freshSchema } from './lib/postgres.js';
import { rate, ratio, round, runFor, type Rate } from './lib/stats.js';

/**
 * Section `signing`: what signing every event costs (docs/integrity.md), all in one run.
 * - append: one event per append, each to a new stream, taking turns in slices: the raw driver insert, the engine
 *   unsigned, the engine signing (same durability as section `append`);
 * - verify: one log of signed events in memory, walked by verifyLog without and with the signature check;
 * - one Ed25519 signature and one verification, alone.
 */
export interface SigningFigures {
  append: { store: 'sqlite' | 'postgres'; raw: Rate; unsigned: Rate; signed: Rate; signedOverUnsigned: number; signMicrosPerEvent: number }[];
  verify: { events: number; withoutSignatures: Rate; withSignatures: Rate; ratio: number; microsPerSignatureCheck: number };
  primitives: { signMicros: number; verifyMicros: number };
}

const ROUNDS = 3;

export async function signingBench(dir: string, pgUrl: string | undefined, ms: number, verifyEvents: number): Promise<SigningFigures> {
  const key = SigningKey.generate();
  const append: SigningFigures['append'] = [];
  append.push(await appendSqlite(dir, key, ms));
  if (pgUrl) append.push(await appendPostgres(pgUrl, key, ms));
  return { append, verify: await verify(key, verifyEvents), primitives: primitives(key) };
}

let counter = 0;
const template = partnerEvent('SIGNING', 0, 'signing');
const nextEvent = (): NewEvent => ({ ...template, id: randomUUID() });
const nextStream = () => `partner-S${(counter += 1).toString(36).padStart(8, '0')}`;

async function turns(ms: number, sides: Record<'raw' | 'unsigned' | 'signed', () => Promise<number>>) {
  const slices: Record<string, Rate[]> = { raw: [], unsigned: [], signed: [] };
  for (let round = 0; round < ROUNDS; round += 1) {
    for (const side of ['raw', 'unsigned', 'signed'] as const) slices[side]!.push(await runFor(ms / ROUNDS, 1, sides[side]));
  }
  const total = (list: Rate[]) => rate(list.reduce((a, r) => a + r.ops, 0), list.reduce((a, r) => a + r.events, 0), list.reduce((a, r) => a + r.seconds, 0) * 1000);
  const raw = total(slices.raw!);
  const unsigned = total(slices.unsigned!);
  const signed = total(slices.signed!);
  return {
    raw,
    unsigned,
    signed,
    signedOverUnsigned: ratio(signed.eventsPerSecond, unsigned.eventsPerSecond),
    // Per event: the signed append's time less the unsigned one's.
    signMicrosPerEvent: round((1e6 / signed.eventsPerSecond) - (1e6 / unsigned.eventsPerSecond), 1),
  };
}

const appendOne = (store: EventStore) => async () => {
  await store.append(nextStream(), [nextEvent()], { expectedRevision: 'no-stream' });
  return 1;
};

async function appendSqlite(dir: string, key: SigningKey, ms: number): Promise<SigningFigures['append'][number]> {
  const unsigned = SqliteEventStore.open(join(dir, 'signing-unsigned.sqlite'));
  const signed = SqliteEventStore.open(join(dir, 'signing-signed.sqlite'), { signer: key });
  const raw = new Database(join(dir, 'signing-raw.sqlite'));
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = FULL');
  raw.exec(`CREATE TABLE events (position INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, stream TEXT NOT NULL,
    revision INTEGER NOT NULL, type TEXT NOT NULL, data TEXT NOT NULL, metadata TEXT NOT NULL, prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL, signature_key TEXT, signature TEXT, UNIQUE (stream, revision))`);
  const insert = raw.prepare('INSERT INTO events (id, stream, revision, type, data, metadata, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)');
  const insertTx = raw.transaction((r: ReturnType<typeof rawRow>) => insert.run(r.id, r.stream, r.revision, r.type, r.data, r.metadata, r.prevHash, r.hash));
  try {
    const figures = await turns(ms, {
      raw: async () => {
        insertTx.immediate(rawRow(nextStream(), 0, nextEvent()));
        return 1;
      },
      unsigned: appendOne(unsigned),
      signed: appendOne(signed),
    });
    return { store: 'sqlite', ...figures };
  } finally {
    await unsigned.close();
    await signed.close();
    raw.close();
  }
}

async function appendPostgres(url: string, key: SigningKey, ms: number): Promise<SigningFigures['append'][number]> {
  const fresh = await freshSchema(url, 'bench_signing');
  const unsigned = await PostgresEventStore.open({ connectionString: url, schema: fresh.schema, poolSize: 2 });
  const signedSchema = await freshSchema(url, 'bench_signed');
  const signed = await PostgresEventStore.open({ connectionString: url, schema: signedSchema.schema, poolSize: 2, signer: key });
  const table = `"${fresh.schema}".raw_events`;
  try {
    await unsigned.pool.query(`CREATE TABLE ${table} (position bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, id text NOT NULL UNIQUE,
      stream text NOT NULL, revision bigint NOT NULL, type text NOT NULL, data json NOT NULL, metadata json NOT NULL,
      prev_hash text NOT NULL, hash text NOT NULL, signature_key text, signature text, UNIQUE (stream, revision))`);
    const figures = await turns(ms, {
      raw: async () => {
        const r = rawRow(nextStream(), 0, nextEvent());
        await unsigned.pool.query(
          `INSERT INTO ${table} (id, stream, revision, type, data, metadata, prev_hash, hash) VALUES ($1, $2, $3, $4, $5::json, $6::json, $7, $8)`,
          [r.id, r.stream, r.revision, r.type, r.data, r.metadata, r.prevHash, r.hash],
        );
        return 1;
      },
      unsigned: appendOne(unsigned),
      signed: appendOne(signed),
    });
    return { store: 'postgres', ...figures };
  } finally {
    await unsigned.close();
    await signed.close();
    await fresh.drop();
    await signedSchema.drop();
  }
}

/** A signed log in memory (the key's publication first), streams of 10 alternating Partner events. */
async function verify(key: SigningKey, size: number): Promise<SigningFigures['verify']> {
  const events: StoredEvent[] = [];
  const place = (chained: Omit<StoredEvent, 'position'>[]) => {
    for (const event of chained) events.push({ ...event, position: events.length + 1 });
  };
  place(chainEvents(SIGNING_KEYS_STREAM, -1, GENESIS_HASH, [normaliseEvent(keyPublication(key, null, 'bench', { actor: ENGINE_ACTOR, occurredAt: '2026-01-01T00:00:00.000Z' }, 'genesis'))], key));
  for (let stream = 0; events.length < size; stream += 1) {
    const partnerId = `V${stream}`;
    const batch = Array.from({ length: Math.min(10, size - events.length) }, (_, revision) => normaliseEvent(partnerEvent(partnerId, revision, 'verify')));
    place(chainEvents(`partner-${partnerId}`, -1, GENESIS_HASH, batch, key));
  }
  const ring = KeyRing.build(events.filter((event) => event.stream === SIGNING_KEYS_STREAM));
  const timed = async (check: boolean): Promise<Rate> => {
    const t0 = performance.now();
    const report = await verifyLog(events, check ? { signatures: ring } : {});
    if (!report.ok || report.events !== events.length) throw new Error(`the bench's signed log does not verify: ${JSON.stringify(report.fault)}`);
    return rate(1, events.length, performance.now() - t0);
  };
  // Alternated, best of three each: the machine is shared.
  const without: Rate[] = [];
  const withSignatures: Rate[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    without.push(await timed(false));
    withSignatures.push(await timed(true));
  }
  const best = (list: Rate[]) => list.reduce((a, b) => (b.eventsPerSecond > a.eventsPerSecond ? b : a));
  const plain = best(without);
  const signed = best(withSignatures);
  return {
    events: events.length,
    withoutSignatures: plain,
    withSignatures: signed,
    ratio: ratio(signed.eventsPerSecond, plain.eventsPerSecond),
    microsPerSignatureCheck: round((1e6 / signed.eventsPerSecond) - (1e6 / plain.eventsPerSecond), 1),
  };
}

function primitives(key: SigningKey): SigningFigures['primitives'] {
  const hash = 'a'.repeat(64);
  const n = 20_000;
  let t0 = performance.now();
  let signature = '';
  for (let i = 0; i < n; i += 1) signature = key.sign('event', hash);
  const signMicros = ((performance.now() - t0) * 1000) / n;
  t0 = performance.now();
  for (let i = 0; i < n; i += 1) key.verifying.verify('event', hash, signature);
  const verifyMicros = ((performance.now() - t0) * 1000) / n;
  return { signMicros: round(signMicros, 1), verifyMicros: round(verifyMicros, 1) };
}

export function signingLines(figures: SigningFigures): string[] {
  const lines = ['### Signing (events/s; one event per append to a new stream)', '', '| store | raw driver | engine unsigned | engine signed | signed / unsigned | signing cost per event |', '|---|---:|---:|---:|---:|---:|'];
  for (const f of figures.append) {
    lines.push(`| ${f.store} | ${f.raw.eventsPerSecond} | ${f.unsigned.eventsPerSecond} | ${f.signed.eventsPerSecond} | ${f.signedOverUnsigned} | ${f.signMicrosPerEvent} µs |`);
  }
  const v = figures.verify;
  lines.push('', `verifyLog over ${v.events.toLocaleString('en')} signed events in memory: ${v.withoutSignatures.eventsPerSecond} events/s without the signature check, ${v.withSignatures.eventsPerSecond} with it (ratio ${v.ratio}; ${v.microsPerSignatureCheck} µs per signature checked)`);
  lines.push(`Ed25519 alone: ${figures.primitives.signMicros} µs to sign, ${figures.primitives.verifyMicros} µs to verify`);
  return lines;
}
