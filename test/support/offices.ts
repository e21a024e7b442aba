import { join } from 'node:path';
import { expect } from '@jest/globals';
import request from 'supertest';
import { issueLocalToken } from '../../libs/auth/index.js';
import { loadConfig } from '../../libs/config/index.js';
import { openStores } from '../../libs/engine/index.js';
import type { Clock } from '../../libs/kernel/clock.js';
import type { OfficeSettings } from '../../libs/offices/index.js';
import { createApi } from '../../apps/api/create-api.js';
import { TEST_SECRET, type ApiHarness } from './api-harness.js';
import { openBallot, representativeOf } from './ballots.js';

const DAY = 86_400_000;

/**
 * The real API on a SQLite file, as `startApi` builds it, with the office settings given: the suites move a
 * ManualClock and call the schedulers' `runOnce()` themselves, so both schedulers poll only once a day.
 */
export async function startOfficesApi(options: { dir: string; clock: Clock; offices?: Partial<OfficeSettings> }): Promise<ApiHarness> {
  const config = loadConfig({ U4SSC_STORE: 'sqlite', U4SSC_SQLITE_FILE: join(options.dir, 'u4ssc.sqlite'), U4SSC_TOKEN_SECRET: TEST_SECRET });
  const stores = await openStores(config);
  const app = await createApi({ config, stores, clock: options.clock, quiet: true, ballotPollMs: DAY, offices: { pollMs: DAY, ...options.offices } });
  await app.init();
  return {
    app,
    server: app.getHttpServer(),
    config,
    stores,
    token: (sub, roles, extra = {}) => issueLocalToken(TEST_SECRET, { sub, roles, org: extra.org, name: extra.name }, { expiresIn: extra.expiresIn ?? '1h' }),
    close: () => app.close(),
  };
}

/**
 * A Partners Board ballot on the appointment of `personId` to `seat` (`office:<seat>:<person>`), opened by the
 * Secretariat and decided by the votes given (each Partner's representative votes; appointment ballots close once
 * all have voted). Answers the ballot id.
 */
export async function decidedAppointmentBallot(
  api: ApiHarness,
  secretariat: string,
  seat: string,
  personId: string,
  votes: Record<string, 'yes' | 'no' | 'abstain'>,
  options: { channel?: 'electronic' | 'meeting'; closesAt: string },
): Promise<string> {
  const ballotId = await openBallot(api, secretariat, {
    subject: { kind: 'appointment', reference: `office:${seat}:${personId}`, title: `Appointment of ${personId} to ${seat}` },
    question: `Does the Partners Board appoint ${personId} to ${seat}?`,
    closesAt: options.closesAt,
    ...(options.channel ? { channel: options.channel } : {}),
  });
  for (const [org, choice] of Object.entries(votes)) {
    await request(api.server).post(`/v1/ballots/${ballotId}/votes`).set('Authorization', await representativeOf(api, org)).send({ choice }).expect(201);
  }
  return ballotId;
}

/** Sends a request that must be refused with `status` and append nothing; answers the problem document. */
export async function expectRefused(api: ApiHarness, send: () => PromiseLike<request.Response>, status: number, detail?: RegExp, fields: object = {}): Promise<Record<string, unknown>> {
  const before = await api.stores.events.headPosition();
  const response = await send();
  expect([response.status, response.body.detail]).toEqual([status, expect.anything()]);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  if (detail) expect(response.body.detail).toMatch(new RegExp(detail.source, 'i'));
  expect(response.body).toMatchObject(fields);
  expect(await api.stores.events.headPosition()).toBe(before);
  return response.body as Record<string, unknown>;
}
