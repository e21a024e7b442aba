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
  /** The serving role's connection (SERVING_ROLE): what the engine under test connects as. */
  url: string;
  /** The owner's (the test server's superuser): for preparing, and for attacks only an owner can make. */
  ownerUrl: string;
  schema: string;
  /** Drops the schema and everything in it. */
  drop(): Promise<void>;
}

/**
 * Creates a new, randomly named schema, prepared as the owner would (`u4ssc schema --grant`): the engine's tables,
 * triggers and grants to the serving role, which `url` connects as, so every suite runs the engine as a role that
 * owns nothing. `drop()` removes it.
 */
export async function freshSchema(prefix?: string, url: string = postgresTestUrl()): Promise<FreshSchema> {
  const schema = randomSchemaName(prefix);
  await createSchema(schema, url);
  const served = await ensureServingRole(url);
  // Imported here: the store-level suites that import this module need no engine.
  const { prepareEngineSchema } = await import('../../engine/postgres-schema.js');
  await prepareEngineSchema(url, schema, { grant: SERVING_ROLE });
  return { url: served, ownerUrl: url, schema, drop: () => dropSchema(schema, url) };
}

/** The login role the engine runs as in tests: no superuser, owner of nothing, given only what `u4ssc schema --grant` gives. */
export const SERVING_ROLE = 'u4ssc_test_app';
// Unused under trust authentication; there so the role can log in on a test server that asks for passwords.
const SERVING_PASSWORD = 'u4ssc-test-app';

/**
 * Creates SERVING_ROLE if missing (roles are cluster-wide; it is never dropped, so Jest workers and suites share it)
 * and returns `url` with its user and password in place of the owner's. Safe when several workers race: the first
 * creates it under an advisory lock, the others find it.
 */
export async function ensureServingRole(url: string = postgresTestUrl()): Promise<string> {
  await withClient(url, async (client) => {
    await client.query('BEGIN');
    try {
      await client.query(`SELECT pg_advisory_xact_lock(hashtext('u4ssc:test-serving-role'))`);
      const { rowCount } = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [SERVING_ROLE]);
      if (!rowCount) await client.query(`CREATE ROLE ${SERVING_ROLE} LOGIN PASSWORD '${SERVING_PASSWORD}'`);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      // Another cluster client (not this helper) created it between the look and the CREATE.
      if (!(error instanceof pg.DatabaseError && (error.code === '42710' || error.code === '23505'))) throw error;
    }
  });
  return servingUrl(url);
}

/** `url` with the serving role's user and password. */
export function servingUrl(url: string = postgresTestUrl()): string {
  const parsed = new URL(url);
  parsed.username = SERVING_ROLE;
  parsed.password = SERVING_PASSWORD;
  return parsed.toString();
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
