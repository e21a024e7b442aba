import { rmSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { runFor, type Latency } from './stats.js';

/**
 * How fast the disk commits right now: single-row SQLite transactions (WAL, synchronous=FULL) for `ms`.
 * Taken at the start and the end of a run, so a reader can tell a slow engine from a busy disk (on a shared
 * machine other processes' fsyncs come and go).
 */
export async function diskProbe(dir: string, ms: number): Promise<{ commitsPerSecond: number; latency: Latency }> {
  const file = join(dir, `disk-probe-${Date.now()}.sqlite`);
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.exec('CREATE TABLE probe (id INTEGER PRIMARY KEY, body TEXT NOT NULL)');
    const insert = db.prepare('INSERT INTO probe (body) VALUES (?)');
    const body = 'x'.repeat(600);
    const result = await runFor(ms, 1, () => {
      insert.run(body);
      return 1;
    });
    return { commitsPerSecond: result.opsPerSecond, latency: result.latency };
  } finally {
    db.close();
    for (const suffix of ['', '-wal', '-shm']) rmSync(file + suffix, { force: true });
  }
}
