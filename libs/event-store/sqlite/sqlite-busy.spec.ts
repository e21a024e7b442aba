import { describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { tempDir } from '../../../test/support/temp-dir.js';
import { testEvents } from '../contract/test-events.js';
import { StoreBusyError } from '../errors.js';
import { sqliteBusyCode } from './busy.js';
import { SqliteEventStore } from './sqlite-event-store.js';

describe('a busy SQLite store', () => {
  it.each(['SQLITE_BUSY', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_BUSY_RECOVERY', 'SQLITE_BUSY_TIMEOUT', 'SQLITE_LOCKED', 'SQLITE_LOCKED_SHAREDCACHE'])(
    'reads %s as busy',
    (code) => expect(sqliteBusyCode(Object.assign(new Error('locked'), { code }))).toBe(code),
  );

  it.each([['SQLITE_CONSTRAINT_UNIQUE'], ['SQLITE_FULL'], ['SQLITE_BUSYNESS'], [undefined], [42]])('does not read %p as busy', (code) => {
    expect(sqliteBusyCode(Object.assign(new Error('other'), { code }))).toBeUndefined();
    expect(sqliteBusyCode(null)).toBeUndefined();
  });

  it('refuses an append while another connection holds the write lock with StoreBusyError, writing nothing', async () => {
    const dir = tempDir();
    const file = join(dir.path, 'events.db');
    const store = SqliteEventStore.open(file, { busyTimeoutMs: 10 });
    const blocker = new Database(file);
    try {
      blocker.exec('BEGIN IMMEDIATE');
      const error = await store.append('s', testEvents(2), { expectedRevision: 'no-stream' }).catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(StoreBusyError);
      expect(error).toMatchObject({ stream: 's', code: 'SQLITE_BUSY', cause: expect.objectContaining({ code: 'SQLITE_BUSY' }) });
      expect((error as Error).message).toMatch(/busy \(SQLITE_BUSY\).*nothing was written/);
      expect(store.db.inTransaction).toBe(false);
      blocker.exec('ROLLBACK');
      expect(await store.readStream('s')).toEqual([]);
      // The same append, tried again once the lock is free, goes through.
      const again = await store.append('s', testEvents(2), { expectedRevision: 'no-stream' });
      expect(again.events.map((event) => event.position)).toEqual([1, 2]);
    } finally {
      blocker.close();
      await store.close();
      dir.remove();
    }
  });

  it('passes other SQLite errors through unchanged', async () => {
    const dir = tempDir();
    const store = SqliteEventStore.open(join(dir.path, 'events.db'), { busyTimeoutMs: 10 });
    try {
      store.db.exec('DROP TRIGGER events_position_issued');
      store.db.exec(`CREATE TRIGGER events_refuse_all BEFORE INSERT ON events BEGIN SELECT RAISE(ABORT, 'no'); END`);
      const error = await store.append('s', testEvents(1), { expectedRevision: 'no-stream' }).catch((caught: unknown) => caught);
      expect(error).not.toBeInstanceOf(StoreBusyError);
      expect(error).toMatchObject({ code: 'SQLITE_CONSTRAINT_TRIGGER' });
    } finally {
      await store.close();
      dir.remove();
    }
  });
});
