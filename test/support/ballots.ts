import { readFileSync } from 'node:fs';
import { expect } from '@jest/globals';
import request from 'supertest';
import type { ApiHarness } from './api-harness.js';

/** The 17 Partners of ToR Annex II, from the fixture the CLI loads (what the register command takes of each). */
export const ANNEX_II: { partnerId: string; name: string; entityType: string }[] = (
  JSON.parse(readFileSync('fixtures/annex-ii-partners.json', 'utf8')) as { partners: { partnerId: string; name: string; entityType: string }[] }
).partners.map(({ partnerId, name, entityType }) => ({ partnerId, name, entityType }));

export const bearer = async (api: ApiHarness, sub: string, roles: Parameters<ApiHarness['token']>[1], org?: string) =>
  `Bearer ${await api.token(sub, roles, org ? { org } : {})}`;

/** A representative's token for a Partner. */
export const representativeOf = (api: ApiHarness, org: string) => bearer(api, `rep-${org}`, ['partner'], org);

/** Registers Partners over HTTP, as the Secretariat does. */
export async function registerPartners(api: ApiHarness, secretariat: string, partners = ANNEX_II): Promise<void> {
  for (const partner of partners) {
    await request(api.server)
      .post('/v1/partners')
      .set('Authorization', secretariat)
      .send({ ...partner, intentReference: 'Listed in ToR Annex II' })
      .expect(201);
  }
}

export interface OpenBody {
  subject?: { kind: string; reference?: string; title: string };
  question?: string;
  closesAt: string;
  channel?: string;
  rules?: object;
  rulesReason?: string;
}

/** Opens a ballot and answers its id (the subject defaults to a workplan). */
export async function openBallot(api: ApiHarness, secretariat: string, body: OpenBody): Promise<string> {
  const response = await request(api.server)
    .post('/v1/ballots')
    .set('Authorization', secretariat)
    .send({ subject: { kind: 'workplan', reference: 'workplan-2026', title: 'U4SSC workplan 2026' }, question: 'Do the Partners agree to the workplan 2026?', ...body });
  expect(response.status).toBe(201);
  return response.body.resource.ballotId as string;
}

export const inDays = (now: Date, days: number) => new Date(now.getTime() + days * 86_400_000).toISOString();

/** Waits until `check` holds (polling every 50 ms), failing after `timeoutMs`: for work done in the background. */
export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 10_000, what = 'the condition'): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} did not hold within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
