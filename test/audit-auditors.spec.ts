import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import request from 'supertest';
import { startApi, type ApiHarness } from './support/api-harness.js';
import { tempDir } from './support/temp-dir.js';

type Method = 'get' | 'post' | 'put' | 'patch' | 'delete';
const MUTATING: readonly Method[] = ['post', 'put', 'patch', 'delete'];

/**
 * Auditors read everything and change nothing (docs/architecture.md §1; issue 6). The endpoints come from the OpenAPI
 * document the API serves, so an endpoint added later is covered without touching this file.
 */
describe('auditors change nothing (every endpoint in /docs-json, SQLite file)', () => {
  const dir = tempDir();
  let api: ApiHarness;
  let auditor: string;
  let operations: { method: Method; path: string }[];

  /** Path parameters get the id of a resource that exists where one does (a Partner), so a missing guard acts. */
  const concrete = (path: string) => path.replace(/\{[^}]+\}/g, (name) => (name === '{stream}' ? 'partner-FAO' : 'FAO'));

  beforeAll(async () => {
    api = await startApi({ dir: dir.path });
    auditor = `Bearer ${await api.token('aud-1', ['auditor'], { name: 'External auditor' })}`;
    const secretariat = `Bearer ${await api.token('sec-1', ['secretariat'])}`;
    await request(api.server)
      .post('/v1/partners')
      .set('Authorization', secretariat)
      .send({ partnerId: 'FAO', name: 'Food and Agriculture Organization', entityType: 'specialized-agency', intentReference: 'ToR Annex II' })
      .expect(201);
    const docs = await request(api.server).get('/docs-json').expect(200);
    operations = Object.entries(docs.body.paths as Record<string, Record<string, unknown>>).flatMap(([path, methods]) =>
      Object.keys(methods)
        .filter((method): method is Method => ['get', ...MUTATING].includes(method))
        .map((method) => ({ method, path })),
    );
  });
  afterAll(async () => {
    await api?.close();
    dir.remove();
  });

  it('finds the mutating endpoints in the OpenAPI document (the enumeration is not empty)', () => {
    const mutating = operations.filter((op) => MUTATING.includes(op.method)).map((op) => `${op.method} ${op.path}`);
    expect(mutating).toEqual(expect.arrayContaining(['post /v1/partners', 'post /v1/partners/{partnerId}/withdraw']));
  });

  it('answers 403 to an auditor on every mutating endpoint, and appends nothing', async () => {
    const head = await api.stores.events.headPosition();
    const answered: string[] = [];
    for (const { method, path } of operations.filter((op) => MUTATING.includes(op.method))) {
      const response = await request(api.server)[method](concrete(path))
        .set('Authorization', auditor)
        .set('Idempotency-Key', `auditor-${method}-${path}`)
        .send({ partnerId: 'WHO', name: 'World Health Organization', entityType: 'specialized-agency', intentReference: 'x', reason: 'x' });
      answered.push(`${response.status} ${method} ${path}`);
    }
    expect(answered).toEqual(answered.map((line) => line.replace(/^\d+/, '403')));
    expect(await api.stores.events.headPosition()).toBe(head);
  });

  it('lets an auditor read every GET endpoint (no 403)', async () => {
    const refused: string[] = [];
    for (const { path } of operations.filter((op) => op.method === 'get')) {
      const response = await request(api.server).get(concrete(path)).set('Authorization', auditor);
      if (response.status === 401 || response.status === 403) refused.push(`${response.status} GET ${path}`);
    }
    expect(refused).toEqual([]);
  });
});
