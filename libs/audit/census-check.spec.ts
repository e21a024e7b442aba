import Database from 'better-sqlite3';
import { describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { SqliteEventStore } from '../event-store/index.js';
import { tempDir } from '../../test/support/temp-dir.js';
import { writePartnerHistory } from './partner-history.spec-helper.js';
import { verifyStore } from './verify-store.js';
import { CensusTally } from './census-check.js';
import type { StoredEvent } from '../envelope/index.js';

/** A row written straight into the file, as someone holding it could, copying a real event's columns. */
function insertCopy(file: string, position: number | null, overrides: { id: string; revision: number }): void {
  const db = new Database(file);
  try {
    // The triggers that refuse such rows are dropped first, as someone holding the file can.
    for (const { name } of db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'trigger'").all()) {
      db.exec(`DROP TRIGGER "${name}"`);
    }
    const columns = 'id, stream, revision, type, data, metadata, prev_hash, hash';
    const source = db.prepare<[], Record<string, unknown>>(`SELECT ${columns} FROM events WHERE stream = 'partner-ITU' ORDER BY revision DESC LIMIT 1`).get()!;
    db.prepare(`INSERT INTO events (position, ${columns}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`).run(
      position, overrides.id, source.stream, overrides.revision, source.type, source.data, source.metadata, source.prev_hash, source.hash,
    );
  } finally {
    db.close();
  }
}

describe('verify counts the table against what it was given (census)', () => {
  it('reports the rows the database holds and answers OK when every one was walked', async () => {
    const dir = tempDir();
    const store = SqliteEventStore.open(join(dir.path, 'log.sqlite'));
    try {
      await writePartnerHistory(store);
      const report = await verifyStore(store);
      expect(report.ok).toBe(true);
      expect(report.census).toEqual({ rows: 6, highestPosition: 6, unreachable: 0, heldBack: 0 });
    } finally {
      await store.close();
      dir.remove();
    }
  });

  it.each([0, -1])('names an event hidden at position %i, which readAll never gives, as a hidden fault', async (position) => {
    const dir = tempDir();
    const file = join(dir.path, 'log.sqlite');
    const store = SqliteEventStore.open(file);
    try {
      await writePartnerHistory(store);
      insertCopy(file, position, { id: 'forged-hidden', revision: 1 });
      const report = await verifyStore(store);
      expect(report.ok).toBe(false);
      expect(report.anchor).toBeNull();
      expect(report.fault).toMatchObject({ kind: 'hidden', position, stream: 'partner-ITU', revision: 1, eventId: 'forged-hidden' });
      expect(report.fault!.detail).toMatch(/at or below 0/);
      // Every event the walk was given checked out: the fault is the missing one, not a legitimate neighbour.
      expect(report.events).toBe(6);
    } finally {
      await store.close();
      dir.remove();
    }
  });
});

describe('the census of a walk that resumes after a checkpoint', () => {
  const census = { rows: 10, highestPosition: 10, unreachable: 0, heldBack: 0 };
  const walk = async (tally: CensusTally, positions: number[]) => {
    // The tally reads positions only.
    const events = (async function* () {
      yield* positions.map((position) => ({ position }) as StoredEvent);
    })();
    for await (const _ of tally.count(events)) void _;
  };

  it('counts the checkpoint’s events as delivered, and names rows beyond them as inserted, and rows short of them as deleted', async () => {
    const whole = new CensusTally(census, 8);
    await walk(whole, [9, 10]);
    expect(whole.fault()).toBeNull();
    const short = new CensusTally(census, 7);
    await walk(short, [9, 10]);
    expect(short.fault()).toMatchObject({ kind: 'hidden', position: 10 });
    expect(short.fault()!.detail).toMatch(/the verified checkpoint's 7 and the 2 read after it make only 9: an event was inserted at or before the checkpoint/);
    const long = new CensusTally(census, 9);
    await walk(long, [9, 10]);
    expect(long.fault()).toMatchObject({ kind: 'chain' });
    expect(long.fault()!.detail).toMatch(/1 event\(s\) at or before the checkpoint were deleted/);
  });
});
