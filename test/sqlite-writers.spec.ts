import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { verifyStore } from '../libs/audit/verify-store.js';
import { SqliteEventStore } from '../libs/event-store/index.js';
import { assertBuilt } from './support/cli.js';
import { tempDir } from './support/temp-dir.js';

const WRITERS = 8;
const RUNS = 10;
const COMMANDS_PER_WRITER = 25;
// Short, so that writers queueing for the lock really run out of it and the store answers busy.
const BUSY_TIMEOUT_MS = '50';

interface WriterReport {
  acknowledged: string[];
  errors: string[];
  busy: number;
}

/** A writer process (test/support/sqlite-writer.mjs), kept for all runs; it answers each run with one line. */
interface Writer {
  child: ChildProcess;
  nextLine(): Promise<string>;
}

function startWriter(index: number): Writer {
  const child = spawn(process.execPath, [join('test', 'support', 'sqlite-writer.mjs'), String(index), String(COMMANDS_PER_WRITER)], {
    env: { ...process.env, U4SSC_SQLITE_BUSY_TIMEOUT_MS: BUSY_TIMEOUT_MS, U4SSC_LOG: 'silent' },
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout! })[Symbol.asyncIterator]();
  return {
    child,
    nextLine: async () => {
      const { value, done } = await lines.next();
      if (done) throw new Error(`writer ${index} exited (${child.exitCode ?? child.signalCode})`);
      return value as string;
    },
  };
}

/** Every id the file holds in the writers' Partner streams, with how many rows carry it. */
function storedIds(file: string): Map<string, number> {
  const db = new Database(file, { readonly: true });
  try {
    const rows = db
      .prepare<[], { id: string; n: number }>(`SELECT id, count(*) AS n FROM events WHERE stream LIKE 'partner-R%' GROUP BY id`)
      .all();
    return new Map(rows.map((row) => [row.id, row.n]));
  } finally {
    db.close();
  }
}

describe(`${WRITERS} writer processes on one SQLite file`, () => {
  const dir = tempDir();
  let writers: Writer[] = [];

  beforeAll(async () => {
    assertBuilt();
    writers = Array.from({ length: WRITERS }, (_, index) => startWriter(index));
    for (const writer of writers) expect(await writer.nextLine()).toBe('ready');
  }, 60_000);

  afterAll(() => {
    for (const writer of writers) writer.child.stdin!.end();
    dir.remove();
  });

  it(`reach no caller with an error in ${RUNS} runs, store every acknowledged event once, and retried busy appends`, async () => {
    let busy = 0;
    for (let run = 0; run < RUNS; run += 1) {
      const file = join(dir.path, `run-${run}.sqlite`);
      // All writers open the new file and write at once: their opens and appends contend for its lock.
      for (const writer of writers) writer.child.stdin!.write(`${run} ${file}\n`);
      const reports = await Promise.all(writers.map(async (writer) => JSON.parse(await writer.nextLine()) as WriterReport));

      expect(reports.flatMap((report) => report.errors)).toEqual([]);
      const acknowledged = reports.flatMap((report) => report.acknowledged);
      expect(acknowledged).toHaveLength(WRITERS * COMMANDS_PER_WRITER);
      const stored = storedIds(file);
      expect([...stored.keys()].sort()).toEqual([...acknowledged].sort());
      expect([...stored.values()].every((n) => n === 1)).toBe(true);
      const store = SqliteEventStore.open(file);
      try {
        const report = await verifyStore(store);
        expect(report.fault ?? null).toBeNull();
        // Beside the Partners, the file holds the signing key's publication, written once by whichever writer came first.
        expect(report.census!.rows).toBeGreaterThanOrEqual(acknowledged.length);
        expect(report.census).toMatchObject({ unreachable: 0 });
      } finally {
        await store.close();
      }
      busy += reports.reduce((sum, report) => sum + report.busy, 0);
    }
    // The store did refuse appends as busy, and every one was retried out of the callers' sight.
    expect(busy).toBeGreaterThan(0);
  }, 60_000);
});
