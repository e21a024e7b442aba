import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { chainEvents, GENESIS_HASH, verifyLog, type StoredEvent } from '../../envelope/index.js';
import { describeEventStoreContract } from '../contract/event-store.contract.js';
import { testEvent, testEvents } from '../contract/test-events.js';
import { PostgresEventStore, type PostgresEventStoreOptions } from './postgres-event-store.js';
import { createSchema, describePostgres, dropSchema, postgresTestUrl, randomSchemaName } from './test-database.js';
import { SigningKey } from '../../signing/index.js';
import { normaliseEvent } from '../append-rules.js';
import { readWholeLog } from '../contract/test-helpers.js';

async function openStore(options: Partial<PostgresEventStoreOptions> = {}) {
  const schema = randomSchemaName('events');
  const store = await PostgresEventStore.open({ connectionString: postgresTestUrl(), schema, ...options });
  return {
    store,
    schema,
    async dispose() {
      await store.close();
      await dropSchema(schema);
    },
  };
}

/** Pages from `after` until `count` events have come (or 10 s have passed), as a subscriber would. */
async function readUntil(store: PostgresEventStore, after: number, count: number): Promise<StoredEvent[]> {
  const events: StoredEvent[] = [];
  const deadline = Date.now() + 10_000;
  while (events.length < count && Date.now() < deadline) {
    const page = await store.readAll({ after });
    events.push(...page.events);
    after = page.next;
  }
  return events;
}

describePostgres('PostgresEventStore', () => {
  describeEventStoreContract('postgres', openStore);

  it('upgrades a table created before events were signed: its events read back unsigned, new ones signed', async () => {
    const schema = randomSchemaName('legacy');
    await createSchema(schema);
    const client = new pg.Client({ connectionString: postgresTestUrl() });
    await client.connect();
    let store: PostgresEventStore | undefined;
    try {
      const table = `${pg.escapeIdentifier(schema)}.events`;
      await client.query(`CREATE TABLE ${table} (
        position bigint PRIMARY KEY, transaction_id xid8 NOT NULL DEFAULT pg_current_xact_id(),
        id text NOT NULL UNIQUE, stream text NOT NULL, revision bigint NOT NULL, type text NOT NULL,
        data json NOT NULL, metadata json NOT NULL, prev_hash text NOT NULL, hash text NOT NULL,
        UNIQUE (stream, revision))`);
      const [old] = chainEvents('s', -1, GENESIS_HASH, testEvents(1).map(normaliseEvent));
      await client.query(
        `INSERT INTO ${table} (position, id, stream, revision, type, data, metadata, prev_hash, hash)
         VALUES (pg_current_xact_id()::text::bigint << 16, $1, 's', 0, $2, $3, $4, $5, $6)`,
        [old!.id, old!.type, JSON.stringify(old!.data), JSON.stringify(old!.metadata), old!.prevHash, old!.hash],
      );
      const key = SigningKey.generate();
      store = await PostgresEventStore.open({ connectionString: postgresTestUrl(), schema, signer: key });
      await store.append('s', testEvents(1), { expectedRevision: 0 });
      const [first, second] = await store.readStream('s');
      expect(first).not.toHaveProperty('signature');
      expect(key.verifying.verify('event', second!.hash, second!.signature!.value)).toBe(true);
      expect(await verifyLog(await readWholeLog(store))).toMatchObject({ ok: true, events: 2 });
    } finally {
      await store?.close();
      await client.end();
      await dropSchema(schema);
    }
  });

  describe('at the database level', () => {
    let fixture: Awaited<ReturnType<typeof openStore>>;
    let table: string;
    beforeEach(async () => {
      fixture = await openStore();
      table = `${pg.escapeIdentifier(fixture.schema)}.events`;
    });
    afterEach(() => fixture.dispose());

    it('refuses UPDATE, DELETE and TRUNCATE on the events table, leaving the rows unchanged', async () => {
      await fixture.store.append('s', testEvents(3), { expectedRevision: 'no-stream' });
      const before = await fixture.store.pool.query(`SELECT * FROM ${table} ORDER BY position`);

      const statements = [
        `UPDATE ${table} SET type = 'Forged' WHERE revision = 1`,
        `UPDATE ${table} SET data = '{}' WHERE false`,
        `DELETE FROM ${table} WHERE revision = 2`,
        `DELETE FROM ${table}`,
        `TRUNCATE ${table}`,
      ];
      for (const statement of statements) {
        await expect(fixture.store.pool.query(statement)).rejects.toThrow(/events are immutable/);
      }

      const after = await fixture.store.pool.query(`SELECT * FROM ${table} ORDER BY position`);
      expect(after.rows).toEqual(before.rows);
      expect((await verifyLog(await readWholeLog(fixture.store))).ok).toBe(true);
    });

    it('derives every position from the inserting transaction and refuses a row that does not', async () => {
      await fixture.store.append('a', testEvents(3), { expectedRevision: 'no-stream' });
      await fixture.store.append('b', testEvents(2), { expectedRevision: 'no-stream' });
      const { rows } = await fixture.store.pool.query<{ derived: boolean; index: number }>(
        `SELECT position >> 16 = transaction_id::text::bigint AS derived, (position & 65535)::int AS index
         FROM ${table} ORDER BY position`,
      );
      expect(rows).toEqual([0, 1, 2, 0, 1].map((index) => ({ derived: true, index })));

      const [forged] = chainEvents('forged', -1, GENESIS_HASH, [testEvent()]);
      await expect(
        fixture.store.pool.query(
          `INSERT INTO ${table} (position, id, stream, revision, type, data, metadata, prev_hash, hash)
           VALUES (1, $1, 'forged', 0, 'X', '{}', '{}', $2, $3)`,
          [forged!.id, forged!.prevHash, forged!.hash],
        ),
      ).rejects.toThrow(/not one the store issues/);
    });

    it('refuses an append of more than 65,535 events with a clear error', async () => {
      const events = Array.from({ length: 65_536 }, (_, i) => ({ ...testEvent(), id: `too-many-${i}` }));
      await expect(fixture.store.append('huge', events, { expectedRevision: 'any' })).rejects.toThrow(
        /at most 65535 events/,
      );
      expect(await fixture.store.lastRevision('huge')).toBe(-1);
    });

    it("chains racing 'any' appends to one stream one after another", async () => {
      const appends = Array.from({ length: 30 }, (_, i) =>
        fixture.store.append('busy', [testEvent({ data: { i } })], { expectedRevision: 'any' }),
      );
      const results = await Promise.all(appends);
      expect(results.map((result) => result.lastRevision).sort((a, b) => a - b)).toEqual(
        Array.from({ length: 30 }, (_, i) => i),
      );
      expect(await verifyLog(await readWholeLog(fixture.store))).toMatchObject({ ok: true, events: 30 });
    });

    it('creates its tables once when several processes open the same new schema at the same time', async () => {
      const schema = randomSchemaName('race');
      try {
        const stores = await Promise.all(
          Array.from({ length: 5 }, () =>
            PostgresEventStore.open({ connectionString: postgresTestUrl(), schema, poolSize: 2 }),
          ),
        );
        await stores[0]!.append('s', testEvents(1), { expectedRevision: 'no-stream' });
        expect(await stores[4]!.lastRevision('s')).toBe(0);
        await Promise.all(stores.map((store) => store.close()));
      } finally {
        await dropSchema(schema);
      }
    });

    it('delivers to a subscriber in another process (another pool, no in-process wake)', async () => {
      const other = await PostgresEventStore.open({ connectionString: postgresTestUrl(), schema: fixture.schema });
      const seen: StoredEvent[] = [];
      const subscription = other.subscribe((event) => void seen.push(event), { pollMs: 20 });
      try {
        await subscription.caughtUp;
        const appended = await fixture.store.append('s', testEvents(3), { expectedRevision: 'no-stream' });
        const deadline = Date.now() + 5000;
        while (seen.length < 3 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
        expect(seen).toEqual(appended.events);
      } finally {
        await subscription.stop();
        await other.close();
      }
    });
  });

  describe('a reader and a transaction still in flight', () => {
    let fixture: Awaited<ReturnType<typeof openStore>>;
    let writer: pg.Client;
    // A short wait keeps this suite's open transaction (which holds the horizon for the whole server) brief.
    beforeEach(async () => {
      fixture = await openStore({ visibilityWaitMs: 100 });
      writer = new pg.Client({ connectionString: postgresTestUrl() });
      await writer.connect();
    });
    afterEach(async () => {
      await writer.query('ROLLBACK').catch(() => undefined);
      await writer.end();
      await fixture.dispose();
    });

    it('never moves past an earlier transaction that commits after a later one', async () => {
      const table = `${pg.escapeIdentifier(fixture.schema)}.events`;
      const first = await fixture.store.append('before', testEvents(1), { expectedRevision: 'no-stream' });
      // Other suites' transactions on the same server may hold the horizon for a moment: wait until it has passed.
      expect(await readUntil(fixture.store, 0, 1)).toEqual(first.events);

      // Another writer takes its transaction id (so its position) now, then stays open, exactly as a slow
      // append of another process would: it writes its row the way the adapter does.
      await writer.query('BEGIN');
      const [slow] = chainEvents('slow', -1, GENESIS_HASH, [testEvent({ type: 'Slow' })]);
      const inserted = await writer.query<{ position: string }>(
        `INSERT INTO ${table} (position, id, stream, revision, type, data, metadata, prev_hash, hash)
         VALUES ((pg_current_xact_id()::text::bigint << 16), $1, $2, 0, $3, $4, $5, $6, $7) RETURNING position`,
        [
          slow!.id,
          slow!.stream,
          slow!.type,
          JSON.stringify(slow!.data),
          JSON.stringify(slow!.metadata),
          slow!.prevHash,
          slow!.hash,
        ],
      );
      const slowPosition = Number(inserted.rows[0]!.position);

      // A later append commits at once, with a larger position than the open transaction's.
      const later = await fixture.store.append('later', testEvents(1), { expectedRevision: 'no-stream' });
      expect(later.events[0]!.position).toBeGreaterThan(slowPosition);
      expect(await fixture.store.readStream('later')).toEqual(later.events);

      const seen: StoredEvent[] = [];
      const subscription = fixture.store.subscribe((event) => void seen.push(event), { pollMs: 10 });
      try {
        const page = await fixture.store.readAll({ after: 0 });
        expect(page).toEqual({ events: first.events, next: first.events[0]!.position, end: true });
        expect(page.next).toBeLessThan(slowPosition);
        expect(await fixture.store.headPosition()).toBe(first.events[0]!.position);
        await subscription.caughtUp;
        expect(seen).toEqual(first.events);

        await writer.query('COMMIT');

        // Resuming from where the reader stopped: both events, in position order, the earlier one first.
        const resumed = await readUntil(fixture.store, page.next, 2);
        expect(resumed.map((event) => event.id)).toEqual([slow!.id, later.events[0]!.id]);
        expect(resumed[0]!.position).toBe(slowPosition);
        const deadline = Date.now() + 5000;
        while (seen.length < 3 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
        expect(seen.map((event) => event.id)).toEqual([first.events[0]!.id, slow!.id, later.events[0]!.id]);
        expect(await verifyLog(await readWholeLog(fixture.store))).toMatchObject({ ok: true, events: 3 });
      } finally {
        await subscription.stop();
      }
    });
  });
});
