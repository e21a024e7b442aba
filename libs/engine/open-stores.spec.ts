import { describe, expect, it } from '@jest/globals';
import type Database from 'better-sqlite3';
import { join } from 'node:path';
import { tempDir } from '../../test/support/temp-dir.js';
import { loadConfig } from '../config/index.js';
import { closeStores, openStores } from './open-stores.js';

const busyTimeout = (store: unknown) => (store as { db: Database.Database }).db.pragma('busy_timeout', { simple: true });

describe('openStores on SQLite', () => {
  it.each([
    [{}, 5000],
    [{ U4SSC_SQLITE_BUSY_TIMEOUT_MS: '75' }, 75],
  ])('gives the event, read-model and snapshot stores the configured busy timeout (%j)', async (env, expected) => {
    const dir = tempDir();
    const stores = await openStores(loadConfig({ U4SSC_STORE: 'sqlite', U4SSC_SQLITE_FILE: join(dir.path, 'u4ssc.sqlite'), ...env }));
    try {
      expect([stores.events, stores.readModels, stores.snapshots].map(busyTimeout)).toEqual([expected, expected, expected]);
    } finally {
      await closeStores(stores);
      dir.remove();
    }
  });
});
