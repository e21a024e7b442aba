import { describe, expect, it } from '@jest/globals';
import { setup } from 'xstate';
import { initialTransition, transition } from 'xstate';
import { NotFoundError } from '../errors/index.js';
import { MemoryEventStore } from '../event-store/index.js';
import { partnerProcess } from '../partners/partner.process.js';
import { IllegalHistoryError } from '../process-runner/index.js';
import { nextSteps } from './next-steps.js';
import { PARTNER_HISTORY_TIMES as T, writePartnerHistory } from './partner-history.spec-helper.js';
import { processRegistry } from './process-registry.js';
import { replayStream, storedEventOf, UnknownProcessError } from './replay.js';

describe('replayStream (point-in-time replay)', () => {
  it('gives the state now, with what the machine allows next and its clauses', async () => {
    const store = new MemoryEventStore();
    await writePartnerHistory(store);
    const { replay, history } = await replayStream(store, 'partner-FAO');
    expect(replay).toMatchObject({
      stream: 'partner-FAO',
      machine: { id: 'partner', version: 1 },
      state: 'registered',
      revision: 2,
      done: false,
      events: { folded: 3, total: 3 },
      torVersion: 'U4SSC-ToR-2023',
      next: [{ event: 'PartnerWithdrawn', target: 'withdrawn', clauses: ['¶12', '¶27'] }],
    });
    expect(replay.context).toMatchObject({ partnerId: 'FAO', periods: [{ from: T.faoRegistered, to: T.faoWithdrawn }, { from: T.faoRegisteredAgain, to: null }] });
    expect(history.map((entry) => [entry.type, entry.stateAfter])).toEqual([
      ['PartnerRegistered', 'registered'],
      ['PartnerWithdrawn', 'withdrawn'],
      ['PartnerRegistered', 'registered'],
    ]);
    expect(history[1]).toMatchObject({
      actor: { id: 'sec-bueti', name: 'Secretariat officer' },
      capacity: { role: 'secretariat' },
      clauses: ['¶12', '¶27'],
      machine: { id: 'partner', version: 1 },
      torVersion: 'U4SSC-ToR-2023',
      occurredAt: T.faoWithdrawn,
      data: { partnerId: 'FAO', reason: 'Letter of withdrawal' },
    });
  });

  it('keeps every field of the envelope in the history: storedEventOf gives back the stored events', async () => {
    const store = new MemoryEventStore();
    const events = await writePartnerHistory(store);
    const { history } = await replayStream(store, 'partner-FAO');
    // Through JSON, as a client of the history API reads it.
    const answered = JSON.parse(JSON.stringify(history)) as typeof history;
    expect(answered.map((entry) => storedEventOf('partner-FAO', entry))).toEqual(events.filter((event) => event.stream === 'partner-FAO'));
  });

  it('gives the state as it stood at an instant, and at a global position', async () => {
    const store = new MemoryEventStore();
    const events = await writePartnerHistory(store);
    const between = (await replayStream(store, 'partner-FAO', { at: new Date('2026-02-15T00:00:00Z') })).replay;
    expect(between).toMatchObject({ state: 'withdrawn', revision: 1, asOf: { at: '2026-02-15T00:00:00.000Z', position: null } });
    expect(between.next).toEqual([{ event: 'PartnerRegistered', target: 'registered', clauses: ['¶12', 'Annex II'] }]);
    const exactly = (await replayStream(store, 'partner-FAO', { at: new Date(T.faoWithdrawn) })).replay;
    expect(exactly.state).toBe('withdrawn');
    const before = (await replayStream(store, 'partner-FAO', { at: new Date('2025-12-31T00:00:00Z') })).replay;
    expect(before).toMatchObject({ state: 'unregistered', revision: -1, lastEvent: null, events: { folded: 0, total: 3 } });
    const ituRegistered = events.find((e) => e.stream === 'partner-ITU')!.position;
    const atPosition = await replayStream(store, 'partner-FAO', { position: ituRegistered });
    expect(atPosition.replay).toMatchObject({ state: 'registered', revision: 0 });
    expect(atPosition.history).toHaveLength(1);
  });

  it('answers 404 for a stream that does not exist, and names an unknown machine', async () => {
    const store = new MemoryEventStore();
    await expect(replayStream(store, 'partner-NOPE')).rejects.toBeInstanceOf(NotFoundError);
    await writePartnerHistory(store);
    await expect(replayStream(store, 'partner-FAO', { registry: processRegistry([]) })).rejects.toBeInstanceOf(UnknownProcessError);
  });

  it('refuses to replay a history its machine does not allow', async () => {
    const store = new MemoryEventStore();
    await writePartnerHistory(store);
    const [first] = await store.readStream('partner-FAO');
    await store.append('partner-FAO', [{ ...first!, id: 'again' }], { expectedRevision: 'any' });
    await expect(replayStream(store, 'partner-FAO')).rejects.toBeInstanceOf(IllegalHistoryError);
  });

  it('replays with the version the stream pinned, not the newest', async () => {
    const store = new MemoryEventStore();
    await writePartnerHistory(store);
    const registry = processRegistry([{ ...partnerProcess, currentVersion: 2, versions: { 1: partnerProcess.versions[1]!, 2: setup({}).createMachine({ initial: 'x', states: { x: {} } }) } }]);
    expect((await replayStream(store, 'partner-ITU', { registry })).replay).toMatchObject({ state: 'registered', machine: { version: 1 } });
  });
});

describe('nextSteps', () => {
  const machine = setup({ guards: { quorate: () => true } }).createMachine({
    initial: 'voting',
    states: {
      voting: {
        initial: 'open',
        on: { Withdrawn: { target: 'withdrawn', meta: { clauses: ['¶13(b)'] } } },
        states: {
          open: {
            on: {
              VoteCast: { meta: { clauses: ['¶13(b)'] } },
              Closed: [{ target: '#decided', guard: 'quorate', meta: { clauses: ['¶19'] } }, { target: 'failed' }],
            },
          },
          failed: {},
        },
      },
      decided: { id: 'decided', type: 'final' },
      withdrawn: { type: 'final' },
    },
  });

  it('lists the transitions of every active node, innermost first, with guards and clauses', () => {
    const [snapshot] = initialTransition(machine);
    expect(nextSteps(machine, snapshot)).toEqual([
      { event: 'VoteCast', target: 'open', clauses: ['¶13(b)'] },
      { event: 'Closed', target: '#decided', clauses: ['¶19'], guard: 'quorate' },
      { event: 'Closed', target: 'failed', clauses: [] },
      { event: 'Withdrawn', target: 'withdrawn', clauses: ['¶13(b)'] },
    ]);
  });

  it('lists nothing once the process is done', () => {
    const [snapshot] = transition(machine, initialTransition(machine)[0], { type: 'Withdrawn' });
    expect(nextSteps(machine, snapshot)).toEqual([]);
  });
});
