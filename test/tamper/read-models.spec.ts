import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import pg from 'pg';
import request from 'supertest';
import { PROJECTIONS } from '../../apps/api/app.module.js';
import { checkRebuild } from '../../libs/audit/rebuild-check.js';
import { verifyStore } from '../../libs/audit/verify-store.js';
import { chainEvents, type EventSigner, type Ground, type NewEvent, type StoredEvent } from '../../libs/envelope/index.js';
import { describePostgres } from '../../libs/event-store/postgres/test-database.js';
import { ManualClock } from '../../libs/kernel/clock.js';
import { startApi, type ApiHarness } from '../support/api-harness.js';
import { ANNEX_II, bearer, inDays, openBallot, registerPartners, representativeOf } from '../support/ballots.js';
import { decidedAppointmentBallot, expectRefused } from '../support/offices.js';
import { tempDir } from '../support/temp-dir.js';

const DAY = 86_400_000;
const THREE = ANNEX_II.slice(0, 3); // ITU, UNECE, CBD

/** Raw SQL on the API's own database, as someone with write access to it would use it. */
interface Tamperer {
  doc<T>(collection: string, id: string): Promise<T | undefined>;
  setDoc(collection: string, id: string, doc: unknown): Promise<void>;
  deleteDoc(collection: string, id: string): Promise<void>;
  /** Inserts an event row chained after the stream's tail (hashes computed as the engine would). */
  /** With a signer, the row carries its signature (an insider holding the engine's key). */
  insertEvent(after: StoredEvent | null, stream: string, event: NewEvent, signer?: EventSigner): Promise<void>;
  close(): Promise<void>;
}

function sqliteTamperer(file: string): Tamperer {
  const db = new Database(file);
  return {
    async doc(collection, id) {
      const row = db.prepare('SELECT doc FROM read_model_docs WHERE collection = ? AND id = ?').get(collection, id) as { doc: string } | undefined;
      return row && JSON.parse(row.doc);
    },
    async setDoc(collection, id, doc) {
      db.prepare('UPDATE read_model_docs SET doc = ? WHERE collection = ? AND id = ?').run(JSON.stringify(doc), collection, id);
    },
    async deleteDoc(collection, id) {
      db.prepare('DELETE FROM read_model_docs WHERE collection = ? AND id = ?').run(collection, id);
    },
    async insertEvent(after, stream, event, signer) {
      const [row] = chainEvents(stream, after?.revision ?? -1, after?.hash ?? '0'.repeat(64), [event], signer);
      db.prepare('INSERT INTO events (id, stream, revision, type, data, metadata, prev_hash, hash, signature_key, signature) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)').run(
        row!.id, row!.stream, row!.revision, row!.type, JSON.stringify(row!.data), JSON.stringify(row!.metadata), row!.prevHash, row!.hash,
        row!.signature?.keyId ?? null, row!.signature?.value ?? null,
      );
    },
    async close() {
      db.close();
    },
  };
}

async function postgresTamperer(url: string, schema: string): Promise<Tamperer> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const s = pg.escapeIdentifier(schema);
  return {
    async doc(collection, id) {
      const { rows } = await client.query(`SELECT doc FROM ${s}.read_model_docs WHERE collection = $1 AND id = $2`, [collection, id]);
      return rows[0]?.doc;
    },
    async setDoc(collection, id, doc) {
      await client.query(`UPDATE ${s}.read_model_docs SET doc = $1::json WHERE collection = $2 AND id = $3`, [JSON.stringify(doc), collection, id]);
    },
    async deleteDoc(collection, id) {
      await client.query(`DELETE FROM ${s}.read_model_docs WHERE collection = $1 AND id = $2`, [collection, id]);
    },
    async insertEvent(after, stream, event, signer) {
      const [row] = chainEvents(stream, after?.revision ?? -1, after?.hash ?? '0'.repeat(64), [event], signer);
      // The position the adapter would give: the inserting transaction's id, shifted (index 0).
      await client.query(
        `INSERT INTO ${s}.events (position, id, stream, revision, type, data, metadata, prev_hash, hash, signature_key, signature)
         VALUES (pg_current_xact_id()::text::bigint << 16, $1, $2, $3, $4, $5::json, $6::json, $7, $8, $9, $10)`,
        [row!.id, row!.stream, row!.revision, row!.type, JSON.stringify(row!.data), JSON.stringify(row!.metadata), row!.prevHash, row!.hash, row!.signature?.keyId ?? null, row!.signature?.value ?? null],
      );
    },
    async close() {
      await client.end();
    },
  };
}

/**
 * Read models serve reads; commands decide from the streams that record the facts, and cite them (docs/integrity.md).
 * Each attack is done with SQL on the API's own database, then the real API is asked to decide.
 */
function readModelTamperSuite(kind: 'sqlite' | 'postgres') {
  const dir = tempDir();
  const clock = new ManualClock('2026-03-02T09:00:00.000Z');
  let api: ApiHarness;
  let sql: Tamperer;
  let secretariat: string;
  const post = (path: string, auth: string, body: object) => request(api.server).post(path).set('Authorization', auth).send(body);
  const stream = async (name: string) => api.stores.events.readStream(name);

  beforeAll(async () => {
    api = await startApi({ dir: dir.path, store: kind, clock, ballotPollMs: DAY, offices: { pollMs: DAY } });
    sql = kind === 'sqlite' ? sqliteTamperer(api.config.sqliteFile) : await postgresTamperer(api.config.databaseUrl!, api.config.databaseSchema!);
    secretariat = await bearer(api, 'sec-bueti', ['secretariat']);
    await registerPartners(api, secretariat, THREE);
    await post('/v1/offices/chair/nominations', await representativeOf(api, 'ITU'), { nomineeId: 'p-okafor', nomineeName: 'Dr Ada Okafor' }).expect(201);
  });
  afterAll(async () => {
    await sql?.close();
    await api?.close();
    dir.remove();
  });

  it('(a) a rejected ballot set to approved in the read model grounds no appointment; rebuild --check names the document', async () => {
    clock.advance(DAY);
    const rejected = await decidedAppointmentBallot(api, secretariat, 'chair', 'p-okafor', { ITU: 'no', UNECE: 'no', CBD: 'yes' }, { closesAt: inDays(clock.now(), 14) });
    const doc = await sql.doc<{ status: string; decision: { outcome: string } }>('ballots', rejected);
    expect(doc).toMatchObject({ status: 'rejected', decision: { outcome: 'rejected' } });
    await sql.setDoc('ballots', rejected, { ...doc, status: 'approved', decision: { ...doc!.decision, outcome: 'approved' } });
    // The tamper took: the read model now says approved.
    expect((await request(api.server).get(`/v1/ballots/${rejected}`).set('Authorization', secretariat).expect(200)).body).toMatchObject({ status: 'approved' });

    const problem = await expectRefused(
      api,
      () => post('/v1/offices/chair/appointments', secretariat, { holderId: 'p-okafor', holderName: 'Dr Ada Okafor', ballotId: rejected }),
      409,
      /is rejected: the Partners Board did not approve it \(ToR ¶13\(a\), ¶15\)/,
    );
    expect(JSON.stringify(problem)).toContain('¶13(a)');

    const rebuild = await checkRebuild(api.stores.events, api.stores.readModels, PROJECTIONS);
    expect(rebuild.ok).toBe(false);
    expect(rebuild.differences).toContainEqual(expect.objectContaining({ collection: 'ballots', id: rejected, difference: 'changed', paths: expect.arrayContaining(['status']) }));
    // Put back, so the later checks start from an honest read model.
    await sql.setDoc('ballots', rejected, doc);
  });

  it('(b) a Partner deleted from the Partner read model is still in the next electorate, cited by its registration', async () => {
    expect(await sql.doc('partners', 'CBD')).toBeDefined();
    await sql.deleteDoc('partners', 'CBD');
    const listed = await request(api.server).get('/v1/partners').set('Authorization', secretariat).expect(200);
    expect(JSON.stringify(listed.body)).not.toContain('"CBD"');

    clock.advance(DAY);
    const ballotId = await openBallot(api, secretariat, { closesAt: inDays(clock.now(), 14) });
    const [, opened] = await stream(`ballot-${ballotId}`);
    expect((opened!.data as { electorate: string[] }).electorate).toEqual(['CBD', 'ITU', 'UNECE']);
    const registrations = Object.fromEntries(await Promise.all(THREE.map(async ({ partnerId }) => [partnerId, (await stream(`partner-${partnerId}`))[0]!] as const)));
    expect(opened!.metadata.grounds).toEqual(
      ['CBD', 'ITU', 'UNECE'].map((partnerId) => ({ stream: `partner-${partnerId}`, revision: 0, hash: registrations[partnerId]!.hash, type: 'PartnerRegistered', claim: { partnerId } })),
    );
    // A nomination by CBD's representative is decided on CBD's stream too.
    await post('/v1/offices/chair/nominations', await representativeOf(api, 'CBD'), { nomineeId: 'p-lind', nomineeName: 'Dr Lind' }).expect(201);
  });

  it('(c) with the read model behind the log (the decided ballot not projected yet), the appointment decides from the ballot stream', async () => {
    clock.advance(DAY);
    const approved = await decidedAppointmentBallot(api, secretariat, 'chair', 'p-okafor', { ITU: 'yes', UNECE: 'yes', CBD: 'yes' }, { closesAt: inDays(clock.now(), 14) });
    await sql.deleteDoc('ballots', approved);
    await request(api.server).get(`/v1/ballots/${approved}`).set('Authorization', secretariat).expect(404);

    const response = await post('/v1/offices/chair/appointments', secretariat, { holderId: 'p-okafor', holderName: 'Dr Ada Okafor', ballotId: approved }).expect(201);
    expect(response.body.events).toEqual([expect.objectContaining({ type: 'HolderAppointed' })]);
    const decided = (await stream(`ballot-${approved}`)).find((event) => event.type === 'BallotDecided')!;
    const appointed = (await stream('office-chair')).find((event) => event.type === 'HolderAppointed')!;
    expect(appointed.metadata.grounds).toEqual([
      {
        stream: `ballot-${approved}`,
        revision: decided.revision,
        hash: decided.hash,
        type: 'BallotDecided',
        claim: { ballotId: approved, outcome: 'approved', subject: { kind: 'appointment', reference: 'office:chair:p-okafor' } },
      },
    ]);
  });

  it('verify checks every cited ground of an honest run and passes', async () => {
    const report = await verifyStore(api.stores.events);
    expect(report.fault).toBeNull();
    expect(report.ok).toBe(true);
    const citing = new Set((await readAll()).filter((event) => event.metadata.grounds).map((event) => event.type));
    expect([...citing].sort()).toEqual(['BallotOpened', 'HolderAppointed', 'OfficeNominated']);
    // Three openings citing three registrations each, two nominations citing their Partner, one appointment its ballot.
    expect(report.grounds).toEqual({ citing: 6, checked: 12, unchecked: 0 });
  });

  it('(d) an appointment inserted with SQL citing a ballot decision the log does not hold is a grounds fault', async () => {
    const [nominated] = await stream('office-vice-chair-1');
    expect(nominated).toBeUndefined();
    // An honest nomination first, so the forged appointment is a legal step of the seat's machine.
    await post('/v1/offices/vice-chair-1/nominations', await representativeOf(api, 'ITU'), { nomineeId: 'p-lind', nomineeName: 'Dr Lind' }).expect(201);
    const [nomination] = await stream('office-vice-chair-1');
    const honest = (await stream('office-chair')).find((event) => event.type === 'HolderAppointed')!;
    const forgedGround: Ground = { ...honest.metadata.grounds![0]!, stream: 'ballot-never-held', hash: 'f'.repeat(64) };
    const data = structuredClone(honest.data) as { seat: string; holderId: string; holderName: string; grounds: { ballotId: string; subjectReference: string } };
    Object.assign(data, { seat: 'vice-chair-1', holderId: 'p-lind', holderName: 'Dr Lind' });
    Object.assign(data.grounds, { ballotId: 'never-held', subjectReference: 'office:vice-chair-1:p-lind' });
    const forged: NewEvent = {
      id: 'forged-appointment',
      type: 'HolderAppointed',
      data,
      metadata: { ...honest.metadata, commandId: 'forged', correlationId: 'forged', causationId: 'forged', grounds: [forgedGround] },
    };
    // Unsigned, it is a signature fault first (test/tamper/forged-events.spec.ts); signed with the engine's own key
    // (whoever holds it), only the grounds check can name it.
    await sql.insertEvent(nomination!, 'office-vice-chair-1', forged, api.stores.signingKey);

    const report = await verifyStore(api.stores.events);
    expect(report.ok).toBe(false);
    expect(report.fault).toMatchObject({ kind: 'grounds', stream: 'office-vice-chair-1', revision: 1, eventId: 'forged-appointment' });
    expect(report.fault!.detail).toMatch(/HolderAppointed at office-vice-chair-1@1 .* cites BallotDecided at ballot-never-held@\d+, which the log does not hold/);
    expect(report.anchor).toBeNull();
  });

  async function readAll(): Promise<StoredEvent[]> {
    const events: StoredEvent[] = [];
    for (let after = 0; ; ) {
      const page = await api.stores.events.readAll({ after, limit: 1000 });
      events.push(...page.events);
      if (page.end) return events;
      after = page.next;
    }
  }
}

describe('read models serve reads; commands decide from the log (SQLite file)', () => readModelTamperSuite('sqlite'));
describePostgres('read models serve reads; commands decide from the log (PostgreSQL)', () => readModelTamperSuite('postgres'));
