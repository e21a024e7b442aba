import Database from 'better-sqlite3';
import { join } from 'node:path';
import pg from 'pg';
import { chainEvents, GENESIS_HASH, type StoredEvent } from '../libs/envelope/index.js';
import { SqliteEventStore, type EventStore } from '../libs/event-store/index.js';
import { PostgresEventStore } from '../libs/event-store/postgres/index.js';
import { freshSchema } from '../libs/event-store/postgres/test-database.js';
import { tempDir } from './support/temp-dir.js';

/** The columns a tamperer may rewrite, as the SQL adapters store them (JSON as text). */
export interface RowContent {
  id: string;
  stream: string;
  revision: number;
  type: string;
  data: string;
  metadata: string;
  prev_hash: string;
  hash: string;
}

/**
 * A store with its immutability triggers dropped (SQLite) or disabled (PostgreSQL), and raw SQL on a
 * connection of its own: what someone with database access could do behind the engine's back.
 */
export interface TamperFixture {
  kind: 'sqlite' | 'postgres';
  store: EventStore;
  /** The CLI's environment for this same store. */
  env: Record<string, string>;
  update(id: string, content: Partial<RowContent>): Promise<void>;
  remove(id: string): Promise<void>;
  close(): Promise<void>;
}

export function contentOf(event: StoredEvent): RowContent {
  return {
    id: event.id,
    stream: event.stream,
    revision: event.revision,
    type: event.type,
    data: JSON.stringify(event.data),
    metadata: JSON.stringify(event.metadata),
    prev_hash: event.prevHash,
    hash: event.hash,
  };
}

/** Swaps everything but the positions of two events, through a parking place the unique keys allow. */
export async function swap(fixture: TamperFixture, a: StoredEvent, b: StoredEvent): Promise<void> {
  await fixture.update(a.id, { id: `${a.id}-parked`, stream: `${a.stream}-parked` });
  await fixture.update(b.id, contentOf(a));
  await fixture.update(`${a.id}-parked`, contentOf(b));
}

/**
 * Rewrites a stream the way a careful forger would: edits one event's data, then recomputes its hash and every
 * later hash and link of the stream, so that each stream still verifies on its own.
 */
export async function rewriteStream(fixture: TamperFixture, events: readonly StoredEvent[], edit: (event: StoredEvent) => StoredEvent): Promise<void> {
  const forged = chainEvents(events[0]!.stream, -1, GENESIS_HASH, events.map(edit));
  for (const event of forged) await fixture.update(event.id, { data: JSON.stringify(event.data), prev_hash: event.prevHash, hash: event.hash });
}

const COLUMNS: (keyof RowContent)[] = ['id', 'stream', 'revision', 'type', 'data', 'metadata', 'prev_hash', 'hash'];

export async function sqliteFixture(): Promise<TamperFixture> {
  const dir = tempDir('u4ssc-tamper-');
  const file = join(dir.path, 'u4ssc.sqlite');
  const store = SqliteEventStore.open(file);
  const db = new Database(file);
  const triggers = db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'events'").all() as { name: string }[];
  for (const { name } of triggers) db.exec(`DROP TRIGGER "${name}"`);
  return {
    kind: 'sqlite',
    store,
    env: { U4SSC_STORE: 'sqlite', U4SSC_SQLITE_FILE: file },
    async update(id, content) {
      const columns = COLUMNS.filter((column) => content[column] !== undefined);
      db.prepare(`UPDATE events SET ${columns.map((c) => `${c} = ?`).join(', ')} WHERE id = ?`).run(...columns.map((c) => content[c]!), id);
    },
    async remove(id) {
      db.prepare('DELETE FROM events WHERE id = ?').run(id);
    },
    async close() {
      db.close();
      await store.close();
      dir.remove();
    },
  };
}

export async function postgresFixture(): Promise<TamperFixture> {
  const fresh = await freshSchema('tamper');
  const store = await PostgresEventStore.open({ connectionString: fresh.url, schema: fresh.schema });
  // The attacker holds the owner's rights: only an owner can disable the triggers.
  const client = new pg.Client({ connectionString: fresh.ownerUrl });
  await client.connect();
  const table = `${pg.escapeIdentifier(fresh.schema)}.events`;
  await client.query(`ALTER TABLE ${table} DISABLE TRIGGER ALL`);
  return {
    kind: 'postgres',
    store,
    env: { U4SSC_STORE: 'postgres', U4SSC_DATABASE_URL: fresh.url, U4SSC_DATABASE_SCHEMA: fresh.schema },
    async update(id, content) {
      const columns = COLUMNS.filter((column) => content[column] !== undefined);
      const cast = (column: string) => (column === 'data' || column === 'metadata' ? '::json' : '');
      await client.query(
        `UPDATE ${table} SET ${columns.map((c, i) => `${c} = $${i + 1}${cast(c)}`).join(', ')} WHERE id = $${columns.length + 1}`,
        [...columns.map((c) => content[c]!), id],
      );
    },
    async remove(id) {
      await client.query(`DELETE FROM ${table} WHERE id = $1`, [id]);
    },
    async close() {
      await client.end();
      await store.close();
      await fresh.drop();
    },
  };
}
