import { describe, expect, it } from '@jest/globals';
import { TailCache } from './tail-cache.js';

describe('TailCache', () => {
  it('remembers the highest revision per stream: a later, lower record never lowers it', () => {
    const tails = new TailCache(10);
    tails.record('s', 3, 'h3');
    // Two appends of one process finishing out of order: the one that wrote revision 2 reports last.
    tails.record('s', 2, 'h2');
    expect(tails.get('s')).toEqual({ revision: 3, hash: 'h3' });
    tails.record('s', 4, 'h4');
    expect(tails.get('s')).toEqual({ revision: 4, hash: 'h4' });
    expect(tails.get('other')).toBeUndefined();
  });

  it('forgets the least recently used stream first, where a read counts as a use', () => {
    const tails = new TailCache(2);
    tails.record('a', 0, 'a0');
    tails.record('b', 0, 'b0');
    expect(tails.get('a')).toBeDefined();
    tails.record('c', 0, 'c0');
    expect(tails.size).toBe(2);
    expect(tails.get('b')).toBeUndefined();
    expect(tails.get('a')).toEqual({ revision: 0, hash: 'a0' });
    expect(tails.get('c')).toEqual({ revision: 0, hash: 'c0' });
  });

  it('remembers nothing with capacity 0 and refuses a capacity that is not a whole number', () => {
    const off = new TailCache(0);
    off.record('s', 1, 'h');
    expect(off.get('s')).toBeUndefined();
    expect(off.size).toBe(0);
    expect(() => new TailCache(-1)).toThrow(RangeError);
    expect(() => new TailCache(1.5)).toThrow(RangeError);
  });
});
