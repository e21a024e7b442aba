import { describe, expect, it } from '@jest/globals';
import { ID_PATTERN, textFault } from './text-policy.js';

describe('textFault', () => {
  it('accepts names and text in any script, and line breaks in text', () => {
    for (const value of ['Food and Agriculture Organization', 'Организация', 'منظمة الأغذية', 'Ōsaka 🏙️', 'e\u0301']) {
      expect(textFault(value, 'name')).toBeNull();
    }
    expect(textFault('First line\nsecond line\r\n\tindented', 'text')).toBeNull();
  });

  it.each([
    ['a\u0000b', 'name', /control characters \(U\+0000 at position 1\)/],
    ['a\u001bb', 'text', /control characters \(U\+001B/],
    ['a\u0085b', 'text', /control characters \(U\+0085/],
    ['two\nlines', 'name', /control characters \(U\+000A/],
    ['bad \ud800 half', 'text', /lone surrogate/],
    ['\udc00', 'name', /lone surrogate/],
    ['abc\u202Efdp.exe', 'name', /bidirectional .* \(U\+202E at position 3\)/],
    ['\u2066isolate\u2069', 'text', /bidirectional/],
    ['   ', 'name', /blank/],
    ['', 'text', /blank/],
    ['\u200B\u200C\u200D\uFEFF', 'name', /blank/],
    [' \n\t ', 'text', /blank/],
  ] as const)('refuses %j as %s', (value, kind, reason) => {
    expect(textFault(value, kind)).toMatch(reason);
  });
});

describe('ID_PATTERN', () => {
  it.each(['FAO', 'p-okafor', 'auth0|5f7c', 'ada@example.org', 'office:chair:p-okafor', '2027', 'a.b_c+d'])('accepts %s', (id) => {
    expect(ID_PATTERN.test(id)).toBe(true);
  });
  it.each(['../../../../etc/passwd', '..', 'a..b', '/etc', 'a/b', 'a\\b', 'has space', '', '-lead', 'a\u0000', 'x'.repeat(129)])('refuses %j', (id) => {
    expect(ID_PATTERN.test(id)).toBe(false);
  });
});
