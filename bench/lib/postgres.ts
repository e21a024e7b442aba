import { randomBytes } from 'node:crypto';
import pg from 'pg';

/**
 * The bench's own PostgreSQL helpers: libs/event-store/postgres/test-database.ts imports Jest globals, which do
 * not exist outside Jest. Same default server as the tests; every run works in a fresh schema it drops after.
 */

const DEFAULT_URL = 'postgres://postgres@127.0.0.1:5432/test';

export function benchDatabaseUrl(): string {
  return process.env.U4SSC_BENCH_DATABASE_URL || process.env.U4SSC_TEST_DATABASE_URL || DEFAULT_URL;
}

export async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2000 });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end().catch(() => undefined);
  }
}

export interface PostgresServer {
  url: string;
  version: string;
  settings: Record<string, string>;
}

/** The server when it answers within 2 s, with the settings that decide durability; else the reason it does not. */
export async function probePostgres(url = benchDatabaseUrl()): Promise<PostgresServer | { reason: string }> {
  try {
    return await withClient(url, async (client) => {
      const version = (await client.query<{ v: string }>("SELECT current_setting('server_version') AS v")).rows[0]!.v;
      const settings: Record<string, string> = {};
      for (const name of ['fsync', 'synchronous_commit', 'wal_sync_method', 'full_page_writes', 'shared_buffers']) {
        settings[name] = (await client.query<Record<string, string>>(`SHOW ${name}`)).rows[0]![name]!;
      }
      return { url, version, settings };
    });
  } catch (error) {
    return { reason: `no PostgreSQL at ${url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@')}: ${(error as Error).message}` };
  }
}

export interface FreshSchema {
  schema: string;
  drop(): Promise<void>;
}

export async function freshSchema(url: string, prefix = 'bench'): Promise<FreshSchema> {
  const schema = `${prefix}_${randomBytes(6).toString('hex')}`;
  await withClient(url, (client) => client.query(`CREATE SCHEMA ${pg.escapeIdentifier(schema)}`));
  return {
    schema,
    drop: () => withClient(url, (client) => client.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(schema)} CASCADE`)).then(() => undefined),
  };
}
