import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import pg from 'pg';
import request from 'supertest';
import { ballotStream } from '../../libs/ballots/index.js';
import { LOG_INTEGRITY, RUNNER_SNAPSHOTS } from '../../libs/engine/index.js';
import { chainEvents, type StoredEvent } from '../../libs/envelope/index.js';
import { describePostgres, postgresTestUrl } from '../../libs/event-store/postgres/test-database.js';
import { ManualClock } from '../../libs/kernel/clock.js';
import { loadCurrent, type LogIntegrity, type RunnerSnapshots } from '../../libs/process-runner/index.js';
import { PROCESS_REGISTRY } from '../../libs/audit/process-registry.js';
import { startApi, type ApiHarness } from '../support/api-harness.js';
import { ANNEX_II, bearer, inDays, openBallot, registerPartners, representativeOf } from '../support/ballots.js';
import { tempDir } from '../support/temp-dir.js';

/**
 * What someone who can write to the database, but does not hold the engine's signing key, can make the engine
 * decide (docs/integrity.md): nothing. A snapshot row edited with SQL keeps its event hash, so only its signature
 * tells it apart; the runner then folds the log, and the Secretariat's ordinary commands record the true facts
 * (ToR ¶13(b): a ballot's decision is the Partners' votes). A row slipped into the log where `readAll` cannot see
 * it (position 0), or any row the engine did not sign, makes the next command refuse with the integrity problem,
 * appending nothing, rather than count it.
 */

/** SQL as the attacker runs it, on the store's own database, behind the engine's back. */
interface Attacker {
  forgeSnapshot(stream: string, edit: (state: SnapshotText) => void): Promise<void>;
  /** Inserts a row into the events table at `position` ('head': where the next append would go). */
  insertEvent(event: Omit<StoredEvent, 'position'>, position: 0 | 'head'): Promise<void>;
  rows(): Promise<number>;
  close(): Promise<void>;
}

interface SnapshotText {
  status: string;
  value: unknown;
  context: {
    electorate: string[];
    votes: { partnerId: string; choice: string }[];
    current: Record<string, string>;
    subject: { kind: string; title: string; reference?: string };
  };
}

function sqliteAttacker(file: string): Attacker {
  const db = new Database(file);
  // The file's owner can drop what guards the log: the immutability and position triggers are only SQL.
  for (const { name } of db.prepare("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'events'").all() as { name: string }[]) {
    db.exec(`DROP TRIGGER "${name}"`);
  }
  return {
    async forgeSnapshot(stream, edit) {
      const row = db.prepare<[string], { state: string }>('SELECT state FROM snapshots WHERE stream = ?').get(stream)!;
      const state = JSON.parse(row.state) as SnapshotText;
      edit(state);
      db.prepare('UPDATE snapshots SET state = ? WHERE stream = ?').run(JSON.stringify(state), stream);
    },
    async insertEvent(event, position) {
      db.prepare(
        `INSERT INTO events (position, id, stream, revision, type, data, metadata, prev_hash, hash)
         VALUES (${position === 0 ? '0' : '(SELECT max(position) + 1 FROM events)'}, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ).run(event.id, event.stream, event.revision, event.type, JSON.stringify(event.data), JSON.stringify(event.metadata), event.prevHash, event.hash);
    },
    async rows() {
      return (db.prepare('SELECT count(*) AS n FROM events').get() as { n: number }).n;
    },
    async close() {
      db.close();
    },
  };
}

async function postgresAttacker(schema: string): Promise<Attacker> {
  const client = new pg.Client({ connectionString: postgresTestUrl() });
  await client.connect();
  const s = pg.escapeIdentifier(schema);
  await client.query(`ALTER TABLE ${s}.events DISABLE TRIGGER ALL`);
  return {
    async forgeSnapshot(stream, edit) {
      const { rows } = await client.query<{ state: string }>(`SELECT state FROM ${s}.snapshots WHERE stream = $1`, [stream]);
      const state = JSON.parse(rows[0]!.state) as SnapshotText;
      edit(state);
      await client.query(`UPDATE ${s}.snapshots SET state = $1 WHERE stream = $2`, [JSON.stringify(state), stream]);
    },
    async insertEvent(event, position) {
      // Position 0 with transaction id 0 satisfies the table's tie of positions to transactions; 'head' is the
      // position this transaction's own append would get.
      const [positionSql, xidSql] = position === 0 ? ['0', "'0'::xid8"] : ['(pg_current_xact_id()::text::bigint << 16)', 'pg_current_xact_id()'];
      await client.query(
        `INSERT INTO ${s}.events (position, transaction_id, id, stream, revision, type, data, metadata, prev_hash, hash)
         VALUES (${positionSql}, ${xidSql}, $1, $2, $3, $4, $5::json, $6::json, $7, $8)`,
        [event.id, event.stream, event.revision, event.type, JSON.stringify(event.data), JSON.stringify(event.metadata), event.prevHash, event.hash],
      );
    },
    async rows() {
      return Number((await client.query<{ n: string }>(`SELECT count(*)::text AS n FROM ${s}.events`)).rows[0]!.n);
    },
    async close() {
      await client.end();
    },
  };
}

describe.each([['sqlite'], ['postgres']] as const)('forged snapshots and hidden events (%s)', (kind) => {
  const run = kind === 'postgres' ? describePostgres : describe;
  run(`through the API on ${kind}`, () => {
    const dir = tempDir();
    const clock = new ManualClock('2026-06-01T09:00:00.000Z');
    const four = ANNEX_II.slice(0, 4);
    let api: ApiHarness;
    let attacker: Attacker;
    let secretariat: string;
    const rep: Record<string, string> = {};

    beforeAll(async () => {
      // A snapshot after every command, so every ballot below has one at its head.
      // The engine holds its signing key (beside the SQLite file, or configured); the attacker has the database only.
      api = await startApi({ dir: dir.path, store: kind, clock, ballotPollMs: 3_600_000, env: { U4SSC_SNAPSHOT_EVERY: '1' } });
      secretariat = await bearer(api, 'sec-1', ['secretariat']);
      await registerPartners(api, secretariat, four);
      for (const { partnerId } of four) rep[partnerId] = await representativeOf(api, partnerId);
      attacker = kind === 'sqlite' ? sqliteAttacker(api.config.sqliteFile) : await postgresAttacker(api.config.databaseSchema!);
    });
    afterAll(async () => {
      await attacker?.close();
      await api?.close();
      dir.remove();
    });

    const vote = (ballotId: string, partnerId: string, choice: string) =>
      request(api.server).post(`/v1/ballots/${ballotId}/votes`).set('Authorization', rep[partnerId]!).send({ choice });

    /** A ballot of four on which ITU voted yes and UNECE no (CBD and FAO have not voted). */
    async function votedBallot(title: string): Promise<{ ballotId: string; stream: string }> {
      const ballotId = await openBallot(api, secretariat, { subject: { kind: 'other', title }, closesAt: inDays(clock.now(), 7) });
      await vote(ballotId, 'ITU', 'yes').expect(201);
      await vote(ballotId, 'UNECE', 'no').expect(201);
      return { ballotId, stream: ballotStream(ballotId) };
    }

    /**
     * The stored snapshot is what the next command starts from, once this process's own folded state is gone (as for
     * another instance, or this one after a restart): checked here before the forgery, so the test shows it is the
     * signature, not a stale hash, that keeps the forgery out.
     */
    async function forgetCachedState(stream: string, expectSnapshotUsed: boolean): Promise<void> {
      const settings = api.app.get<RunnerSnapshots>(RUNNER_SNAPSHOTS);
      settings.cache!.delete(stream);
      const current = await loadCurrent(api.stores.events, PROCESS_REGISTRY.get('ballot')!, stream, { ...settings, cache: undefined, onProblem: () => undefined }, api.app.get<LogIntegrity>(LOG_INTEGRITY));
      expect([stream, current.base === current.state.revision]).toEqual([stream, expectSnapshotUsed]);
    }

    const decidedOf = async (stream: string) => (await api.stores.events.readStream(stream)).find((event) => event.type === 'BallotDecided')!;

    it('(a) a snapshot forged with 17 extra yes votes: the close records the true tally', async () => {
      const { ballotId, stream } = await votedBallot('Logo use');
      await vote(ballotId, 'CBD', 'no').expect(201);
      await forgetCachedState(stream, true);
      await attacker.forgeSnapshot(stream, (state) => {
        for (let index = 1; index <= 17; index += 1) {
          const partnerId = `FORGED-${index}`;
          state.context.electorate.push(partnerId);
          state.context.votes.push({ partnerId, choice: 'yes' });
          state.context.current[partnerId] = 'yes';
        }
      });
      await forgetCachedState(stream, false);
      const closed = await request(api.server).post(`/v1/ballots/${ballotId}/close`).set('Authorization', secretariat).send({ reason: 'agenda' }).expect(200);
      expect(closed.body.state).toBe('rejected');
      expect((await decidedOf(stream)).data).toMatchObject({ outcome: 'rejected', tally: { yes: 1, no: 2, eligible: four.map((p) => p.partnerId).sort() } });
    });

    it('(b) a snapshot forged to say "withdrawn": votes are still accepted', async () => {
      const { ballotId, stream } = await votedBallot('Hub request');
      await forgetCachedState(stream, true);
      await attacker.forgeSnapshot(stream, (state) => {
        state.status = 'done';
        state.value = 'withdrawn';
      });
      await forgetCachedState(stream, false);
      await vote(ballotId, 'CBD', 'yes').expect(201);
      expect((await api.stores.events.readStream(stream)).at(-1)).toMatchObject({ type: 'VoteCast', data: { partnerId: 'CBD', choice: 'yes' } });
    });

    it('(c) a snapshot forged with another subject: BallotDecided carries the true subject', async () => {
      const { ballotId, stream } = await votedBallot('Annual report 2026');
      await forgetCachedState(stream, true);
      await attacker.forgeSnapshot(stream, (state) => {
        state.context.subject = { kind: 'other', title: 'Dissolve the U4SSC' };
      });
      await forgetCachedState(stream, false);
      await request(api.server).post(`/v1/ballots/${ballotId}/close`).set('Authorization', secretariat).send({ reason: 'agenda' }).expect(200);
      expect((await decidedOf(stream)).data).toMatchObject({ subject: { kind: 'other', title: 'Annual report 2026' }, tally: { yes: 1, no: 1 } });
    });

    it('(d) a vote slipped in by SQL, at position 0 or unsigned at the head: the next command is refused, appending nothing', async () => {
      for (const position of [0, 'head'] as const) {
        const { ballotId, stream } = await votedBallot(`Forged vote at ${position}`);
        const events = await api.stores.events.readStream(stream);
        const last = events.at(-1)!;
        // A correctly chained CBD "yes", its hash recomputed: all an attacker without the key can make.
        const [forged] = chainEvents(stream, last.revision, last.hash, [
          { id: `forged-${position}-${ballotId}`, type: 'VoteCast', data: { ...last.data as object, partnerId: 'CBD', choice: 'yes' }, metadata: { ...last.metadata, actor: { id: 'rep-CBD', role: 'partner', org: 'CBD' }, commandId: `forged-${position}` } },
        ]);
        let refusedByDatabase = false;
        await attacker.insertEvent(forged!, position).catch(() => (refusedByDatabase = true));
        if (refusedByDatabase) {
          // The database's own guards refused the row: that half is a pass; the runner's check is shown at the head.
          expect(position).toBe(0);
          continue;
        }
        const rows = await attacker.rows();
        const answer = await request(api.server).post(`/v1/ballots/${ballotId}/close`).set('Authorization', secretariat).send({ reason: 'agenda' });
        expect([position, answer.status]).toEqual([position, 500]);
        expect(answer.headers['content-type']).toMatch(/application\/problem\+json/);
        expect(answer.body).toMatchObject({
          type: expect.stringMatching(/integrity-fault$/),
          stream,
          revision: last.revision + 1,
          ...(position === 0 ? { position: 0 } : {}),
          detail: expect.stringMatching(position === 0 ? /position 0, where no reader of the whole log/ : /carries no signature/),
        });
        expect(answer.body.detail).toMatch(/u4ssc verify/);
        expect(await attacker.rows()).toBe(rows);
        // Another Partner's vote on the same ballot is refused the same way: the forged row is never counted.
        const other = await vote(ballotId, 'CBD', 'no');
        expect([other.status, other.body.type]).toEqual([500, expect.stringMatching(/integrity-fault$/)]);
        expect(await attacker.rows()).toBe(rows);
      }
    });
  });
});
