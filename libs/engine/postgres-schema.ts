import pg from 'pg';
import { EVENTS_SCHEMA } from '../event-store/postgres/index.js';
import { applySchema, grantServingRole, planOf, type SchemaPart } from '../event-store/postgres/schema-parts.js';
import { READ_MODELS_SCHEMA } from '../read-models/postgres/postgres-read-model-store.js';
import { SNAPSHOTS_SCHEMA } from '../snapshots/postgres/postgres-snapshot-store.js';

/** Every table, function and trigger the engine's stores open in a PostgreSQL schema (leadership needs none). */
export const ENGINE_SCHEMA_PARTS: readonly SchemaPart[] = [EVENTS_SCHEMA, READ_MODELS_SCHEMA, SNAPSHOTS_SCHEMA];

export interface PreparedSchema {
  schema: string;
  /** Each part with its fingerprint, as now recorded in the schema. */
  parts: { name: string; fingerprint: string; tables: string[] }[];
  /** What the serving role was given, table by table; empty without a role. */
  granted: string[];
}

/** A role that cannot be the serving role (missing, or the owner itself): the command's usage is wrong. */
export class ServingRoleError extends Error {
  override readonly name = 'ServingRoleError';
}

/**
 * Creates or upgrades the engine's schema as the connected role (its owner), then, with `grant`, gives that
 * serving role what `serve` needs and no more (schema-parts.ts). The owner keeps the right to alter the tables; the
 * serving role, which the API runs as, has none.
 */
export async function prepareEngineSchema(
  connectionString: string,
  schema: string,
  options: { grant?: string } = {},
): Promise<PreparedSchema> {
  const pool = new pg.Pool({ connectionString, max: 1 });
  pool.on('error', () => undefined);
  try {
    if (options.grant !== undefined) await checkServingRole(pool, options.grant);
    await applySchema(pool, schema, ENGINE_SCHEMA_PARTS);
    const granted = options.grant === undefined ? [] : await grantServingRole(pool, schema, ENGINE_SCHEMA_PARTS, options.grant);
    const parts = await Promise.all(ENGINE_SCHEMA_PARTS.map(async (part) => ({ name: part.name, ...(await planOf(part)) })));
    return { schema, parts, granted };
  } finally {
    await pool.end();
  }
}

async function checkServingRole(pool: pg.Pool, role: string): Promise<void> {
  const { rows } = await pool.query<{ me: string; exists: boolean; superuser: boolean | null }>(
    `SELECT current_user AS me, r.rolname IS NOT NULL AS exists, r.rolsuper AS superuser
     FROM (SELECT 1) one LEFT JOIN pg_roles r ON r.rolname = $1`,
    [role],
  );
  const row = rows[0]!;
  if (!row.exists) {
    throw new ServingRoleError(`role "${role}" does not exist: create it first (CREATE ROLE ${pg.escapeIdentifier(role)} LOGIN PASSWORD '…'), then grant again`);
  }
  if (row.me === role) {
    throw new ServingRoleError(`role "${role}" is the role running this command, the schema's owner: the serving role must be another, one that owns nothing`);
  }
  if (row.superuser) {
    throw new ServingRoleError(`role "${role}" is a superuser, which no grant can restrict: serve as a role without SUPERUSER`);
  }
}
