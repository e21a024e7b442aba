import { describe, expect, it } from '@jest/globals';
import { InvalidCommandError } from '../errors/index.js';
import { commandDay, commandInstant, requireLead } from './command-instant.js';

const refusal = (run: () => unknown): InvalidCommandError => {
  try {
    run();
  } catch (error) {
    if (error instanceof InvalidCommandError) return error;
    throw error;
  }
  throw new Error('accepted');
};

describe('instants and days in commands', () => {
  it('reads them strictly and refuses anything else as an invalid command naming the field', () => {
    expect(commandInstant('2027-07-01T14:00:00+02:00', 'closesAt').toISOString()).toBe('2027-07-01T12:00:00.000Z');
    expect(commandDay('2027-07-01', 'decidedOn')).toBe('2027-07-01');
    const instant = refusal(() => commandInstant('2027-07-01T12:00:00', 'termStart'));
    expect([instant.message, instant.details]).toEqual([expect.stringMatching(/^termStart "2027-07-01T12:00:00" is not an RFC 3339 date-time.*no offset/), { field: 'termStart' }]);
    expect(refusal(() => commandDay('2027-06-31', 'decidedOn')).message).toMatch(/^decidedOn "2027-06-31" has no such day/);
  });
});

describe('requireLead', () => {
  const from = { at: new Date('2027-01-01T00:00:00Z'), name: 'the opening instant' };
  const lead = { minMs: 3_600_000, maxMs: 366 * 86_400_000, minSetting: 'MIN', maxSetting: 'MAX' };
  const check = (iso: string) => () => requireLead(new Date(iso), from, lead, 'closesAt', 'Partners need time', ['¶13(b)']);

  it('takes a deadline within the bounds, the bounds themselves included', () => {
    expect(check('2027-01-01T01:00:00Z')).not.toThrow();
    expect(check('2028-01-02T00:00:00Z')).not.toThrow();
  });

  it('refuses one not after, too near or too far, naming the field, the bound, its setting and why', () => {
    expect(refusal(check('2027-01-01T00:00:00Z')).message).toBe('closesAt 2027-01-01T00:00:00.000Z is not after the opening instant 2027-01-01T00:00:00.000Z: Partners need time');
    const near = refusal(check('2027-01-01T00:30:00Z'));
    expect([near.message, near.details]).toEqual([
      'closesAt 2027-01-01T00:30:00.000Z is only 30 minutes after the opening instant 2027-01-01T00:00:00.000Z; the least is 1 hour (MIN): Partners need time',
      { clauses: ['¶13(b)'], field: 'closesAt' },
    ]);
    expect(refusal(check('2028-01-02T00:00:01Z')).message).toMatch(/is 366 days after .*; the most is 366 days \(MAX\)/);
  });
});
