import Database from 'better-sqlite3';
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import pg from 'pg';
import { ConfigError } from '../config/config-error.js';
import type { StoreSettings } from './open-stores.js';
import { isInsufficientPrivilege, schemaNotReady } from '../event-store/postgres/schema-parts.js';

/**
 * Refuses, before anything is opened, a store that does not exist yet: a command that reads the log must never
 * create one, or a wrong path would be answered "OK: 0 events" and leave an empty database behind (README,
 * "Which commands may create a store"). Nothing is written: the SQLite file is opened read-only, and PostgreSQL is
 * only asked whether the table exists.
 */
export async function requireExistingStore(settings: StoreSettings): Promise<void> {
  if (settings.store === 'sqlite') return requireSqliteFile(settings.sqliteFile);
  if (settings.store === 'postgres' && settings.databaseUrl) return requirePostgresTable(settings.databaseUrl, settings.databaseSchema ?? 'public');
}

const POINT_SQLITE = 'point U4SSC_SQLITE_FILE at the store\'s file (or run the command from the folder whose ./data/u4ssc.sqlite it is); nothing was created';

function requireSqliteFile(file: string): void {
  if (!existsSync(file)) throw missing('U4SSC_SQLITE_FILE', `there is no SQLite store at ${resolve(file)}: ${POINT_SQLITE}`);
  if (statSync(file).isDirectory()) throw missing('U4SSC_SQLITE_FILE', `${file} is a folder, not a SQLite store: ${POINT_SQLITE}`);
  let hasEvents: boolean;
  try {
    const db = new Database(file, { readonly: true, fileMustExist: true });
    try {
      hasEvents = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'events'").get() !== undefined;
    } finally {
      db.close();
    }
  } catch (error) {
    throw missing('U4SSC_SQLITE_FILE', `${file} is not a SQLite store (${error instanceof Error ? error.message : String(error)}): ${POINT_SQLITE}`);
  }
  if (!hasEvents) throw missing('U4SSC_SQLITE_FILE', `${file} holds no event log (no events table): ${POINT_SQLITE}`);
}

async function requirePostgresTable(connectionString: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString });
  await client.connect();
  let found: boolean;
  try {
    const { rows } = await client.query<{ found: string | null }>('SELECT to_regclass(format($1::text, $2::text)) AS found', ['%I.events', schema]);
    found = rows[0]?.found != null;
  } catch (error) {
    // The schema is there but this role may not use it: the same advice as at start-up.
    if (isInsufficientPrivilege(error)) throw await schemaNotReady(client, schema, error);
    throw error;
  } finally {
    await client.end();
  }
  if (!found) {
    throw missing(
      'U4SSC_DATABASE_SCHEMA',
      `there is no event log in PostgreSQL schema "${schema}" of ${safeUrl(connectionString)} (no ${schema}.events table): ` +
        'point U4SSC_DATABASE_URL and U4SSC_DATABASE_SCHEMA at the store (`u4ssc schema` prepares a new one); nothing was created',
    );
  }
}

function missing(variable: string, message: string): ConfigError {
  return new ConfigError([{ variable, message }]);
}

/** The URL without its password, to name the database in a message. */
function safeUrl(connectionString: string): string {
  try {
    const url = new URL(connectionString);
    if (url.password) url.password = '***';
    return url.toString();
  } catch {
    return 'the configured database';
  }
}
