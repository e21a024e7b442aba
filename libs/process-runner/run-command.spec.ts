import { describe, expect, it } from '@jest/globals';
import { assign, setup } from 'xstate';
import { verifyLog } from '../envelope/index.js';
import { CommandRejectedError, ConflictError, ForbiddenCommandError } from '../errors/index.js';
import { MemoryEventStore } from '../event-store/index.js';
import { ManualClock } from '../kernel/clock.js';
import { newId } from '../kernel/ids.js';
import { loadProcess } from './load-process.js';
import type { ProcessDefinition } from './process-definition.js';
import { runCommand } from './run-command.js';

type TallyEvent = { type: 'Counted'; data: { by: number } } | { type: 'Sealed'; data: object };

/** A small process for the runner's tests; `multiplier` makes a second, incompatible machine version. */
function tallyMachine(multiplier: number) {
  return setup({ types: { context: {} as { total: number }, events: {} as TallyEvent } }).createMachine({
    id: 'tally',
    initial: 'open',
    context: { total: 0 },
    states: {
      open: {
        on: {
          Counted: {
            actions: assign(({ context, event }) => ({ total: context.total + multiplier * event.data.by })),
            meta: { clauses: ['¶13(b)'] },
          },
          Sealed: { target: 'sealed', meta: { clauses: ['¶19'] } },
        },
      },
      sealed: { type: 'final' },
    },
  });
}

const tallyV1 = tallyMachine(1);
// Version 2 counts double: a stream pinned to v1 must keep folding with v1.
const tallyV2Doubling = tallyMachine(2);

const definition: ProcessDefinition = {
  id: 'tally',
  currentVersion: 1,
  versions: { 1: tallyV1 },
  torVersion: 'test-tor',
  input: () => ({}),
};

const actor = { id: 'sec-1', role: 'secretariat' };
const count = (by: number) => () => [{ type: 'Counted', data: { by } }];

describe('runCommand', () => {
  it('wraps decisions in a full envelope: actor, command, clock time, machine version, ToR version, clauses', async () => {
    const store = new MemoryEventStore();
    const clock = new ManualClock('2026-05-01T10:00:00.000Z');
    const outcome = await runCommand({ store, clock }, definition, 'tally-1', { commandId: 'cmd-1', actor, correlationId: 'corr-1' }, count(3));
    expect(outcome.duplicate).toBe(false);
    expect(outcome.state.value).toBe('open');
    expect(outcome.state.context).toEqual({ total: 3 });
    expect(outcome.events[0]!.metadata).toEqual({
      actor,
      commandId: 'cmd-1',
      correlationId: 'corr-1',
      causationId: 'cmd-1',
      occurredAt: '2026-05-01T10:00:00.000Z',
      machine: { id: 'tally', version: 1 },
      torVersion: 'test-tor',
      clauses: ['¶13(b)'],
    });
  });

  it('appends nothing for a command id it has already applied, and answers with the first result', async () => {
    const store = new MemoryEventStore();
    const deps = { store, clock: new ManualClock() };
    const first = await runCommand(deps, definition, 'tally-1', { commandId: 'cmd-1', actor }, count(1));
    const again = await runCommand(deps, definition, 'tally-1', { commandId: 'cmd-1', actor }, count(1));
    expect(again.duplicate).toBe(true);
    expect(again.events.map((event) => event.id)).toEqual(first.events.map((event) => event.id));
    expect(await store.readStream('tally-1')).toHaveLength(1);
  });

  it('refuses an event the machine does not allow, naming the state and the clause, and appends nothing', async () => {
    const store = new MemoryEventStore();
    const deps = { store, clock: new ManualClock() };
    await runCommand(deps, definition, 'tally-1', { commandId: newId(), actor }, () => [{ type: 'Sealed', data: {} }]);
    const refusal = runCommand(deps, definition, 'tally-1', { commandId: newId(), actor }, count(1));
    await expect(refusal).rejects.toBeInstanceOf(CommandRejectedError);
    await expect(refusal).rejects.toMatchObject({ state: 'sealed', clauses: ['¶13(b)'] });
    await expect(refusal).rejects.toThrow(/Counted is not allowed while tally "tally-1" is sealed \(ToR ¶13\(b\)\)/);
    expect(await store.readStream('tally-1')).toHaveLength(1);
  });

  it('lets a decide step refuse with a domain error, appending nothing', async () => {
    const store = new MemoryEventStore();
    const refusal = runCommand({ store, clock: new ManualClock() }, definition, 'tally-1', { commandId: newId(), actor }, () => {
      throw new ForbiddenCommandError('no');
    });
    await expect(refusal).rejects.toBeInstanceOf(ForbiddenCommandError);
    expect(await store.headPosition()).toBe(0);
  });

  it('re-reads and re-decides when concurrent commands race on one stream: none lost, one event per revision', async () => {
    const store = new MemoryEventStore();
    const deps = { store, clock: new ManualClock(), maxAttempts: 50 };
    await Promise.all(
      Array.from({ length: 20 }, () => runCommand(deps, definition, 'tally-1', { commandId: newId(), actor }, count(1))),
    );
    const events = await store.readStream('tally-1');
    expect(events.map((event) => event.revision)).toEqual(Array.from({ length: 20 }, (_, index) => index));
    const { state } = await loadProcess(store, definition, 'tally-1');
    expect(state.context).toEqual({ total: 20 });
    expect((await verifyLog((await store.readAll({ limit: 100 })).events)).ok).toBe(true);
  });

  it('gives up with a ConflictError after the bounded number of attempts', async () => {
    const store = new MemoryEventStore();
    const deps = { store, clock: new ManualClock(), maxAttempts: 1 };
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () => runCommand(deps, definition, 'tally-1', { commandId: newId(), actor }, count(1))),
    );
    const refused = results.filter((result) => result.status === 'rejected');
    expect(refused.length).toBeGreaterThan(0);
    for (const result of refused) expect((result as PromiseRejectedResult).reason).toBeInstanceOf(ConflictError);
    expect(await store.readStream('tally-1')).toHaveLength(results.length - refused.length);
  });

  it('folds a stream with the machine version pinned in its first event', async () => {
    const store = new MemoryEventStore();
    const deps = { store, clock: new ManualClock() };
    await runCommand(deps, definition, 'tally-1', { commandId: newId(), actor }, count(5));
    const upgraded: ProcessDefinition = { ...definition, currentVersion: 2, versions: { 1: tallyV1, 2: tallyV2Doubling } };
    const old = await runCommand(deps, upgraded, 'tally-1', { commandId: newId(), actor }, count(5));
    expect(old.state.machineVersion).toBe(1);
    expect(old.state.context).toEqual({ total: 10 });
    expect(old.events[0]!.metadata.machine).toEqual({ id: 'tally', version: 1 });
    const fresh = await runCommand(deps, upgraded, 'tally-2', { commandId: newId(), actor }, count(5));
    expect(fresh.state).toMatchObject({ machineVersion: 2, context: { total: 10 } });
  });

  it('loads the state as it stood at an instant or a position', async () => {
    const store = new MemoryEventStore();
    const clock = new ManualClock('2026-01-01T00:00:00.000Z');
    const deps = { store, clock };
    const first = await runCommand(deps, definition, 'tally-1', { commandId: newId(), actor }, count(1));
    clock.set('2026-02-01T00:00:00.000Z');
    await runCommand(deps, definition, 'tally-1', { commandId: newId(), actor }, count(10));
    expect((await loadProcess(store, definition, 'tally-1', { at: new Date('2026-01-15T00:00:00Z') })).state.context).toEqual({ total: 1 });
    expect((await loadProcess(store, definition, 'tally-1', { position: first.events[0]!.position })).state.context).toEqual({ total: 1 });
    expect((await loadProcess(store, definition, 'tally-1')).state.context).toEqual({ total: 11 });
  });
});
