import Database from 'better-sqlite3';
import { sqliteBusyCode } from './busy.js';

/**
 * How long opening waits for another connection's lock at least, whatever the busy timeout: nothing above an open
 * retries it, while an append refused busy is retried by the runner. Processes starting together on one file
 * otherwise fail on each other's schema transaction (or on the switch to WAL) when the busy timeout is short.
 */
const OPEN_BUSY_TIMEOUT_MS = 5000;

/**
 * Opens (creating if needed) a SQLite file with the engine's durability settings and runs `schema`, then
 * `upgrade` (changes to existing files the schema's IF NOT EXISTS cannot make), in one IMMEDIATE transaction.
 * The event log and the read models share the file, each on its own connection.
 */
export function openSqliteDatabase(
  file: string,
  schema: string,
  busyTimeoutMs = 5000,
  synchronous: 'FULL' | 'NORMAL' = 'FULL',
  upgrade: (db: Database.Database) => void = () => undefined,
): Database.Database {
  const db = new Database(file);
  try {
    // busy_timeout first: switching to WAL and creating the schema may wait for another process's lock.
    db.pragma(`busy_timeout = ${Math.max(OPEN_BUSY_TIMEOUT_MS, Math.trunc(busyTimeoutMs))}`);
    switchToWal(db);
    // FULL: a write acknowledged to a caller survives power loss, not only a process crash (the event log).
    db.pragma(`synchronous = ${synchronous}`);
    db.transaction(() => {
      db.exec(schema);
      upgrade(db);
    }).immediate();
    db.pragma(`busy_timeout = ${Math.trunc(busyTimeoutMs)}`);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * The switch to WAL needs the file to itself, and SQLite answers it busy at once, without waiting, while another
 * process reads the file (as processes opening a new file together do): so it is tried again, briefly, until the
 * open's deadline.
 */
function switchToWal(db: Database.Database): void {
  const deadline = Date.now() + OPEN_BUSY_TIMEOUT_MS;
  for (;;) {
    try {
      db.pragma('journal_mode = WAL');
      return;
    } catch (error) {
      if (!sqliteBusyCode(error) || Date.now() >= deadline) throw error;
      // Opening is synchronous throughout (the busy handler sleeps the same way): a short blocking pause.
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 2 + Math.random() * 10);
    }
  }
}
