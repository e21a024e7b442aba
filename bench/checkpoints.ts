import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { verifyWithCheckpoints } from '../libs/audit/index.js';
import { SqliteEventStore } from '../libs/event-store/index.js';
import { SqliteReadModelStore } from '../libs/read-models/sqlite/sqlite-read-model-store.js';
import { ensureKeyPublished, SigningKey } from '../libs/signing/index.js';
import { partnerEvents } from './lib/events.js';

/**
 * `node dist/bench/checkpoints.js [events]`: a signed SQLite log of `events` Partner events (default 100,000), one
 * full verification (which records a checkpoint), 10 more events, then an incremental and a full verification,
 * each timed. Not part of `npm run bench`: a one-off figure for verified checkpoints (docs/integrity.md).
 */
const total = Number(process.argv[2] ?? 100_000);
const STREAMS = Math.max(1, Math.floor(total / 20));
const dir = mkdtempSync(join(tmpdir(), 'u4ssc-checkpoints-'));
const file = join(dir, 'u4ssc.sqlite');
const key = SigningKey.generate();
const events = SqliteEventStore.open(file, { signer: key });
const readModels = SqliteReadModelStore.open(file);
const timed = async <T>(what: () => Promise<T>): Promise<[T, number]> => {
  const start = performance.now();
  const result = await what();
  return [result, Math.round(performance.now() - start)];
};
try {
  await ensureKeyPublished(events, key, new Date().toISOString());
  const [, writeMs] = await timed(async () => {
    for (let round = 0; round < 2; round += 1) {
      for (let s = 0; s < STREAMS; s += 1) {
        await events.append(`partner-C${s}`, partnerEvents(`C${s}`, round * 10, 10, 'checkpoints'), { expectedRevision: round * 10 - 1 });
      }
    }
  });
  const run = (incremental: boolean) => verifyWithCheckpoints(events, readModels, { incremental, signingKey: key, now: () => new Date(), trustKeys: [key.keyId] });
  const [first, firstMs] = await timed(() => run(false));
  for (let s = 0; s < 10; s += 1) await events.append(`partner-C${s}`, partnerEvents(`C${s}`, 20, 1, 'checkpoints'), { expectedRevision: 19 });
  const [incremental, incrementalMs] = await timed(() => run(true));
  const [again, againMs] = await timed(() => run(true));
  const [full, fullMs] = await timed(() => run(false));
  console.log(JSON.stringify({
    log: { events: full.events, streams: STREAMS, writeMs },
    firstFull: { ok: first.ok, events: first.events, ms: firstMs },
    incremental10: { ok: incremental.ok, events: incremental.events, kind: incremental.verification.kind, ms: incrementalMs },
    incrementalNothingNew: { ok: again.ok, events: again.events, ms: againMs },
    full: { ok: full.ok, events: full.events, ms: fullMs },
    sameAnchor: incremental.anchor === full.anchor,
  }, null, 2));
} finally {
  await readModels.close();
  await events.close();
  rmSync(dir, { recursive: true, force: true });
}
