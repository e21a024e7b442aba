import { describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { describePostgres, freshSchema, postgresTestUrl } from '../../event-store/postgres/test-database.js';
import { describeSnapshotStoreContract } from '../contract/snapshot-store.contract.js';
import { PostgresSnapshotStore } from './postgres-snapshot-store.js';

describePostgres('PostgresSnapshotStore', () => {
  describeSnapshotStoreContract('postgres', async () => {
    const schema = await freshSchema('snapshots');
    const store = await PostgresSnapshotStore.open({ connectionString: postgresTestUrl(), schema: schema.schema });
    return {
      store,
      async dispose() {
        await store.close();
        await schema.drop();
      },
    };
  });

  describe('its table', () => {
    it('is upgraded in place from before snapshots were signed: its rows come back unsigned', async () => {
      const schema = await freshSchema('snapshots');
      const client = new pg.Client({ connectionString: postgresTestUrl() });
      await client.connect();
      const table = `${pg.escapeIdentifier(schema.schema)}.snapshots`;
      let store: PostgresSnapshotStore | undefined;
      try {
        // The schema as an engine from before signed snapshots left it: its snapshots table, and no fingerprint of
        // today's snapshot DDL (freshSchema prepared today's).
        await client.query(`DROP TABLE ${table}`);
        await client.query(`DELETE FROM ${pg.escapeIdentifier(schema.schema)}.engine_schema WHERE part = 'snapshots'`);
        await client.query(`CREATE UNLOGGED TABLE ${table} (stream text NOT NULL, machine_id text NOT NULL, machine_version integer NOT NULL,
          format integer NOT NULL, revision bigint NOT NULL, hash text NOT NULL, state text NOT NULL,
          PRIMARY KEY (stream, machine_id, format, machine_version))`);
        await client.query(`INSERT INTO ${table} VALUES ('s', 'm', 1, 1, 3, 'h', '{}')`);
        store = await PostgresSnapshotStore.open({ connectionString: postgresTestUrl(), schema: schema.schema });
        const unsigned = { stream: 's', machineId: 'm', machineVersion: 1, format: 1, revision: 3, hash: 'h', state: '{}', signature: null };
        expect(await store.latest('s', 'm', 1)).toEqual(unsigned);
        await store.save({ ...unsigned, revision: 4, signature: { keyId: 'k', value: 'v' } });
        expect(await store.latest('s', 'm', 1)).toEqual({ ...unsigned, revision: 4, signature: { keyId: 'k', value: 'v' } });
        await (await PostgresSnapshotStore.open({ connectionString: postgresTestUrl(), schema: schema.schema })).close();
      } finally {
        await client.end();
        await store?.close();
        await schema.drop();
      }
    });

    it('is an UNLOGGED table of its own beside the events, and may be dropped while a store is open', async () => {
      const schema = await freshSchema('snapshots');
      const store = await PostgresSnapshotStore.open({ connectionString: postgresTestUrl(), schema: schema.schema });
      const client = new pg.Client({ connectionString: postgresTestUrl() });
      await client.connect();
      try {
        const { rows } = await client.query<{ relpersistence: string }>(
          `SELECT c.relpersistence FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           WHERE n.nspname = $1 AND c.relname = 'snapshots'`,
          [schema.schema],
        );
        expect(rows).toEqual([{ relpersistence: 'u' }]);
        const snapshot = { stream: 's', machineId: 'm', machineVersion: 1, format: 1, revision: 3, hash: 'h', state: '{}', signature: { keyId: 'k', value: 'v' } };
        await store.save(snapshot);
        await client.query(`DROP TABLE ${pg.escapeIdentifier(schema.schema)}.snapshots`);
        await expect(store.latest('s', 'm', 1)).rejects.toThrow(/does not exist/);
        const reopened = await PostgresSnapshotStore.open({ connectionString: postgresTestUrl(), schema: schema.schema });
        expect(await reopened.latest('s', 'm', 1)).toBeUndefined();
        await reopened.close();
      } finally {
        await client.end();
        await store.close();
        await schema.drop();
      }
    });
  });
});
