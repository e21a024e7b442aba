import { randomBytes } from 'node:crypto';
import { describe, it } from '@jest/globals';
import pg from 'pg';

/**
 * What every PostgreSQL suite shares: where the test server is, whether it answers, and a fresh schema per
 * fixture so suites and Jest workers never see each other's rows.
 */

export const TEST_DATABASE_URL_VARIABLE = 'U4SSC_TEST_DATABASE_URL';
const DEFAULT_TEST_URL = 'postgres://postgres@127.0.0.1:5432/test';
const CONNECT_TIMEOUT_MS = 2000;

export function postgresTestUrl(): string {
  return process.env[TEST_DATABASE_URL_VARIABLE] || DEFAULT_TEST_URL;
}

export type PostgresProbe = { ok: true } | { ok: false; reason: string };

/** Connects once (2 s timeout) and runs `select 1`; says why when it cannot. */
export async function probePostgres(url: string = postgresTestUrl()): Promise<PostgresProbe> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  // A refused connection also emits 'error'; without a listener that would crash the worker.
  client.on('error', () => undefined);
  try {
    await client.connect();
    await client.query('select 1');
    return { ok: true };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { ok: false, reason: `no server at ${redact(url)} (${message || 'connection failed'})` };
  } finally {
    await client.end().catch(() => undefined);
  }
}

export async function postgresAvailable(url: string = postgresTestUrl()): Promise<boolean> {
  return (await probePostgres(url)).ok;
}

// Resolved once per test module, before any describe runs: Jest collects describe bodies synchronously, so the
// skip-or-run decision cannot wait inside one (ESM top-level await makes importers wait for this instead).
const probe = await probePostgres();

/**
 * `describe` for suites that need the server. Unreachable server: skipped with a printed reason on a developer's
 * machine, failed with that reason under CI (`CI` set) — never silently green.
 */
export function describePostgres(name: string, fn: () => void): void {
  if (probe.ok) {
    describe(name, fn);
    return;
  }
  const reason = probe.reason;
  if (underCi()) {
    describe(name, () => {
      it('reaches the PostgreSQL test server', () => {
        throw new Error(`PostgreSQL suite "${name}" cannot run under CI: ${reason}`);
      });
    });
    return;
  }
  console.warn(`PostgreSQL suite skipped: ${reason} (set ${TEST_DATABASE_URL_VARIABLE} or run .ci/ensure-postgres.sh)`);
  describe.skip(name, fn);
}

/** CI systems set CI=true (or 1); an explicit false or 0 is a developer opting out. */
function underCi(): boolean {
  const ci = process.env.CI;
  return ci !== undefined && ci !== '' && !/^(false|0)$/i.test(ci);
}

/** A schema name no other fixture will pick: lower case, so it never needs quoting in psql by hand. */
export function randomSchemaName(prefix = 'test'): string {
  return `${prefix}_${randomBytes(6).toString('hex')}`;
}

export async function createSchema(schema: string, url: string = postgresTestUrl()): Promise<void> {
  await withClient(url, (client) => client.query(`CREATE SCHEMA IF NOT EXISTS ${pg.escapeIdentifier(schema)}`));
}

export async function dropSchema(schema: string, url: string = postgresTestUrl()): Promise<void> {
  await withClient(url, (client) => client.query(`DROP SCHEMA IF EXISTS ${pg.escapeIdentifier(schema)} CASCADE`));
}

export interface FreshSchema {
  url: string;
  schema: string;
  /** Drops the schema and everything in it. */
  drop(): Promise<void>;
}

/** Creates a new, empty, randomly named schema; `drop()` removes it. */
export async function freshSchema(prefix?: string, url: string = postgresTestUrl()): Promise<FreshSchema> {
  const schema = randomSchemaName(prefix);
  await createSchema(schema, url);
  return { url, schema, drop: () => dropSchema(schema, url) };
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS });
  client.on('error', () => undefined);
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}
