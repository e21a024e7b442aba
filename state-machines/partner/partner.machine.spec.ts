import { describe, expect, it } from '@jest/globals';
import { initialTransition, transition } from 'xstate';
import { partnerMachine, type PartnerMachineEvent } from './partner.machine.js';

const meta = (occurredAt: string) => ({ occurredAt, actor: { id: 'sec-1', role: 'secretariat' } });
const registered = (at: string): PartnerMachineEvent => ({
  type: 'PartnerRegistered',
  data: { partnerId: 'FAO', name: 'FAO', entityType: 'specialized-agency', intentReference: 'letter 2025-12-01', intentExpressedOn: '2025-12-01' },
  meta: meta(at),
});
const withdrawn = (at: string): PartnerMachineEvent => ({
  type: 'PartnerWithdrawn',
  data: { partnerId: 'FAO', reason: 'mandate ended' },
  meta: meta(at),
});

describe('partner machine (ToR ¶12)', () => {
  it('starts unregistered and only accepts a registration', () => {
    const [start] = initialTransition(partnerMachine, { partnerId: 'FAO' });
    expect(start.value).toBe('unregistered');
    expect(start.can(withdrawn('2026-01-02T00:00:00Z'))).toBe(false);
    expect(start.can(registered('2026-01-01T00:00:00Z'))).toBe(true);
  });

  it('keeps every membership period across withdrawal and re-registration', () => {
    let [state] = initialTransition(partnerMachine, { partnerId: 'FAO' });
    for (const event of [
      registered('2026-01-01T00:00:00.000Z'),
      withdrawn('2026-03-01T00:00:00.000Z'),
      registered('2026-06-01T00:00:00.000Z'),
    ]) {
      [state] = transition(partnerMachine, state, event);
    }
    expect(state.value).toBe('registered');
    expect(state.context.periods).toEqual([
      { from: '2026-01-01T00:00:00.000Z', to: '2026-03-01T00:00:00.000Z' },
      { from: '2026-06-01T00:00:00.000Z', to: null },
    ]);
  });

  it('refuses a second registration while registered (same snapshot back)', () => {
    const [start] = initialTransition(partnerMachine, { partnerId: 'FAO' });
    const [member] = transition(partnerMachine, start, registered('2026-01-01T00:00:00Z'));
    expect(member.can(registered('2026-01-02T00:00:00Z'))).toBe(false);
  });
});
