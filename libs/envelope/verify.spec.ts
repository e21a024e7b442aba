import { describe, expect, it } from '@jest/globals';
import { chainEvents, GENESIS_HASH } from './hash-chain.js';
import type { NewEvent, StoredEvent } from './envelope.js';
import { verifyLog } from './verify.js';

const meta = (commandId: string): NewEvent['metadata'] => ({
  actor: { id: 'sec-1', role: 'secretariat' },
  commandId,
  correlationId: commandId,
  causationId: commandId,
  occurredAt: '2026-01-01T00:00:00.000Z',
  machine: { id: 'partner', version: 1 },
  torVersion: '2023',
  clauses: ['¶12'],
});

function log(): StoredEvent[] {
  const a = chainEvents('partner-ITU', -1, GENESIS_HASH, [
    { id: 'e1', type: 'PartnerRegistered', data: { name: 'ITU' }, metadata: meta('c1') },
  ]);
  const b = chainEvents('partner-FAO', -1, GENESIS_HASH, [
    { id: 'e2', type: 'PartnerRegistered', data: { name: 'FAO' }, metadata: meta('c2') },
  ]);
  const c = chainEvents('partner-ITU', 0, a[0]!.hash, [
    { id: 'e3', type: 'PartnerWithdrawn', data: { reason: 'x' }, metadata: meta('c3') },
  ]);
  return [...a, ...b, ...c].map((event, index) => ({ ...event, position: index + 1 }));
}

describe('verifyLog', () => {
  it('accepts an untouched log and reports counts and head', async () => {
    const events = log();
    const report = await verifyLog(events);
    expect(report).toEqual({
      ok: true,
      events: 3,
      streams: 2,
      head: { position: 3, hash: events[2]!.hash },
      fault: null,
    });
  });

  it('names the event whose data was altered', async () => {
    const events = log();
    events[1] = { ...events[1]!, data: { name: 'FAO (edited)' } };
    const report = await verifyLog(events);
    expect(report.ok).toBe(false);
    expect(report.fault).toMatchObject({ kind: 'hash', eventId: 'e2', position: 2 });
    expect(report.events).toBe(1);
  });

  it('catches a rehashed event through the next link of its stream', async () => {
    const events = log();
    const altered = chainEvents('partner-ITU', -1, GENESIS_HASH, [{ ...events[0]!, data: { name: 'ITU!' } }]);
    events[0] = { ...altered[0]!, position: 1 };
    const report = await verifyLog(events);
    expect(report.fault).toMatchObject({ kind: 'chain', eventId: 'e3' });
  });

  it('catches a removed event as a revision gap', async () => {
    const events = log().filter((event) => event.id !== 'e1');
    expect((await verifyLog(events)).fault).toMatchObject({ kind: 'revision', eventId: 'e3' });
  });

  it('catches reordered positions', async () => {
    const events = log();
    events[2] = { ...events[2]!, position: 1 };
    expect((await verifyLog(events)).fault).toMatchObject({ kind: 'position', eventId: 'e3' });
  });
});
