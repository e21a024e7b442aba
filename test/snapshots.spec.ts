import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import Database from 'better-sqlite3';
import pg from 'pg';
import request from 'supertest';
import { PROCESS_REGISTRY } from '../libs/audit/process-registry.js';
import { copyLog, RUNNER_SNAPSHOTS } from '../libs/engine/index.js';
import type { StoredEvent } from '../libs/envelope/index.js';
import { readAllEvents, SqliteEventStore, type EventStore } from '../libs/event-store/index.js';
import { PostgresEventStore } from '../libs/event-store/postgres/index.js';
import { describePostgres, freshSchema, postgresTestUrl, type FreshSchema } from '../libs/event-store/postgres/test-database.js';
import { ManualClock } from '../libs/kernel/clock.js';
import {
  foldEvents,
  foldOnto,
  loadCurrent,
  loadProcess,
  restoreState,
  saveSnapshot,
  SNAPSHOT_FORMAT,
  StateCache,
  type ProcessState,
  type RunnerSnapshots,
} from '../libs/process-runner/index.js';
import { SqliteSnapshotStore, type SnapshotStore } from '../libs/snapshots/index.js';
import { PostgresSnapshotStore } from '../libs/snapshots/postgres/postgres-snapshot-store.js';
import { SigningKey } from '../libs/signing/index.js';
import { startApi, type ApiHarness } from './support/api-harness.js';
import { ANNEX_II, bearer, eventually, inDays, openBallot, registerPartners, representativeOf } from './support/ballots.js';
import { tempDir } from './support/temp-dir.js';
import { cycleToPresented, getCycle, importOfficeHolder, postOn, type Cast } from './support/workplans.js';

/**
 * Snapshots (issue 8) against the full fold, on logs the real API wrote for every process: a state resumed from a
 * snapshot at any revision, plus the events after it, is the state of the full fold, on SQLite and PostgreSQL;
 * `u4ssc serve`'s wiring writes and reads them; dropping them changes no answer.
 */

/** The key these tests sign their snapshots with, as the engine does with its own. */
const key = SigningKey.generate();

/** What must be equal whichever way a state was reached. */
const observable = (state: ProcessState) => ({
  value: state.value,
  context: state.context,
  revision: state.revision,
  machineVersion: state.machineVersion,
  status: state.snapshot.status,
  output: state.snapshot.output,
});

async function streamsOf(store: EventStore): Promise<Map<string, StoredEvent[]>> {
  const streams = new Map<string, StoredEvent[]>();
  for await (const event of readAllEvents(store)) streams.set(event.stream, [...(streams.get(event.stream) ?? []), event]);
  return streams;
}

/**
 * For every stream and every revision r: the fold up to r is written as a snapshot to the real snapshot store and
 * read back by the runner's loader, which must start from it (base r) and reach the full fold's state; and, step by
 * step from the restored state, every later event leads where the full fold does. Answers the machines covered.
 */
async function expectResumedEqualsFull(events: EventStore, snapshots: SnapshotStore): Promise<Set<string>> {
  const problems: string[] = [];
  const settings: RunnerSnapshots = { store: snapshots, key, every: 1, onProblem: (message) => problems.push(message) };
  const machines = new Set<string>();
  for (const [stream, history] of await streamsOf(events)) {
    const pinned = history[0]!.metadata.machine;
    const definition = PROCESS_REGISTRY.get(pinned.id)!;
    const machine = definition.versions[pinned.version]!;
    machines.add(pinned.id);
    const full = (await loadProcess(events, definition, stream)).state;
    const fullAt = history.map((_, revision) => foldEvents(machine, definition.input(stream), history.slice(0, revision + 1), pinned.version));
    for (let revision = 0; revision < history.length; revision += 1) {
      await snapshots.clear();
      expect(await saveSnapshot(settings, definition, stream, fullAt[revision]!, -1, history[revision]!.hash)).toBe('written');
      const resumed = await loadCurrent(events, definition, stream, settings);
      expect([stream, revision, resumed.base, observable(resumed.state)]).toEqual([stream, revision, revision, observable(full)]);

      let state = restoreState(machine, (await snapshots.latest(stream, pinned.id, SNAPSHOT_FORMAT))!);
      for (const next of history.slice(revision + 1)) {
        state = foldOnto(machine, state, [next]);
        expect([stream, revision, next.revision, observable(state)]).toEqual([stream, revision, next.revision, observable(fullAt[next.revision]!)]);
      }
    }
  }
  expect(problems).toEqual([]);
  return machines;
}

describe('snapshots on logs of every process', () => {
  const dir = tempDir();
  const clock = new ManualClock('2026-09-01T09:00:00.000Z');
  let file: string;

  beforeAll(async () => {
    // One log with streams of all four processes, written through the API as users would.
    const api = await startApi({ dir: dir.path, clock, ballotPollMs: 3_600_000 });
    file = api.config.sqliteFile;
    try {
      const secretariat = await bearer(api, 'sec-1', ['secretariat']);
      const three = ANNEX_II.slice(0, 3);
      await registerPartners(api, secretariat, three);
      const rep: Record<string, string> = {};
      for (const { partnerId } of three) rep[partnerId] = await representativeOf(api, partnerId);
      // A fourth Partner comes and goes: a longer stream whose context grows with each membership period.
      const fourth = ANNEX_II[3]!;
      for (let round = 0; round < 4; round += 1) {
        clock.advance(86_400_000);
        await request(api.server).post('/v1/partners').set('Authorization', secretariat).send({ ...fourth, intentReference: `round ${round}` }).expect(201);
        clock.advance(86_400_000);
        await request(api.server).post(`/v1/partners/${fourth.partnerId}/withdraw`).set('Authorization', secretariat).send({ reason: `round ${round}` }).expect(200);
      }
      // The Chair, nominated and appointed on a decided appointment ballot; a Leader from the bootstrap import.
      await request(api.server).post('/v1/offices/chair/nominations').set('Authorization', rep[three[0]!.partnerId]!).send({ nomineeId: 'p-chair', nomineeName: 'Ms Chair' }).expect(201);
      const appointment = await openBallot(api, secretariat, {
        subject: { kind: 'appointment', reference: 'office:chair:p-chair', title: 'Chair 2026-2028' },
        question: 'Appoint Ms Chair as Chair?',
        closesAt: inDays(clock.now(), 7),
      });
      for (const { partnerId } of three) {
        await request(api.server).post(`/v1/ballots/${appointment}/votes`).set('Authorization', rep[partnerId]!).send({ choice: 'yes' }).expect(201);
      }
      await request(api.server).post('/v1/offices/chair/appointments').set('Authorization', secretariat).send({ holderId: 'p-chair', holderName: 'Ms Chair', ballotId: appointment }).expect(201);
      await importOfficeHolder(api, 'leader-kpis', 'p-kpi', '2025-11-01T00:00:00.000Z');
      // A workplan cycle to agreement, through its ballot and the saga.
      const cast: Cast = { secretariat, chair: await bearer(api, 'p-chair', ['participant']), leader: await bearer(api, 'p-kpi', ['participant']), rep };
      await cycleToPresented(api, clock, '2027', cast, three.map((partner) => partner.partnerId));
      const put = await postOn(api, '2027', 'ballot', secretariat, { closesAt: inDays(clock.now(), 1) }).expect(201);
      const ballotId = put.body.resource.ballots[0].ballotId as string;
      for (const { partnerId } of three) {
        await request(api.server).post(`/v1/ballots/${ballotId}/votes`).set('Authorization', rep[partnerId]!).send({ choice: 'yes' }).expect(201);
      }
      const auditor = await bearer(api, 'aud-1', ['auditor']);
      await eventually(async () => (await getCycle(api, '2027', auditor)).state === 'agreed', 10_000, 'the saga recording the agreement');
    } finally {
      await api.close();
    }
  });
  afterAll(() => dir.remove());

  it('covers every process the engine runs', async () => {
    const events = SqliteEventStore.open(file);
    try {
      const machines = new Set([...(await streamsOf(events)).values()].map((history) => history[0]!.metadata.machine.id));
      expect([...machines].sort()).toEqual([...PROCESS_REGISTRY.keys()].sort());
    } finally {
      await events.close();
    }
  });

  it('SQLite: a snapshot at any revision plus the events after it gives the full fold, for every stream', async () => {
    const events = SqliteEventStore.open(file);
    const snapshots = SqliteSnapshotStore.open(file);
    try {
      expect([...(await expectResumedEqualsFull(events, snapshots))].sort()).toEqual([...PROCESS_REGISTRY.keys()].sort());
    } finally {
      await snapshots.close();
      await events.close();
    }
  });

  it('SQLite: dropping the snapshot table changes no answer', async () => {
    const events = SqliteEventStore.open(file);
    const snapshots = SqliteSnapshotStore.open(file);
    const problems: string[] = [];
    const settings: RunnerSnapshots = { store: snapshots, key, every: 1, onProblem: (message) => problems.push(message) };
    try {
      const streams = await streamsOf(events);
      const before = new Map<string, unknown>();
      for (const [stream, history] of streams) {
        const definition = PROCESS_REGISTRY.get(history[0]!.metadata.machine.id)!;
        const full = (await loadProcess(events, definition, stream)).state;
        await saveSnapshot(settings, definition, stream, full, -1, history.at(-1)!.hash);
        const resumed = await loadCurrent(events, definition, stream, settings);
        expect(resumed.base).toBe(history.length - 1);
        before.set(stream, observable(resumed.state));
      }
      const other = new Database(file);
      other.exec('DROP TABLE snapshots');
      other.close();
      for (const [stream, history] of streams) {
        const definition = PROCESS_REGISTRY.get(history[0]!.metadata.machine.id)!;
        const resumed = await loadCurrent(events, definition, stream, settings);
        expect([stream, resumed.base, observable(resumed.state)]).toEqual([stream, -1, before.get(stream)]);
      }
      expect(problems).toHaveLength(streams.size);
      expect(problems[0]).toMatch(/no such table: snapshots/);
    } finally {
      await snapshots.close();
      await events.close();
    }
  });

  describePostgres('PostgreSQL', () => {
    let schema: FreshSchema;
    let events: PostgresEventStore;
    let snapshots: PostgresSnapshotStore;
    beforeAll(async () => {
      schema = await freshSchema('snapshots');
      events = await PostgresEventStore.open({ connectionString: schema.url, schema: schema.schema });
      snapshots = await PostgresSnapshotStore.open({ connectionString: schema.url, schema: schema.schema });
      const source = SqliteEventStore.open(file);
      try {
        await copyLog(source, events);
      } finally {
        await source.close();
      }
    });
    afterAll(async () => {
      await snapshots?.close();
      await events?.close();
      await schema?.drop();
    });

    it('a snapshot at any revision plus the events after it gives the full fold, for every stream', async () => {
      expect([...(await expectResumedEqualsFull(events, snapshots))].sort()).toEqual([...PROCESS_REGISTRY.keys()].sort());
    });

    it('dropping the snapshot table changes no answer', async () => {
      const problems: string[] = [];
      const settings: RunnerSnapshots = { store: snapshots, key, every: 1, onProblem: (message) => problems.push(message) };
      const streams = await streamsOf(events);
      const answers = async () => {
        const out = new Map<string, unknown>();
        for (const [stream, history] of streams) {
          const definition = PROCESS_REGISTRY.get(history[0]!.metadata.machine.id)!;
          out.set(stream, observable((await loadCurrent(events, definition, stream, settings)).state));
        }
        return out;
      };
      for (const [stream, history] of streams) {
        const definition = PROCESS_REGISTRY.get(history[0]!.metadata.machine.id)!;
        await saveSnapshot(settings, definition, stream, (await loadProcess(events, definition, stream)).state, -1, history.at(-1)!.hash);
      }
      const before = await answers();
      const client = new pg.Client({ connectionString: postgresTestUrl() });
      await client.connect();
      await client.query(`DROP TABLE ${pg.escapeIdentifier(schema.schema)}.snapshots`);
      await client.end();
      expect(await answers()).toEqual(before);
      expect(problems[0]).toMatch(/does not exist/);
    });
  });
});

/**
 * `u4ssc serve`'s wiring on each store kind: with the default interval (100), the 100th event of a stream brings a
 * snapshot, which the next commands start from; dropping the table mid-run changes no answer.
 */
describe.each([['sqlite'], ['postgres']] as const)('the API keeps snapshots (%s)', (kind) => {
  const run = kind === 'postgres' ? describePostgres : describe;
  run(`on ${kind}`, () => {
    const dir = tempDir();
    let api: ApiHarness;
    let secretariat: string;
    const partner = ANNEX_II[0]!;
    const stream = `partner-${partner.partnerId}`;
    let registered = false;

    beforeAll(async () => {
      api = await startApi({ dir: dir.path, store: kind });
      secretariat = await bearer(api, 'sec-1', ['secretariat']);
    });
    afterAll(async () => {
      await api?.close();
      dir.remove();
    });

    /** One more command on the Partner's stream, alternating registration and withdrawal; answers its revision. */
    async function flip(key?: string): Promise<{ revision: number; state: string }> {
      const send = registered
        ? request(api.server).post(`/v1/partners/${partner.partnerId}/withdraw`).send({ reason: 'flip' })
        : request(api.server).post('/v1/partners').send({ ...partner, intentReference: 'flip' });
      const response = await send.set('Authorization', secretariat).set(key ? { 'Idempotency-Key': key } : {});
      expect([response.status, response.body.detail]).toEqual([registered ? 200 : 201, undefined]);
      registered = !registered;
      return { revision: response.body.revision, state: response.body.state };
    }

    const definition = PROCESS_REGISTRY.get('partner')!;
    const fullState = async () => observable((await loadProcess(api.stores.events, definition, stream)).state);

    it('is given the stores’ snapshot store, the default interval and a cache of folded states', () => {
      expect(api.app.get(RUNNER_SNAPSHOTS)).toMatchObject({ store: api.stores.snapshots, every: 100, cache: expect.any(StateCache) });
    });

    it('writes a snapshot at the 100th event and starts the next commands from it, answering as a full fold', async () => {
      for (let index = 0; index < 99; index += 1) await flip();
      expect(await api.stores.snapshots.latest(stream, 'partner', SNAPSHOT_FORMAT)).toBeUndefined();
      expect(await flip()).toEqual({ revision: 99, state: 'withdrawn' });
      const snapshot = (await api.stores.snapshots.latest(stream, 'partner', SNAPSHOT_FORMAT))!;
      expect(snapshot).toMatchObject({ revision: 99, machineVersion: 1, hash: (await api.stores.events.readStream(stream, { fromRevision: 99 }))[0]!.hash });

      for (let index = 0; index < 5; index += 1) await flip();
      const settings = api.app.get<RunnerSnapshots>(RUNNER_SNAPSHOTS);
      // The stored snapshot (what another instance, or this one after a restart, starts from) ...
      const current = await loadCurrent(api.stores.events, definition, stream, { ...settings, cache: undefined });
      expect(current.base).toBe(99);
      expect(observable(current.state)).toEqual(await fullState());
      expect((current.state.context as { periods: unknown[] }).periods).toHaveLength(53);
      // ... and the state this instance folded last, which its next command starts from.
      expect(observable(settings.cache!.get(stream)!.state)).toEqual(await fullState());
    });

    it('answers a command retried with its Idempotency-Key after the snapshot with the first answer, appending nothing', async () => {
      const head = await api.stores.events.lastRevision(stream);
      const first = await flip('flip-once');
      const again = await (registered
        ? request(api.server).post('/v1/partners').send({ ...partner, intentReference: 'flip' })
        : request(api.server).post(`/v1/partners/${partner.partnerId}/withdraw`).send({ reason: 'flip' }))
        .set('Authorization', secretariat)
        .set('Idempotency-Key', 'flip-once');
      expect([again.status < 300, again.body.revision]).toEqual([true, first.revision]);
      expect(await api.stores.events.lastRevision(stream)).toBe(head + 1);
    });

    it('goes on answering as a full fold once the snapshot table is dropped under it', async () => {
      if (kind === 'sqlite') {
        const other = new Database(join(dir.path, 'u4ssc.sqlite'));
        other.exec('DROP TABLE snapshots');
        other.close();
      } else {
        const client = new pg.Client({ connectionString: postgresTestUrl() });
        await client.connect();
        await client.query(`DROP TABLE ${pg.escapeIdentifier(api.config.databaseSchema!)}.snapshots`);
        await client.end();
      }
      for (let index = 0; index < 3; index += 1) {
        const answer = await flip();
        expect(answer.state).toBe((await fullState()).value);
      }
      expect((await fullState()).revision).toBe((await api.stores.events.lastRevision(stream)));
    });
  });
});
