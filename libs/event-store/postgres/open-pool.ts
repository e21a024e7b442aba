import pg from 'pg';

/** A connection pool, made ready by `prepare` (e.g. creating tables); closed again if that fails. */
export async function openPool(
  connectionString: string,
  max: number,
  prepare: (pool: pg.Pool) => Promise<void>,
): Promise<pg.Pool> {
  const pool = new pg.Pool({ connectionString, max });
  // An idle connection the server drops emits 'error' on the pool; the pool discards it and the next query
  // reconnects, so it must not crash the process as an unhandled 'error' event would.
  pool.on('error', () => undefined);
  try {
    await prepare(pool);
    return pool;
  } catch (error) {
    await pool.end();
    throw error;
  }
}

/**
 * Runs a store's DDL once, whichever process gets there first: in one transaction, under an advisory lock keyed by
 * schema (shared by the event and read-model stores, which may both create the schema when two processes start at
 * once; `IF NOT EXISTS` alone still races on the catalog's unique indexes), after creating the schema if missing.
 */
export async function withSchemaDdl(
  pool: pg.Pool,
  schema: string,
  ddl: (client: pg.PoolClient, quotedSchema: string) => Promise<void>,
): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    await client.query(`SELECT pg_advisory_xact_lock(hashtext('u4ssc:ddl'), hashtext($1))`, [schema]);
    // Checked first: CREATE SCHEMA IF NOT EXISTS needs CREATE on the database even when the schema exists.
    const { rowCount } = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [schema]);
    const quoted = pg.escapeIdentifier(schema);
    if (!rowCount) await client.query(`CREATE SCHEMA ${quoted}`);
    await ddl(client, quoted);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}
