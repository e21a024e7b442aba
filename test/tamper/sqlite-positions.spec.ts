import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { verifyStore } from '../../libs/audit/verify-store.js';
import { writePartnerHistory } from '../../libs/audit/partner-history.spec-helper.js';
import { SqliteEventStore } from '../../libs/event-store/index.js';
import { ManualClock } from '../../libs/kernel/clock.js';
import { decideRegister, partnerProcess, partnerStream } from '../../libs/partners/index.js';
import { runCommand } from '../../libs/process-runner/index.js';
import { tempDir } from '../support/temp-dir.js';

const COLUMNS = 'id, stream, revision, type, data, metadata, prev_hash, hash';

/**
 * Someone with write access to the file, on a connection of their own: every write below is plain SQL, as the
 * sqlite3 shell or any driver would send it.
 */
class Attacker {
  readonly db: Database.Database;
  constructor(file: string) {
    this.db = new Database(file);
  }

  /** A forged next event of partner-ITU (a copy of its last one, one revision on), at the position given. */
  forge(position: number | null, id: string, verb = 'INSERT'): void {
    this.db
      .prepare(
        `${verb} INTO events (position, ${COLUMNS})
         SELECT ?, ?, stream, revision + 1, type, data, metadata, prev_hash, hash
         FROM events WHERE stream = 'partner-ITU' ORDER BY revision DESC LIMIT 1`,
      )
      .run(position, id);
  }

  head(): number {
    return this.db.prepare<[], { head: number }>('SELECT max(position) AS head FROM events').get()!.head;
  }

  setSequence(seq: number): void {
    this.db.prepare(`UPDATE sqlite_sequence SET seq = ? WHERE name = 'events'`).run(seq);
  }

  dropTriggers(): void {
    for (const { name } of this.db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'trigger'").all()) {
      this.db.exec(`DROP TRIGGER "${name}"`);
    }
  }

  rows(): unknown[] {
    return this.db.prepare('SELECT * FROM events ORDER BY position').all();
  }

  close(): void {
    this.db.close();
  }
}

const secretariat = { id: 'sec-1', role: 'secretariat' };

describe('event positions are issued by the SQLite store alone, whoever writes to the file', () => {
  let dir: ReturnType<typeof tempDir>;
  let file: string;
  let store: SqliteEventStore;
  let attacker: Attacker;
  let registered = 0;

  /** A command through the real runner: a new Partner registered, its event at the next position. */
  async function engineAppends(): Promise<number> {
    registered += 1;
    const partnerId = `P${registered}`;
    const outcome = await runCommand(
      { store, clock: new ManualClock('2026-04-01T09:00:00.000Z') },
      partnerProcess,
      partnerStream(partnerId),
      { commandId: `register-${partnerId}`, actor: secretariat },
      decideRegister({ partnerId, name: `Entity ${partnerId}`, entityType: 'specialized-agency', intentReference: 'ToR Annex II' }, secretariat, new Date('2026-04-01T09:00:00.000Z')),
    );
    expect(outcome.events).toHaveLength(1);
    return outcome.events[0]!.position;
  }

  beforeEach(async () => {
    dir = tempDir();
    file = join(dir.path, 'u4ssc.sqlite');
    store = SqliteEventStore.open(file);
    await writePartnerHistory(store);
    attacker = new Attacker(file);
  });

  afterEach(async () => {
    attacker.close();
    await store.close();
    dir.remove();
  });

  const ISSUED = /event positions are issued by the store/;

  it.each<[string, (attacker: Attacker) => void | Promise<void>, RegExp]>([
    ['at position 0', (a) => a.forge(0, 'forged'), ISSUED],
    ['at position -1', (a) => a.forge(-1, 'forged'), ISSUED],
    ['at an explicit position above the head', (a) => a.forge(a.head() + 5, 'forged'), ISSUED],
    ['at the position of an existing event (INSERT OR REPLACE)', (a) => a.forge(3, 'forged', 'INSERT OR REPLACE'), /events are immutable/],
    ['over an existing event id (INSERT OR REPLACE)', (a) => a.forge(null, a.db.prepare<[], { id: string }>('SELECT id FROM events WHERE position = 2').get()!.id, 'INSERT OR REPLACE'), /events are immutable/],
    [
      'in a gap below the head (the sequence raised, then an append)',
      async (a) => {
        a.setSequence(a.head() + 10);
        expect(await engineAppends()).toBe(17);
        a.forge(12, 'forged');
      },
      ISSUED,
    ],
    [
      'below the head after sqlite_sequence was lowered',
      (a) => {
        a.setSequence(0);
        a.forge(2, 'forged', 'INSERT OR REPLACE');
      },
      /events are immutable/,
    ],
    [
      'at or below 0 after sqlite_sequence was lowered below 0',
      (a) => {
        a.setSequence(-5);
        a.forge(-1, 'forged');
      },
      ISSUED,
    ],
  ])('refuses a forged row %s, and the engine keeps appending', async (_, attack, refusal) => {
    const before = attacker.rows().length;
    // Statement by statement, as a shell sends them: the attacker's earlier writes stay, only the forged row is refused.
    // Caught by hand: the driver's error class may come from another test file's realm, which `rejects` misreads.
    let refused: unknown;
    try {
      await attack(attacker);
    } catch (error) {
      refused = error;
    }
    expect((refused as Error | undefined)?.message).toMatch(refusal);
    expect(attacker.db.prepare(`SELECT count(*) AS n FROM events WHERE id = 'forged'`).get()).toEqual({ n: 0 });
    const head = attacker.head();
    const position = await engineAppends();
    expect(position).toBeGreaterThan(head);
    expect(attacker.rows().length).toBeGreaterThanOrEqual(before + 1);
    const report = await verifyStore(store);
    expect(report.fault ?? null).toBeNull();
    expect(report.ok).toBe(true);
  });

  it.each([0, -1])('with the triggers dropped, a row at %i is named hidden by verify, and appends go on', async (position) => {
    attacker.dropTriggers();
    attacker.forge(position, 'forged-hidden');
    expect(await engineAppends()).toBe(7);
    const report = await verifyStore(store);
    expect(report.ok).toBe(false);
    expect(report.fault).toMatchObject({ kind: 'hidden', position, stream: 'partner-ITU', eventId: 'forged-hidden' });
    // Reopened, the store puts its triggers back; the stray row refuses no append, and no second one gets in.
    await store.close();
    store = SqliteEventStore.open(file);
    expect(await engineAppends()).toBe(8);
    expect(() => attacker.forge(position - 1, 'forged-again')).toThrow(ISSUED);
    expect((await verifyStore(store)).fault).toMatchObject({ kind: 'hidden', eventId: 'forged-hidden' });
  });

  it('upgrades a file whose old no-replace trigger a row at -1 had turned against every append', async () => {
    attacker.dropTriggers();
    // The trigger as files before this change hold it: in a BEFORE trigger NEW.position is -1 for every
    // auto-assigned position, so a row at -1 matched every insert.
    attacker.db.exec(`CREATE TRIGGER events_no_replace BEFORE INSERT ON events
      WHEN EXISTS (SELECT 1 FROM events WHERE position = NEW.position OR id = NEW.id OR (stream = NEW.stream AND revision = NEW.revision))
      BEGIN SELECT RAISE(ABORT, 'events are immutable: REPLACE is refused'); END`);
    attacker.forge(-1, 'forged-stopper');
    expect(() =>
      attacker.db.prepare(`INSERT INTO events (${COLUMNS}) SELECT 'legit', 'partner-new', 0, type, data, metadata, prev_hash, hash FROM events WHERE position = 1`).run(),
    ).toThrow(/REPLACE is refused/);
    await store.close();
    store = SqliteEventStore.open(file);
    expect(attacker.db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND name = 'events_no_replace'").all()).toEqual([]);
    expect(await engineAppends()).toBe(7);
    expect(await engineAppends()).toBe(8);
  });
});
