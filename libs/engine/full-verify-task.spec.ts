import Database from 'better-sqlite3';
import { describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { partnerEvents } from '../../bench/lib/events.js';
import { SqliteEventStore } from '../event-store/index.js';
import { ManualClock } from '../kernel/clock.js';
import { SqliteReadModelStore } from '../read-models/sqlite/sqlite-read-model-store.js';
import { ensureKeyPublished, SigningKey } from '../signing/index.js';
import { tempDir } from '../../test/support/temp-dir.js';
import { FullVerifyTask } from './full-verify-task.js';

const HOUR = 3_600_000;

describe('the scheduled full verification', () => {
  it('runs once the interval has passed since the last full run, records what it found, and is off at 0', async () => {
    const dir = tempDir();
    const file = join(dir.path, 'u4ssc.sqlite');
    const key = SigningKey.generate();
    const events = SqliteEventStore.open(file, { signer: key });
    const readModels = SqliteReadModelStore.open(file);
    const clock = new ManualClock();
    clock.set('2026-05-01T00:00:00.000Z');
    try {
      await ensureKeyPublished(events, key, clock.now().toISOString());
      await events.append('partner-A', partnerEvents('A', 0, 3, 'task'), { expectedRevision: 'no-stream' });
      const task = new FullVerifyTask({ events, readModels, signingKey: key, clock, everyMs: 24 * HOUR });
      expect(task.leaderTask(() => undefined)?.name).toBe('full-verify');
      expect(new FullVerifyTask({ events, readModels, clock, everyMs: 0 }).leaderTask(() => undefined)).toBeNull();

      // None recorded: due one interval after leading began (here: the epoch of the task, 0).
      const first = await task.runIfDue();
      expect(first).toMatchObject({ ok: true, events: 4, verification: { kind: 'full', recorded: true, lastFull: { at: '2026-05-01T00:00:00.000Z' } } });
      clock.set('2026-05-01T23:00:00.000Z');
      expect(await task.runIfDue()).toBeNull();

      // A day later it runs again, and finds a change made meanwhile.
      const db = new Database(file);
      for (const { name } of db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'trigger'").all()) db.exec(`DROP TRIGGER "${name}"`);
      db.prepare("UPDATE events SET data = replace(data, 'Benchmark', 'Forged') WHERE stream = 'partner-A' AND revision = 0").run();
      db.close();
      clock.set('2026-05-02T00:00:00.000Z');
      const second = await task.runIfDue();
      expect(second).toMatchObject({ ok: false, fault: { kind: 'hash', stream: 'partner-A' }, verification: { kind: 'full', lastFull: { ok: false, at: '2026-05-02T00:00:00.000Z' } } });
      clock.set('2026-05-02T01:00:00.000Z');
      expect(await task.runIfDue()).toBeNull();
    } finally {
      await readModels.close();
      await events.close();
      dir.remove();
    }
  });
});
