import { GOLDEN_SIGNING_KEY } from './golden-signing-key.js';
import request from 'supertest';
import { engineVersion } from '../../libs/audit/index.js';
import { ManualClock } from '../../libs/kernel/clock.js';
import { startApi } from '../support/api-harness.js';
import { GOLDEN_FORMAT, goldenText } from './golden-log.js';
import { recordEntries } from './record-entries.js';

export const PARTNER_GOLDEN = 'partner-lifecycle';

/**
 * A real run of the Partner process through the HTTP API (controllers, DTOs, decide steps, runner, memory
 * store) with a manual clock and fixed Idempotency-Keys (command ids derive from them): the same log every time.
 * After each step it asks GET /v1/processes/{stream}?position= what the state was after each new event.
 */
export async function recordPartnerGolden(): Promise<string> {
  const clock = new ManualClock('2026-01-10T09:00:00.000Z');
  const api = await startApi({ store: 'memory', clock, env: { U4SSC_SIGNING_KEY: GOLDEN_SIGNING_KEY } });
  try {
    const secretariat = `Bearer ${await api.token('sec-bueti', ['secretariat'], { name: 'Secretariat officer' })}`;
    const auditor = `Bearer ${await api.token('aud-1', ['auditor'])}`;
    const record = recordEntries(api, auditor);
    const step = async (at: string, key: string, path: string, body: object, status: number) => {
      clock.set(at);
      await request(api.server).post(path).set('Authorization', secretariat).set('Idempotency-Key', key).send(body).expect(status);
      await record();
    };
    const partner = (partnerId: string, name: string, entityType = 'specialized-agency') => ({
      partnerId,
      name,
      entityType,
      intentReference: `Letter of intent from ${partnerId}`,
    });
    await step('2026-01-10T09:00:00.000Z', 'golden-1', '/v1/partners', { ...partner('FAO', 'Food and Agriculture Organization of the United Nations'), intentExpressedOn: '2026-01-05' }, 201);
    await step('2026-01-11T09:00:00.000Z', 'golden-2', '/v1/partners', partner('ITU', 'International Telecommunication Union'), 201);
    await step('2026-01-12T09:00:00.000Z', 'golden-3', '/v1/partners', partner('UN-Habitat', 'United Nations Human Settlements Programme', 'fund-or-programme'), 201);
    await step('2026-01-13T09:00:00.000Z', 'golden-4', '/v1/partners', partner('ACME', 'Acme Smart Cities Ltd', 'private-sector'), 422);
    await step('2026-04-01T09:00:00.000Z', 'golden-5', '/v1/partners/FAO/withdraw', { reason: 'Letter of withdrawal of 2026-03-28' }, 200);
    await step('2026-04-02T09:00:00.000Z', 'golden-6', '/v1/partners/FAO/withdraw', { reason: 'Sent twice' }, 409);
    await step('2026-09-15T09:00:00.000Z', 'golden-7', '/v1/partners', partner('FAO', 'Food and Agriculture Organization of the United Nations'), 201);
    await step('2026-10-01T09:00:00.000Z', 'golden-8', '/v1/partners/UN-Habitat/withdraw', { reason: 'Programme restructured' }, 200);
    await step('2027-02-01T09:00:00.000Z', 'golden-9', '/v1/partners', partner('UN-Habitat', 'United Nations Human Settlements Programme', 'fund-or-programme'), 201);
    return goldenText(
      {
        golden: GOLDEN_FORMAT,
        name: PARTNER_GOLDEN,
        description: 'Partner membership (ToR ¶12, Annex II): registrations, a refused non-UN entity, withdrawals (one refused as repeated), re-registrations',
        recordedWith: engineVersion(),
      },
      record.entries,
    );
  } finally {
    await api.close();
  }
}
