import { afterAll, beforeAll, expect, it } from '@jest/globals';
import pg from 'pg';
import { partnerEvents } from '../../bench/lib/events.js';
import { PostgresEventStore } from '../event-store/postgres/index.js';
import { describePostgres, freshSchema, type FreshSchema } from '../event-store/postgres/test-database.js';
import { PostgresReadModelStore } from '../read-models/postgres/postgres-read-model-store.js';
import { ensureKeyPublished, SigningKey } from '../signing/index.js';
import { verifyWithCheckpoints } from './checkpointed-verify.js';

const STREAMS = 100;
const key = SigningKey.generate();

/**
 * Verified checkpoints on PostgreSQL, the engine connected as the serving role (which may write read models, and
 * nothing of the log): the record is kept, the next run checks only the new event, the owner's edits are caught
 * by the next full run, and a checkpoint the owner edits is ignored.
 */
describePostgres('verification from a signed checkpoint (PostgreSQL, serving role)', () => {
  let schema: FreshSchema;
  let events: PostgresEventStore;
  let readModels: PostgresReadModelStore;
  const run = (incremental: boolean, at: string) => verifyWithCheckpoints(events, readModels, { incremental, signingKey: key, now: () => new Date(at), trustKeys: [key.keyId] });
  const asOwner = async (statement: string) => {
    const client = new pg.Client({ connectionString: schema.ownerUrl });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  };

  beforeAll(async () => {
    schema = await freshSchema('checkpoints');
    events = await PostgresEventStore.open({ connectionString: schema.url, schema: schema.schema, signer: key });
    readModels = await PostgresReadModelStore.open({ connectionString: schema.url, schema: schema.schema });
    await ensureKeyPublished(events, key, '2026-05-01T08:00:00.000Z');
    for (let s = 0; s < STREAMS; s += 1) await events.append(`partner-P${s}`, partnerEvents(`P${s}`, 0, 5, 'pg'), { expectedRevision: 'no-stream' });
  });
  afterAll(async () => {
    await readModels?.close();
    await events?.close();
    await schema?.drop();
  });

  it('keeps the checkpoint, checks only what follows it, and leaves an earlier change to the next full run', async () => {
    const full = await run(false, '2026-05-01T09:00:00.000Z');
    expect(full).toMatchObject({ ok: true, events: 5 * STREAMS + 1, verification: { kind: 'full', recorded: true } });
    await events.append('partner-P1', partnerEvents('P1', 5, 1, 'pg'), { expectedRevision: 4 });
    const table = `${pg.escapeIdentifier(schema.schema)}.events`;
    await asOwner(`ALTER TABLE ${table} DISABLE TRIGGER ALL`);
    await asOwner(`UPDATE ${table} SET data = replace(data::text, 'Benchmark', 'Forged')::json WHERE stream = 'partner-P9' AND revision = 0`);

    const incremental = await run(true, '2026-05-01T10:00:00.000Z');
    expect(incremental).toMatchObject({ ok: true, events: 1, head: { seq: 5 * STREAMS + 2 }, verification: { kind: 'incremental', from: { seq: 5 * STREAMS + 1 } } });
    const next = await run(false, '2026-05-01T11:00:00.000Z');
    expect(next).toMatchObject({ ok: false, fault: { kind: 'hash', stream: 'partner-P9', revision: 0 }, verification: { lastFull: { ok: false, at: '2026-05-01T11:00:00.000Z' } } });

    await asOwner(`UPDATE ${pg.escapeIdentifier(schema.schema)}.read_model_docs SET doc = (doc::jsonb || '{"seq": 3}')::json WHERE collection = 'audit-verify'`);
    const ignored = await run(true, '2026-05-01T12:00:00.000Z');
    expect(ignored.verification).toMatchObject({ kind: 'full', fullBecause: expect.stringMatching(/ignored: its signature .* does not match its content/) });
  });
});
