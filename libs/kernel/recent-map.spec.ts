import { describe, expect, it } from '@jest/globals';
import { RecentMap } from './recent-map.js';

describe('RecentMap', () => {
  it('drops the least recently used entry beyond its capacity; a get counts as a use, a peek does not', () => {
    const map = new RecentMap<string, number>(2);
    map.set('a', 1);
    map.set('b', 2);
    expect(map.get('a')).toBe(1);
    map.set('c', 3);
    expect([map.peek('a'), map.peek('b'), map.peek('c')]).toEqual([1, undefined, 3]);
    expect(map.peek('a')).toBe(1);
    map.set('d', 4);
    expect([map.peek('a'), map.peek('c'), map.peek('d')]).toEqual([undefined, 3, 4]);
    expect(map.size).toBe(2);
  });

  it('replaces a value in place of adding one, keeps nothing at capacity 0, and refuses a capacity that is no count', () => {
    const map = new RecentMap<string, number>(1);
    map.set('a', 1);
    map.set('a', 2);
    expect([map.size, map.get('a')]).toEqual([1, 2]);
    map.delete('a');
    expect(map.get('a')).toBeUndefined();
    const none = new RecentMap<string, number>(0);
    none.set('a', 1);
    expect(none.size).toBe(0);
    expect(() => new RecentMap(-1)).toThrow(RangeError);
    expect(() => new RecentMap(1.5)).toThrow(RangeError);
  });
});
