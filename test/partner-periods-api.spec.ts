import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { ManualClock } from '../libs/kernel/clock.js';
import { PARTNER_PERIODS_COLLECTION, PARTNERS_COLLECTION, type MembershipPeriodView } from '../libs/partners/index.js';
import { startApi, type ApiHarness } from './support/api-harness.js';
import { tempDir } from './support/temp-dir.js';

const HOUR = 3_600_000;
const START = Date.parse('2026-01-01T00:00:00.000Z');
/** Period k runs from START + 2k hours for one hour; in the hour after it, ITU is not a Partner. */
const from = (k: number) => new Date(START + 2 * k * HOUR).toISOString();
const to = (k: number) => new Date(START + (2 * k + 1) * HOUR).toISOString();
const PERIODS = 250;

const itu = { partnerId: 'ITU', name: 'International Telecommunication Union', entityType: 'specialized-agency', intentReference: 'Letter' };

/**
 * A Partner that left and came back 250 times (three chunks of periods), through the real API on a SQLite file:
 * every period answered in order, `?at=` in an early period, and command answers that do not carry the history.
 */
describe('Partner register over HTTP with a long membership history (ToR ¶12)', () => {
  const dir = tempDir();
  const clock = new ManualClock(from(0));
  let api: ApiHarness;
  let secretariat: string;
  let auditor: string;
  const summarySizes: number[] = [];
  const answerSizes: number[] = [];

  beforeAll(async () => {
    api = await startApi({ dir: dir.path, clock });
    secretariat = `Bearer ${await api.token('sec-bueti', ['secretariat'])}`;
    auditor = `Bearer ${await api.token('aud-1', ['auditor'])}`;
    await request(api.server).post('/v1/partners').set('Authorization', secretariat).send({ ...itu, partnerId: 'FAO', name: 'FAO' }).expect(201);
    for (let k = 0; k < PERIODS; k += 1) {
      clock.set(from(k));
      const registered = await request(api.server).post('/v1/partners').set('Authorization', secretariat).send(itu).expect(201);
      if (k === 1 || k === PERIODS - 1) {
        answerSizes.push(JSON.stringify(registered.body).length);
        summarySizes.push(JSON.stringify(await api.stores.readModels.get(PARTNERS_COLLECTION, 'ITU')).length);
      }
      if (k === PERIODS - 1) break;
      clock.set(to(k));
      await request(api.server).post('/v1/partners/ITU/withdraw').set('Authorization', secretariat).send({ reason: `Letter ${k}` }).expect(200);
    }
  }, 120_000);
  afterAll(async () => {
    await api?.close();
    dir.remove();
  });

  it('answers every membership period, oldest first, from GET /v1/partners/{id}', async () => {
    const response = await request(api.server).get('/v1/partners/ITU').set('Authorization', auditor).expect(200);
    expect(response.body).toMatchObject({ partnerId: 'ITU', status: 'registered', periodCount: PERIODS, latestPeriod: { from: from(PERIODS - 1), to: null } });
    const periods = response.body.periods as MembershipPeriodView[];
    expect(periods.map((period) => [period.from, period.to])).toEqual(
      Array.from({ length: PERIODS }, (_, k) => [from(k), k === PERIODS - 1 ? null : to(k)]),
    );
    expect(periods[120]).toMatchObject({ registeredBy: 'sec-bueti', withdrawnBy: 'sec-bueti', withdrawalReason: 'Letter 120' });
  });

  it('answers who was a Partner at an instant in an early period, and in a gap, with the period then in force', async () => {
    const early = await request(api.server).get(`/v1/partners?at=${encodeURIComponent(from(3))}`).set('Authorization', auditor).expect(200);
    expect(early.body.map((partner: { partnerId: string }) => partner.partnerId)).toEqual(['FAO', 'ITU']);
    expect(early.body[1]).toMatchObject({ partnerId: 'ITU', periodAt: { from: from(3), to: to(3), withdrawalReason: 'Letter 3' } });
    expect(early.body[1]).not.toHaveProperty('periods');
    // At the withdrawal instant the period has ended (periods are half-open), and across the chunk boundary.
    for (const k of [3, 99, 100, 200]) {
      const gap = await request(api.server).get(`/v1/partners?at=${encodeURIComponent(to(k))}`).set('Authorization', auditor).expect(200);
      expect(gap.body.map((partner: { partnerId: string }) => partner.partnerId)).toEqual(['FAO']);
    }
    const boundary = await request(api.server).get(`/v1/partners?at=${encodeURIComponent(from(100))}`).set('Authorization', auditor).expect(200);
    expect(boundary.body[1]).toMatchObject({ partnerId: 'ITU', periodAt: { from: from(100), to: to(100) } });
  });

  it('answers a command with the summary and the latest period, not the history; the document stays small', async () => {
    const withdrawn = await request(api.server).post('/v1/partners/ITU/withdraw').set('Authorization', secretariat).send({ reason: 'Final letter' }).expect(200);
    expect(withdrawn.body.resource).toEqual({
      partnerId: 'ITU',
      name: itu.name,
      entityType: 'specialized-agency',
      status: 'withdrawn',
      periodCount: PERIODS,
      latestPeriod: { from: from(PERIODS - 1), to: clock.now().toISOString(), intentReference: 'Letter', registeredBy: 'sec-bueti', withdrawnBy: 'sec-bueti', withdrawalReason: 'Final letter' },
      revision: 2 * PERIODS - 1,
      position: expect.any(Number),
    });
    // From period 2 to period 250 only digits of counts and positions grow.
    expect(answerSizes[1]! - answerSizes[0]!).toBeLessThan(20);
    expect(summarySizes[1]! - summarySizes[0]!).toBeLessThan(10);
    const chunks = await api.stores.readModels.entries<{ periods: unknown[] }>(PARTNER_PERIODS_COLLECTION);
    expect(chunks.map((chunk) => [chunk.id, chunk.doc.periods.length])).toEqual([
      // A latest period is in its summary only: FAO's one period, ITU's 250th.
      ['ITU/000000', 100],
      ['ITU/000001', 100],
      ['ITU/000002', 49],
    ]);
  });
});
