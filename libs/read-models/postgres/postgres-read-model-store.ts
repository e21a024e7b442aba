import pg from 'pg';
import { openPool, withSchemaDdl } from '../../event-store/postgres/open-pool.js';
import { docText } from '../json-text.js';
import {
  CheckpointMovedError,
  type DocChange,
  type IdempotencyRecord,
  type ReadModelStore,
} from '../port.js';

export interface PostgresReadModelStoreOptions {
  connectionString: string;
  /** Where the tables live (beside the events, DESIGN.md §3); created if missing. Default `public`. */
  schema?: string;
  /** Connections in the pool; default 5. */
  poolSize?: number;
}

interface IdempotencyRow {
  key: string;
  request_hash: string;
  status: number;
  body: unknown;
  created_at: string;
}

/**
 * Read models for the multi-instance backend. Several API processes may run the same projector; the checkpoint's
 * compare-and-set inside the commit transaction is what lets exactly one of them apply a batch.
 * Documents are `json` (kept as written); ids and collections compare and sort by code point (COLLATE "C"),
 * so `list` orders the same on every server whatever its default collation, and as the SQLite store does.
 */
export class PostgresReadModelStore implements ReadModelStore {
  readonly kind = 'postgres' as const;

  private readonly docs: string;
  private readonly checkpoints: string;
  private readonly idempotency: string;
  private closed = false;

  private constructor(
    readonly pool: pg.Pool,
    readonly schema: string,
  ) {
    const s = pg.escapeIdentifier(schema);
    this.docs = `${s}.read_model_docs`;
    this.checkpoints = `${s}.projection_checkpoints`;
    this.idempotency = `${s}.idempotency_records`;
  }

  static async open(options: PostgresReadModelStoreOptions): Promise<PostgresReadModelStore> {
    const schema = options.schema ?? 'public';
    const pool = await openPool(options.connectionString, options.poolSize ?? 5, (ready) => createTables(ready, schema));
    return new PostgresReadModelStore(pool, schema);
  }

  async checkpoint(projector: string): Promise<number> {
    this.assertOpen();
    const { rows } = await this.pool.query<{ position: string }>(
      `SELECT position FROM ${this.checkpoints} WHERE projector = $1`,
      [projector],
    );
    return rows[0] ? Number(rows[0].position) : 0;
  }

  async get<T>(collection: string, id: string): Promise<T | undefined> {
    this.assertOpen();
    const { rows } = await this.pool.query<{ doc: T }>(
      `SELECT doc FROM ${this.docs} WHERE collection = $1 AND id = $2`,
      [collection, id],
    );
    return rows[0]?.doc;
  }

  async list<T>(collection: string): Promise<T[]> {
    this.assertOpen();
    const { rows } = await this.pool.query<{ doc: T }>(
      `SELECT doc FROM ${this.docs} WHERE collection = $1 ORDER BY id`,
      [collection],
    );
    return rows.map((row) => row.doc);
  }

  async entries<T>(collection: string): Promise<{ id: string; doc: T }[]> {
    this.assertOpen();
    const { rows } = await this.pool.query<{ id: string; doc: T }>(
      `SELECT id, doc FROM ${this.docs} WHERE collection = $1 ORDER BY id`,
      [collection],
    );
    return rows;
  }

  async commit(projector: string, from: number, to: number, changes: readonly DocChange[]): Promise<void> {
    this.assertOpen();
    const { upserts, deletes } = plan(changes);
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      // The checkpoint moves first: its row lock makes a concurrent instance's UPDATE wait for this commit and
      // then match nothing, so the loser writes no document at all.
      const moved = await client.query(
        `UPDATE ${this.checkpoints} SET position = $3 WHERE projector = $1 AND position = $2`,
        [projector, from, to],
      );
      if (moved.rowCount === 0) {
        const created =
          from === 0
            ? await client.query(
                `INSERT INTO ${this.checkpoints} (projector, position) VALUES ($1, $2)
                 ON CONFLICT (projector) DO NOTHING`,
                [projector, to],
              )
            : undefined;
        if (!created?.rowCount) {
          const { rows } = await client.query<{ position: string }>(
            `SELECT position FROM ${this.checkpoints} WHERE projector = $1`,
            [projector],
          );
          throw new CheckpointMovedError(projector, from, rows[0] ? Number(rows[0].position) : 0);
        }
      }
      if (deletes.collections.length > 0) {
        await client.query(
          `DELETE FROM ${this.docs} d USING unnest($1::text[], $2::text[]) AS c(collection, id)
           WHERE d.collection = c.collection AND d.id = c.id`,
          [deletes.collections, deletes.ids],
        );
      }
      if (upserts.collections.length > 0) {
        await client.query(
          `INSERT INTO ${this.docs} (collection, id, doc)
           SELECT c.collection, c.id, c.doc::json
           FROM unnest($1::text[], $2::text[], $3::text[]) AS c(collection, id, doc)
           ON CONFLICT (collection, id) DO UPDATE SET doc = EXCLUDED.doc`,
          [upserts.collections, upserts.ids, upserts.docs],
        );
      }
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async reset(projector: string, collections: readonly string[]): Promise<void> {
    this.assertOpen();
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      await client.query(`DELETE FROM ${this.docs} WHERE collection = ANY($1::text[])`, [[...collections]]);
      await client.query(`DELETE FROM ${this.checkpoints} WHERE projector = $1`, [projector]);
      await client.query('COMMIT');
    } catch (error) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw error;
    } finally {
      client.release();
    }
  }

  async getIdempotency(key: string): Promise<IdempotencyRecord | undefined> {
    this.assertOpen();
    const { rows } = await this.pool.query<IdempotencyRow>(
      `SELECT key, request_hash, status, body, created_at FROM ${this.idempotency} WHERE key = $1`,
      [key],
    );
    const row = rows[0];
    if (!row) return undefined;
    return {
      key: row.key,
      requestHash: row.request_hash,
      status: row.status,
      body: row.body,
      createdAt: row.created_at,
    };
  }

  async putIdempotency(record: IdempotencyRecord): Promise<boolean> {
    this.assertOpen();
    const { rowCount } = await this.pool.query(
      `INSERT INTO ${this.idempotency} (key, request_hash, status, body, created_at)
       VALUES ($1, $2, $3, $4::json, $5) ON CONFLICT (key) DO NOTHING`,
      // As the SQLite store does: a missing body is kept as JSON null.
      [record.key, record.requestHash, record.status, JSON.stringify(record.body ?? null), record.createdAt],
    );
    return rowCount === 1;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.pool.end();
  }

  private assertOpen(): void {
    if (this.closed) throw new Error('PostgresReadModelStore is closed');
  }
}

/**
 * One statement each for deletes and upserts; a document changed twice in one batch keeps its last change, as
 * applying the changes in order would (and ON CONFLICT cannot touch one row twice in a statement).
 */
function plan(changes: readonly DocChange[]) {
  const last = new Map<string, DocChange>();
  for (const change of changes) last.set(JSON.stringify([change.collection, change.id]), change);
  const upserts = { collections: [] as string[], ids: [] as string[], docs: [] as string[] };
  const deletes = { collections: [] as string[], ids: [] as string[] };
  for (const change of last.values()) {
    const doc = docText(change);
    if (doc === null) {
      deletes.collections.push(change.collection);
      deletes.ids.push(change.id);
    } else {
      upserts.collections.push(change.collection);
      upserts.ids.push(change.id);
      upserts.docs.push(doc);
    }
  }
  return { upserts, deletes };
}

/** The read-model tables, under the same DDL lock as the event store's (withSchemaDdl). */
async function createTables(pool: pg.Pool, schema: string): Promise<void> {
  await withSchemaDdl(pool, schema, async (client, s) => {
    await client.query(`
      CREATE TABLE IF NOT EXISTS ${s}.read_model_docs (
        collection text COLLATE "C" NOT NULL,
        id         text COLLATE "C" NOT NULL,
        doc        json NOT NULL,
        PRIMARY KEY (collection, id)
      )`);
    await client.query(`
      CREATE TABLE IF NOT EXISTS ${s}.projection_checkpoints (
        projector text   PRIMARY KEY,
        position  bigint NOT NULL CHECK (position >= 0)
      )`);
    await client.query(`
      CREATE TABLE IF NOT EXISTS ${s}.idempotency_records (
        key          text    PRIMARY KEY,
        request_hash text    NOT NULL,
        status       integer NOT NULL,
        body         json    NOT NULL,
        -- text, not timestamptz: the instant comes back exactly as the clock wrote it.
        created_at   text    NOT NULL
      )`);
  });
}
