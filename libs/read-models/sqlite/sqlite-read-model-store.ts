import Database from 'better-sqlite3';
import { openSqliteDatabase } from '../../event-store/sqlite/open-database.js';
import { assertDistinctProjectors, docText } from '../json-text.js';
import { CheckpointMovedError, type CheckpointMove, type DocChange, type IdempotencyRecord, type ReadModelStore } from '../port.js';

export interface SqliteReadModelStoreOptions {
  /** How long a write waits for another connection's write transaction; default 5000 ms. */
  busyTimeoutMs?: number;
}

/**
 * Ids use SQLite's default BINARY collation: `ORDER BY id` is code-point order, whatever the locale.
 * WITHOUT ROWID keeps each collection's documents clustered by (collection, id), the order `list` reads them in.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS read_model_docs (
  collection TEXT NOT NULL,
  id         TEXT NOT NULL,
  doc        TEXT NOT NULL,
  PRIMARY KEY (collection, id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS projection_checkpoints (
  projector TEXT PRIMARY KEY,
  position  INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS idempotency_records (
  key          TEXT PRIMARY KEY,
  request_hash TEXT NOT NULL,
  status       INTEGER NOT NULL,
  body         TEXT NOT NULL,
  created_at   TEXT NOT NULL
);
`;

interface IdempotencyRow {
  key: string;
  request_hash: string;
  status: number;
  body: string;
  created_at: string;
}

/**
 * Read models in a SQLite file, usually the same file as the event log: on its own connection, so a projector's
 * transaction never mixes with an append, and with the same durability settings as the log.
 */
export class SqliteReadModelStore implements ReadModelStore {
  readonly kind = 'sqlite' as const;

  private readonly selectCheckpoint: Database.Statement<[string], { position: number }>;
  private readonly selectDoc: Database.Statement<[string, string], { doc: string }>;
  private readonly selectCollection: Database.Statement<[string], { id: string; doc: string }>;
  private readonly upsertDoc: Database.Statement<[string, string, string]>;
  private readonly deleteDoc: Database.Statement<[string, string]>;
  private readonly upsertCheckpoint: Database.Statement<[string, number]>;
  private readonly deleteCheckpoint: Database.Statement<[string]>;
  private readonly deleteCollections: Database.Statement<[string]>;
  private readonly selectIdempotency: Database.Statement<[string], IdempotencyRow>;
  private readonly insertIdempotency: Database.Statement<[string, string, number, string, string]>;
  private readonly commitTx: Database.Transaction<
    (moves: readonly CheckpointMove[], texts: readonly [DocChange, string | null][]) => void
  >;
  private readonly resetTx: Database.Transaction<(projector: string, collections: readonly string[]) => void>;

  private constructor(readonly db: Database.Database) {
    this.selectCheckpoint = db.prepare('SELECT position FROM projection_checkpoints WHERE projector = ?');
    this.selectDoc = db.prepare('SELECT doc FROM read_model_docs WHERE collection = ? AND id = ?');
    this.selectCollection = db.prepare('SELECT id, doc FROM read_model_docs WHERE collection = ? ORDER BY id');
    this.upsertDoc = db.prepare(
      `INSERT INTO read_model_docs (collection, id, doc) VALUES (?, ?, ?)
       ON CONFLICT (collection, id) DO UPDATE SET doc = excluded.doc`,
    );
    this.deleteDoc = db.prepare('DELETE FROM read_model_docs WHERE collection = ? AND id = ?');
    this.upsertCheckpoint = db.prepare(
      `INSERT INTO projection_checkpoints (projector, position) VALUES (?, ?)
       ON CONFLICT (projector) DO UPDATE SET position = excluded.position`,
    );
    this.deleteCheckpoint = db.prepare('DELETE FROM projection_checkpoints WHERE projector = ?');
    this.deleteCollections = db.prepare(
      'DELETE FROM read_model_docs WHERE collection IN (SELECT value FROM json_each(?))',
    );
    this.selectIdempotency = db.prepare(
      'SELECT key, request_hash, status, body, created_at FROM idempotency_records WHERE key = ?',
    );
    this.insertIdempotency = db.prepare(
      `INSERT INTO idempotency_records (key, request_hash, status, body, created_at) VALUES (?, ?, ?, ?, ?)
       ON CONFLICT (key) DO NOTHING`,
    );
    this.commitTx = db.transaction((moves, texts) => {
      for (const { projector, from } of moves) {
        const actual = this.selectCheckpoint.get(projector)?.position ?? 0;
        if (actual !== from) throw new CheckpointMovedError(projector, from, actual);
      }
      for (const [{ collection, id }, text] of texts) {
        if (text === null) this.deleteDoc.run(collection, id);
        else this.upsertDoc.run(collection, id, text);
      }
      for (const { projector, to } of moves) this.upsertCheckpoint.run(projector, to);
    });
    this.resetTx = db.transaction((projector, collections) => {
      this.deleteCollections.run(JSON.stringify(collections));
      this.deleteCheckpoint.run(projector);
    });
  }

  static open(file: string, options: SqliteReadModelStoreOptions = {}): SqliteReadModelStore {
    // NORMAL, not FULL: read models are disposable. A power loss may drop their last commits, documents and
    // checkpoint together (one transaction), and the projector re-applies those events from the log, which stays FULL.
    const db = openSqliteDatabase(file, SCHEMA, options.busyTimeoutMs, 'NORMAL');
    try {
      return new SqliteReadModelStore(db);
    } catch (error) {
      db.close();
      throw error;
    }
  }

  async checkpoint(projector: string): Promise<number> {
    return this.selectCheckpoint.get(projector)?.position ?? 0;
  }

  async get<T>(collection: string, id: string): Promise<T | undefined> {
    const row = this.selectDoc.get(collection, id);
    return row === undefined ? undefined : (JSON.parse(row.doc) as T);
  }

  async list<T>(collection: string): Promise<T[]> {
    return this.selectCollection.all(collection).map((row) => JSON.parse(row.doc) as T);
  }

  async entries<T>(collection: string): Promise<{ id: string; doc: T }[]> {
    return this.selectCollection.all(collection).map((row) => ({ id: row.id, doc: JSON.parse(row.doc) as T }));
  }

  async commit(projector: string, from: number, to: number, changes: readonly DocChange[]): Promise<void> {
    return this.commitAll([{ projector, from, to }], changes);
  }

  async commitAll(moves: readonly CheckpointMove[], changes: readonly DocChange[]): Promise<void> {
    assertDistinctProjectors(moves);
    const texts = changes.map((change): [DocChange, string | null] => [change, docText(change)]);
    // IMMEDIATE: the checkpoints are read under the write lock, so two instances can't both see `from`.
    this.commitTx.immediate(moves, texts);
  }

  async reset(projector: string, collections: readonly string[]): Promise<void> {
    this.resetTx.immediate(projector, collections);
  }

  async getIdempotency(key: string): Promise<IdempotencyRecord | undefined> {
    const row = this.selectIdempotency.get(key);
    if (row === undefined) return undefined;
    return {
      key: row.key,
      requestHash: row.request_hash,
      status: row.status,
      body: JSON.parse(row.body) as unknown,
      createdAt: row.created_at,
    };
  }

  async putIdempotency(record: IdempotencyRecord): Promise<boolean> {
    const body = JSON.stringify(record.body ?? null);
    const { key, requestHash, status, createdAt } = record;
    return this.insertIdempotency.run(key, requestHash, status, body, createdAt).changes === 1;
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }
}
