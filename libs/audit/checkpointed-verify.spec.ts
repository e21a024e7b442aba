import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { partnerEvents } from '../../bench/lib/events.js';
import { parseAnchor } from '../envelope/index.js';
import { SqliteEventStore } from '../event-store/index.js';
import { SqliteReadModelStore } from '../read-models/sqlite/sqlite-read-model-store.js';
import { ensureKeyPublished, SigningKey } from '../signing/index.js';
import { tempDir } from '../../test/support/temp-dir.js';
import { verifyWithCheckpoints } from './checkpointed-verify.js';
import { verifyStore } from './verify-store.js';

const STREAMS = 200;
const PER_ROUND = 5;
const key = SigningKey.generate();
const times = ['2026-05-01T09:00:00.000Z', '2026-05-02T09:00:00.000Z', '2026-05-03T09:00:00.000Z', '2026-05-04T09:00:00.000Z'];

/** SQL on the file, as someone holding it could: the log's triggers dropped first. */
function sql(file: string, statement: string, ...params: unknown[]): void {
  const db = new Database(file);
  try {
    for (const { name } of db.prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'trigger'").all()) db.exec(`DROP TRIGGER "${name}"`);
    db.prepare(statement).run(...params);
  } finally {
    db.close();
  }
}

describe('verification from a signed checkpoint', () => {
  let dir: ReturnType<typeof tempDir>;
  let file: string;
  let events: SqliteEventStore;
  let readModels: SqliteReadModelStore;
  const run = (incremental: boolean, at: string) => verifyWithCheckpoints(events, readModels, { incremental, signingKey: key, now: () => new Date(at), trustKeys: [key.keyId] });

  beforeEach(async () => {
    dir = tempDir();
    file = join(dir.path, 'u4ssc.sqlite');
    events = SqliteEventStore.open(file, { signer: key });
    readModels = SqliteReadModelStore.open(file);
    await ensureKeyPublished(events, key, times[0]!);
    // Two rounds over the streams, so each stream's events lie apart in the log: 2,000 Partner events, all legal.
    for (let round = 0; round < 2; round += 1) {
      for (let s = 0; s < STREAMS; s += 1) {
        await events.append(`partner-P${s}`, partnerEvents(`P${s}`, round * PER_ROUND, PER_ROUND, 'checkpoints'), { expectedRevision: round * PER_ROUND - 1 });
      }
    }
  });

  afterEach(async () => {
    await readModels.close();
    await events.close();
    dir.remove();
  });

  it('checks only the events after the checkpoint, and reports the anchor a full run would', async () => {
    const full = await run(false, times[1]!);
    expect(full).toMatchObject({ ok: true, events: 2 * STREAMS * PER_ROUND + 1, verification: { kind: 'full', from: null, recorded: true } });
    // One more event on a stream begun before the checkpoint, one on a new stream.
    await events.append('partner-P7', partnerEvents('P7', 2 * PER_ROUND, 1, 'checkpoints'), { expectedRevision: 2 * PER_ROUND - 1 });
    await events.append('partner-NEW', partnerEvents('NEW', 0, 1, 'checkpoints'), { expectedRevision: 'no-stream' });

    const incremental = await run(true, times[2]!);
    expect(incremental).toMatchObject({ ok: true, events: 2, streams: 2, fault: null });
    expect(incremental.verification).toMatchObject({ kind: 'incremental', from: { kind: 'full', at: times[1], seq: full.head!.seq }, lastFull: { at: times[1], ok: true } });
    expect(incremental.machines).toEqual([{ id: 'partner', version: expect.any(Number), events: 2 }]);
    const whole = await verifyStore(events, { trustKeys: [key.keyId] });
    expect(incremental.head).toEqual(whole.head);
    expect(incremental.anchor).toBe(whole.anchor);

    // The incremental run became the checkpoint: nothing new, nothing checked, the same head.
    const again = await run(true, times[3]!);
    expect(again).toMatchObject({ ok: true, events: 0, anchor: whole.anchor, verification: { kind: 'incremental', from: { kind: 'incremental', at: times[2] } } });
  });

  it('lets the process serve other work while it walks the log', async () => {
    let served = false;
    setImmediate(() => (served = true));
    const servedBeforeTheEnd = await verifyStore(events, { trustKeys: [key.keyId] }).then(() => served);
    expect(servedBeforeTheEnd).toBe(true);
  });

  it('judges a new event from the state its stream reached before the checkpoint', async () => {
    await run(false, times[1]!);
    // P3 stands withdrawn (revision 9): withdrawing again is no transition of the Partner machine.
    await events.append('partner-P3', partnerEvents('P3', 2 * PER_ROUND - 1, 1, 'again'), { expectedRevision: 2 * PER_ROUND - 1 });
    const incremental = await run(true, times[2]!);
    expect(incremental).toMatchObject({ ok: false, events: 0, fault: { kind: 'machine', stream: 'partner-P3', revision: 2 * PER_ROUND } });
  });

  it('misses a change made before the checkpoint, which the next full run finds and the record keeps', async () => {
    const full = await run(false, times[1]!);
    sql(file, "UPDATE events SET data = replace(data, 'Benchmark', 'Forged') WHERE stream = 'partner-P11' AND revision = 2");
    await events.append('partner-P7', partnerEvents('P7', 2 * PER_ROUND, 1, 'checkpoints'), { expectedRevision: 2 * PER_ROUND - 1 });

    const incremental = await run(true, times[2]!);
    expect(incremental).toMatchObject({ ok: true, events: 1, verification: { kind: 'incremental', lastFull: { at: times[1], ok: true } } });

    const next = await run(false, times[3]!);
    expect(next).toMatchObject({ ok: false, fault: { kind: 'hash', stream: 'partner-P11', revision: 2 } });
    expect(next.verification.lastFull).toMatchObject({ kind: 'full', ok: false, at: times[3], fault: { kind: 'hash', stream: 'partner-P11' } });
    // Incremental runs still answer from the last passing checkpoint, and say what the last full one found.
    const after = await run(true, times[3]!);
    expect(after).toMatchObject({ ok: true, events: 0, verification: { kind: 'incremental', lastFull: { ok: false, at: times[3], position: next.head!.position } } });
    expect(after.head!.seq).toBe(full.head!.seq + 1);
  });

  it('records no fault for an anchor given with the request that does not match (it may be mistyped)', async () => {
    const full = await run(false, times[1]!);
    const wrong = parseAnchor(`u4ssc-anchor:${full.head!.seq}:${'0'.repeat(32)}`);
    const checked = await verifyWithCheckpoints(events, readModels, { incremental: true, signingKey: key, now: () => new Date(times[2]!), trustKeys: [key.keyId], anchors: [wrong] });
    expect(checked).toMatchObject({ ok: false, fault: { kind: 'anchor' }, verification: { kind: 'full', recorded: false, lastFull: { ok: true, at: times[1] } } });
    expect(checked.verification.fullBecause).toMatch(/an anchor given lies at or before the checkpoint/);
    expect((await run(true, times[3]!)).verification).toMatchObject({ kind: 'incremental', lastFull: { ok: true, at: times[1] } });
  });

  it('finds an event deleted before the checkpoint by the table’s count', async () => {
    await run(false, times[1]!);
    sql(file, "DELETE FROM events WHERE stream = 'partner-P12' AND revision = 9");
    const incremental = await run(true, times[2]!);
    expect(incremental).toMatchObject({ ok: false, events: 0, verification: { kind: 'incremental' } });
    expect(incremental.fault!.detail).toMatch(/1 event\(s\) at or before the checkpoint were deleted/);
  });

  it.each([
    ['edited', `UPDATE read_model_docs SET doc = json_set(doc, '$.seq', 5, '$.position', 5) WHERE collection = 'audit-verify'`, /does not match its content/],
    ['unsigned', `UPDATE read_model_docs SET doc = json_set(doc, '$.signature', json('null')) WHERE collection = 'audit-verify'`, /carries no signature/],
  ])('ignores a checkpoint %s by SQL: the verification is a full one', async (_, statement, why) => {
    await run(false, times[1]!);
    sql(file, statement);
    const report = await run(true, times[2]!);
    expect(report).toMatchObject({ ok: true, events: 2 * STREAMS * PER_ROUND + 1, verification: { kind: 'full', from: null } });
    expect(report.verification.fullBecause).toMatch(why);
  });
});
