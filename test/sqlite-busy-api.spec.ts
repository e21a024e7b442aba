import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import request from 'supertest';
import { startApi, type ApiHarness } from './support/api-harness.js';
import { tempDir } from './support/temp-dir.js';

const wfp = { partnerId: 'WFP', name: 'World Food Programme', entityType: 'fund-or-programme', intentReference: 'Letter, 2026-03-02' };

describe('a command on a SQLite file another connection keeps locked', () => {
  const dir = tempDir();
  let api: ApiHarness;
  let secretariat: string;

  beforeAll(async () => {
    // A short busy timeout: with the default 5 s every attempt would wait 5 s for the lock.
    api = await startApi({ dir: dir.path, env: { U4SSC_SQLITE_BUSY_TIMEOUT_MS: '10' } });
    secretariat = `Bearer ${await api.token('sec-1', ['secretariat'])}`;
  });
  afterAll(async () => {
    await api?.close();
    dir.remove();
  });

  it('answers 503 store-busy (not 500) after its retries, appends nothing, and takes the same request once the lock is free', async () => {
    const other = new Database(join(dir.path, 'u4ssc.sqlite'));
    try {
      // The rows already there (the signing key's publication): the refused command must add none.
      const { rows } = await api.stores.events.census();
      other.exec('BEGIN IMMEDIATE');
      const refused = await request(api.server).post('/v1/partners').set('Authorization', secretariat).set('Idempotency-Key', 'wfp-1').send(wfp);
      expect(refused.status).toBe(503);
      expect(refused.headers['content-type']).toBe('application/problem+json');
      expect(refused.headers['retry-after']).toBe('1');
      expect(refused.body).toMatchObject({
        type: 'https://u4ssc.example/problems/store-busy',
        title: 'Store busy',
        status: 503,
        stream: 'partner-WFP',
        detail: expect.stringMatching(/stayed busy with other writers through 20 attempts and took nothing from this command; retry\.$/),
      });
      other.exec('ROLLBACK');
      expect(await api.stores.events.census()).toMatchObject({ rows });

      const taken = await request(api.server).post('/v1/partners').set('Authorization', secretariat).set('Idempotency-Key', 'wfp-1').send(wfp);
      expect(taken.status).toBe(201);
      expect(await api.stores.events.census()).toMatchObject({ rows: rows + 1 });
    } finally {
      if (other.inTransaction) other.exec('ROLLBACK');
      other.close();
    }
  });
});
