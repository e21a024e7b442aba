import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SignJWT } from 'jose';
import request from 'supertest';
import { startApi, TEST_SECRET, type ApiHarness } from './support/api-harness.js';
import { tempDir } from './support/temp-dir.js';

const valid = {
  partnerId: 'UNDP',
  name: 'United Nations Development Programme',
  entityType: 'fund-or-programme',
  intentReference: 'Email of 2026-02-01',
};

/** Bad input gets a clear problem+json answer and changes nothing (docs/architecture.md §4). */
describe('refused requests append nothing', () => {
  const dir = tempDir();
  let api: ApiHarness;
  let secretariat: string;

  beforeAll(async () => {
    api = await startApi({ dir: dir.path });
    secretariat = `Bearer ${await api.token('sec-1', ['secretariat'])}`;
  });
  afterAll(async () => {
    await api?.close();
    dir.remove();
  });

  async function expectRefused(
    send: () => request.Test,
    status: number,
    check: (body: Record<string, unknown>) => void = () => undefined,
  ): Promise<void> {
    const before = await api.stores.events.headPosition();
    const response = await send();
    expect(response.status).toBe(status);
    expect(response.headers['content-type']).toMatch(/^application\/problem\+json/);
    expect(response.body).toMatchObject({ status, title: expect.any(String), detail: expect.any(String) });
    check(response.body);
    expect(await api.stores.events.headPosition()).toBe(before);
  }

  const post = (body: string | object, auth: string | null = secretariat) => {
    const req = request(api.server).post('/v1/partners').set('Content-Type', 'application/json');
    if (auth) req.set('Authorization', auth);
    return req.send(typeof body === 'string' ? body : JSON.stringify(body));
  };

  it('malformed JSON → 400', () =>
    expectRefused(() => post('{"partnerId": "UNDP",'), 400, (body) => expect(body.detail).toMatch(/JSON/i)));

  it('missing fields → 400 naming each field', () =>
    expectRefused(() => post({ partnerId: 'UNDP' }), 400, (body) => {
      const fields = (body.errors as { field: string }[]).map((error) => error.field);
      expect(fields).toEqual(expect.arrayContaining(['name', 'entityType', 'intentReference']));
    }));

  it('wrong types → 400', () =>
    expectRefused(() => post({ ...valid, name: 42, intentExpressedOn: 'soon' }), 400, (body) => {
      const fields = (body.errors as { field: string }[]).map((error) => error.field);
      expect(fields).toEqual(expect.arrayContaining(['name', 'intentExpressedOn']));
    }));

  it('unknown fields → 400 naming them', () =>
    expectRefused(() => post({ ...valid, isAdmin: true }), 400, (body) =>
      expect(JSON.stringify(body.errors)).toMatch(/isAdmin/),
    ));

  it('a bad partner id → 400', () => expectRefused(() => post({ ...valid, partnerId: 'no spaces!' }), 400));

  it('an oversized body → 413', () =>
    expectRefused(() => post({ ...valid, name: 'x'.repeat(200_000) }), 413));

  it('a non-JSON body → 415', () =>
    expectRefused(
      () => request(api.server).post('/v1/partners').set('Authorization', secretariat).set('Content-Type', 'text/plain').send('UNDP'),
      415,
    ));

  it('no token → 401', () => expectRefused(() => post(valid, null), 401));

  it('a forged token (other secret) → 401', async () => {
    const forged = await new SignJWT({ roles: ['secretariat'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('mallory')
      .setIssuer('u4ssc-local')
      .setExpirationTime('1h')
      .sign(new TextEncoder().encode('another-secret-of-at-least-thirty-two-chars'));
    await expectRefused(() => post(valid, `Bearer ${forged}`), 401);
  });

  it('an expired token → 401', async () => {
    const expired = await new SignJWT({ roles: ['secretariat'] })
      .setProtectedHeader({ alg: 'HS256' })
      .setSubject('sec-1')
      .setIssuer('u4ssc-local')
      .setIssuedAt(Math.floor(Date.now() / 1000) - 7200)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 3600)
      .sign(new TextEncoder().encode(TEST_SECRET));
    await expectRefused(() => post(valid, `Bearer ${expired}`), 401, (body) => expect(body.detail).toMatch(/expired/i));
  });

  it('a Partner representative → 403 (only the Secretariat keeps the register, ¶12)', async () => {
    const partner = `Bearer ${await api.token('rep-1', ['partner'], { org: 'ITU' })}`;
    await expectRefused(() => post(valid, partner), 403);
  });

  it('an organisation outside the UN system → 422 citing ¶12 and pointing to participation (¶21)', () =>
    expectRefused(() => post({ ...valid, partnerId: 'ACME', entityType: 'private-sector' }), 422, (body) => {
      expect(body.detail).toMatch(/United Nations system.*¶12/);
      expect(body.clauses).toEqual(['¶12', '¶21']);
    }));

  it('an intent dated in the future → 422', () =>
    expectRefused(() => post({ ...valid, intentExpressedOn: '2199-01-01' }), 422));

  it('withdrawing a Partner that is not registered → 404', () =>
    expectRefused(
      () => request(api.server).post('/v1/partners/UNDP/withdraw').set('Authorization', secretariat).send({ reason: 'x' }),
      404,
    ));

  describe('Idempotency-Key', () => {
    it('the same key and body answer the first answer again, appending nothing', async () => {
      const first = await post(valid).set('Idempotency-Key', 'reg-undp-1').expect(201);
      const head = await api.stores.events.headPosition();
      const again = await post(valid).set('Idempotency-Key', 'reg-undp-1').expect(201);
      expect(again.headers['idempotency-replayed']).toBe('true');
      expect(again.body).toEqual(first.body);
      expect(await api.stores.events.headPosition()).toBe(head);
    });

    it('the same key with another body → 422, appending nothing', () =>
      expectRefused(() => post({ ...valid, partnerId: 'UNEP', name: 'UNEP' }).set('Idempotency-Key', 'reg-undp-1'), 422, (body) =>
        expect(body.detail).toMatch(/Idempotency-Key/),
      ));
  });
});
