import { describe, expect, it } from '@jest/globals';
import { initialTransition, transition } from 'xstate';
import { signingKeysMachine, type SigningKeysMachineEvent } from './signing-keys.machine.js';

const meta = { occurredAt: '2026-01-01T00:00:00.000Z', actor: { id: 'engine', role: 'engine' } };
const published = (keyId: string, endorsedBy: string | null = null): SigningKeysMachineEvent => ({
  type: 'SigningKeyPublished',
  data: { keyId, endorsedBy },
  meta,
});
const revoked = (keyId: string): SigningKeysMachineEvent => ({ type: 'SigningKeyRevoked', data: { keyId, fromPosition: 9 }, meta });

describe('signing-keys machine', () => {
  it('starts unsigned: only a publication is legal', () => {
    const [start] = initialTransition(signingKeysMachine);
    expect(start.value).toBe('unsigned');
    expect(start.can(revoked('k1'))).toBe(false);
    expect(start.can(published('k1'))).toBe(true);
  });

  it('publishes keys once each and revokes only a published key, once', () => {
    let [state] = initialTransition(signingKeysMachine);
    for (const event of [published('k1'), published('k2', 'k1'), revoked('k1')]) {
      expect(state.can(event)).toBe(true);
      [state] = transition(signingKeysMachine, state, event);
    }
    expect(state.value).toBe('signed');
    expect(state.context).toEqual({ published: ['k1', 'k2'], revoked: ['k1'] });
    expect(state.can(published('k2'))).toBe(false);
    expect(state.can(revoked('k1'))).toBe(false);
    expect(state.can(revoked('k3'))).toBe(false);
  });
});
