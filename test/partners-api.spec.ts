import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { startApi, type ApiHarness } from './support/api-harness.js';
import { tempDir } from './support/temp-dir.js';

const fao = {
  partnerId: 'FAO',
  name: 'Food and Agriculture Organization of the United Nations',
  entityType: 'specialized-agency',
  intentReference: 'Letter to the Secretariat, 2026-03-02',
  intentExpressedOn: '2026-03-02',
};

describe('Partner register over HTTP (ToR ¶12, Annex II) on a SQLite file', () => {
  const dir = tempDir();
  let api: ApiHarness;
  let secretariat: string;
  let auditor: string;

  beforeAll(async () => {
    api = await startApi({ dir: dir.path });
    secretariat = `Bearer ${await api.token('sec-bueti', ['secretariat'], { name: 'Secretariat officer' })}`;
    auditor = `Bearer ${await api.token('aud-1', ['auditor'])}`;
  });
  afterAll(async () => {
    await api?.close();
    dir.remove();
  });

  it('serves /health and the OpenAPI document without a token', async () => {
    const health = await request(api.server).get('/health').expect(200);
    expect(health.body).toMatchObject({ status: 'ok', store: 'sqlite' });
    const docs = await request(api.server).get('/docs-json').expect(200);
    expect(Object.keys(docs.body.paths)).toEqual(expect.arrayContaining(['/v1/partners', '/v1/partners/{partnerId}/withdraw']));
    await request(api.server).get('/docs').expect(200).expect('content-type', /html/);
  });

  it('registers a Partner, answering with the stored event and the register entry', async () => {
    const response = await request(api.server).post('/v1/partners').set('Authorization', secretariat).send(fao).expect(201);
    expect(response.body).toMatchObject({
      stream: 'partner-FAO',
      state: 'registered',
      revision: 0,
      duplicate: false,
      events: [{ type: 'PartnerRegistered', revision: 0, clauses: ['¶12', 'Annex II'] }],
      resource: { partnerId: 'FAO', status: 'registered', name: fao.name },
    });
    const [stored] = await api.stores.events.readStream('partner-FAO');
    expect(stored!.metadata).toMatchObject({
      actor: { id: 'sec-bueti', role: 'secretariat', name: 'Secretariat officer' },
      machine: { id: 'partner', version: 1 },
      clauses: ['¶12', 'Annex II'],
    });
    const list = await request(api.server).get('/v1/partners').set('Authorization', auditor).expect(200);
    expect(list.body.map((partner: { partnerId: string }) => partner.partnerId)).toEqual(['FAO']);
  });

  it('refuses a second registration of a registered Partner with 409 naming the state and clause', async () => {
    const before = await api.stores.events.headPosition();
    const response = await request(api.server).post('/v1/partners').set('Authorization', secretariat).send(fao).expect(409);
    expect(response.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(response.body).toMatchObject({ status: 409, state: 'registered', clauses: ['¶12', 'Annex II'] });
    expect(response.body.detail).toMatch(/PartnerRegistered is not allowed while partner "partner-FAO" is registered/);
    expect(await api.stores.events.headPosition()).toBe(before);
  });

  it('withdraws a Partner and answers who was a Partner at a past instant', async () => {
    const withdrawn = await request(api.server)
      .post('/v1/partners/FAO/withdraw')
      .set('Authorization', secretariat)
      .send({ reason: 'Withdrawal letter of 2026-05-01' })
      .expect(200);
    expect(withdrawn.body).toMatchObject({ state: 'withdrawn', resource: { status: 'withdrawn' } });
    // The command answers the summary: the period it closed and the count, not the whole history.
    expect(withdrawn.body.resource).toMatchObject({ periodCount: 1 });
    expect(withdrawn.body.resource).not.toHaveProperty('periods');
    const period = withdrawn.body.resource.latestPeriod;
    expect(period.to).not.toBeNull();

    const now = await request(api.server).get('/v1/partners').set('Authorization', auditor).expect(200);
    expect(now.body).toEqual([]);
    const between = new Date((Date.parse(period.from) + Date.parse(period.to)) / 2).toISOString();
    const then = await request(api.server).get(`/v1/partners?at=${encodeURIComponent(period.from)}`).set('Authorization', auditor).expect(200);
    expect(then.body.map((partner: { partnerId: string }) => partner.partnerId)).toEqual(['FAO']);
    expect(between >= period.from).toBe(true);
    const before = await request(api.server).get('/v1/partners?at=2000-01-01T00:00:00Z').set('Authorization', auditor).expect(200);
    expect(before.body).toEqual([]);
    const all = await request(api.server).get('/v1/partners?includeWithdrawn=true').set('Authorization', auditor).expect(200);
    expect(all.body).toHaveLength(1);
  });

  it('answers 404 for an unknown Partner, and 400 for a bad `at`', async () => {
    const missing = await request(api.server).get('/v1/partners/WHO').set('Authorization', auditor).expect(404);
    expect(missing.body.detail).toMatch(/no Partner "WHO" is in the register/i);
    const bad = await request(api.server).get('/v1/partners?at=yesterday').set('Authorization', auditor).expect(400);
    expect(bad.body.errors).toEqual([expect.objectContaining({ field: 'at' })]);
  });

  it('keeps its data across a restart on the same file', async () => {
    await api.close();
    api = await startApi({ dir: dir.path });
    const all = await request(api.server).get('/v1/partners?includeWithdrawn=true').set('Authorization', auditor).expect(200);
    expect(all.body).toEqual([expect.objectContaining({ partnerId: 'FAO', status: 'withdrawn' })]);
    expect(await api.stores.events.headPosition()).toBeGreaterThan(0);
  });
});
