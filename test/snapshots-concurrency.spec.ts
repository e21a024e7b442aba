import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { ballotProcess, ballotStream, BALLOT_RULE_TABLE, decideOpenBallot, decideVote } from '../libs/ballots/index.js';
import type { Actor } from '../libs/envelope/index.js';
import { ConflictError } from '../libs/errors/index.js';
import { SqliteEventStore, type EventStore } from '../libs/event-store/index.js';
import { PostgresEventStore } from '../libs/event-store/postgres/index.js';
import { describePostgres, freshSchema, postgresTestUrl, type FreshSchema } from '../libs/event-store/postgres/test-database.js';
import { ManualClock } from '../libs/kernel/clock.js';
import { newId } from '../libs/kernel/ids.js';
import { foldEvents, restoreState, runCommand, SNAPSHOT_FORMAT, type RunnerDeps } from '../libs/process-runner/index.js';
import { SqliteSnapshotStore, type SnapshotStore } from '../libs/snapshots/index.js';
import { PostgresSnapshotStore } from '../libs/snapshots/postgres/postgres-snapshot-store.js';
import { SigningKey } from '../libs/signing/index.js';
import type { RuleSet } from '../state-machines/ballot/ballot.rules.js';
import { tempDir } from './support/temp-dir.js';

/**
 * Two writers (as two API processes: each its own connections to the event log and to the snapshot table) race on
 * one ballot's stream, each writing a snapshot after every command. Every race has one winner; the loser meets the
 * conflict and decides again (or, with no retry allowed, answers ConflictError, a 409); and the snapshot kept is
 * always the full fold at its revision, with that revision's hash.
 */

const secretariat: Actor = { id: 'sec-1', role: 'secretariat' };
/** One engine key for every writer, as instances that share a key (or trust each other's published keys) have. */
const key = SigningKey.generate();
const rep = (org: string): Actor => ({ id: `rep-${org}`, role: 'partner', org });
const ELECTORATE = Array.from({ length: 16 }, (_, index) => `P${String(index).padStart(2, '0')}`);
const RULES: RuleSet = {
  quorum: { numerator: 1, denominator: 2 },
  threshold: 'simple-majority',
  abstentionsCountTowardQuorum: true,
  allowVoteChange: true,
  closeEarlyWhenAllVoted: false,
  revealTallyWhileOpen: false,
};

/** Holds the first `parties` appends of a round until all have arrived, so both writers have read before either writes. */
class Gate {
  private waiting: (() => void)[] = [];
  private open = false;
  appends = 0;
  constructor(private readonly parties: number) {}
  reset(): void {
    this.open = false;
    this.waiting = [];
    this.appends = 0;
  }
  async arrive(): Promise<void> {
    this.appends += 1;
    if (this.open) return;
    await new Promise<void>((resolve) => {
      this.waiting.push(resolve);
      if (this.waiting.length === this.parties) {
        this.open = true;
        for (const release of this.waiting) release();
      }
    });
  }
}

/** The real store, its appends passing the gate first. */
function gated(store: EventStore, gate: Gate): EventStore {
  return new Proxy(store, {
    get(target, property) {
      if (property === 'append') {
        return async (...args: Parameters<EventStore['append']>) => {
          await gate.arrive();
          return target.append(...args);
        };
      }
      const value = Reflect.get(target, property) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

interface Writer {
  events: EventStore;
  snapshots: SnapshotStore;
}

interface Backend {
  open(): Promise<Writer>;
  dispose(): Promise<void>;
}

const sqliteBackend = (): Backend => {
  const dir = tempDir();
  const file = join(dir.path, 'u4ssc.sqlite');
  return {
    open: async () => ({ events: SqliteEventStore.open(file), snapshots: SqliteSnapshotStore.open(file) }),
    dispose: async () => dir.remove(),
  };
};

const postgresBackend = async (): Promise<Backend> => {
  const schema: FreshSchema = await freshSchema('snapshot_race');
  const options = { connectionString: schema.url, schema: schema.schema };
  return {
    open: async () => ({ events: await PostgresEventStore.open(options), snapshots: await PostgresSnapshotStore.open(options) }),
    dispose: () => schema.drop(),
  };
};

function describeRace(name: string, backend: () => Promise<Backend>, wrap: (name: string, fn: () => void) => void): void {
  wrap(`two writers racing on one stream with snapshots (${name})`, () => {
    let store: Backend;
    let writers: Writer[];
    const gate = new Gate(2);
    const clock = new ManualClock('2026-02-01T00:00:00.000Z');
    const ballotId = 'race';
    const stream = ballotStream(ballotId);

    beforeEach(async () => {
      store = await backend();
      writers = [await store.open(), await store.open()];
      const closesAt = new Date(clock.now().getTime() + 7 * 86_400_000).toISOString();
      await runCommand({ store: writers[0]!.events, clock }, ballotProcess, stream, { commandId: newId(), actor: secretariat }, decideOpenBallot(
        { ballotId, subject: { kind: 'workplan', title: 'W' }, question: 'Q', channel: 'electronic', closesAt, rules: RULES, rulesReason: 'a race' },
        secretariat,
        { now: clock.now(), electorate: ELECTORATE, table: BALLOT_RULE_TABLE },
      ));
    });
    afterEach(async () => {
      for (const writer of writers ?? []) {
        await writer.events.close();
        await writer.snapshots.close();
      }
      await store?.dispose();
    });

    const deps = (writer: Writer, maxAttempts?: number): RunnerDeps => ({
      store: gated(writer.events, gate),
      clock,
      snapshots: { store: writer.snapshots, key, every: 1, onProblem: (message) => { throw new Error(`unexpected: ${message}`); } },
      ...(maxAttempts !== undefined ? { maxAttempts } : {}),
    });
    const vote = (writer: Writer, voter: string, maxAttempts?: number) =>
      runCommand(deps(writer, maxAttempts), ballotProcess, stream, { commandId: newId(), actor: rep(voter) }, decideVote({ ballotId, partnerId: voter, choice: 'yes' }, rep(voter), clock.now()));

    /** The snapshot kept is the full fold at its revision, and names that revision's event by its hash. */
    async function expectSoundSnapshot(): Promise<void> {
      const events = await writers[0]!.events.readStream(stream);
      const snapshot = (await writers[1]!.snapshots.latest(stream, 'ballot', SNAPSHOT_FORMAT))!;
      expect(snapshot.hash).toBe(events[snapshot.revision]!.hash);
      const machine = ballotProcess.versions[snapshot.machineVersion]!;
      const restored = restoreState(machine, snapshot);
      const full = foldEvents(machine, ballotProcess.input(stream), events.slice(0, snapshot.revision + 1), snapshot.machineVersion);
      expect({ value: restored.value, context: restored.context, status: restored.snapshot.status }).toEqual({
        value: full.value,
        context: full.context,
        status: full.snapshot.status,
      });
    }

    it('one append wins each race, the other retries after the conflict; no vote is lost', async () => {
      for (let round = 0; round < 6; round += 1) {
        gate.reset();
        clock.advance(60_000);
        const before = await writers[0]!.events.lastRevision(stream);
        const [a, b] = await Promise.all([vote(writers[0]!, ELECTORATE[2 * round]!), vote(writers[1]!, ELECTORATE[2 * round + 1]!)]);
        expect(gate.appends).toBe(3);
        expect([a.events.length, b.events.length, a.duplicate, b.duplicate]).toEqual([1, 1, false, false]);
        expect([a.state.revision, b.state.revision].sort()).toEqual([before + 1, before + 2]);
        await expectSoundSnapshot();
      }
      const events = await writers[1]!.events.readStream(stream);
      expect(events.filter((event) => event.type === 'VoteCast').map((event) => (event.data as { partnerId: string }).partnerId).sort()).toEqual(ELECTORATE.slice(0, 12));
    });

    it('without a retry, one writer gets its event in and the other a ConflictError (409); the snapshot stays sound', async () => {
      for (let round = 0; round < 4; round += 1) {
        gate.reset();
        clock.advance(60_000);
        const before = await writers[0]!.events.lastRevision(stream);
        const results = await Promise.allSettled([vote(writers[0]!, ELECTORATE[2 * round]!, 1), vote(writers[1]!, ELECTORATE[2 * round + 1]!, 1)]);
        expect(results.map((result) => result.status).sort()).toEqual(['fulfilled', 'rejected']);
        const refused = results.find((result) => result.status === 'rejected') as PromiseRejectedResult;
        expect(refused.reason).toBeInstanceOf(ConflictError);
        expect(await writers[1]!.events.lastRevision(stream)).toBe(before + 1);
        await expectSoundSnapshot();
      }
    });
  });
}

describeRace('SQLite, two connections to one file', async () => sqliteBackend(), describe);
describeRace('PostgreSQL, two pools on one schema', postgresBackend, describePostgres);
