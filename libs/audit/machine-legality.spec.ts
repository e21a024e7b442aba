import { describe, expect, it } from '@jest/globals';
import { initialTransition, setup, transition, type AnyMachineSnapshot, type AnyStateMachine } from 'xstate';
import { partnerMachine } from '../../state-machines/partner/partner.machine.js';
import { verifyLog, type NewEvent } from '../envelope/index.js';
import { MemoryEventStore } from '../event-store/index.js';
import { partnerProcess } from '../partners/partner.process.js';
import { machineLegality } from './machine-legality.js';
import { writePartnerHistory } from './partner-history.spec-helper.js';
import { processRegistry } from './process-registry.js';
import { verifyStore } from './verify-store.js';

function event(id: string, type: string, machine = { id: 'partner', version: 1 }, data: unknown = { partnerId: 'WHO', reason: 'x' }): NewEvent {
  return {
    id,
    type,
    data,
    metadata: {
      actor: { id: 'sec-1', role: 'secretariat' },
      commandId: id,
      correlationId: id,
      causationId: id,
      occurredAt: '2026-04-01T00:00:00.000Z',
      machine,
      torVersion: 'U4SSC-ToR-2023',
      clauses: ['¶12'],
    },
  };
}

describe('machine legality in verify', () => {
  it('accepts a history the runner wrote, and counts the machines met', async () => {
    const store = new MemoryEventStore();
    await writePartnerHistory(store);
    const report = await verifyStore(store);
    expect(report).toMatchObject({ ok: true, events: 6, streams: 3, fault: null });
    expect(report.machines).toEqual([{ id: 'partner', version: 1, events: 6 }]);
  });

  it('names an event stored around the runner that its machine does not allow', async () => {
    const store = new MemoryEventStore();
    await writePartnerHistory(store);
    // Appended behind the runner's back: WHO was never registered, so it cannot withdraw (ToR ¶12).
    const [stored] = (await store.append('partner-WHO', [event('illegal-1', 'PartnerWithdrawn')], { expectedRevision: 'any' })).events;
    const report = await verifyStore(store);
    expect(report.ok).toBe(false);
    expect(report.fault).toMatchObject({ kind: 'machine', eventId: 'illegal-1', stream: 'partner-WHO', position: stored!.position });
    expect(report.fault!.detail).toMatch(/PartnerWithdrawn is not a legal transition of partner machine v1 from state "unregistered"/);
    expect(report.events).toBe(6);
  });

  it('reports a stream whose machine this engine does not know, and an unknown version', async () => {
    const store = new MemoryEventStore();
    await store.append('ballot-1', [event('b-1', 'BallotOpened', { id: 'no-such-machine', version: 1 })], { expectedRevision: 'any' });
    expect((await verifyStore(store)).fault).toMatchObject({
      kind: 'machine',
      eventId: 'b-1',
      detail: expect.stringMatching(/pins machine "no-such-machine", which this engine does not know/),
    });
    const versions = new MemoryEventStore();
    await versions.append('partner-WHO', [event('p-9', 'PartnerRegistered', { id: 'partner', version: 9 })], { expectedRevision: 'any' });
    expect((await verifyStore(versions)).fault?.detail).toMatch(/partner machine version 9, which this engine does not have \(it has 1\)/);
  });

  it('refuses an event that names another machine than the one its stream pinned', async () => {
    const store = new MemoryEventStore();
    await writePartnerHistory(store);
    await store.append('partner-ITU', [event('switch', 'PartnerWithdrawn', { id: 'partner', version: 2 }, { partnerId: 'ITU', reason: 'x' })], { expectedRevision: 'any' });
    const registry = processRegistry([{ ...partnerProcess, versions: { ...partnerProcess.versions, 2: partnerProcess.versions[1]! } }]);
    expect((await verifyStore(store, { registry })).fault).toMatchObject({
      kind: 'machine',
      eventId: 'switch',
      detail: expect.stringMatching(/stream "partner-ITU" is pinned to partner v1/),
    });
  });

  it('leaves unchecked, and says so, a stream first seen mid-way', async () => {
    const store = new MemoryEventStore();
    const events = await writePartnerHistory(store);
    const legality = machineLegality();
    const fromFeb = events.filter((e) => e.metadata.occurredAt >= '2026-02-01');
    const starts = new Map<string, { revision: number; hash: string }>();
    for (const e of fromFeb) if (!starts.has(e.stream)) starts.set(e.stream, { revision: e.revision - 1, hash: e.prevHash });
    expect((await verifyLog(fromFeb, { legality: legality.check, starts })).ok).toBe(true);
    expect(legality.unchecked().sort()).toEqual(['partner-FAO', 'partner-UNECE']);
  });
});

describe('the legality check relies on XState returning the same snapshot exactly when `can` is false', () => {
  const odd = setup({ guards: { never: () => false } }).createMachine({
    initial: 'a',
    states: { a: { on: { Noop: {}, Cited: { meta: { clauses: ['¶1'] } }, Guarded: { guard: 'never', target: 'b' }, Go: 'b' } }, b: { type: 'final' } },
  });
  const agree = (machine: AnyStateMachine, snapshot: AnyMachineSnapshot, event: { type: string; [key: string]: unknown }) =>
    (transition(machine, snapshot, event)[0] === snapshot) === !snapshot.can(event);

  it('for targetless, guarded, unknown and ordinary transitions', () => {
    const [start] = initialTransition(odd);
    for (const type of ['Noop', 'Cited', 'Guarded', 'Go', 'Unknown']) expect([type, agree(odd, start, { type })]).toEqual([type, true]);
  });

  it('for every state and event type of the Partner machine met in a real history (the golden logs check the others)', async () => {
    const store = new MemoryEventStore();
    await writePartnerHistory(store);
    const types = ['PartnerRegistered', 'PartnerWithdrawn', 'Other'];
    let [snapshot] = initialTransition(partnerMachine, { partnerId: 'FAO' });
    for (const stored of await store.readStream('partner-FAO')) {
      for (const type of types) {
        expect(agree(partnerMachine, snapshot, { type, data: stored.data, meta: { occurredAt: stored.metadata.occurredAt, actor: stored.metadata.actor } })).toBe(true);
      }
      [snapshot] = transition(partnerMachine, snapshot, { type: stored.type, data: stored.data, meta: { occurredAt: stored.metadata.occurredAt, actor: stored.metadata.actor } } as never);
    }
  });
});
