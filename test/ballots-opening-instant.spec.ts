import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { ManualClock } from '../libs/kernel/clock.js';
import { startApi, type ApiHarness } from './support/api-harness.js';
import { ANNEX_II, bearer, inDays, registerPartners } from './support/ballots.js';
import { tempDir } from './support/temp-dir.js';

/** Moves on by a millisecond at every reading, as a real clock does between two readings: two readings never agree. */
class TickingClock extends ManualClock {
  override now(): Date {
    const at = super.now();
    this.advance(1);
    return at;
  }
}

describe('a ballot freezes its electorate at its opening instant (ToR ¶13, ¶13(b))', () => {
  const dir = tempDir();
  const clock = new TickingClock('2026-05-04T08:00:00.000Z');
  let api: ApiHarness;
  let secretariat: string;

  beforeAll(async () => {
    api = await startApi({ dir: dir.path, clock, ballotPollMs: 3_600_000, offices: { pollMs: 3_600_000 } });
    secretariat = await bearer(api, 'sec-bueti', ['secretariat']);
    await registerPartners(api, secretariat, ANNEX_II.slice(0, 2));
  });
  afterAll(async () => {
    await api?.close();
    dir.remove();
  });

  it('counts a Partner registered at the very instant of the opening, and records electorateAsOf === opensAt', async () => {
    const fao = ANNEX_II.find((partner) => partner.partnerId === 'FAO')!;
    await registerPartners(api, secretariat, [fao]);
    const [registered] = await api.stores.events.readStream('partner-FAO');
    const registeredAt = registered!.metadata.occurredAt;
    // The opening reads the clock at the instant FAO's registration carries.
    clock.set(registeredAt);

    const response = await request(api.server)
      .post('/v1/ballots')
      .set('Authorization', secretariat)
      .send({ subject: { kind: 'other', title: 'Logo use' }, question: 'Agree?', closesAt: inDays(new Date(registeredAt), 7) })
      .expect(201);

    const { resource } = response.body;
    expect(resource.electorate).toContain('FAO');
    expect(resource.electorate).toHaveLength(3);
    expect(resource.electorateAsOf).toBe(resource.opensAt);
    expect(Date.parse(resource.opensAt)).toBeGreaterThanOrEqual(Date.parse(registeredAt));
    const [drafted, opened] = await api.stores.events.readStream(response.body.stream);
    expect(opened!.data).toMatchObject({ electorateAsOf: opened!.metadata.occurredAt });
    expect(drafted!.metadata.occurredAt).toBe(opened!.metadata.occurredAt);
  });
});
