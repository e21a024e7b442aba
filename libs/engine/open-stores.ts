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
import { resolveSigningKey } from '../config/signing-key-file.js';
import { ensureKeyPublished, type SigningKey } from '../signing/index.js';
import { systemClock, type Clock } from '../kernel/clock.js';
import { PostgresLeadership } from './leadership/postgres-leadership.js';
import { requireExistingStore } from './existing-store.js';

/** The part of the configuration that chooses the stores (docs/architecture.md §4). */
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
  /** The signing key's PKCS#8 PEM file (`U4SSC_SIGNING_KEY_FILE`), or the PEM itself (`U4SSC_SIGNING_KEY`). */
  signingKeyFile?: string;
  signingKey?: string;
}

export interface OpenStoresOptions {
  /**
   * For commands that only read the log (verify, anchor, export, replay): no key is generated and none published;
   * the configured key, if any, is still loaded (verify pins it). Default false.
   */
  readOnly?: boolean;
  /**
   * May a store that does not exist yet be created (the SQLite file and its folders, the PostgreSQL tables)? Default:
   * not when `readOnly`. Commands that read the log open with false and are refused a missing store
   * (existing-store.ts); `serve`, the commands that write and `migrate`'s target create it.
   */
  create?: boolean;
  /**
   * Publish the configured key at first start, and refuse a key the log does not hold (default true); `u4ssc keys`
   * turns it off: it is how a key the log does not hold yet gets published.
   */
  publishKey?: boolean;
  /** The time recorded on the key publication at first start; the system clock by default. */
  clock?: Clock;
  /** Where the line saying a key was generated goes; stderr by default (unless U4SSC_LOG=silent). */
  notice?: (line: string) => void;
}

export interface Stores {
  events: EventStore;
  readModels: ReadModelStore;
  /** Folded states of long streams, outside the log and disposable (libs/snapshots). */
  snapshots: SnapshotStore;
  snapshotEvery: number;
  /** Who runs the background work when several processes share the stores. */
  leadership: Leadership;
  /** The key the event store signs with (docs/integrity.md); absent only for a read-only opening without one. */
  signingKey?: SigningKey;
}

/**
 * Opens the event log and the read-model and snapshot stores the configuration names. Read models and snapshots
 * live beside the events, in tables of their own: in the same SQLite file, or in the same PostgreSQL schema; with
 * EventStoreDB, in the SQLite file (a snapshot is checked against the log before use, wherever it is kept).
 */
export async function openStores(settings: StoreSettings, options: OpenStoresOptions = {}): Promise<Stores> {
  if (settings.store === 'postgres' && !settings.databaseUrl) throw new Error('U4SSC_DATABASE_URL is required when U4SSC_STORE=postgres');
  if (settings.store === 'eventstoredb' && !settings.eventStoreUrl) throw new Error('EVENTSTORE_URL is required when U4SSC_STORE=eventstoredb');
  if (!(options.create ?? !options.readOnly)) await requireExistingStore(settings);
  const resolved = resolveSigningKey(settings, { create: !options.readOnly });
  if (resolved?.generated && resolved.source !== 'ephemeral') {
    const notice = options.notice ?? ((line: string) => process.env.U4SSC_LOG !== 'silent' && console.error(line));
    notice(`u4ssc: generated the signing key ${resolved.source} (key ${resolved.key.keyId}, fingerprint ${resolved.key.info.fingerprint}); keep it secret and back it up with the data`);
  }
  // Read-only: the store signs nothing (a copied legacy event must stay unsigned); the key is still handed back.
  if (options.readOnly) return { ...(await openStoresSigned(settings, undefined)), ...(resolved && { signingKey: resolved.key }) };
  const stores = await openStoresSigned(settings, resolved?.key);
  if (!resolved || options.publishKey === false) return stores;
  try {
    await ensureKeyPublished(stores.events, resolved.key, (options.clock ?? systemClock).now().toISOString());
  } catch (error) {
    await closeStores(stores);
    throw error;
  }
  return stores;
}

async function openStoresSigned(settings: StoreSettings, signingKey: SigningKey | undefined): Promise<Stores> {
  const snapshotEvery = settings.snapshotEvery ?? DEFAULT_SNAPSHOT_EVERY;
  const signer = signingKey && { signer: signingKey };
  switch (settings.store) {
    case 'memory':
      return {
        events: new MemoryEventStore(signer),
        readModels: new MemoryReadModelStore(),
        snapshots: new MemorySnapshotStore(),
        snapshotEvery,
        leadership: new SoleLeadership(),
        signingKey,
      };
    case 'sqlite': {
      mkdirSync(dirname(settings.sqliteFile), { recursive: true });
      const sqlite = sqliteOptions(settings);
      return {
        events: SqliteEventStore.open(settings.sqliteFile, { ...signer, ...sqlite }),
        readModels: SqliteReadModelStore.open(settings.sqliteFile, sqlite),
        snapshots: SqliteSnapshotStore.open(settings.sqliteFile, sqlite),
        snapshotEvery,
        leadership: new SoleLeadership(),
        signingKey,
      };
    }
    case 'postgres': {
      if (!settings.databaseUrl) throw new Error('U4SSC_DATABASE_URL is required when U4SSC_STORE=postgres');
      const options = { connectionString: settings.databaseUrl, schema: settings.databaseSchema ?? 'public' };
      const events = await PostgresEventStore.open({ ...options, ...signer });
      let readModels: PostgresReadModelStore | undefined;
      try {
        readModels = await PostgresReadModelStore.open(options);
        return {
          events,
          readModels,
          snapshots: await PostgresSnapshotStore.open(options),
          snapshotEvery,
          leadership: new PostgresLeadership({ connectionString: options.connectionString, schema: options.schema }),
          signingKey,
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
      const events = await EventStoreDbEventStore.open({ connectionString: settings.eventStoreUrl, ...signer });
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
          signingKey,
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
