import Database from 'better-sqlite3';

/**
 * Opens (creating if needed) a SQLite file with the engine's durability settings and runs `schema` in an
 * IMMEDIATE transaction. The event log and the read models share the file, each on its own connection.
 */
export function openSqliteDatabase(
  file: string,
  schema: string,
  busyTimeoutMs = 5000,
  synchronous: 'FULL' | 'NORMAL' = 'FULL',
): Database.Database {
  const db = new Database(file);
  try {
    // busy_timeout first: switching to WAL and creating the schema may wait for another process's lock.
    db.pragma(`busy_timeout = ${Math.trunc(busyTimeoutMs)}`);
    db.pragma('journal_mode = WAL');
    // FULL: a write acknowledged to a caller survives power loss, not only a process crash (the event log).
    db.pragma(`synchronous = ${synchronous}`);
    db.transaction(() => db.exec(schema)).immediate();
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}
