import { afterEach, beforeEach, expect, it } from '@jest/globals';
import pg from 'pg';
import { completeHead, verifyStore } from '../../libs/audit/index.js';
import { writePartnerHistory } from '../../libs/audit/partner-history.spec-helper.js';
import { verifyLog } from '../../libs/envelope/index.js';
import { testEvents } from '../../libs/event-store/contract/test-events.js';
import { readWholeLog } from '../../libs/event-store/contract/test-helpers.js';
import { PostgresEventStore } from '../../libs/event-store/postgres/index.js';
import { describePostgres, freshSchema, type FreshSchema } from '../../libs/event-store/postgres/test-database.js';

/**
 * Attacks by SQL on the PostgreSQL log's positions, as someone with the database's credentials would make them:
 * the serving role's INSERT, and the owner's (who can also drop the trigger that refuses them).
 */
describePostgres('PostgreSQL positions are issued by the store only', () => {
  let fresh: FreshSchema;
  let store: PostgresEventStore;
  let owner: pg.Client;
  let serving: pg.Client;
  let table: string;

  beforeEach(async () => {
    fresh = await freshSchema('tamper_positions');
    store = await PostgresEventStore.open({ connectionString: fresh.url, schema: fresh.schema });
    owner = new pg.Client({ connectionString: fresh.ownerUrl });
    serving = new pg.Client({ connectionString: fresh.url });
    await Promise.all([owner.connect(), serving.connect()]);
    table = `${pg.escapeIdentifier(fresh.schema)}.events`;
  });
  afterEach(async () => {
    await Promise.all([owner?.end(), serving?.end()]);
    await store?.close();
    await fresh?.drop();
  });

  /** A copy of the last stored event under a new id and revision, at the position and transaction id given as SQL. */
  const forge = (client: pg.Client, position: string, transactionId: string, id: string) =>
    client.query(
      `INSERT INTO ${table} (position, transaction_id, id, stream, revision, type, data, metadata, prev_hash, hash)
       SELECT ${position}, ${transactionId}, $1, stream, revision + 1, type, data, metadata, hash, hash
       FROM ${table} ORDER BY position DESC LIMIT 1`,
      [id],
    );

  it.each([
    ['position 0 with transaction id 0', '0', `'0'::xid8`, /transaction_id 0 is not the inserting transaction's/],
    ['position 0 with its own transaction id', '0', 'pg_current_xact_id()', /position 0 is not one the store issues/],
    ['a negative position', '-65536', 'pg_current_xact_id()', /position -65536 is not one the store issues/],
    ['a past transaction id and its position', '(SELECT position + 7 FROM %t ORDER BY position LIMIT 1)', '(SELECT transaction_id FROM %t ORDER BY position LIMIT 1)', /is not the inserting transaction's/],
    ['a position of another transaction', `((pg_current_xact_id()::text::bigint + 1) << 16)`, 'pg_current_xact_id()', /is not one the store issues/],
    ['the index no append reaches', `((pg_current_xact_id()::text::bigint << 16) + 65535)`, 'pg_current_xact_id()', /is not one the store issues/],
  ])('refuses %s, from the serving role and from the owner alike; appends go on', async (_what, position, transactionId, refusal) => {
    await store.append('s', testEvents(2), { expectedRevision: 'no-stream' });
    for (const client of [serving, owner]) {
      await expect(forge(client, position.replaceAll('%t', table), transactionId.replaceAll('%t', table), `forged-${client === owner}`)).rejects.toThrow(refusal);
    }
    await store.append('s', testEvents(1), { expectedRevision: 1 });
    await store.append('t', testEvents(1), { expectedRevision: 'no-stream' });
    expect(store.appendPathCounts().fast).toBeGreaterThan(0);
    expect(await verifyLog(await readWholeLog(store))).toMatchObject({ ok: true, events: 4 });
    expect(await store.census()).toEqual({ rows: 4, highestPosition: expect.any(Number), unreachable: 0, heldBack: 0 });
  });

  it('names a row at position 0 as hidden once the owner has dropped the trigger that refuses it', async () => {
    await writePartnerHistory(store);
    await owner.query(`DROP TRIGGER events_position_issued ON ${table}`);
    await forge(owner, '0', `'0'::xid8`, 'forged-hidden');
    const report = await verifyStore(store);
    expect(report.ok).toBe(false);
    expect(report.fault).toMatchObject({ kind: 'hidden', position: 0, eventId: 'forged-hidden' });
    expect(report.census).toMatchObject({ rows: 7, unreachable: 1 });
    await expect(completeHead(store, 'export')).rejects.toThrow(/export refused: the table holds 1 event\(s\) at a position at or below 0/);
  });

  it('does not answer OK while a transaction elsewhere in the cluster hides newer events, and names it', async () => {
    // Another database on the same server: the horizon is cluster-wide.
    const elsewhere = new pg.Client({ connectionString: Object.assign(new URL(fresh.ownerUrl), { pathname: '/postgres' }).toString(), application_name: 'long-report' });
    await elsewhere.connect();
    try {
      await elsewhere.query('BEGIN');
      await elsewhere.query('SELECT pg_current_xact_id()');
      const { rows } = await elsewhere.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      await writePartnerHistory(store);

      const held = await verifyStore(store);
      expect(held.ok).toBe(false);
      expect(held.anchor).toBeNull();
      expect(held.census).toMatchObject({ rows: 6, heldBack: 6 });
      expect(held.fault).toMatchObject({ kind: 'visibility' });
      expect(held.fault!.detail).toMatch(new RegExp(`pid ${rows[0]!.pid} in database "postgres" \\(role "postgres", application "long-report"`));
      await expect(completeHead(store, 'export')).rejects.toMatchObject({ name: 'ConflictError', details: { fault: { kind: 'visibility' } } });

      await elsewhere.query('COMMIT');
      const clear = await verifyStore(store);
      expect(clear).toMatchObject({ ok: true, events: 6, census: { rows: 6, heldBack: 0 } });
      expect(await completeHead(store, 'export')).toBe(clear.head!.position);
    } finally {
      await elsewhere.end();
    }
  });
});
