import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { verifyBundle } from '../libs/audit/index.js';
import { LeaderTasks } from '../libs/engine/index.js';
import { ManualClock } from '../libs/kernel/clock.js';
import { startApi, type ApiHarness } from './support/api-harness.js';
import { tempDir } from './support/temp-dir.js';

/**
 * The auditors' endpoints over HTTP on a SQLite file (issue 6): replay at an instant or a position answers what
 * the API answered at that instant during the run; verify and export; who may read them.
 */
describe('auditors over HTTP (SQLite file)', () => {
  const dir = tempDir();
  const clock = new ManualClock('2026-03-02T09:00:00.000Z');
  let api: ApiHarness;
  let auditor: string;
  let secretariat: string;
  /** What GET /v1/processes/partner-FAO answered right after each step, and when. */
  const answered: { at: string; position: number; body: Record<string, unknown> }[] = [];

  const fao = {
    partnerId: 'FAO',
    name: 'Food and Agriculture Organization of the United Nations',
    entityType: 'specialized-agency',
    intentReference: 'Letter to the Secretariat, 2026-03-02',
  };

  async function step(at: string, post: () => request.Test): Promise<void> {
    clock.set(at);
    await post().expect((response) => expect(response.status).toBeLessThan(300));
    const now = await request(api.server).get('/v1/processes/partner-FAO').set('Authorization', auditor).expect(200);
    answered.push({ at, position: await api.stores.events.headPosition(), body: now.body });
  }

  beforeAll(async () => {
    api = await startApi({ dir: dir.path, clock });
    auditor = `Bearer ${await api.token('aud-1', ['auditor'], { name: 'External auditor' })}`;
    secretariat = `Bearer ${await api.token('sec-bueti', ['secretariat'], { name: 'Secretariat officer' })}`;
    const post = (path: string, body: object) => () => request(api.server).post(path).set('Authorization', secretariat).send(body);
    await step('2026-03-02T09:00:00.000Z', post('/v1/partners', fao));
    await step('2026-03-03T09:00:00.000Z', post('/v1/partners', { ...fao, partnerId: 'ITU', name: 'International Telecommunication Union' }));
    await step('2026-05-01T09:00:00.000Z', post('/v1/partners/FAO/withdraw', { reason: 'Letter of withdrawal, 2026-04-28' }));
    await step('2026-09-01T09:00:00.000Z', post('/v1/partners', fao));
  });
  afterAll(async () => {
    await api?.close();
    dir.remove();
  });

  const comparable = ({ asOf: _asOf, events: _events, ...rest }: Record<string, unknown>) => rest;

  it('answers, for each past instant, what it answered at that instant', async () => {
    expect(answered.map((a) => a.body.state)).toEqual(['registered', 'registered', 'withdrawn', 'registered']);
    for (const { at, body } of answered) {
      const then = await request(api.server).get(`/v1/processes/partner-FAO?at=${encodeURIComponent(at)}`).set('Authorization', auditor).expect(200);
      expect(comparable(then.body)).toEqual(comparable(body));
      expect(then.body.asOf).toEqual({ at, position: null });
    }
    // Between two steps: the earlier one's answer.
    const between = await request(api.server).get('/v1/processes/partner-FAO?at=2026-06-15T00:00:00Z').set('Authorization', auditor).expect(200);
    expect(comparable(between.body)).toEqual(comparable(answered[2]!.body));
  });

  it('answers the same at each global position the log reached', async () => {
    for (const { position, body } of answered) {
      const then = await request(api.server).get(`/v1/processes/partner-FAO?position=${position}`).set('Authorization', auditor).expect(200);
      expect(comparable(then.body)).toEqual(comparable(body));
    }
  });

  it('gives the state, context, revision, machine version and next steps with their clauses', () => {
    expect(answered[2]!.body).toMatchObject({
      stream: 'partner-FAO',
      machine: { id: 'partner', version: 1 },
      state: 'withdrawn',
      revision: 1,
      torVersion: 'U4SSC-ToR-2023',
      context: { partnerId: 'FAO', periods: [{ from: '2026-03-02T09:00:00.000Z', to: '2026-05-01T09:00:00.000Z' }] },
      next: [{ event: 'PartnerRegistered', target: 'registered', clauses: ['¶12', 'Annex II'] }],
    });
  });

  it('lists the history: who, in what capacity, under which clause, machine and ToR version, with hashes', async () => {
    const history = await request(api.server).get('/v1/processes/partner-FAO/history').set('Authorization', auditor).expect(200);
    expect(history.body.events.map((e: { type: string; stateAfter: string }) => [e.type, e.stateAfter])).toEqual([
      ['PartnerRegistered', 'registered'],
      ['PartnerWithdrawn', 'withdrawn'],
      ['PartnerRegistered', 'registered'],
    ]);
    const [stored] = await api.stores.events.readStream('partner-FAO');
    expect(history.body.events[0]).toMatchObject({
      position: stored!.position,
      revision: 0,
      occurredAt: '2026-03-02T09:00:00.000Z',
      actor: { id: 'sec-bueti', name: 'Secretariat officer' },
      capacity: { role: 'secretariat' },
      clauses: ['¶12', 'Annex II'],
      machine: { id: 'partner', version: 1 },
      torVersion: 'U4SSC-ToR-2023',
      hash: stored!.hash,
      prevHash: stored!.prevHash,
    });
    const cut = await request(api.server).get('/v1/processes/partner-FAO/history?at=2026-05-01T00:00:00Z').set('Authorization', auditor).expect(200);
    expect(cut.body).toMatchObject({ state: 'registered', events: [{ type: 'PartnerRegistered' }] });
  });

  it('refuses bad questions: both at and position (400), a bad instant (400), an unknown stream (404)', async () => {
    const both = await request(api.server).get('/v1/processes/partner-FAO?at=2026-01-01T00:00:00Z&position=1').set('Authorization', auditor).expect(400);
    expect(both.body.errors).toEqual([{ field: 'position', messages: ['give at or position, not both'] }]);
    await request(api.server).get('/v1/processes/partner-FAO?at=soon').set('Authorization', auditor).expect(400);
    await request(api.server).get('/v1/processes/partner-FAO?position=-1').set('Authorization', auditor).expect(400);
    const missing = await request(api.server).get('/v1/processes/partner-WHO').set('Authorization', auditor).expect(404);
    expect(missing.body.detail).toMatch(/no process has a stream named "partner-WHO"/i);
  });

  it('verifies the whole log with its anchor, and checks published anchors', async () => {
    const report = await request(api.server).get('/v1/audit/verify').set('Authorization', auditor).expect(200);
    // Four registrations and the engine's key publication at first start (the signing-keys stream).
    expect(report.body).toMatchObject({
      ok: true,
      events: 5,
      streams: 3,
      fault: null,
      machines: [{ id: 'partner', version: 1, events: 4 }, { id: 'signing-keys', version: 1, events: 1 }],
      signatures: { legacyUnsigned: 0, signed: 5 },
      keys: [{ keyId: api.stores.signingKey!.keyId, fingerprint: api.stores.signingKey!.info.fingerprint, trust: 'pinned', publishedAt: 1, endorsedBy: null, reason: 'first start' }],
    });
    expect(report.body.anchor).toMatch(/^u4ssc-anchor:5:[0-9a-f]{32}$/);
    const anchor = report.body.anchor as string;
    const held = await request(api.server).get(`/v1/audit/verify?anchor=${anchor}&anchor=${anchor.replace(':5:', ':4:')}`).set('Authorization', auditor).expect(200);
    expect(held.body.ok).toBe(false);
    expect(held.body.anchors).toEqual([
      { anchor: anchor.replace(':5:', ':4:'), status: 'mismatch' },
      { anchor, status: 'unchecked' },
    ]);
    const one = await request(api.server).get(`/v1/audit/verify?anchor=${anchor}`).set('Authorization', secretariat).expect(200);
    expect(one.body).toMatchObject({ ok: true, anchors: [{ anchor, status: 'matched' }] });
    await request(api.server).get('/v1/audit/verify?anchor=not-an-anchor').set('Authorization', auditor).expect(400);
    const badKey = await request(api.server).get('/v1/audit/verify?trustKey=ed25519:xyz').set('Authorization', auditor).expect(400);
    expect(JSON.stringify(badKey.body)).toMatch(/trustKey must be a key fingerprint/);
    const fingerprint = api.stores.signingKey!.info.fingerprint;
    const pinned = await request(api.server).get(`/v1/audit/verify?trustKey=${fingerprint}&trustKey=${'ab'.repeat(32)}`).set('Authorization', auditor).expect(200);
    expect(pinned.body).toMatchObject({ ok: true, keys: [{ fingerprint, trust: 'pinned' }] });
  });

  it('exports a bundle that verifies offline, for the log and for one stream', async () => {
    const whole = await request(api.server).get('/v1/audit/export').set('Authorization', auditor).buffer(true).parse(text).expect(200);
    expect(whole.headers['content-type']).toMatch(/^application\/x-ndjson/);
    expect(whole.headers['content-disposition']).toMatch(/attachment; filename="u4ssc-log-.*\.jsonl"/);
    const lines = (whole.body as string).split('\n');
    expect(JSON.parse(lines[0]!)).toMatchObject({ format: 'u4ssc-bundle/1', scope: 'log', counts: { events: 5, streams: 3 } });
    expect(await verifyBundle(lines)).toMatchObject({ ok: true });
    const stream = await request(api.server).get('/v1/audit/export?stream=partner-ITU').set('Authorization', auditor).buffer(true).parse(text).expect(200);
    const streamLines = (stream.body as string).split('\n');
    expect(JSON.parse(streamLines[0]!)).toMatchObject({ scope: 'stream', counts: { events: 1, streams: 1 } });
    // One stream's bundle still checks its signatures offline: the manifest carries the key events.
    const streamReport = await verifyBundle(streamLines);
    expect(streamReport).toMatchObject({ ok: true, log: { signatures: { legacyUnsigned: 0, signed: 1 }, keys: [{ trust: 'genesis' }] } });
    expect(streamReport.notChecked.join('\n')).not.toMatch(/signatures/);
    await request(api.server).get('/v1/audit/export?from=last-week').set('Authorization', auditor).expect(400);
  });

  it('lets auditors and the Secretariat read these, and no one else', async () => {
    const partner = `Bearer ${await api.token('rep-1', ['partner'], { org: 'FAO' })}`;
    const participant = `Bearer ${await api.token('p-1', ['participant'])}`;
    for (const path of ['/v1/processes/partner-FAO', '/v1/processes/partner-FAO/history', '/v1/audit/verify', '/v1/audit/export']) {
      for (const who of [partner, participant]) {
        const refused = await request(api.server).get(path).set('Authorization', who).expect(403);
        expect(refused.body.requiredRoles).toEqual(['auditor', 'secretariat']);
      }
      await request(api.server).get(path).expect(401);
    }
  });

  it('answers from the last verified checkpoint: after one more command, only that event is checked; full=true checks all', async () => {
    const before = await request(api.server).get('/v1/audit/verify').query({ full: 'true' }).set('Authorization', auditor).expect(200);
    expect(before.body).toMatchObject({ ok: true, events: 5, verification: { kind: 'full', from: null, recorded: true, lastFull: { ok: true, seq: 5 } } });
    clock.set('2026-09-02T09:00:00.000Z');
    await request(api.server).post('/v1/partners/ITU/withdraw').set('Authorization', secretariat).send({ reason: 'Letter of withdrawal, 2026-09-01' }).expect(200);

    const since = await request(api.server).get('/v1/audit/verify').set('Authorization', auditor).expect(200);
    expect(since.body).toMatchObject({ ok: true, events: 1, streams: 1, head: { seq: 6 }, verification: { kind: 'incremental', from: { kind: 'full', seq: 5 } } });
    const whole = await request(api.server).get('/v1/audit/verify?full=true').set('Authorization', auditor).expect(200);
    expect(whole.body).toMatchObject({ ok: true, events: 6, anchor: since.body.anchor, verification: { kind: 'full' } });

    const refused = await request(api.server).get('/v1/audit/verify?full=maybe').set('Authorization', auditor).expect(400);
    expect(refused.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(JSON.stringify(refused.body)).toMatch(/full must be true or false/);
  });

  it('runs the scheduled full verification as a leader task, unless U4SSC_FULL_VERIFY_EVERY is 0', async () => {
    expect(api.app.get(LeaderTasks).names).toContain('full-verify');
    const other = tempDir();
    const off = await startApi({ dir: other.path, env: { U4SSC_FULL_VERIFY_EVERY: '0' } });
    try {
      expect(off.app.get(LeaderTasks).names).not.toContain('full-verify');
      expect(off.app.get(LeaderTasks).names).toContain('ballot-deadlines');
    } finally {
      await off.close();
      other.remove();
    }
  });
});

function text(response: request.Response, done: (error: Error | null, body: string) => void): void {
  let body = '';
  response.setEncoding('utf8');
  response.on('data', (chunk: string) => (body += chunk));
  response.on('end', () => done(null, body));
}
