import { createHash } from 'node:crypto';
import pg from 'pg';
import { withSchemaDdl } from './open-pool.js';

/** What a DDL step needs of a connection: `query`, as on pg's clients. */
export interface DdlClient {
  query(text: string, values?: unknown[]): Promise<{ rowCount: number | null; rows: unknown[] }>;
}

/**
 * One store's share of the engine's PostgreSQL schema (the events, the read models, the snapshots): its DDL, which
 * must be idempotent (IF NOT EXISTS, or a catalog look first), and how its serving role may use each of its tables.
 */
export interface SchemaPart {
  /** Its key in the schema's version table. */
  name: string;
  ddl(client: DdlClient, quotedSchema: string): Promise<void>;
  /** The privileges the serving role gets on each table; every table not named here gets SELECT, INSERT, UPDATE, DELETE. */
  privileges?: Readonly<Record<string, readonly string[]>>;
}

/** Where each part's fingerprint is kept: a schema whose row matches the code's DDL needs no DDL at open. */
export const VERSION_TABLE = 'engine_schema';

const INSUFFICIENT_PRIVILEGE = '42501';
const UNDEFINED_TABLE = '42P01';

/** The part's DDL as text, and the tables it creates: read by running it against a client that only records. */
export interface PartPlan {
  fingerprint: string;
  tables: string[];
}

const PLACEHOLDER = '"<schema>"';
const plans = new Map<SchemaPart, Promise<PartPlan>>();

/**
 * The part's fingerprint: a hash of the statements its DDL sends on a schema where nothing exists yet. Any change to
 * the DDL (a column, a trigger, a new table) changes it, so an older schema is recognised as outdated without a
 * version number anyone must remember to raise.
 */
export function planOf(part: SchemaPart): Promise<PartPlan> {
  let plan = plans.get(part);
  if (!plan) {
    plan = (async () => {
      const statements: string[] = [];
      await part.ddl(
        { query: async (text) => (statements.push(text.replace(/\s+/g, ' ').trim()), { rowCount: 0, rows: [] }) },
        PLACEHOLDER,
      );
      const tables = new Set<string>();
      for (const statement of statements) {
        const created = /^CREATE (?:UNLOGGED )?TABLE (?:IF NOT EXISTS )?"<schema>"\.(\w+)/i.exec(statement);
        if (created) tables.add(created[1]!);
      }
      const fingerprint = createHash('sha256').update(statements.join('\n')).digest('hex').slice(0, 32);
      return { fingerprint, tables: [...tables] };
    })();
    plans.set(part, plan);
  }
  return plan;
}

/** Thrown when the schema needs DDL the connected role may not run: start-up says what to do. */
export class SchemaNotReadyError extends Error {
  override readonly name = 'SchemaNotReadyError';
}

/**
 * Makes the parts ready for a store's open. A schema already current (every table there and every fingerprint
 * matching: two catalog reads) is left alone, so a serving role without CREATE on the schema can open it. Otherwise
 * the DDL runs, which only a role allowed to create in the schema (its owner) can do; any other role is told to run
 * `u4ssc schema` as the owner.
 */
export async function ensureSchema(pool: pg.Pool, schema: string, parts: readonly SchemaPart[]): Promise<void> {
  let stale: readonly SchemaPart[] = parts;
  try {
    stale = await staleParts(pool, schema, parts);
    if (stale.length > 0) await applySchema(pool, schema, stale);
  } catch (error) {
    if (!isInsufficientPrivilege(error)) throw error;
    throw await schemaNotReady(pool, schema, error, stale.map((part) => part.name).join(', '));
  }
}

export function isInsufficientPrivilege(error: unknown): error is pg.DatabaseError {
  return error instanceof pg.DatabaseError && error.code === INSUFFICIENT_PRIVILEGE;
}

/** What a role that may not use the schema is told: run `u4ssc schema --grant` as the owner. */
export async function schemaNotReady(
  db: Pick<pg.Pool, 'query'>,
  schema: string,
  error: Error,
  parts = 'the engine\'s tables',
): Promise<SchemaNotReadyError> {
  const { rows } = await db.query<{ role: string }>('SELECT current_user AS role');
  const role = rows[0]?.role ?? 'this role';
  return new SchemaNotReadyError(
    `role "${role}" cannot open the PostgreSQL schema "${schema}" (${error.message}): ` +
      `${parts} missing, outdated or not granted to it. Run ` +
      `\`u4ssc schema --grant ${role}\` once as the schema's owner (the same U4SSC_DATABASE_SCHEMA, the owner's ` +
      `U4SSC_DATABASE_URL), then start again`,
  );
}

/** The parts whose tables are not all there or whose recorded fingerprint differs from the code's. */
async function staleParts(pool: pg.Pool, schema: string, parts: readonly SchemaPart[]): Promise<SchemaPart[]> {
  const planned = await Promise.all(parts.map(async (part) => ({ part, plan: await planOf(part) })));
  const tables = [VERSION_TABLE, ...planned.flatMap(({ plan }) => plan.tables)];
  const { rows: present } = await pool.query<{ ok: boolean }>(
    `SELECT bool_and(to_regclass(format('%I.%I', $1::text, t)) IS NOT NULL) AS ok FROM unnest($2::text[]) AS t`,
    [schema, tables],
  );
  if (!present[0]?.ok) return [...parts];
  let recorded: Map<string, string>;
  try {
    const { rows } = await pool.query<{ part: string; fingerprint: string }>(
      `SELECT part, fingerprint FROM ${pg.escapeIdentifier(schema)}.${VERSION_TABLE}`,
    );
    recorded = new Map(rows.map((row) => [row.part, row.fingerprint]));
  } catch (error) {
    // Dropped between the two reads: the DDL below recreates it.
    if (error instanceof pg.DatabaseError && error.code === UNDEFINED_TABLE) return [...parts];
    throw error;
  }
  return planned.filter(({ part, plan }) => recorded.get(part.name) !== plan.fingerprint).map(({ part }) => part);
}

/** Runs the parts' DDL (all of it: idempotent) and records their fingerprints, in one transaction under the DDL lock. */
export async function applySchema(pool: pg.Pool, schema: string, parts: readonly SchemaPart[]): Promise<void> {
  await withSchemaDdl(pool, schema, async (client, s) => {
    await client.query(`
      CREATE TABLE IF NOT EXISTS ${s}.${VERSION_TABLE} (
        part        text        PRIMARY KEY,
        fingerprint text        NOT NULL,
        applied_at  timestamptz NOT NULL DEFAULT now()
      )`);
    for (const part of parts) {
      await part.ddl(client, s);
      await client.query(
        `INSERT INTO ${s}.${VERSION_TABLE} (part, fingerprint) VALUES ($1, $2)
         ON CONFLICT (part) DO UPDATE SET fingerprint = excluded.fingerprint, applied_at = now()`,
        [part.name, (await planOf(part)).fingerprint],
      );
    }
  });
}

/**
 * Gives `role` what serving needs and nothing more: USAGE on the schema, SELECT on the version table, and on each
 * part's tables its declared privileges (any other privilege it held there is revoked first). It never owns a
 * table, so it can neither disable a trigger nor alter or drop a table.
 */
export async function grantServingRole(pool: pg.Pool, schema: string, parts: readonly SchemaPart[], role: string): Promise<string[]> {
  const s = pg.escapeIdentifier(schema);
  const r = pg.escapeIdentifier(role);
  const granted: string[] = [];
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(`GRANT USAGE ON SCHEMA ${s} TO ${r}`);
    const grant = async (table: string, privileges: readonly string[]) => {
      await client.query(`REVOKE ALL ON ${s}.${pg.escapeIdentifier(table)} FROM ${r}`);
      await client.query(`GRANT ${privileges.join(', ')} ON ${s}.${pg.escapeIdentifier(table)} TO ${r}`);
      granted.push(`${privileges.join(', ')} on ${table}`);
    };
    await grant(VERSION_TABLE, ['SELECT']);
    for (const part of parts) {
      for (const table of (await planOf(part)).tables) {
        await grant(table, part.privileges?.[table] ?? ['SELECT', 'INSERT', 'UPDATE', 'DELETE']);
      }
    }
    await client.query('COMMIT');
    return granted;
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
