import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { MemoryEventStore } from '../event-store/index.js';
import { ManualClock } from '../kernel/clock.js';
import { newId } from '../kernel/ids.js';
import { runCommand } from '../process-runner/index.js';
import { Projector } from '../projections/index.js';
import { SqliteReadModelStore } from '../read-models/sqlite/sqlite-read-model-store.js';
import { decideRegister, decideWithdraw } from './partner.decide.js';
import { partnerProcess, partnerStream } from './partner.process.js';
import { PARTNERS_COLLECTION, type PartnerView } from './partner.view.js';
import {
  chunkId,
  membershipAt,
  partnerAt,
  PARTNER_PERIODS_COLLECTION,
  PERIODS_PER_CHUNK,
  withPeriods,
  type PartnerPeriodsChunk,
} from './partner-periods.js';
import { partnersProjection } from './partners.projection.js';

const secretariat = { id: 'sec-1', role: 'secretariat' };
const HOUR = 3_600_000;
const START = Date.parse('2026-01-01T00:00:00.000Z');
/** Period k runs from START + 2k hours to START + (2k+1) hours; the hour after it, the organisation is not a Partner. */
const periodFrom = (k: number) => new Date(START + 2 * k * HOUR);
const PERIODS = 2 * PERIODS_PER_CHUNK + 5;

/**
 * FAO leaves and comes back PERIODS times (the last period open), through the real runner, projected into a real
 * SQLite read-model file; the document sizes are taken at 1 and at PERIODS periods.
 */
describe('Partner periods in bounded chunks (ToR ¶12: the register keeps a withdrawn Partner’s history)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'u4ssc-partner-periods-'));
  const events = new MemoryEventStore();
  const readModels = SqliteReadModelStore.open(path.join(dir, 'read-models.sqlite'));
  const projector = new Projector(events, readModels, [partnersProjection], { pageSize: 37 });
  const sizes: number[] = [];

  beforeAll(async () => {
    const clock = new ManualClock(periodFrom(0).toISOString());
    for (let k = 0; k < PERIODS; k += 1) {
      clock.set(periodFrom(k).toISOString());
      await command(clock, 'register');
      if (k === 0) sizes.push(await summarySize());
      if (k === PERIODS - 1) break;
      clock.set(new Date(periodFrom(k).getTime() + HOUR).toISOString());
      await command(clock, 'withdraw');
    }
    sizes.push(await summarySize());
  });
  afterAll(async () => {
    await readModels.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function command(clock: ManualClock, kind: 'register' | 'withdraw') {
    const decide =
      kind === 'register'
        ? decideRegister({ partnerId: 'FAO', name: 'FAO', entityType: 'specialized-agency', intentReference: 'letter' }, secretariat, clock.now())
        : decideWithdraw({ partnerId: 'FAO', reason: 'letter of withdrawal' }, secretariat);
    await runCommand({ store: events, clock }, partnerProcess, partnerStream('FAO'), { commandId: newId(), actor: secretariat }, decide);
  }

  async function summarySize(): Promise<number> {
    await projector.catchUp();
    return JSON.stringify(await readModels.get(PARTNERS_COLLECTION, 'FAO')).length;
  }

  const summary = async () => (await readModels.get<PartnerView>(PARTNERS_COLLECTION, 'FAO'))!;

  it('keeps the summary the same size however many periods there are, and the periods in chunks of at most 100', async () => {
    // Only the digits of periodCount, revision and position grow (1 → 205, 0 → 408, 1 → 409); a document holding
    // every period would be ~200 times the size.
    expect(sizes[1]! - sizes[0]!).toBeLessThanOrEqual(6);
    const view = await summary();
    expect(view).toMatchObject({ status: 'registered', periodCount: PERIODS, latestPeriod: { from: periodFrom(PERIODS - 1).toISOString(), to: null } });
    expect(view).not.toHaveProperty('periods');
    const chunks = await readModels.entries<PartnerPeriodsChunk>(PARTNER_PERIODS_COLLECTION);
    expect(chunks.map((entry) => [entry.id, entry.doc.periods.length])).toEqual([
      [chunkId('FAO', 0), 100],
      [chunkId('FAO', 1), 100],
      // The 205th period, the latest, is in the summary only.
      [chunkId('FAO', 2), 4],
    ]);
  });

  it('gives every period in order, the latest as the summary has it', async () => {
    const record = await withPeriods(readModels, await summary());
    expect(record.periods).toHaveLength(PERIODS);
    record.periods.forEach((period, k) => {
      expect(period.from).toBe(periodFrom(k).toISOString());
      expect(period.to).toBe(k === PERIODS - 1 ? null : new Date(periodFrom(k).getTime() + HOUR).toISOString());
    });
    expect(record.periods[3]).toMatchObject({ registeredBy: 'sec-1', withdrawnBy: 'sec-1', withdrawalReason: 'letter of withdrawal' });
  });

  it('answers "a Partner at t?" in every chunk, at chunk boundaries, in the gaps, before and after', async () => {
    const view = await summary();
    const minute = 60_000;
    for (const k of [0, 1, 99, 100, 101, 199, 200, PERIODS - 2]) {
      expect((await membershipAt(readModels, view, new Date(periodFrom(k).getTime() + minute)))?.from).toBe(periodFrom(k).toISOString());
      // The period is half-open: at its withdrawal instant, and in the hour after, FAO is not a Partner.
      expect(await membershipAt(readModels, view, new Date(periodFrom(k).getTime() + HOUR))).toBeUndefined();
      expect(await membershipAt(readModels, view, new Date(periodFrom(k).getTime() + HOUR + 30 * minute))).toBeUndefined();
    }
    expect(await membershipAt(readModels, view, new Date(START - 1))).toBeUndefined();
    expect((await membershipAt(readModels, view, new Date('2030-01-01T00:00:00Z')))?.to).toBeNull();
    expect(await partnerAt(readModels, 'FAO', periodFrom(7))).toMatchObject({ partner: { partnerId: 'FAO' }, partnerNow: true });
    expect(await partnerAt(readModels, 'FAO', new Date(periodFrom(7).getTime() + HOUR))).toMatchObject({ partnerNow: false });
    expect(await partnerAt(readModels, 'WHO', periodFrom(7))).toBeUndefined();
  });

  it('reads only chunks that can hold an earlier period: none for a first period, chunk 0 alone for 101 periods', async () => {
    const view = await summary();
    const asked: string[] = [];
    const counting = { get: <T>(collection: string, id: string) => (asked.push(id), readModels.get<T>(collection, id)) };
    const first = { ...view, periodCount: 1, latestPeriod: { ...view.latestPeriod, from: periodFrom(0).toISOString() } };
    expect(await membershipAt(counting, first, new Date(START - 1))).toBeUndefined();
    expect((await withPeriods(counting, first)).periods).toHaveLength(1);
    expect(asked).toEqual([]);
    const hundredAndOne = { ...view, periodCount: PERIODS_PER_CHUNK + 1, latestPeriod: { ...view.latestPeriod, from: periodFrom(PERIODS_PER_CHUNK).toISOString() } };
    expect((await membershipAt(counting, hundredAndOne, periodFrom(0)))?.from).toBe(periodFrom(0).toISOString());
    expect((await withPeriods(counting, hundredAndOne)).periods).toHaveLength(PERIODS_PER_CHUNK + 1);
    expect(asked).toEqual([chunkId('FAO', 0), chunkId('FAO', 0)]);
  });

  it('a rebuild from position 0 gives the same documents as live projection, and clears stale ones', async () => {
    const file = path.join(dir, 'rebuilt.sqlite');
    const rebuilt = SqliteReadModelStore.open(file);
    try {
      // A stale chunk left from an earlier layout: the rebuild resets both collections the projection declares.
      await rebuilt.commit('partners', 0, 0, [{ collection: PARTNER_PERIODS_COLLECTION, id: 'GONE/000000', doc: { partnerId: 'GONE', chunk: 0, periods: [] } }]);
      await new Projector(events, rebuilt, [partnersProjection]).rebuild();
      for (const collection of [PARTNERS_COLLECTION, PARTNER_PERIODS_COLLECTION]) {
        expect(await rebuilt.entries(collection)).toEqual(await readModels.entries(collection));
      }
    } finally {
      await rebuilt.close();
    }
  });
});
