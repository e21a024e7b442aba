import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { testEvents } from '../contract/test-events.js';
import { SqliteEventStore } from './sqlite-event-store.js';

describe('SQLite events table is immutable', () => {
  let dir: string;
  let file: string;
  let store: SqliteEventStore;

  beforeEach(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'u4ssc-'));
    file = path.join(dir, 'events.db');
    store = SqliteEventStore.open(file);
    await store.append('s', testEvents(3), { expectedRevision: 'no-stream' });
  });

  afterEach(async () => {
    await store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const rows = (db: Database.Database) => db.prepare('SELECT * FROM events ORDER BY position').all();

  it('refuses UPDATE through the store connection and leaves the row unchanged', () => {
    const before = rows(store.db);
    expect(() => store.db.prepare(`UPDATE events SET data = '{"tampered":true}' WHERE revision = 1`).run()).toThrow(
      /events are immutable/,
    );
    expect(() => store.db.prepare(`UPDATE events SET hash = 'x'`).run()).toThrow(/events are immutable/);
    expect(rows(store.db)).toEqual(before);
  });

  it('refuses DELETE, with and without a WHERE clause', () => {
    const before = rows(store.db);
    expect(() => store.db.prepare('DELETE FROM events WHERE revision = 2').run()).toThrow(/events are immutable/);
    expect(() => store.db.prepare('DELETE FROM events').run()).toThrow(/events are immutable/);
    expect(rows(store.db)).toEqual(before);
  });

  it('refuses them from any other connection to the file too', () => {
    const other = new Database(file);
    try {
      const before = rows(other);
      expect(() => other.exec(`UPDATE events SET data = '{}'`)).toThrow(/events are immutable/);
      expect(() => other.exec('DELETE FROM events')).toThrow(/events are immutable/);
      expect(rows(other)).toEqual(before);
    } finally {
      other.close();
    }
  });

  it('refuses INSERT OR REPLACE over an existing event (REPLACE deletes without firing DELETE triggers)', () => {
    const other = new Database(file);
    try {
      const before = rows(other);
      const replace = (where: string) =>
        other.exec(
          `INSERT OR REPLACE INTO events (position, id, stream, revision, type, data, metadata, prev_hash, hash)
           SELECT ${where}, '{"tampered":true}', metadata, prev_hash, hash FROM events WHERE revision = 1`,
        );
      expect(() => replace('position, id, stream, revision, type')).toThrow(/events are immutable/);
      expect(() => replace(`NULL, id, 'elsewhere', 0, type`)).toThrow(/events are immutable/);
      expect(() => replace(`NULL, 'new-id', stream, revision, type`)).toThrow(/events are immutable/);
      expect(() => other.exec(`REPLACE INTO events SELECT * FROM events`)).toThrow(/events are immutable/);
      expect(() =>
        other.exec(`INSERT INTO events SELECT * FROM events WHERE revision = 0 ON CONFLICT DO UPDATE SET data = '{}'`),
      ).toThrow(/events are immutable/);
      expect(rows(other)).toEqual(before);
    } finally {
      other.close();
    }
  });
});
