import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { INSTANT_YEARS, InstantFormatError, isDay, isInstant, parseDay, parseInstant } from './instant.js';

const refusal = (parse: () => unknown): InstantFormatError => {
  try {
    parse();
  } catch (error) {
    if (error instanceof InstantFormatError) return error;
    throw error;
  }
  throw new Error('accepted');
};

describe('parseInstant', () => {
  it('reads RFC 3339 date-times with Z or an offset, lower-case t and z, and fractions', () => {
    expect(parseInstant('2027-07-01T12:00:00Z').toISOString()).toBe('2027-07-01T12:00:00.000Z');
    expect(parseInstant('2027-07-01t12:00:00z').toISOString()).toBe('2027-07-01T12:00:00.000Z');
    expect(parseInstant('2027-07-01T21:00:00+09:00').toISOString()).toBe('2027-07-01T12:00:00.000Z');
    expect(parseInstant('2027-07-01T07:30:00-04:30').toISOString()).toBe('2027-07-01T12:00:00.000Z');
    expect(parseInstant('2027-07-01T12:00:00.5Z').toISOString()).toBe('2027-07-01T12:00:00.500Z');
    expect(parseInstant('2027-07-01T12:00:00.123456789Z').toISOString()).toBe('2027-07-01T12:00:00.123Z');
    expect(parseInstant('2028-02-29T00:00:00Z').toISOString()).toBe('2028-02-29T00:00:00.000Z');
  });

  it.each([
    ['2027-W27-4', 'RFC 3339'],
    ['2027-182', 'RFC 3339'],
    ['20270701T120000Z', 'RFC 3339'],
    ['2027-07-01T12Z', 'to the second'],
    ['2027-07-01T12:00Z', 'to the second'],
    ['2027-07-01T12:00:00,5Z', 'decimal point'],
    ['2027-07-01T12:00:00', 'no offset'],
    ['2027-07-01T12:00', 'no offset'],
    ['2027-07-01 12:00:00Z', 'with T'],
    ['2027-07-01', 'a day alone'],
    ['2027-07-01T12:00:00+0200', 'with a colon'],
    ['2027-07-01T12:00:60Z', 'leap second'],
    ['2027-07-01T24:00:00Z', 'time of day'],
    ['2027-02-29T00:00:00Z', 'no such day'],
    ['2027-13-01T00:00:00Z', 'no such month'],
    ['2027-07-01T12:00:00+24:00', 'no such offset'],
    ['9999-12-31T23:59:59Z', 'outside 2000-2199'],
    ['1999-12-31T23:59:59Z', 'outside 2000-2199'],
    ['2000-01-01T00:30:00+01:00', 'outside 2000-2199'],
    ['', 'RFC 3339'],
    ['Tuesday', 'RFC 3339'],
  ])('refuses %j, saying why (%s)', (text, why) => {
    const error = refusal(() => parseInstant(text));
    expect(error.message).toContain(why);
    expect(error.message).toContain(JSON.stringify(text));
    expect(isInstant(text)).toBe(false);
  });

  it('refuses what is not a string with the same typed error', () => {
    for (const value of [undefined, null, 1_700_000_000_000, new Date(), {}]) expect(refusal(() => parseInstant(value))).toBeInstanceOf(InstantFormatError);
  });

  it('reads back every instant in range that toISOString writes', () => {
    const from = new Date(Date.UTC(INSTANT_YEARS.min, 0, 1));
    const to = new Date(Date.UTC(INSTANT_YEARS.max + 1, 0, 1) - 1);
    fc.assert(fc.property(fc.date({ min: from, max: to, noInvalidDate: true }), (date) => parseInstant(date.toISOString()).getTime() === date.getTime()), { numRuns: 2000 });
  });

  it('reads the same instant whatever offset writes it', () => {
    const from = new Date(Date.UTC(INSTANT_YEARS.min, 0, 2));
    const to = new Date(Date.UTC(INSTANT_YEARS.max, 11, 30));
    fc.assert(
      fc.property(fc.date({ min: from, max: to, noInvalidDate: true }), fc.integer({ min: -23 * 60 - 59, max: 23 * 60 + 59 }), (date, offset) => {
        const local = new Date(date.getTime() + offset * 60_000).toISOString().slice(0, 23);
        const sign = offset < 0 ? '-' : '+';
        const abs = Math.abs(offset);
        const text = `${local}${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
        return parseInstant(text).getTime() === date.getTime();
      }),
      { numRuns: 2000 },
    );
  });

  it('throws nothing but its typed error, whatever the text', () => {
    const near = fc.stringMatching(/^[0-9]{4}-[0-9]{2}-[0-9]{2}[Tt ][0-9]{2}:[0-9]{2}(:[0-9]{2})?([.,][0-9]{1,12})?([Zz]|[+-][0-9]{2}:?[0-9]{2})?$/);
    fc.assert(
      fc.property(fc.oneof(fc.string(), fc.string({ unit: 'grapheme' }), near), (text) => {
        try {
          const at = parseInstant(text);
          return at.getUTCFullYear() >= INSTANT_YEARS.min && at.getUTCFullYear() <= INSTANT_YEARS.max;
        } catch (error) {
          return error instanceof InstantFormatError;
        }
      }),
      { numRuns: 5000 },
    );
  });
});

describe('parseDay', () => {
  it('reads a calendar day as written, and refuses anything else with the typed error', () => {
    expect(parseDay('2026-03-02')).toBe('2026-03-02');
    expect(parseDay('2028-02-29')).toBe('2028-02-29');
    for (const [text, why] of [
      ['2026-02-30', 'no such day'],
      ['2026-W10-1', 'a day such as'],
      ['2026-061', 'a day such as'],
      ['20260302', 'a day such as'],
      ['2026-03-02T00:00:00Z', 'a day such as'],
      ['9999-01-01', 'outside 2000-2199'],
    ] as const) {
      expect(refusal(() => parseDay(text)).message).toContain(why);
      expect(isDay(text)).toBe(false);
    }
  });
});
