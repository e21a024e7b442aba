import { describe, expect, it } from '@jest/globals';
import { jsonDepth } from './json-depth.js';

const depth = (text: string) => jsonDepth(Buffer.from(text));

describe('jsonDepth', () => {
  it('counts nested arrays and objects', () => {
    expect(depth('"text"')).toBe(0);
    expect(depth('{}')).toBe(1);
    expect(depth('{"a":[{"b":1}],"c":{}}')).toBe(3);
    expect(depth('['.repeat(2000) + ']'.repeat(2000))).toBe(2000);
  });

  it('does not count brackets inside strings, escaped quotes included', () => {
    expect(depth('{"a":"[[[{{{"}')).toBe(1);
    expect(depth('{"a":"\\"[[[","b":"\\\\"}')).toBe(1);
  });
});
