import { describe, expect, it } from '@jest/globals';
import { canonicalJson, chainEvents, eventHash, GENESIS_HASH, plainEventHash, storedText, type NewEvent } from '../envelope/index.js';
import { testEvent } from './contract/test-events.js';
import { normaliseEvent } from './append-rules.js';

describe('normaliseEvent', () => {
  it('gives every object its keys in canonical order, so the text a store writes with JSON.stringify is canonical', () => {
    const event = testEvent({ data: { z: 1, a: { y: [{ d: 1, c: 2 }], x: null }, m: 'é' } });
    const normalised = normaliseEvent(event);
    expect(JSON.stringify(normalised.data)).toBe(canonicalJson(event.data));
    expect(JSON.stringify(normalised.metadata)).toBe(canonicalJson(event.metadata));
    // Chained, its plain serialisation is its canonical one: verify takes the short path for it.
    const [chained] = chainEvents('s', -1, GENESIS_HASH, [normalised]);
    expect(plainEventHash(chained!)).toBe(chained!.hash);
  });

  it('hashes from the text it serialised once exactly as eventHash hashes the event, and hands the store that text', () => {
    // Integer-like keys are where JavaScript's own key order (and so JSON.stringify) departs from canonical order.
    const awkward = { data: { 10: 'ten', 9: 'nine', b: ['\u2028', 'é', { '': 0, ' ': 1 }], a: -0.5e-7 }, metadata: testEvent().metadata };
    const events = [testEvent(awkward), testEvent(), { ...testEvent(), data: undefined } as unknown as NewEvent];
    const chained = chainEvents('s', 4, 'f'.repeat(64), events.map(normaliseEvent));
    const rechained = chainEvents('s', 4, 'f'.repeat(64), events.map((event) => ({ ...normaliseEvent(event) })));
    // The spread copies have no remembered text: they take eventHash over canonicalJson, the reference.
    expect(chained.map((event) => event.hash)).toEqual(rechained.map((event) => event.hash));
    chained.forEach((event, index) => expect(eventHash(event)).toBe(rechained[index]!.hash));
    expect(storedText(chained[0]!)).toEqual({ data: canonicalJson(awkward.data), metadata: canonicalJson(awkward.metadata) });
    expect(storedText(chained[2]!).data).toBe('null');
    // An object with no remembered text is written as it serialises.
    expect(storedText(rechained[0]!).data).toBe(JSON.stringify(rechained[0]!.data));
  });

  it('keeps what survives a round trip through JSON, and refuses a number JSON cannot hold', () => {
    const event = testEvent({ data: { at: new Date('2026-02-03T04:05:06.000Z'), gone: undefined } });
    expect(normaliseEvent(event).data).toEqual({ at: '2026-02-03T04:05:06.000Z' });
    expect(normaliseEvent({ ...event, data: undefined } as unknown as NewEvent).data).toBeNull();
    expect(() => normaliseEvent(testEvent({ data: { n: Number.NaN } }))).toThrow(/no JSON form/);
  });
});
