import { describe, expect, it } from '@jest/globals';
import { canonicalJson } from './canonical-json.js';

describe('canonicalJson', () => {
  it('sorts keys at every depth and drops undefined members', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: undefined }], c: 'é' } })).toBe(
      '{"a":{"c":"é","d":[3,{"z":1}]},"b":1}',
    );
  });

  it('gives the same text whatever the key order', () => {
    expect(canonicalJson({ x: 1, y: [1, 2] })).toBe(canonicalJson({ y: [1, 2], x: 1 }));
  });

  it('refuses values JSON cannot hold', () => {
    expect(() => canonicalJson({ n: Number.NaN })).toThrow(/no JSON form/);
    expect(() => canonicalJson(10n)).toThrow(/bigint/);
  });

  it('orders keys by UTF-16 code units, integer-like keys and escapes included, whatever order they come in', () => {
    const keys = ['9', '10', 'a', 'B', '', 'é', '～', '😀', 'quote"d', 'back\\slash', 'tab\t', '\u0001', '__proto__x'];
    const expected = `{${[...keys].sort().map((key) => `${JSON.stringify(key)}:${JSON.stringify(key.length)}`).join(',')}}`;
    // '😀' (U+D83D U+DE00) sorts before '～' (U+FF5E) in UTF-16, after it by code point; '10' before '9'.
    expect([...keys].sort().indexOf('😀')).toBeLessThan([...keys].sort().indexOf('～'));
    for (const order of [keys, [...keys].reverse(), [...keys].sort(), [...keys].sort().reverse()]) {
      const object = Object.fromEntries(order.map((key) => [key, key.length]));
      expect(canonicalJson(object)).toBe(expected);
      // Twice: the second time the quoted keys come from memory.
      expect(canonicalJson({ nested: [object, { object }] })).toBe(`{"nested":[${expected},{"object":${expected}}]}`);
    }
  });
});

