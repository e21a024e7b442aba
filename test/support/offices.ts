import { expect } from '@jest/globals';
import request from 'supertest';
import type { Clock } from '../../libs/kernel/clock.js';
import type { OfficeSettings } from '../../libs/offices/index.js';
import { startApi, type ApiHarness } from './api-harness.js';
import { openBallot, representativeOf } from './ballots.js';

const DAY = 86_400_000;

/**
 * The real API on a SQLite file, as `startApi` builds it, with the office settings given: the suites move a
 * ManualClock and call the schedulers' `runOnce()` themselves, so both schedulers poll only once a day.
 */
export function startOfficesApi(options: { dir: string; clock: Clock; offices?: Partial<OfficeSettings> }): Promise<ApiHarness> {
  return startApi({ dir: options.dir, clock: options.clock, ballotPollMs: DAY, offices: { pollMs: DAY, ...options.offices } });
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
