import pg from 'pg';
import { openPool } from '../../event-store/postgres/open-pool.js';
import { ensureSchema, type DdlClient, type SchemaPart } from '../../event-store/postgres/schema-parts.js';
import type { ProcessSnapshot, SnapshotStore } from '../port.js';

export interface PostgresSnapshotStoreOptions {
  connectionString: string;
  /** Where the table lives (beside the events); created if missing. Default `public`. */
  schema?: string;
  /** Connections in the pool; default 4. */
  poolSize?: number;
}

interface SnapshotRow {
  stream: string;
  machine_id: string;
  machine_version: number;
  format: number;
  revision: string;
  hash: string;
  state: string;
  signature_key: string | null;
  signature: string | null;
}

/**
 * Snapshots for the multi-instance backend, in their own table beside the events. UNLOGGED: no WAL is written for
 * them and a crash empties the table, which is exactly what "disposable" allows (the next commands fold a little
 * more, then write new ones). Several instances may write one stream's snapshot; the last write wins, and whichever
 * it is, the runner checks it against the stream before using it.
 */
export class PostgresSnapshotStore implements SnapshotStore {
  readonly kind = 'postgres' as const;

  private readonly table: string;
  private closed = false;

  private constructor(
    readonly pool: pg.Pool,
    readonly schema: string,
  ) {
    this.table = `${pg.escapeIdentifier(schema)}.snapshots`;
  }

  static async open(options: PostgresSnapshotStoreOptions): Promise<PostgresSnapshotStore> {
    const schema = options.schema ?? 'public';
    const pool = await openPool(options.connectionString, options.poolSize ?? 4, (ready) => ensureSchema(ready, schema, [SNAPSHOTS_SCHEMA]));
    return new PostgresSnapshotStore(pool, schema);
  }

  async latest(stream: string, machineId: string, format: number): Promise<ProcessSnapshot | undefined> {
    this.assertOpen();
    const { rows } = await this.pool.query<SnapshotRow>(
      `SELECT stream, machine_id, machine_version, format, revision::text, hash, state, signature_key, signature FROM ${this.table}
       WHERE stream = $1 AND machine_id = $2 AND format = $3 ORDER BY revision DESC LIMIT 1`,
      [stream, machineId, format],
    );
    const row = rows[0];
    return (
      row && {
        stream: row.stream,
        machineId: row.machine_id,
        machineVersion: row.machine_version,
        format: row.format,
        revision: Number(row.revision),
        hash: row.hash,
        state: row.state,
        signature: row.signature_key !== null && row.signature !== null ? { keyId: row.signature_key, value: row.signature } : null,
      }
    );
  }

  async save(snapshot: ProcessSnapshot): Promise<void> {
    this.assertOpen();
    await this.pool.query(
      `INSERT INTO ${this.table} (stream, machine_id, machine_version, format, revision, hash, state, signature_key, signature)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
       ON CONFLICT (stream, machine_id, format, machine_version)
       DO UPDATE SET revision = excluded.revision, hash = excluded.hash, state = excluded.state,
                     signature_key = excluded.signature_key, signature = excluded.signature`,
      [
        snapshot.stream,
        snapshot.machineId,
        snapshot.machineVersion,
        snapshot.format,
        snapshot.revision,
        snapshot.hash,
        snapshot.state,
        snapshot.signature?.keyId ?? null,
        snapshot.signature?.value ?? null,
      ],
    );
  }

  async clear(): Promise<number> {
    this.assertOpen();
    return (await this.pool.query(`DELETE FROM ${this.table}`)).rowCount ?? 0;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('PostgresSnapshotStore is closed');
  }
}

/** `state` is text, not json: the store keeps the runner's text as written and never parses it. */
export const SNAPSHOTS_SCHEMA: SchemaPart = {
  name: 'snapshots',
  async ddl(client: DdlClient, s: string): Promise<void> {
    await client.query(`
      CREATE UNLOGGED TABLE IF NOT EXISTS ${s}.snapshots (
        stream          text    NOT NULL,
        machine_id      text    NOT NULL,
        machine_version integer NOT NULL,
        format          integer NOT NULL,
        revision        bigint  NOT NULL,
        hash            text    NOT NULL,
        state           text    NOT NULL,
        PRIMARY KEY (stream, machine_id, format, machine_version)
      )`);
    // Tables created before snapshots were signed get the columns in place; their rows stay unsigned, and unused.
    // Looked up first: ALTER TABLE locks the table even when it adds nothing.
    const { rowCount } = await client.query(
      `SELECT 1 FROM pg_attribute WHERE attrelid = $1::regclass AND attname = 'signature' AND NOT attisdropped`,
      [`${s}.snapshots`],
    );
    if (!rowCount) await client.query(`ALTER TABLE ${s}.snapshots ADD COLUMN IF NOT EXISTS signature_key text, ADD COLUMN IF NOT EXISTS signature text`);
  },
};
