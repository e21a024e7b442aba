import { describe, expect, it } from '@jest/globals';
import { UsageError } from '../usage-error.js';
import { storeSpec } from './migrate.js';

describe('u4ssc migrate store names', () => {
  it('reads a SQLite file, a PostgreSQL URL with its schema, and an EventStoreDB URL', () => {
    expect(storeSpec('sqlite:./data/u4ssc.sqlite', undefined)).toEqual({ store: 'sqlite', sqliteFile: './data/u4ssc.sqlite' });
    expect(storeSpec('postgres://u@db:5432/x', 'u4ssc')).toMatchObject({ store: 'postgres', databaseUrl: 'postgres://u@db:5432/x', databaseSchema: 'u4ssc' });
    expect(storeSpec('postgres:postgresql://u@db/x', undefined)).toMatchObject({ databaseUrl: 'postgresql://u@db/x', databaseSchema: 'public' });
    expect(storeSpec('esdb://es:2113?tls=false', undefined)).toMatchObject({ store: 'eventstoredb', eventStoreUrl: 'esdb://es:2113?tls=false' });
  });

  it('refuses anything else with the forms it takes', () => {
    expect(() => storeSpec('mysql://x', undefined)).toThrow(UsageError);
    expect(() => storeSpec('sqlite:', undefined)).toThrow(/names no file/);
  });
});
