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
