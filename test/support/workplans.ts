import { createHash } from 'node:crypto';
import { expect } from '@jest/globals';
import { CommandBus } from '@nestjs/cqrs';
import request from 'supertest';
import { newId } from '../../libs/kernel/ids.js';
import { ImportHolderCommand } from '../../libs/offices/index.js';
import type { ApiHarness } from './api-harness.js';

export const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

/**
 * Records an office holder already serving at go-live through the offices' bootstrap import (an imported
 * historical decision, marked as such), as the Secretariat does: the workplan reads the office register it feeds.
 */
export async function importOfficeHolder(api: ApiHarness, seat: string, holderId: string, termStart: string): Promise<void> {
  await api.app.get(CommandBus).execute(
    new ImportHolderCommand(
      { seat, holderId, holderName: `Name of ${holderId}`, termStart, reference: `Partners Board minutes appointing ${holderId}` },
      { commandId: newId(), actor: { id: 'sec-import', role: 'secretariat' } },
    ),
  );
}

/** A POST on a cycle, with the caller's bearer token. */
export const postOn = (api: ApiHarness, cycle: string, command: string, auth: string, body: object) =>
  request(api.server).post(`/v1/workplans/${cycle}/${command}`).set('Authorization', auth).send(body);

export const getCycle = async (api: ApiHarness, cycle: string, auth: string, at?: string) =>
  (await request(api.server).get(`/v1/workplans/${cycle}${at ? `?at=${encodeURIComponent(at)}` : ''}`).set('Authorization', auth).expect(200)).body;

/** A refusal: the status, a problem+json whose detail matches, and nothing appended to the log. */
export async function expectRefused(api: ApiHarness, send: () => request.Test | Promise<request.Response>, status: number, detail?: RegExp, fields: object = {}) {
  const before = await api.stores.events.headPosition();
  const response = await send();
  expect([response.status, response.body.detail]).toEqual([status, expect.anything()]);
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
  if (detail) expect(response.body.detail).toMatch(new RegExp(detail.source, 'i'));
  expect(response.body).toMatchObject(fields);
  expect(await api.stores.events.headPosition()).toBe(before);
  return response;
}

/** Tokens for the people of a cycle: the Secretariat, Partners' representatives, and the office holders. */
export interface Cast {
  secretariat: string;
  chair: string;
  leader: string;
  rep: Record<string, string>;
}

/**
 * Drives a cycle over HTTP to `presented` (opened, one input per given Partner and the Leader's, compiled once,
 * endorsed by the Chair, presented), moving the clock past the deadline. Answers the ids of the inputs.
 */
export async function cycleToPresented(api: ApiHarness, clock: { now(): Date; advance(ms: number): void }, cycle: string, cast: Cast, partners: string[], until: 'underReview' | 'presented' = 'presented'): Promise<string[]> {
  const ok = async (send: () => request.Test, status = 200) => {
    const response = await send();
    expect([response.status, response.body.detail]).toEqual([status, undefined]);
    return response.body;
  };
  await ok(() => request(api.server).post('/v1/workplans').set('Authorization', cast.secretariat).send({ cycle, inputDeadline: new Date(clock.now().getTime() + 7 * 86_400_000).toISOString() }), 201);
  for (const partnerId of partners) await ok(() => postOn(api, cycle, 'inputs', cast.rep[partnerId]!, { title: `${partnerId} ${cycle}`, text: `${partnerId} input for ${cycle}` }), 201);
  const last = await ok(() => postOn(api, cycle, 'inputs', cast.leader, { title: `KPI ${cycle}`, text: `KPI input for ${cycle}` }), 201);
  clock.advance(8 * 86_400_000);
  await ok(() => postOn(api, cycle, 'compile', cast.secretariat, { text: `workplan ${cycle} v1` }));
  if (until === 'presented') {
    await ok(() => postOn(api, cycle, 'review', cast.chair, { decision: 'endorse' }));
    await ok(() => postOn(api, cycle, 'present', cast.secretariat, { meeting: `Annual Meeting before ${cycle}` }));
  }
  return (last.resource.inputs as { inputId: string }[]).map((input) => input.inputId);
}
