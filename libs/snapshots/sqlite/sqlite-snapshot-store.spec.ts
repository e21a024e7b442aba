import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { SqliteEventStore } from '../../event-store/sqlite/sqlite-event-store.js';
import { describeSnapshotStoreContract } from '../contract/snapshot-store.contract.js';
import { SqliteSnapshotStore } from './sqlite-snapshot-store.js';

describeSnapshotStoreContract('sqlite', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'u4ssc-'));
  const store = SqliteSnapshotStore.open(path.join(dir, 'u4ssc.sqlite'));
  return {
    store,
    async dispose() {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
});

const snapshot = { stream: 's', machineId: 'm', machineVersion: 1, format: 1, revision: 3, hash: 'h', state: '{}' };

describe('SqliteSnapshotStore', () => {
  it('lives in its own table of the event log’s file, which may be dropped while it is open', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'u4ssc-'));
    const file = path.join(dir, 'u4ssc.sqlite');
    const events = SqliteEventStore.open(file);
    const store = SqliteSnapshotStore.open(file);
    try {
      await store.save(snapshot);
      const tables = new Database(file, { readonly: true });
      expect(tables.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all()).toEqual(
        expect.arrayContaining(['events', 'snapshots']),
      );
      tables.close();

      const other = new Database(file);
      other.exec('DROP TABLE snapshots');
      other.close();
      // Dropped: reads and writes fail (the runner logs it and folds from the start) until the next open. Matched by
      // message: better-sqlite3 is loaded once per Jest worker, so its errors may come from another file's realm.
      expect(await store.latest('s', 'm', 1).catch((error: unknown) => error)).toMatchObject({ message: expect.stringMatching(/no such table/) });
      expect(await store.save(snapshot).catch((error: unknown) => error)).toMatchObject({ message: expect.stringMatching(/no such table/) });
      const reopened = SqliteSnapshotStore.open(file);
      expect(await reopened.latest('s', 'm', 1)).toBeUndefined();
      await reopened.save(snapshot);
      expect(await store.latest('s', 'm', 1)).toEqual(snapshot);
      await reopened.close();
    } finally {
      await store.close();
      await events.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
