import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { ManualClock } from '../libs/kernel/clock.js';
import { startApi, type ApiHarness } from './support/api-harness.js';
import { ANNEX_II, bearer, inDays, registerPartners } from './support/ballots.js';
import { tempDir } from './support/temp-dir.js';
import { expectRefused } from './support/workplans.js';

/** Forms an ISO 8601 validator took and `Date` misreads or cannot read, or that name no instant at all. */
const MALFORMED = [
  '2027-W27-4', // a week date
  '2027-182', // an ordinal date
  '20270701T120000Z', // the basic format
  '2027-07-01T12Z', // hours only
  '2027-07-01T12:00:00,5Z', // a decimal comma
  '2027-07-01T12:00:00', // no offset: the server's own zone
  '2027-07-01', // a day, not an instant
  '9999-12-31T23:59:59Z', // out of range
  '2027-07-01T12:00:60Z', // a leap second
];

/**
 * Every instant the API takes, in a body or a query, is read by one strict rule (libs/kernel/instant.ts): each form
 * above is a 400 naming the field, never a 500 nor an answer for some other instant; deadlines too near or too far
 * are a 422 naming the field and the setting. A refused command appends nothing.
 */
describe('dates over HTTP', () => {
  const dir = tempDir();
  const clock = new ManualClock('2027-01-04T09:00:00.000Z');
  let api: ApiHarness;
  let secretariat: string;

  beforeAll(async () => {
    api = await startApi({ dir: dir.path, clock, ballotPollMs: 3_600_000 });
    secretariat = await bearer(api, 'sec-1', ['secretariat']);
    await registerPartners(api, secretariat, ANNEX_II.slice(0, 3));
    await request(api.server).post('/v1/workplans').set('Authorization', secretariat).send({ cycle: '2027', inputDeadline: inDays(clock.now(), 30) }).expect(201);
  }, 60_000);
  afterAll(async () => {
    await api.close();
    dir.remove();
  });

  const QUERIES: [string, string][] = [
    ['/v1/workplans', 'at'],
    ['/v1/workplans/2027', 'at'],
    ['/v1/offices', 'at'],
    ['/v1/offices/chair', 'at'],
    ['/v1/partners', 'at'],
    ['/v1/processes/workplan-2027', 'at'],
    ['/v1/processes/workplan-2027/history', 'at'],
    ['/v1/audit/export', 'from'],
    ['/v1/audit/export', 'to'],
  ];

  it.each(QUERIES)('GET %s?%s= refuses every malformed instant with 400 naming the parameter', async (path, parameter) => {
    for (const text of MALFORMED) {
      const response = await request(api.server).get(`${path}?${parameter}=${encodeURIComponent(text)}`).set('Authorization', secretariat);
      expect([text, response.status, response.headers['content-type']]).toEqual([text, 400, expect.stringMatching(/^application\/problem\+json/)]);
      expect(response.body.detail).toBe(`The request has 1 invalid field: ${parameter}.`);
      expect(response.body.errors).toEqual([{ field: parameter, messages: [expect.stringContaining(`${parameter} ${JSON.stringify(text)} `)] }]);
    }
  });

  it('answers a query at an instant written with any offset as at that instant in UTC', async () => {
    const utc = (await request(api.server).get('/v1/workplans/2027?at=2027-01-04T09:00:00Z').set('Authorization', secretariat).expect(200)).body;
    const tokyo = (await request(api.server).get(`/v1/workplans/2027?at=${encodeURIComponent('2027-01-04T18:00:00+09:00')}`).set('Authorization', secretariat).expect(200)).body;
    expect(tokyo).toEqual(utc);
    const before = await request(api.server).get(`/v1/workplans/2027?at=${encodeURIComponent('2027-01-04T17:59:59+09:00')}`).set('Authorization', secretariat);
    expect(before.status).toBe(404);
  });

  it('says what is wrong with each form, so a person can fix it', async () => {
    const message = async (text: string) =>
      ((await request(api.server).get(`/v1/partners?at=${encodeURIComponent(text)}`).set('Authorization', secretariat).expect(400)).body.errors[0].messages[0]) as string;
    expect(await message('2027-07-01T12:00:00')).toMatch(/no offset: add Z for UTC or an offset such as \+02:00/);
    expect(await message('2027-07-01T12:00:00,5Z')).toMatch(/decimal point, not a comma/);
    expect(await message('2027-07-01T12Z')).toMatch(/to the second/);
    expect(await message('9999-12-31T23:59:59Z')).toMatch(/year 9999 \(UTC\), outside 2000-2199/);
  });

  const openBallot = (closesAt: string) =>
    request(api.server)
      .post('/v1/ballots')
      .set('Authorization', secretariat)
      .send({ subject: { kind: 'other', title: 'Dates' }, question: 'Dates?', closesAt });

  it('refuses every malformed closesAt, inputDeadline and intentExpressedOn with 400 naming the field, appending nothing', async () => {
    for (const text of MALFORMED) {
      await expectRefused(api, () => openBallot(text), 400, /1 invalid field: closesAt/);
      await expectRefused(api, () => request(api.server).post('/v1/workplans').set('Authorization', secretariat).send({ cycle: '2028', inputDeadline: text }), 400, /1 invalid field: inputDeadline/);
      await expectRefused(api, () => request(api.server).post('/v1/workplans/2027/reopen-inputs').set('Authorization', secretariat).send({ inputDeadline: text, reason: 'x' }), 400, /1 invalid field: inputDeadline/);
    }
    for (const text of ['2026-W10-1', '2026-061', '20260302', '2026-02-30', '2026-03-02T00:00:00Z', '9999-01-01']) {
      await expectRefused(
        api,
        () => request(api.server).post('/v1/partners').set('Authorization', secretariat).send({ partnerId: 'UNDP', name: 'UNDP', entityType: 'fund-or-programme', intentReference: 'Letter', intentExpressedOn: text }),
        400,
        /1 invalid field: intentExpressedOn/,
      );
    }
  });

  it('refuses a ballot closing too soon or too far ahead with 422 naming closesAt and the setting, and takes one within the bounds', async () => {
    const now = clock.now().getTime();
    const at = (ms: number) => new Date(now + ms).toISOString();
    const soon = await expectRefused(api, () => openBallot(at(1000)), 422, /closesAt .* is only 1 second after the opening instant .*; the least is 1 hour \(U4SSC_BALLOT_MIN_LEAD_SECONDS\)/);
    expect(soon.body).toMatchObject({ field: 'closesAt', clauses: ['¶13(b)'] });
    await expectRefused(api, () => openBallot(at(0)), 422, /closesAt .* is not after the opening instant/);
    await expectRefused(api, () => openBallot(at(367 * 86_400_000)), 422, /closesAt .* is 367 days after .*; the most is 366 days \(U4SSC_BALLOT_MAX_LEAD_DAYS\)/);
    expect((await openBallot(at(3_600_000))).status).toBe(201);
    expect((await openBallot(at(366 * 86_400_000))).status).toBe(201);
  });

  it('refuses a workplan input deadline not in the future or beyond two years with 422 naming inputDeadline', async () => {
    const now = clock.now().getTime();
    const open = (inputDeadline: string) => request(api.server).post('/v1/workplans').set('Authorization', secretariat).send({ cycle: '2029', inputDeadline });
    await expectRefused(api, () => open(new Date(now).toISOString()), 422, /inputDeadline .* is not after now/, { field: 'inputDeadline' });
    await expectRefused(api, () => open(new Date(now + 732 * 86_400_000).toISOString()), 422, /inputDeadline .* the most is 731 days \(U4SSC_WORKPLAN_MAX_LEAD_DAYS\)/, { field: 'inputDeadline' });
    const reopen = (inputDeadline: string) => request(api.server).post('/v1/workplans/2027/reopen-inputs').set('Authorization', secretariat).send({ inputDeadline, reason: 'x' });
    await expectRefused(api, () => reopen(new Date(now + 800 * 86_400_000).toISOString()), 422, /U4SSC_WORKPLAN_MAX_LEAD_DAYS/, { field: 'inputDeadline' });
    const opened = await open('2027-03-01T09:00:00+01:00').expect(201);
    expect(opened.body).toBeDefined();
    const cycle = (await request(api.server).get('/v1/workplans/2029').set('Authorization', secretariat).expect(200)).body;
    expect(cycle.inputDeadline).toBe('2027-03-01T08:00:00.000Z');
  });
});
