import { afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import pg from 'pg';
import request from 'supertest';
import { verifyStore } from '../../libs/audit/index.js';
import { chainEvents, verifyLog, type EventSigner, type NewEvent, type StoredEvent } from '../../libs/envelope/index.js';
import { normaliseEvent } from '../../libs/event-store/append-rules.js';
import { readAllEvents, SqliteEventStore, type EventStore } from '../../libs/event-store/index.js';
import { PostgresEventStore } from '../../libs/event-store/postgres/index.js';
import { describePostgres, freshSchema, type FreshSchema } from '../../libs/event-store/postgres/test-database.js';
import { ENGINE_ACTOR, ensureKeyPublished, keyPublication, readKeyRing, revokeKey, rotateKey, SIGNING_KEYS_STREAM, SigningKey } from '../../libs/signing/index.js';
import { startApi } from '../support/api-harness.js';
import { ANNEX_II, bearer, inDays, openBallot, registerPartners, representativeOf } from '../support/ballots.js';
import { assertBuilt, runCli } from '../support/cli.js';
import { tempDir } from '../support/temp-dir.js';

/**
 * Someone with write access to the database, but not the engine's key, forges a vote: a correctly chained, legal
 * `VoteCast` INSERTed at the head of a ballot stream, in the name of a Partner's representative. The hash chain,
 * the machines and the anchors cannot tell it from the engine's own events; only the signature can.
 */
interface Target {
  kind: 'sqlite' | 'postgres';
  /** The CLI's environment for this store, as an auditor without the engine's key has it. */
  env: Record<string, string>;
  /** A store on the same log, signing with the key given (the engine's, or a leaked one). */
  open(signer?: EventSigner): Promise<EventStore>;
  /** INSERT by SQL, immutability triggers off: what database write access allows. */
  insert(event: Omit<StoredEvent, 'position'>): Promise<void>;
  close(): Promise<void>;
}

async function sqliteTarget(): Promise<Target> {
  const dir = tempDir('u4ssc-forged-');
  const file = join(dir.path, 'u4ssc.sqlite');
  return {
    kind: 'sqlite',
    // The engine ran with U4SSC_SIGNING_KEY, so no key file lies beside the database: the auditor holds no key.
    env: { U4SSC_STORE: 'sqlite', U4SSC_SQLITE_FILE: file },
    open: async (signer) => SqliteEventStore.open(file, signer ? { signer } : {}),
    async insert(event) {
      const db = new Database(file);
      try {
        for (const { name } of db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger'").all() as { name: string }[]) db.exec(`DROP TRIGGER "${name}"`);
        db.prepare(
          `INSERT INTO events (id, stream, revision, type, data, metadata, prev_hash, hash, signature_key, signature)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        ).run(event.id, event.stream, event.revision, event.type, JSON.stringify(event.data), JSON.stringify(event.metadata), event.prevHash, event.hash, event.signature?.keyId ?? null, event.signature?.value ?? null);
      } finally {
        db.close();
      }
    },
    close: async () => dir.remove(),
  };
}

async function postgresTarget(): Promise<Target> {
  const schema: FreshSchema = await freshSchema('forged');
  const table = `${pg.escapeIdentifier(schema.schema)}.events`;
  return {
    kind: 'postgres',
    env: { U4SSC_STORE: 'postgres', U4SSC_DATABASE_URL: schema.url, U4SSC_DATABASE_SCHEMA: schema.schema },
    open: (signer) => PostgresEventStore.open({ connectionString: schema.url, schema: schema.schema, ...(signer && { signer }) }),
    async insert(event) {
      // The schema's owner: database write access, enough to turn the triggers off.
      const client = new pg.Client({ connectionString: schema.ownerUrl });
      await client.connect();
      try {
        await client.query(`ALTER TABLE ${table} DISABLE TRIGGER ALL`);
        await client.query(
          `INSERT INTO ${table} (position, id, stream, revision, type, data, metadata, prev_hash, hash, signature_key, signature)
           VALUES (pg_current_xact_id()::text::bigint << 16, $1, $2, $3, $4, $5::json, $6::json, $7, $8, $9, $10)`,
          [event.id, event.stream, event.revision, event.type, JSON.stringify(event.data), JSON.stringify(event.metadata), event.prevHash, event.hash, event.signature?.keyId ?? null, event.signature?.value ?? null],
        );
      } finally {
        await client.end();
      }
    },
    close: () => schema.drop(),
  };
}

function forgedEventsSuite(name: string, makeTarget: () => Promise<Target>): void {
  describe(`forged events (${name})`, () => {
    let target: Target;
    let engineKey: SigningKey;
    let ballotStream: string;
    let anchor: string;

    beforeAll(() => assertBuilt());

    beforeEach(async () => {
      target = await makeTarget();
      engineKey = SigningKey.generate();
      const api = await startApi({
        ...(target.kind === 'sqlite' ? { dir: target.env.U4SSC_SQLITE_FILE!.replace(/\/u4ssc\.sqlite$/, '') } : { store: 'postgres', databaseSchema: target.env.U4SSC_DATABASE_SCHEMA }),
        env: { U4SSC_SIGNING_KEY: engineKey.toPem() },
      });
      try {
        const secretariat = await bearer(api, 'sec-1', ['secretariat']);
        await registerPartners(api, secretariat, ANNEX_II.slice(0, 3));
        const ballotId = await openBallot(api, secretariat, { closesAt: inDays(new Date(), 10) });
        ballotStream = `ballot-${ballotId}`;
        await request(api.server).post(`/v1/ballots/${ballotId}/votes`).set('Authorization', await representativeOf(api, 'ITU')).send({ choice: 'no' }).expect(201);
      } finally {
        await api.close();
      }
      const report = await withStore(() => target.open(), (store) => verifyStore(store));
      expect(report).toMatchObject({ ok: true, keys: [{ keyId: engineKey.keyId, trust: 'genesis' }] });
      anchor = report.anchor!;
    }, 60_000);

    afterEach(() => target.close());

    /** UNECE's representative "votes yes": ITU's honest vote, re-dressed, chained on the stream's head. */
    async function forgedVote(signer?: EventSigner): Promise<Omit<StoredEvent, 'position'>> {
      const stream = await withStore(() => target.open(), (store) => store.readStream(ballotStream));
      const honest = stream.find((event) => event.type === 'VoteCast')!;
      const commandId = randomUUID();
      const vote: NewEvent = {
        id: randomUUID(),
        type: 'VoteCast',
        data: { ...(honest.data as object), partnerId: 'UNECE', choice: 'yes' },
        metadata: { ...honest.metadata, actor: { id: 'rep-UNECE', role: 'partner', org: 'UNECE' }, commandId, correlationId: commandId, causationId: commandId },
      };
      const tail = stream.at(-1)!;
      return chainEvents(ballotStream, tail.revision, tail.hash, [normaliseEvent(vote)], signer)[0]!;
    }

    /** verify and verify --anchor, as an auditor runs them (no engine key), both naming the forged event. */
    async function expectSignatureFault(forged: { id: string }, detail: RegExp): Promise<void> {
      // Without signatures the forgery passes every other check: the chain, the machines and the anchor.
      const unsigned = await withStore(() => target.open(), async (store) => verifyLog(readAllEvents(store)));
      expect(unsigned.ok).toBe(true);
      for (const flags of [[], ['--anchor', anchor]]) {
        const result = runCli(['verify', '--json', ...flags], target.env);
        expect(result.status).toBe(1);
        const report = JSON.parse(result.stdout);
        expect(report.fault).toMatchObject({ kind: 'signature', eventId: forged.id, detail: expect.stringMatching(detail) });
      }
    }

    it('names an unsigned vote INSERTed at the head of a ballot stream', async () => {
      const forged = await forgedVote();
      await target.insert(forged);
      await expectSignatureFault(forged, /carries no signature, yet the log is signed from position/);
    }, 60_000);

    it('names a vote carrying a signature copied from another event', async () => {
      const forged = await forgedVote();
      const honest = (await withStore(() => target.open(), (store) => store.readStream(ballotStream))).at(-1)!;
      await target.insert({ ...forged, signature: honest.signature });
      await expectSignatureFault(forged, /does not match the event's hash/);
    }, 60_000);

    it("names a vote signed by the attacker's own key, which the attacker also publishes by INSERT", async () => {
      const attacker = SigningKey.generate();
      const forged = await forgedVote(attacker);
      await target.insert(forged);
      const keys = await withStore(() => target.open(), (store) => store.readStream(SIGNING_KEYS_STREAM));
      const tail = keys.at(-1)!;
      // Claims the engine key's endorsement; only the attacker's key can sign it.
      const [publication] = chainEvents(SIGNING_KEYS_STREAM, tail.revision, tail.hash, [normaliseEvent(keyPublication(attacker, engineKey.keyId, 'rotation', { actor: ENGINE_ACTOR, occurredAt: new Date().toISOString() }))], attacker);
      await target.insert(publication!);
      await expectSignatureFault(forged, new RegExp(`signed by key ${attacker.keyId}, which (is not trusted|was published only)`));
      const report = JSON.parse(runCli(['keys', 'list', '--json'], target.env).stdout);
      expect(report[1]).toMatchObject({ keyId: attacker.keyId, trust: 'untrusted', untrustedBecause: expect.stringMatching(/claims the endorsement/) });
    }, 60_000);

    it('names an event signed with a rotated-out key after its revocation position', async () => {
      const next = SigningKey.generate();
      await withStore(() => target.open(engineKey), (store) => rotateKey(store, engineKey, next, 'rotation', { actor: ENGINE_ACTOR, occurredAt: new Date().toISOString() }));
      const from = await withStore(() => target.open(), async (store) => (await store.headPosition()) + 1);
      await withStore(() => target.open(next), (store) => revokeKey(store, next, engineKey.keyId, from, 'retired', { actor: ENGINE_ACTOR, occurredAt: new Date().toISOString() }));
      expect((await withStore(() => target.open(), (store) => verifyStore(store))).ok).toBe(true);
      // Whoever kept a copy of the old key signs a vote with it: a valid signature, by a key revoked there.
      const forged = await forgedVote(engineKey);
      await target.insert(forged);
      await expectSignatureFault(forged, new RegExp(`signed by key ${engineKey.keyId}, which is revoked from position ${from}`));
    }, 60_000);
  });
}

async function withStore<T>(open: () => Promise<EventStore>, work: (store: EventStore) => Promise<T>): Promise<T> {
  const store = await open();
  try {
    return await work(store);
  } finally {
    await store.close();
  }
}

forgedEventsSuite('SQLite', sqliteTarget);
describePostgres('forged events on PostgreSQL', () => forgedEventsSuite('PostgreSQL', postgresTarget));

/**
 * A log written before signing began, on PostgreSQL, where positions have gaps: an event slipped in among the
 * unsigned ones (a position below the first key's publication) needs no signature, but it changes the ledger the
 * first key sealed over them.
 */
describePostgres('an unsigned event slipped in before signing began (PostgreSQL)', () => {
  let schema: FreshSchema;
  beforeEach(async () => {
    schema = await freshSchema('legacy_forged');
  });
  afterEach(() => schema.drop());

  it('is named through the anchor the first key sealed over the unsigned past', async () => {
    const open = (signer?: EventSigner) => PostgresEventStore.open({ connectionString: schema.url, schema: schema.schema, ...(signer && { signer }) });
    const [legacy] = await withStore(() => open(), async (store) => (await store.append('partner-ITU', [normaliseEvent(partnerRegistered('ITU'))], { expectedRevision: 'no-stream' })).events);
    const key = SigningKey.generate();
    await withStore(() => open(key), (store) => ensureKeyPublished(store, key, new Date().toISOString()));
    expect(await withStore(() => open(), (store) => verifyStore(store))).toMatchObject({ ok: true, signatures: { legacyUnsigned: 1, signed: 1 } });

    // Revision 1 of the unsigned stream, at the free position right after revision 0: before the key's publication.
    const withdrawal: NewEvent = { ...partnerRegistered('ITU'), id: randomUUID(), type: 'PartnerWithdrawn', data: { partnerId: 'ITU', reason: 'forged' } };
    const [forged] = chainEvents('partner-ITU', 0, legacy!.hash, [normaliseEvent(withdrawal)]);
    // The schema's owner: database write access, enough to turn the triggers off.
    const client = new pg.Client({ connectionString: schema.ownerUrl });
    await client.connect();
    try {
      const table = `${pg.escapeIdentifier(schema.schema)}.events`;
      await client.query(`ALTER TABLE ${table} DISABLE TRIGGER ALL`);
      await client.query(
        `INSERT INTO ${table} (position, transaction_id, id, stream, revision, type, data, metadata, prev_hash, hash)
         VALUES ($1::bigint + 1, (($1::bigint) >> 16)::text::xid8, $2, 'partner-ITU', 1, 'PartnerWithdrawn', $3::json, $4::json, $5, $6)`,
        [legacy!.position, forged!.id, JSON.stringify(forged!.data), JSON.stringify(forged!.metadata), forged!.prevHash, forged!.hash],
      );
    } finally {
      await client.end();
    }
    // Without the seal the slipped-in event would pass: chained, legal, and older than signing.
    const unsealed = await withStore(() => open(), async (store) => verifyLog(readAllEvents(store), { signatures: await readKeyRing(store) }));
    expect(unsealed).toMatchObject({ ok: true, signatures: { legacyUnsigned: 2, signed: 1 } });
    const report = await withStore(() => open(), (store) => verifyStore(store));
    expect(report).toMatchObject({ ok: false, fault: { kind: 'signature', eventId: forged!.id, detail: expect.stringMatching(/an unsigned event beyond the 1 the log's first key sealed/) } });
  }, 60_000);
});

function partnerRegistered(partnerId: string): NewEvent {
  const commandId = randomUUID();
  return {
    id: randomUUID(),
    type: 'PartnerRegistered',
    data: { partnerId, name: partnerId, entityType: 'specialized-agency', intentReference: 'test', intentExpressedOn: '2025-12-01' },
    metadata: { actor: { id: 'sec-1', role: 'secretariat' }, commandId, correlationId: commandId, causationId: commandId, occurredAt: '2026-01-01T00:00:00.000Z', machine: { id: 'partner', version: 1 }, torVersion: 'U4SSC-ToR-2023', clauses: ['¶12'] },
  };
}
