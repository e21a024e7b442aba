import Database from 'better-sqlite3';
import { openSqliteDatabase } from '../../event-store/sqlite/open-database.js';
import type { ProcessSnapshot, SnapshotStore } from '../port.js';

export interface SqliteSnapshotStoreOptions {
  /** How long a write waits for another connection's write transaction; default 5000 ms. */
  busyTimeoutMs?: number;
}

/**
 * Its own table, never the events table: the log's immutability triggers and its verification know nothing of it,
 * and `DROP TABLE snapshots` is always allowed. A rowid table (not WITHOUT ROWID): a state may be hundreds of KB.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS snapshots (
  stream          TEXT    NOT NULL,
  machine_id      TEXT    NOT NULL,
  machine_version INTEGER NOT NULL,
  format          INTEGER NOT NULL,
  revision        INTEGER NOT NULL,
  hash            TEXT    NOT NULL,
  state           TEXT    NOT NULL,
  signature_key   TEXT,
  signature       TEXT,
  UNIQUE (stream, machine_id, format, machine_version)
);
`;

/** Tables created before snapshots were signed get the columns in place; their rows stay unsigned, and unused. */
const SIGNATURE_COLUMNS = ['signature_key', 'signature'];

interface SnapshotRow {
  stream: string;
  machine_id: string;
  machine_version: number;
  format: number;
  revision: number;
  hash: string;
  state: string;
  signature_key: string | null;
  signature: string | null;
}

/**
 * Snapshots in a SQLite file, usually the event log's: on their own connection (a snapshot is written after the
 * append's transaction, never inside it) and at synchronous=NORMAL, as the read models: losing the last snapshots
 * to a power cut only makes the next commands fold a little more.
 * Statements are prepared per call: the table may be dropped (and created again at the next start) at any time,
 * and a statement prepared against a dropped table would fail forever after.
 */
export class SqliteSnapshotStore implements SnapshotStore {
  readonly kind = 'sqlite' as const;

  private closed = false;

  private constructor(readonly db: Database.Database) {}

  static open(file: string, options: SqliteSnapshotStoreOptions = {}): SqliteSnapshotStore {
    // The columns are added while opening, when a writer waits for the others' locks longer than at a write.
    const db = openSqliteDatabase(file, SCHEMA, options.busyTimeoutMs, 'NORMAL', (opened) => {
      const columns = new Set(opened.prepare<[], { name: string }>('PRAGMA table_info(snapshots)').all().map((column) => column.name));
      for (const column of SIGNATURE_COLUMNS) if (!columns.has(column)) opened.exec(`ALTER TABLE snapshots ADD COLUMN ${column} TEXT`);
    });
    return new SqliteSnapshotStore(db);
  }

  async latest(stream: string, machineId: string, format: number): Promise<ProcessSnapshot | undefined> {
    this.assertOpen();
    const row = this.db
      .prepare<[string, string, number], SnapshotRow>(
        `SELECT stream, machine_id, machine_version, format, revision, hash, state, signature_key, signature FROM snapshots
         WHERE stream = ? AND machine_id = ? AND format = ? ORDER BY revision DESC LIMIT 1`,
      )
      .get(stream, machineId, format);
    return row && toSnapshot(row);
  }

  async save(snapshot: ProcessSnapshot): Promise<void> {
    this.assertOpen();
    this.db
      .prepare(
        `INSERT INTO snapshots (stream, machine_id, machine_version, format, revision, hash, state, signature_key, signature)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (stream, machine_id, format, machine_version)
         DO UPDATE SET revision = excluded.revision, hash = excluded.hash, state = excluded.state,
                       signature_key = excluded.signature_key, signature = excluded.signature`,
      )
      .run(
        snapshot.stream,
        snapshot.machineId,
        snapshot.machineVersion,
        snapshot.format,
        snapshot.revision,
        snapshot.hash,
        snapshot.state,
        snapshot.signature?.keyId ?? null,
        snapshot.signature?.value ?? null,
      );
  }

  async clear(): Promise<number> {
    this.assertOpen();
    return this.db.prepare('DELETE FROM snapshots').run().changes;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('SqliteSnapshotStore is closed');
  }
}

function toSnapshot(row: SnapshotRow): ProcessSnapshot {
  return {
    stream: row.stream,
    machineId: row.machine_id,
    machineVersion: row.machine_version,
    format: row.format,
    revision: row.revision,
    hash: row.hash,
    state: row.state,
    signature: row.signature_key !== null && row.signature !== null ? { keyId: row.signature_key, value: row.signature } : null,
  };
}
