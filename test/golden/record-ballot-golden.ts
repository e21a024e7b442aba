import { GOLDEN_SIGNING_KEY } from './golden-signing-key.js';
import request from 'supertest';
import { engineVersion } from '../../libs/audit/index.js';
import { ManualClock } from '../../libs/kernel/clock.js';
import { startApi } from '../support/api-harness.js';
import { ANNEX_II } from '../support/ballots.js';
import { GOLDEN_FORMAT, goldenText } from './golden-log.js';
import { recordEntries } from './record-entries.js';

export const BALLOT_GOLDEN = 'ballot-lifecycle';

/**
 * A real run of Partners Board ballots (ToR ¶13(b), ¶19) through the HTTP API, with a manual clock and fixed
 * Idempotency-Keys (ballot ids and event ids derive from them): one approved after a changed vote, one withdrawn.
 */
export async function recordBallotGolden(): Promise<string> {
  const clock = new ManualClock('2026-05-04T08:00:00.000Z');
  const api = await startApi({ store: 'memory', clock, ballotPollMs: 3_600_000, env: { U4SSC_SIGNING_KEY: GOLDEN_SIGNING_KEY } });
  try {
    const token = async (sub: string, roles: Parameters<typeof api.token>[1], org?: string) => `Bearer ${await api.token(sub, roles, org ? { org } : {})}`;
    const secretariat = await token('sec-bueti', ['secretariat']);
    const auditor = await token('aud-1', ['auditor']);
    const record = recordEntries(api, auditor);
    const post = async (at: string, key: string, path: string, auth: string, body: object, status: number) => {
      clock.set(at);
      await request(api.server).post(path).set('Authorization', auth).set('Idempotency-Key', key).send(body).expect(status);
      await record();
    };
    for (const [index, partner] of ANNEX_II.slice(0, 4).entries()) {
      await post('2026-05-04T08:00:00.000Z', `golden-partner-${index}`, '/v1/partners', secretariat, { ...partner, intentReference: 'Listed in ToR Annex II' }, 201);
    }
    const open = async (at: string, key: string, title: string) => {
      clock.set(at);
      const opened = await request(api.server)
        .post('/v1/ballots')
        .set('Authorization', secretariat)
        .set('Idempotency-Key', key)
        .send({ subject: { kind: 'workplan', reference: 'workplan-2026', title }, question: `Do the Partners agree to the ${title}?`, closesAt: '2026-05-20T12:00:00.000Z' })
        .expect(201);
      await record();
      return `/v1/ballots/${opened.body.resource.ballotId as string}`;
    };
    const [itu, unece, cbd, fao] = await Promise.all(ANNEX_II.slice(0, 4).map(({ partnerId }) => token(`rep-${partnerId}`, ['partner'], partnerId)));
    const first = await open('2026-05-04T09:00:00.000Z', 'golden-open-1', 'U4SSC workplan 2026');
    await post('2026-05-05T09:00:00.000Z', 'golden-vote-1', `${first}/votes`, itu!, { choice: 'yes' }, 201);
    await post('2026-05-06T09:00:00.000Z', 'golden-vote-2', `${first}/votes`, fao!, { choice: 'no' }, 201);
    await post('2026-05-07T09:00:00.000Z', 'golden-vote-3', `${first}/votes`, fao!, { choice: 'yes' }, 201);
    await post('2026-05-08T09:00:00.000Z', 'golden-vote-4', `${first}/votes`, cbd!, { choice: 'abstain' }, 201);
    await post('2026-05-08T10:00:00.000Z', 'golden-vote-5', `${first}/votes`, unece!, { choice: 'yes' }, 201);
    const second = await open('2026-05-09T09:00:00.000Z', 'golden-open-2', 'U4SSC workplan 2026 (revised)');
    await post('2026-05-09T10:00:00.000Z', 'golden-vote-6', `${second}/votes`, itu!, { choice: 'no' }, 201);
    await post('2026-05-10T09:00:00.000Z', 'golden-withdraw-2', `${second}/withdraw`, secretariat, { reason: 'Superseded by the first ballot' }, 200);
    return goldenText(
      {
        golden: GOLDEN_FORMAT,
        name: BALLOT_GOLDEN,
        description: 'Partners Board ballots (ToR ¶13(b), ¶19): four Partners; a workplan ballot with a changed vote, closed early once all voted; a second ballot withdrawn',
        recordedWith: engineVersion(),
      },
      record.entries,
    );
  } finally {
    await api.close();
  }
}
