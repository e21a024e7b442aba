import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { verifyBundle } from '../libs/audit/index.js';
import { ManualClock } from '../libs/kernel/clock.js';
import { startApi, type ApiHarness } from './support/api-harness.js';
import { ANNEX_II, bearer, inDays, registerPartners, representativeOf } from './support/ballots.js';
import { assertBuilt, runCli } from './support/cli.js';
import { tempDir } from './support/temp-dir.js';

/**
 * Issue 6 over a finished ballot (ToR ¶13(b), ¶19) on a SQLite file: the API's replay at past instants and the
 * CLI's `replay --at` both give what the API answered at those instants during the run; the ballot's history
 * names each vote's representative and the Partner they spoke for; verify and a bundle replay it through the
 * ballot machine.
 */
describe('auditing a finished ballot (SQLite file)', () => {
  const dir = tempDir();
  const clock = new ManualClock('2026-05-04T08:00:00.000Z');
  let api: ApiHarness;
  let auditor: string;
  let stream: string;
  const answered: { at: string; body: Record<string, unknown> }[] = [];

  async function step(at: string, act: () => Promise<unknown>): Promise<void> {
    clock.set(at);
    await act();
    const now = await request(api.server).get(`/v1/processes/${stream}`).set('Authorization', auditor).expect(200);
    answered.push({ at, body: now.body });
  }

  beforeAll(async () => {
    assertBuilt();
    api = await startApi({ dir: dir.path, clock, ballotPollMs: 3_600_000 });
    const secretariat = await bearer(api, 'sec-bueti', ['secretariat']);
    auditor = await bearer(api, 'aud-1', ['auditor']);
    await registerPartners(api, secretariat, ANNEX_II.slice(0, 5));
    const vote = async (org: string, choice: string) => {
      const response = await request(api.server).post(`/v1/ballots/${stream.slice('ballot-'.length)}/votes`).set('Authorization', await representativeOf(api, org)).send({ choice });
      expect(response.status).toBe(201);
    };
    clock.set('2026-05-04T09:00:00.000Z');
    const opened = await request(api.server)
      .post('/v1/ballots')
      .set('Authorization', secretariat)
      .send({ subject: { kind: 'workplan', reference: 'workplan-2026', title: 'U4SSC workplan 2026' }, question: 'Agree?', closesAt: inDays(clock.now(), 14) })
      .expect(201);
    stream = opened.body.stream;
    answered.push({ at: '2026-05-04T09:00:00.000Z', body: (await request(api.server).get(`/v1/processes/${stream}`).set('Authorization', auditor).expect(200)).body });
    await step('2026-05-05T09:00:00.000Z', () => vote('ITU', 'yes'));
    await step('2026-05-06T09:00:00.000Z', () => vote('FAO', 'no'));
    await step('2026-05-07T09:00:00.000Z', () => vote('FAO', 'yes'));
    await step('2026-05-08T09:00:00.000Z', () => vote('UNECE', 'yes'));
    await step('2026-05-09T09:00:00.000Z', () =>
      request(api.server).post(`/v1/ballots/${stream.slice('ballot-'.length)}/close`).set('Authorization', secretariat).send({ reason: 'Needed before the Annual Meeting' }).expect(200),
    );
  });
  afterAll(async () => {
    await api?.close();
    dir.remove();
  });

  const comparable = ({ asOf: _asOf, events: _events, ...rest }: Record<string, unknown>) => rest;

  it('moved through open to approved during the run', () => {
    expect(answered.map((a) => a.body.state)).toEqual(['open', 'open', 'open', 'open', 'open', 'approved']);
    expect(answered[0]!.body).toMatchObject({ machine: { id: 'ballot', version: 1 }, done: false });
    expect(answered.at(-1)!.body).toMatchObject({ done: true, next: [] });
  });

  it('answers over HTTP, for each instant of the run, what it answered then', async () => {
    for (const { at, body } of answered) {
      const then = await request(api.server).get(`/v1/processes/${stream}?at=${encodeURIComponent(at)}`).set('Authorization', auditor).expect(200);
      expect(comparable(then.body)).toEqual(comparable(body));
    }
  });

  it('answers the same through `u4ssc replay --at`', () => {
    for (const { at, body } of [answered[0]!, answered[2]!, answered.at(-1)!]) {
      const result = runCli(['replay', stream, '--at', at, '--json'], { U4SSC_STORE: 'sqlite', U4SSC_SQLITE_FILE: api.config.sqliteFile });
      expect(result.status).toBe(0);
      const { history: _history, ...replay } = JSON.parse(result.stdout);
      expect(comparable(replay)).toEqual(comparable(body));
    }
  });

  it('names each vote’s representative and the Partner they spoke for, under the clause applied', async () => {
    const history = await request(api.server).get(`/v1/processes/${stream}/history`).set('Authorization', auditor).expect(200);
    const votes = history.body.events.filter((e: { type: string }) => e.type === 'VoteCast' || e.type === 'VoteChanged');
    expect(votes.map((e: { actor: { id: string }; capacity: object; occurredAt: string }) => [e.actor.id, e.capacity, e.occurredAt])).toEqual([
      ['rep-ITU', { role: 'partner', org: 'ITU' }, '2026-05-05T09:00:00.000Z'],
      ['rep-FAO', { role: 'partner', org: 'FAO' }, '2026-05-06T09:00:00.000Z'],
      ['rep-FAO', { role: 'partner', org: 'FAO' }, '2026-05-07T09:00:00.000Z'],
      ['rep-UNECE', { role: 'partner', org: 'UNECE' }, '2026-05-08T09:00:00.000Z'],
    ]);
    for (const entry of votes) expect(entry.clauses.length).toBeGreaterThan(0);
  });

  it('verifies the log through the ballot machine, and exports a bundle that does too', async () => {
    const report = await request(api.server).get('/v1/audit/verify').set('Authorization', auditor).expect(200);
    expect(report.body.ok).toBe(true);
    expect(report.body.machines).toEqual(expect.arrayContaining([expect.objectContaining({ id: 'ballot', version: 1 })]));
    const bundle = await request(api.server).get(`/v1/audit/export?stream=${stream}`).set('Authorization', auditor).buffer(true).parse((res, done) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => done(null, body));
    });
    const checked = await verifyBundle((bundle.body as string).split('\n'));
    expect(checked).toMatchObject({ ok: true, log: { machines: [expect.objectContaining({ id: 'ballot' })] } });
  });
});
