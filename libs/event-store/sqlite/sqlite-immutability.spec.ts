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

  /** A copy of the event at `revision` under a new id and revision, at the position given (NULL: the store's). */
  const insertAt = (db: Database.Database, position: number | string | null, revision: number, verb = 'INSERT') =>
    db
      .prepare(
        `${verb} INTO events (position, id, stream, revision, type, data, metadata, prev_hash, hash)
         SELECT ?, 'forged-' || ?, stream, ?, type, data, metadata, prev_hash, hash FROM events WHERE revision = 0`,
      )
      .run(position, String(revision), revision);

  const ISSUED = /positions are issued by the store/;

  it.each([
    ['0', 0],
    ['-1', -1],
    ['-1 as text', '-1'],
    ['far below', -1000],
    ['above the next free position', 10],
  ])('refuses a row with a position of its own (%s), and the next append takes the next position', async (_, position) => {
    const other = new Database(file);
    try {
      const before = rows(other);
      expect(() => insertAt(other, position, 7)).toThrow(ISSUED);
      expect(rows(other)).toEqual(before);
    } finally {
      other.close();
    }
    const next = await store.append('s', testEvents(1), { expectedRevision: 2 });
    expect(next.events[0]!.position).toBe(4);
  });

  it('refuses a position below the head even after sqlite_sequence was lowered, and one in a gap it left', async () => {
    const other = new Database(file);
    try {
      // Raise the sequence, so the next append leaves a gap at positions 4..9, then lower it again.
      other.exec(`UPDATE sqlite_sequence SET seq = 9 WHERE name = 'events'`);
      expect((await store.append('s', testEvents(1), { expectedRevision: 2 })).events[0]!.position).toBe(10);
      other.exec(`UPDATE sqlite_sequence SET seq = 0 WHERE name = 'events'`);
      const before = rows(other);
      expect(() => insertAt(other, 5, 7)).toThrow(ISSUED);
      expect(() => insertAt(other, 1, 7, 'INSERT OR REPLACE')).toThrow(/events are immutable|positions are issued/);
      other.exec(`DELETE FROM sqlite_sequence`);
      expect(() => insertAt(other, 7, 7)).toThrow(ISSUED);
      expect(rows(other)).toEqual(before);
    } finally {
      other.close();
    }
    expect((await store.append('s', testEvents(1), { expectedRevision: 3 })).events[0]!.position).toBe(11);
  });

  it('takes a row at the position the store would issue: that is not a position of its own', () => {
    const other = new Database(file);
    try {
      insertAt(other, null, 3);
      insertAt(other, 5, 4);
      expect(other.prepare('SELECT position, revision FROM events WHERE revision >= 3 ORDER BY position').all()).toEqual([
        { position: 4, revision: 3 },
        { position: 5, revision: 4 },
      ]);
    } finally {
      other.close();
    }
  });

  it('keeps appending whatever rows sit at or below 0 (written while the triggers were dropped)', async () => {
    const other = new Database(file);
    try {
      other.exec('DROP TRIGGER events_position_issued');
      insertAt(other, -1, 7);
      insertAt(other, 0, 8);
    } finally {
      other.close();
    }
    await store.close();
    // Reopening puts the triggers back; neither stray row may refuse an append, nor be replaced.
    store = SqliteEventStore.open(file);
    const next = await store.append('s', testEvents(1), { expectedRevision: 8 });
    expect(next.events[0]!.position).toBe(4);
    const again = new Database(file);
    try {
      expect(() => insertAt(again, -1, 20, 'INSERT OR REPLACE')).toThrow(ISSUED);
      expect(again.prepare('SELECT id FROM events WHERE position = -1').get()).toEqual({ id: 'forged-7' });
    } finally {
      again.close();
    }
  });

  it('upgrades a file with the old no-replace trigger in place, however often it is opened', async () => {
    const other = new Database(file);
    const triggers = () =>
      other.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' ORDER BY name").all().map((row) => (row as { name: string }).name);
    try {
      other.exec('DROP TRIGGER events_no_overwrite; DROP TRIGGER events_position_issued');
      other.exec(`CREATE TRIGGER events_no_replace BEFORE INSERT ON events
        WHEN EXISTS (SELECT 1 FROM events WHERE position = NEW.position OR id = NEW.id)
        BEGIN SELECT RAISE(ABORT, 'events are immutable: REPLACE is refused'); END`);
      expect(triggers()).toEqual(['events_no_delete', 'events_no_replace', 'events_no_update']);
      const upgraded = ['events_no_delete', 'events_no_overwrite', 'events_no_update', 'events_position_issued'];
      const opened = [SqliteEventStore.open(file), SqliteEventStore.open(file)];
      await Promise.all(opened.map((each) => each.close()));
      expect(triggers()).toEqual(upgraded);
    } finally {
      other.close();
    }
  });
});
