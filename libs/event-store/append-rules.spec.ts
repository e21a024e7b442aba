import { describe, expect, it } from '@jest/globals';
import { canonicalJson, chainEvents, GENESIS_HASH, plainEventHash, type NewEvent } from '../envelope/index.js';
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

  it('keeps what survives a round trip through JSON, and refuses a number JSON cannot hold', () => {
    const event = testEvent({ data: { at: new Date('2026-02-03T04:05:06.000Z'), gone: undefined } });
    expect(normaliseEvent(event).data).toEqual({ at: '2026-02-03T04:05:06.000Z' });
    expect(normaliseEvent({ ...event, data: undefined } as unknown as NewEvent).data).toBeNull();
    expect(() => normaliseEvent(testEvent({ data: { n: Number.NaN } }))).toThrow(/no JSON form/);
  });
});
