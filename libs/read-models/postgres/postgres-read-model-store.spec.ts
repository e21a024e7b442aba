import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import {
  describePostgres,
  dropSchema,
  postgresTestUrl,
  randomSchemaName,
} from '../../event-store/postgres/test-database.js';
import { describeReadModelStoreContract } from '../contract/read-model-store.contract.js';
import { CheckpointMovedError } from '../port.js';
import { PostgresReadModelStore } from './postgres-read-model-store.js';

async function openStore() {
  const schema = randomSchemaName('read_models');
  const store = await PostgresReadModelStore.open({ connectionString: postgresTestUrl(), schema });
  return {
    store,
    schema,
    async dispose() {
      await store.close();
      await dropSchema(schema);
    },
  };
}

describePostgres('PostgresReadModelStore', () => {
  describeReadModelStoreContract('postgres', openStore);

  describe('with several instances on one database', () => {
    let fixture: Awaited<ReturnType<typeof openStore>>;
    let others: PostgresReadModelStore[];
    beforeEach(async () => {
      fixture = await openStore();
      others = await Promise.all(
        Array.from({ length: 4 }, () =>
          PostgresReadModelStore.open({ connectionString: postgresTestUrl(), schema: fixture.schema, poolSize: 2 }),
        ),
      );
    });
    afterEach(async () => {
      await Promise.all(others.map((store) => store.close()));
      await fixture.dispose();
    });

    it('lets exactly one of several racing commits from the same checkpoint apply its changes', async () => {
      const stores = [fixture.store, ...others];
      for (const from of [0, 10]) {
        const outcomes = await Promise.allSettled(
          stores.map((store, instance) =>
            store.commit('partners', from, from + 10, [
              { collection: 'partners', id: 'ITU', doc: { instance, from } },
              { collection: `only-${from}-${instance}`, id: 'x', doc: { instance } },
            ]),
          ),
        );
        const winners = outcomes.flatMap((outcome, instance) => (outcome.status === 'fulfilled' ? [instance] : []));
        expect(winners).toHaveLength(1);
        for (const outcome of outcomes) {
          if (outcome.status === 'rejected') {
            expect(outcome.reason).toBeInstanceOf(CheckpointMovedError);
            expect(outcome.reason).toMatchObject({ projector: 'partners', expected: from, actual: from + 10 });
          }
        }
        const winner = winners[0]!;
        expect(await fixture.store.checkpoint('partners')).toBe(from + 10);
        expect(await fixture.store.get('partners', 'ITU')).toEqual({ instance: winner, from });
        for (let instance = 0; instance < stores.length; instance += 1) {
          const written = await fixture.store.list(`only-${from}-${instance}`);
          expect(written).toEqual(instance === winner ? [{ instance }] : []);
        }
      }
    });

    it('applies nothing and keeps the checkpoint when a change fails inside the transaction', async () => {
      await fixture.store.commit('p', 0, 5, [{ collection: 'c', id: 'kept', doc: { v: 1 } }]);
      // PostgreSQL text cannot hold NUL: the second insert fails after the checkpoint has moved in the transaction.
      await expect(
        fixture.store.commit('p', 5, 9, [
          { collection: 'c', id: 'new', doc: { v: 2 } },
          { collection: 'c', id: 'bad\u0000id', doc: { v: 3 } },
        ]),
      ).rejects.toThrow();
      expect(await fixture.store.checkpoint('p')).toBe(5);
      expect(await fixture.store.list('c')).toEqual([{ v: 1 }]);
    });
  });
});
