import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { MemoryEventStore, SqliteEventStore, type EventStore } from '../event-store/index.js';
import { PostgresEventStore } from '../event-store/postgres/index.js';
import { MemoryReadModelStore } from '../read-models/memory/memory-read-model-store.js';
import { SqliteReadModelStore } from '../read-models/sqlite/sqlite-read-model-store.js';
import { PostgresReadModelStore } from '../read-models/postgres/postgres-read-model-store.js';
import type { ReadModelStore } from '../read-models/port.js';
import { MemorySnapshotStore, SqliteSnapshotStore, type SnapshotStore } from '../snapshots/index.js';
import { PostgresSnapshotStore } from '../snapshots/postgres/postgres-snapshot-store.js';
import { DEFAULT_SNAPSHOT_EVERY } from '../process-runner/index.js';
import { SoleLeadership, type Leadership } from './leadership/leadership.js';
import { PostgresLeadership } from './leadership/postgres-leadership.js';

/** The part of the configuration that chooses the stores (DESIGN.md §4). */
export interface StoreSettings {
  store: 'sqlite' | 'postgres' | 'eventstoredb' | 'memory';
  sqliteFile: string;
  /** How long a SQLite connection waits for another's write lock (U4SSC_SQLITE_BUSY_TIMEOUT_MS); default 5000 ms. */
  sqliteBusyTimeoutMs?: number;
  databaseUrl?: string;
  /** PostgreSQL schema for the events and read models; default `public`. */
  databaseSchema?: string;
  /** EventStoreDB / KurrentDB connection string (`EVENTSTORE_URL`), required with `eventstoredb`. */
  eventStoreUrl?: string;
  /** A command writes a snapshot once its stream has grown by this many events since the last; 0: none. Default 100. */
  snapshotEvery?: number;
}

export interface Stores {
  events: EventStore;
  readModels: ReadModelStore;
  /** Folded states of long streams, outside the log and disposable (libs/snapshots). */
  snapshots: SnapshotStore;
  snapshotEvery: number;
  /** Who runs the background work when several processes share the stores. */
  leadership: Leadership;
}

/**
 * Opens the event log and the read-model and snapshot stores the configuration names. Read models and snapshots
 * live beside the events, in tables of their own: in the same SQLite file, or in the same PostgreSQL schema; with
 * EventStoreDB, in the SQLite file (a snapshot is checked against the log before use, wherever it is kept).
 */
export async function openStores(settings: StoreSettings): Promise<Stores> {
  const snapshotEvery = settings.snapshotEvery ?? DEFAULT_SNAPSHOT_EVERY;
  switch (settings.store) {
    case 'memory':
      return {
        events: new MemoryEventStore(),
        readModels: new MemoryReadModelStore(),
        snapshots: new MemorySnapshotStore(),
        snapshotEvery,
        leadership: new SoleLeadership(),
      };
    case 'sqlite': {
      mkdirSync(dirname(settings.sqliteFile), { recursive: true });
      const sqlite = sqliteOptions(settings);
      return {
        events: SqliteEventStore.open(settings.sqliteFile, sqlite),
        readModels: SqliteReadModelStore.open(settings.sqliteFile, sqlite),
        snapshots: SqliteSnapshotStore.open(settings.sqliteFile, sqlite),
        snapshotEvery,
        leadership: new SoleLeadership(),
      };
    }
    case 'postgres': {
      if (!settings.databaseUrl) throw new Error('U4SSC_DATABASE_URL is required when U4SSC_STORE=postgres');
      const options = { connectionString: settings.databaseUrl, schema: settings.databaseSchema ?? 'public' };
      const events = await PostgresEventStore.open(options);
      let readModels: PostgresReadModelStore | undefined;
      try {
        readModels = await PostgresReadModelStore.open(options);
        return {
          events,
          readModels,
          snapshots: await PostgresSnapshotStore.open(options),
          snapshotEvery,
          leadership: new PostgresLeadership({ connectionString: options.connectionString, schema: options.schema }),
        };
      } catch (error) {
        await Promise.allSettled([events.close(), readModels?.close()]);
        throw error;
      }
    }
    case 'eventstoredb': {
      if (!settings.eventStoreUrl) throw new Error('EVENTSTORE_URL is required when U4SSC_STORE=eventstoredb');
      // Loaded only here, so the other backends never load the gRPC client. EventStoreDB holds the events only
      // (issue 7): the read models and their checkpoints stay in the SQLite read-model store, which serves one
      // process, hence SoleLeadership. The server is reached first, so a wrong URL stops start-up before any file.
      const { EventStoreDbEventStore } = await import('../event-store/eventstoredb/index.js');
      const events = await EventStoreDbEventStore.open({ connectionString: settings.eventStoreUrl });
      let readModels: SqliteReadModelStore | undefined;
      try {
        mkdirSync(dirname(settings.sqliteFile), { recursive: true });
        readModels = SqliteReadModelStore.open(settings.sqliteFile, sqliteOptions(settings));
        return {
          events,
          readModels,
          snapshots: SqliteSnapshotStore.open(settings.sqliteFile, sqliteOptions(settings)),
          snapshotEvery,
          leadership: new SoleLeadership(),
        };
      } catch (error) {
        await Promise.allSettled([events.close(), readModels?.close()]);
        throw error;
      }
    }
  }
}

function sqliteOptions(settings: StoreSettings): { busyTimeoutMs?: number } {
  return settings.sqliteBusyTimeoutMs === undefined ? {} : { busyTimeoutMs: settings.sqliteBusyTimeoutMs };
}

export async function closeStores(stores: Stores): Promise<void> {
  await stores.leadership.stop();
  await Promise.allSettled([stores.events.close(), stores.readModels.close(), stores.snapshots.close()]);
}
