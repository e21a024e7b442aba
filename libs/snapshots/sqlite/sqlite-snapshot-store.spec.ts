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

const snapshot = { stream: 's', machineId: 'm', machineVersion: 1, format: 1, revision: 3, hash: 'h', state: '{}', signature: { keyId: 'k', value: 'v' } };

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

  it('upgrades a table from before snapshots were signed in place: its rows come back unsigned', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'u4ssc-'));
    const file = path.join(dir, 'u4ssc.sqlite');
    const old = new Database(file);
    old.exec(`CREATE TABLE snapshots (stream TEXT NOT NULL, machine_id TEXT NOT NULL, machine_version INTEGER NOT NULL,
      format INTEGER NOT NULL, revision INTEGER NOT NULL, hash TEXT NOT NULL, state TEXT NOT NULL,
      UNIQUE (stream, machine_id, format, machine_version))`);
    old.prepare('INSERT INTO snapshots VALUES (?, ?, ?, ?, ?, ?, ?)').run('s', 'm', 1, 1, 3, 'h', '{}');
    old.close();
    const store = SqliteSnapshotStore.open(file);
    try {
      expect(await store.latest('s', 'm', 1)).toEqual({ ...snapshot, signature: null });
      await store.save({ ...snapshot, revision: 4 });
      expect(await store.latest('s', 'm', 1)).toEqual({ ...snapshot, revision: 4 });
      // A second open finds the columns there and leaves them.
      await SqliteSnapshotStore.open(file).close();
    } finally {
      await store.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
