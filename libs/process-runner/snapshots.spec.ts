import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { assign, setup } from 'xstate';
import { MemoryEventStore, SqliteEventStore, type EventStore } from '../event-store/index.js';
import { ManualClock } from '../kernel/clock.js';
import { newId } from '../kernel/ids.js';
import { SigningKey } from '../signing/index.js';
import { MemorySnapshotStore, SqliteSnapshotStore, type ProcessSnapshot, type SnapshotStore } from '../snapshots/index.js';
import { loadProcess } from './load-process.js';
import type { ProcessDefinition } from './process-definition.js';
import { loadCurrent, type RunnerSnapshots } from './resume.js';
import { runCommand, type Decide } from './run-command.js';
import { SNAPSHOT_FORMAT } from './snapshot-state.js';
import { snapshotSignedBody } from '../snapshots/index.js';
import { StateCache } from './state-cache.js';

type LedgerEvent = { type: 'Entered'; data: { amount: number } } | { type: 'Closed'; data: { note: string } };

/**
 * A process whose context grows with its history (like a Partner's membership periods) and which ends in a final
 * state; `factor` makes a second, incompatible machine version.
 */
function ledgerMachine(factor: number) {
  return setup({
    types: { context: {} as { total: number; entries: { amount: number; at: string }[]; note: string | null }, events: {} as LedgerEvent & { meta: { occurredAt: string } } },
  }).createMachine({
    id: 'ledger',
    initial: 'open',
    context: { total: 0, entries: [], note: null },
    states: {
      open: {
        on: {
          Entered: {
            actions: assign(({ context, event }) => ({
              total: context.total + factor * event.data.amount,
              entries: [...context.entries, { amount: event.data.amount, at: event.meta.occurredAt }],
            })),
            meta: { clauses: ['¶13(b)'] },
          },
          Closed: { target: 'closed', actions: assign(({ event }) => ({ note: event.data.note })), meta: { clauses: ['¶19'] } },
        },
      },
      closed: { type: 'final' },
    },
  });
}

const ledgerV1 = ledgerMachine(1);
const definition: ProcessDefinition = { id: 'ledger', currentVersion: 1, versions: { 1: ledgerV1 }, torVersion: 'test-tor', input: () => ({}) };
const actor = { id: 'sec-1', role: 'secretariat' };
/** The engine's key in these tests: the log publishes none, so a snapshot is trusted only when this key signed it. */
const key = SigningKey.generate();
const enter = (amount: number): Decide => () => [{ type: 'Entered', data: { amount } }];
const enterTwice = (amount: number): Decide => () => [
  { type: 'Entered', data: { amount } },
  { type: 'Entered', data: { amount: amount + 1 } },
];

/** `snapshot` with a signature by `by` over its content. */
const signed = (snapshot: ProcessSnapshot, by = key): ProcessSnapshot => ({
  ...snapshot,
  signature: { keyId: by.keyId, value: by.sign('snapshot', snapshotSignedBody(snapshot)) },
});

/** What must be equal whichever way a state was reached. */
const observable = (state: { value: string; context: unknown; revision: number; machineVersion: number; snapshot: { status: string } }) => ({
  value: state.value,
  context: state.context,
  revision: state.revision,
  machineVersion: state.machineVersion,
  status: state.snapshot.status,
});

interface Harness {
  events: EventStore;
  snapshots: SnapshotStore;
  problems: string[];
  settings(every?: number): RunnerSnapshots;
  close(): Promise<void>;
}

const kinds: [string, () => Harness][] = [
  [
    'memory',
    () => {
      const problems: string[] = [];
      const events = new MemoryEventStore();
      const snapshots = new MemorySnapshotStore();
      return {
        events,
        snapshots,
        problems,
        settings: (every = 10) => ({ store: snapshots, key, every, onProblem: (message) => problems.push(message) }),
        close: async () => {
          await events.close();
          await snapshots.close();
        },
      };
    },
  ],
  [
    'sqlite file',
    () => {
      const problems: string[] = [];
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'u4ssc-snapshots-'));
      const file = path.join(dir, 'u4ssc.sqlite');
      const events = SqliteEventStore.open(file);
      const snapshots = SqliteSnapshotStore.open(file);
      return {
        events,
        snapshots,
        problems,
        settings: (every = 10) => ({ store: snapshots, key, every, onProblem: (message) => problems.push(message) }),
        close: async () => {
          await events.close();
          await snapshots.close();
          fs.rmSync(dir, { recursive: true, force: true });
        },
      };
    },
  ],
];

describe.each(kinds)('runner snapshots (%s)', (_kind, open) => {
  let h: Harness;
  let clock: ManualClock;
  beforeEach(() => {
    h = open();
    clock = new ManualClock('2026-05-01T10:00:00.000Z');
  });
  afterEach(async () => {
    await h.close();
  });

  /** Runs `count` one-event commands, a minute apart, with snapshots every `every` events. */
  async function grow(stream: string, count: number, every = 10, start = 1): Promise<void> {
    const deps = { store: h.events, clock, snapshots: h.settings(every) };
    for (let index = 0; index < count; index += 1) {
      clock.advance(60_000);
      await runCommand(deps, definition, stream, { commandId: newId(), actor }, enter(start + index));
    }
  }

  it('writes a snapshot once the stream has grown by `every` events, and later commands start from it', async () => {
    await grow('ledger-1', 9);
    expect(await h.snapshots.latest('ledger-1', 'ledger', SNAPSHOT_FORMAT)).toBeUndefined();
    await grow('ledger-1', 1, 10, 10);
    expect(await h.snapshots.latest('ledger-1', 'ledger', SNAPSHOT_FORMAT)).toMatchObject({ revision: 9, machineVersion: 1 });
    await grow('ledger-1', 9, 10, 11);
    expect((await h.snapshots.latest('ledger-1', 'ledger', SNAPSHOT_FORMAT))!.revision).toBe(9);
    await grow('ledger-1', 1, 10, 20);
    const latest = (await h.snapshots.latest('ledger-1', 'ledger', SNAPSHOT_FORMAT))!;
    expect(latest.revision).toBe(19);
    expect(latest.hash).toBe((await h.events.readStream('ledger-1')).at(-1)!.hash);

    const resumed = await loadCurrent(h.events, definition, 'ledger-1', h.settings());
    expect(resumed.base).toBe(19);
    expect(resumed.events).toEqual([]);
    expect(observable(resumed.state)).toEqual(observable((await loadProcess(h.events, definition, 'ledger-1')).state));
    expect(resumed.state.context).toMatchObject({ total: 210 });
    expect(h.problems).toEqual([]);
  });

  it('answers every command as a full fold would, whatever the snapshot interval', async () => {
    for (const every of [1, 2, 3, 7]) {
      const stream = `ledger-every-${every}`;
      const deps = { store: h.events, clock, snapshots: h.settings(every) };
      for (let index = 1; index <= 15; index += 1) {
        clock.advance(1000);
        const decide = index % 4 === 0 ? enterTwice(index) : enter(index);
        const outcome = await runCommand(deps, definition, stream, { commandId: newId(), actor }, decide);
        expect(observable(outcome.state)).toEqual(observable((await loadProcess(h.events, definition, stream)).state));
        expect(observable((await loadCurrent(h.events, definition, stream, h.settings(every))).state)).toEqual(observable(outcome.state));
      }
      const closed = await runCommand(deps, definition, stream, { commandId: newId(), actor }, () => [{ type: 'Closed', data: { note: 'done' } }]);
      expect(closed.state).toMatchObject({ value: 'closed', snapshot: { status: 'done' } });
      const resumed = await loadCurrent(h.events, definition, stream, h.settings(every));
      expect(observable(resumed.state)).toEqual(observable((await loadProcess(h.events, definition, stream)).state));
    }
    expect(h.problems).toEqual([]);
  });

  it('recognises a command applied before the snapshot, one or several events, and appends nothing', async () => {
    const deps = { store: h.events, clock, snapshots: h.settings(3) };
    const single = await runCommand(deps, definition, 'ledger-1', { commandId: 'cmd-single', actor }, enter(1));
    const double = await runCommand(deps, definition, 'ledger-1', { commandId: 'cmd-double', actor }, enterTwice(5));
    await grow('ledger-1', 8, 3, 10);
    expect((await loadCurrent(h.events, definition, 'ledger-1', h.settings(3))).base).toBeGreaterThan(2);
    const head = await h.events.headPosition();

    // Decided again now these would be refused (closed) or different; the runner answers with the first result.
    await runCommand(deps, definition, 'ledger-1', { commandId: newId(), actor }, () => [{ type: 'Closed', data: { note: 'closed' } }]);
    const again = await runCommand(deps, definition, 'ledger-1', { commandId: 'cmd-double', actor }, enter(99));
    expect(again.duplicate).toBe(true);
    expect(again.events).toEqual(double.events);
    const once = await runCommand(deps, definition, 'ledger-1', { commandId: 'cmd-single', actor }, enter(99));
    expect(once).toMatchObject({ duplicate: true, events: single.events });
    expect(await h.events.headPosition()).toBe(head + 1);
  });

  it('ignores a corrupted, stale, foreign or wrong-version snapshot: a full fold, the same answer', async () => {
    await grow('ledger-1', 25, 10);
    const good = (await h.snapshots.latest('ledger-1', 'ledger', SNAPSHOT_FORMAT))!;
    const full = observable((await loadProcess(h.events, definition, 'ledger-1')).state);
    const events = await h.events.readStream('ledger-1');
    const forged = JSON.parse(good.state) as { context: { total: number } };
    forged.context.total = 1_000_000;

    const bad: [string, ProcessSnapshot, RegExp][] = [
      ['not JSON', { ...good, state: good.state.slice(0, -3) }, /not JSON/],
      ['not a state', { ...good, state: '{"status":"active","value":"nowhere","context":{}}' }, /does not have/],
      ['a partial state', { ...good, state: '{"status":"active","value":{},"context":{}}' }, /not a complete state|does not have/],
      ['a final status on an open state', { ...good, state: good.state.replace('"status":"active"', '"status":"done"') }, /not a complete state/],
      ['the hash of another event', { ...good, hash: events[3]!.hash }, /another hash/],
      ['a forged state with a stale hash', { ...good, state: JSON.stringify(forged), hash: 'f'.repeat(64) }, /another hash/],
      ['a revision the stream does not reach', { ...good, revision: 500 }, /no event at that revision/],
      ['an unknown machine version', { ...good, machineVersion: 7 }, /machine version 7 is not known/],
    ];
    for (const [what, snapshot, problem] of bad) {
      await h.snapshots.clear();
      // Signed with the engine's key, as if the engine had written it: the checks after the signature's still hold.
      await h.snapshots.save(signed(snapshot));
      h.problems.length = 0;
      const loaded = await loadCurrent(h.events, definition, 'ledger-1', h.settings());
      expect([what, loaded.base, observable(loaded.state)]).toEqual([what, -1, full]);
      expect([what, h.problems.join('\n')]).toEqual([what, expect.stringMatching(problem)]);
    }

    // Another format is never even handed out; a command after any of these writes a sound snapshot again.
    await h.snapshots.clear();
    await h.snapshots.save({ ...good, format: SNAPSHOT_FORMAT + 1, state: 'from the future' });
    expect((await loadCurrent(h.events, definition, 'ledger-1', h.settings())).base).toBe(-1);
    await grow('ledger-1', 1, 10, 26);
    const rewritten = (await h.snapshots.latest('ledger-1', 'ledger', SNAPSHOT_FORMAT))!;
    expect(rewritten.revision).toBe(25);
    expect((await loadCurrent(h.events, definition, 'ledger-1', h.settings())).base).toBe(25);
  });

  it('uses only a snapshot the engine signed, as it signed it: any other is a full fold, the same answer, and a warning', async () => {
    await grow('ledger-1', 25, 10);
    const good = (await h.snapshots.latest('ledger-1', 'ledger', SNAPSHOT_FORMAT))!;
    expect(good.signature).toEqual({ keyId: key.keyId, value: expect.any(String) });
    const full = observable((await loadProcess(h.events, definition, 'ledger-1')).state);
    const forged = JSON.parse(good.state) as { context: { total: number } };
    forged.context.total = 1_000_000;
    const stranger = SigningKey.generate();

    const bad: [string, ProcessSnapshot, RegExp][] = [
      ['unsigned (a row from before snapshots were signed)', { ...good, signature: null }, /carries no signature/],
      ['its state edited after signing', { ...good, state: JSON.stringify(forged) }, /does not match its content/],
      ['its revision edited after signing', { ...good, revision: 18, hash: (await h.events.readStream('ledger-1'))[18]!.hash }, /does not match its content/],
      ['signed by a key the log never published', signed({ ...good, state: JSON.stringify(forged) }, stranger), /never published/],
      ['the engine key’s event signature over the same text', { ...good, signature: { keyId: key.keyId, value: key.sign('event', snapshotSignedBody(good)) } }, /does not match its content/],
      ['a signature that is not one', { ...good, signature: { keyId: key.keyId, value: 'AAAA' } }, /does not match its content/],
    ];
    for (const [what, snapshot, problem] of bad) {
      await h.snapshots.clear();
      await h.snapshots.save(snapshot);
      h.problems.length = 0;
      const loaded = await loadCurrent(h.events, definition, 'ledger-1', h.settings());
      expect([what, loaded.base, observable(loaded.state)]).toEqual([what, -1, full]);
      expect([what, h.problems.join('\n')]).toEqual([what, expect.stringMatching(problem)]);
      // A command decides from the log, not from the forgery.
      const outcome = await runCommand({ store: h.events, clock, snapshots: h.settings(1000) }, definition, 'ledger-1', { commandId: newId(), actor }, () => []);
      expect([what, observable(outcome.state)]).toEqual([what, full]);
    }
    // The good one, put back, is used again.
    await h.snapshots.clear();
    await h.snapshots.save(good);
    h.problems.length = 0;
    expect((await loadCurrent(h.events, definition, 'ledger-1', h.settings())).base).toBe(good.revision);
    expect(h.problems).toEqual([]);
  });

  it('keeps a stream on the machine version it is pinned to, through its snapshots', async () => {
    await grow('ledger-1', 12, 5);
    const upgraded: ProcessDefinition = { ...definition, currentVersion: 2, versions: { 1: ledgerV1, 2: ledgerMachine(100) } };
    const outcome = await runCommand({ store: h.events, clock, snapshots: h.settings(5) }, upgraded, 'ledger-1', { commandId: newId(), actor }, enter(13));
    expect(outcome.state).toMatchObject({ machineVersion: 1, context: { total: 91 } });
    const loaded = await loadCurrent(h.events, upgraded, 'ledger-1', h.settings(5));
    expect(loaded.base).toBe(9);
    expect(observable(loaded.state)).toEqual(observable((await loadProcess(h.events, upgraded, 'ledger-1')).state));
  });

  it('never fails a command because the snapshot store does: it folds in full and says so', async () => {
    await grow('ledger-1', 12, 5);
    const broken: SnapshotStore = {
      kind: h.snapshots.kind,
      latest: async () => {
        throw new Error('disk on fire');
      },
      save: async () => {
        throw new Error('disk still on fire');
      },
      clear: async () => 0,
      close: async () => undefined,
    };
    const problems: string[] = [];
    const deps = { store: h.events, clock, snapshots: { store: broken, key, every: 1, onProblem: (message: string) => problems.push(message) } };
    const outcome = await runCommand(deps, definition, 'ledger-1', { commandId: newId(), actor }, enter(13));
    expect(outcome.state.context).toMatchObject({ total: 91 });
    expect(observable(outcome.state)).toEqual(observable((await loadProcess(h.events, definition, 'ledger-1')).state));
    expect(problems).toEqual([
      expect.stringMatching(/snapshot of "ledger-1" not used: disk on fire; folding from the start/),
      expect.stringMatching(/snapshot of "ledger-1" at revision 12 not written: disk still on fire/),
    ]);
  });

  it('after a failed write, tries again only once the stream has grown by `every` more events', async () => {
    let saves = 0;
    const failing: SnapshotStore = {
      kind: h.snapshots.kind,
      latest: async () => undefined,
      save: async () => {
        saves += 1;
        throw new Error('no space left');
      },
      clear: async () => 0,
      close: async () => undefined,
    };
    const problems: string[] = [];
    const deps = { store: h.events, clock, snapshots: { store: failing, key, every: 5, cache: new StateCache(), onProblem: (message: string) => problems.push(message) } };
    for (let index = 1; index <= 12; index += 1) {
      await runCommand(deps, definition, 'ledger-1', { commandId: newId(), actor }, enter(index));
    }
    expect(saves).toBe(2);
    expect(problems).toEqual([
      expect.stringMatching(/at revision 4 not written: no space left/),
      expect.stringMatching(/at revision 9 not written: no space left/),
    ]);
  });

  it('writes none with `every` 0, and none for a command that appends nothing', async () => {
    await grow('ledger-1', 12, 0);
    expect(await h.snapshots.latest('ledger-1', 'ledger', SNAPSHOT_FORMAT)).toBeUndefined();
    await runCommand({ store: h.events, clock, snapshots: h.settings(1) }, definition, 'ledger-1', { commandId: newId(), actor }, () => []);
    expect(await h.snapshots.latest('ledger-1', 'ledger', SNAPSHOT_FORMAT)).toBeUndefined();
  });

  it('starts each command from the state this process folded last, checked against the log like a snapshot', async () => {
    const cache = new StateCache();
    const mine = { store: h.events, clock, snapshots: { ...h.settings(100), cache } };
    const theirs = { store: h.events, clock, snapshots: { ...h.settings(100), cache: new StateCache() } };
    await runCommand(mine, definition, 'ledger-1', { commandId: newId(), actor }, enter(1));
    await runCommand(mine, definition, 'ledger-1', { commandId: newId(), actor }, enter(2));
    expect(cache.get('ledger-1')!.state.revision).toBe(1);
    expect((await loadCurrent(h.events, definition, 'ledger-1', mine.snapshots)).base).toBe(1);

    // Another process appends: this one's cached state is behind, and the next command folds the other's events on.
    await runCommand(theirs, definition, 'ledger-1', { commandId: newId(), actor }, enterTwice(10));
    const current = await loadCurrent(h.events, definition, 'ledger-1', mine.snapshots);
    expect([current.base, current.events.map((event) => event.revision)]).toEqual([1, [2, 3]]);
    const outcome = await runCommand(mine, definition, 'ledger-1', { commandId: newId(), actor }, enter(100));
    expect(observable(outcome.state)).toEqual(observable((await loadProcess(h.events, definition, 'ledger-1')).state));
    expect(outcome.state.context).toMatchObject({ total: 124 });

    // A cached state the log does not bear out (here: another hash at its revision) is dropped, not used.
    const entry = cache.get('ledger-1')!;
    cache.put('ledger-1', { ...entry, hash: '0'.repeat(64), state: { ...entry.state, context: { total: -1, entries: [], note: null } } });
    const reloaded = await loadCurrent(h.events, definition, 'ledger-1', mine.snapshots);
    expect([reloaded.base, observable(reloaded.state)]).toEqual([-1, observable(outcome.state)]);
    expect(cache.get('ledger-1')!.hash).toBe((await h.events.readStream('ledger-1')).at(-1)!.hash);
    expect(h.problems).toEqual([]);
  });

  it('freezes what it caches: a decide step cannot change the next command’s state in place', async () => {
    const deps = { store: h.events, clock, snapshots: { ...h.settings(100), cache: new StateCache() } };
    const outcome = await runCommand(deps, definition, 'ledger-1', { commandId: newId(), actor }, enter(1));
    const meddle: Decide = (state) => {
      (state.context as { entries: unknown[] }).entries.push({ amount: 1000, at: 'never' });
      return [];
    };
    await expect(runCommand(deps, definition, 'ledger-1', { commandId: newId(), actor }, meddle)).rejects.toThrow(TypeError);
    expect(() => ((outcome.state.context as { total: number }).total = 5)).toThrow(TypeError);
    const next = await runCommand(deps, definition, 'ledger-1', { commandId: newId(), actor }, enter(2));
    expect(next.state.context).toMatchObject({ total: 3, entries: [{ amount: 1 }, { amount: 2 }] });
  });
});

describe('StateCache', () => {
  it('keeps the most recently used streams up to its capacity', () => {
    const cache = new StateCache(2);
    const entry = (revision: number) => ({
      machineId: 'ledger',
      hash: 'h',
      lastSnapshot: -1,
      state: { value: 'open', context: { n: revision }, revision, machineVersion: 1, snapshot: {} as never },
    });
    cache.put('a', entry(1));
    cache.put('b', entry(2));
    cache.get('a');
    cache.put('c', entry(3));
    expect([cache.get('a')?.state.revision, cache.get('b'), cache.get('c')?.state.revision, cache.size]).toEqual([1, undefined, 3, 2]);
  });
});
