import pg from 'pg';
import { openPool } from '../../event-store/postgres/open-pool.js';
import { ensureSchema, type DdlClient, type SchemaPart } from '../../event-store/postgres/schema-parts.js';
import { assertDistinctProjectors, docText } from '../json-text.js';
import {
  CheckpointMovedError,
  type CheckpointMove,
  type DocChange,
  type IdempotencyRecord,
  type ReadModelStore,
} from '../port.js';

export interface PostgresReadModelStoreOptions {
  connectionString: string;
  /** Where the tables live (beside the events, docs/architecture.md §3); created if missing. Default `public`. */
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
    const pool = await openPool(options.connectionString, options.poolSize ?? 5, (ready) => ensureSchema(ready, schema, [READ_MODELS_SCHEMA]));
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
    return this.commitAll([{ projector, from, to }], changes);
  }

  async commitAll(moves: readonly CheckpointMove[], changes: readonly DocChange[]): Promise<void> {
    this.assertOpen();
    assertDistinctProjectors(moves);
    const { upserts, deletes } = plan(changes);
    // In projector-name order: every instance locks the checkpoint rows in the same order, so two commits over
    // the same projectors queue behind each other instead of deadlocking.
    const ordered = [...moves].sort((a, b) => (a.projector < b.projector ? -1 : a.projector > b.projector ? 1 : 0));
    const client = await this.pool.connect();
    try {
      await client.query('BEGIN');
      if (ordered.length > 0) await this.moveCheckpoints(client, ordered);
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

  /**
   * The checkpoints move first, before any document: the rows are locked (FOR UPDATE, in name order) and compared
   * with each move's `from`, so a concurrent instance waits for this commit, then reads the moved positions and
   * writes no document at all. A checkpoint with no row yet (a projector's first commit) is inserted with
   * ON CONFLICT DO NOTHING, which waits for a concurrent first insert and then inserts nothing: also refused.
   */
  private async moveCheckpoints(client: pg.PoolClient, moves: readonly CheckpointMove[]): Promise<void> {
    const names = moves.map((move) => move.projector);
    const { rows } = await client.query<{ projector: string; position: string }>(
      `SELECT projector, position FROM ${this.checkpoints} WHERE projector = ANY($1::text[])
       ORDER BY projector COLLATE "C" FOR UPDATE`,
      [names],
    );
    const stored = new Map(rows.map((row) => [row.projector, Number(row.position)]));
    const existing: CheckpointMove[] = [];
    const first: CheckpointMove[] = [];
    for (const move of moves) {
      const actual = stored.get(move.projector);
      if ((actual ?? 0) !== move.from) throw new CheckpointMovedError(move.projector, move.from, actual ?? 0);
      (actual === undefined ? first : existing).push(move);
    }
    if (existing.length > 0) {
      await client.query(
        `UPDATE ${this.checkpoints} c SET position = m.position
         FROM unnest($1::text[], $2::bigint[]) AS m(projector, position) WHERE c.projector = m.projector`,
        [existing.map((move) => move.projector), existing.map((move) => move.to)],
      );
    }
    if (first.length > 0) {
      const inserted = await client.query<{ projector: string }>(
        `INSERT INTO ${this.checkpoints} (projector, position)
         SELECT m.projector, m.position FROM unnest($1::text[], $2::bigint[]) WITH ORDINALITY AS m(projector, position, ord)
         ORDER BY m.ord
         ON CONFLICT (projector) DO NOTHING RETURNING projector`,
        [first.map((move) => move.projector), first.map((move) => move.to)],
      );
      if (inserted.rows.length < first.length) {
        const created = new Set(inserted.rows.map((row) => row.projector));
        const lost = first.find((move) => !created.has(move.projector))!;
        const { rows: now } = await client.query<{ position: string }>(
          `SELECT position FROM ${this.checkpoints} WHERE projector = $1`,
          [lost.projector],
        );
        throw new CheckpointMovedError(lost.projector, lost.from, now[0] ? Number(now[0].position) : 0);
      }
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

/** The read-model tables, beside the events in the same schema (schema-parts.ts says when they are created). */
export const READ_MODELS_SCHEMA: SchemaPart = {
  name: 'read-models',
  async ddl(client: DdlClient, s: string): Promise<void> {
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
  },
};
