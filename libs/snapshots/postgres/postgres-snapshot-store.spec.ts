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
        const snapshot = { stream: 's', machineId: 'm', machineVersion: 1, format: 1, revision: 3, hash: 'h', state: '{}' };
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
