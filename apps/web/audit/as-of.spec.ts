import { describe, expect, it } from '@jest/globals';
import type { HistoryEntry } from '../../../libs/audit/replay.js';
import { asOfQuery, localInputValue, recordedInstants, renderAsOfControl, showInstant } from './as-of.js';

const entry = (revision: number, occurredAt: string, type = 'Step'): HistoryEntry =>
  ({ revision, occurredAt, type, position: revision + 1 }) as HistoryEntry;

describe('the "as of" instant', () => {
  it('reads a datetime-local value as UTC, to the second, and passes anything else to the API as it is', () => {
    expect(asOfQuery('2026-09-01T09:00')).toBe('2026-09-01T09:00:00Z');
    expect(asOfQuery('2026-09-01T09:00:30')).toBe('2026-09-01T09:00:30Z');
    expect(asOfQuery('2026-09-01T09:00:30.250')).toBe('2026-09-01T09:00:30.250Z');
    expect(asOfQuery('2026-09-01T09:00:00.000Z')).toBe('2026-09-01T09:00:00.000Z');
    expect(asOfQuery(['2026-01-01T00:00', ' 2026-09-01T09:00 '])).toBe('2026-09-01T09:00:00Z');
    expect(asOfQuery('last tuesday')).toBe('last tuesday'); // the API's validation names what is wrong
    expect(asOfQuery('')).toBeUndefined();
    expect(asOfQuery(undefined)).toBeUndefined();
  });

  it('shows instants in UTC, with milliseconds only when there are some', () => {
    expect(showInstant('2026-09-01T09:00:00.000Z')).toBe('2026-09-01 09:00:00 UTC');
    expect(showInstant('2026-09-01T11:00:00.125+02:00')).toBe('2026-09-01 09:00:00.125 UTC');
    expect(localInputValue('2026-09-01T09:00:30.125Z')).toBe('2026-09-01T09:00:30');
  });

  it('groups the events recorded at one instant, and steps one recorded instant earlier or later', () => {
    const history = [entry(0, '2026-09-01T09:00:00.000Z', 'Opened'), entry(1, '2026-09-01T09:00:00.000Z', 'Input'), entry(2, '2026-09-02T09:00:00.000Z', 'Compiled'), entry(3, '2026-09-03T09:00:00.000Z', 'Agreed')];
    expect(recordedInstants(history).map((instant) => [instant.at, instant.events.map((e) => e.type)])).toEqual([
      ['2026-09-01T09:00:00.000Z', ['Opened', 'Input']],
      ['2026-09-02T09:00:00.000Z', ['Compiled']],
      ['2026-09-03T09:00:00.000Z', ['Agreed']],
    ]);
    const now = renderAsOfControl({ action: '/audit/processes/p-1', all: history }).value;
    expect(now).toContain('<option value="" selected>Now (every event)</option>');
    expect(now).toContain('href="/audit/processes/p-1?at=2026-09-02T09%3A00%3A00.000Z" rel="prev"');
    expect(now).not.toContain('rel="next"');
    // Between two recorded instants: the earlier one is where the page stands.
    const between = renderAsOfControl({ action: '/audit/processes/p-1', all: history, at: '2026-09-02T12:00:00.000Z' }).value;
    expect(between).toContain('<option value="2026-09-02T12:00:00.000Z" selected>2026-09-02 12:00:00 UTC (the instant you gave)</option>');
    expect(between).toContain('?at=2026-09-01T09%3A00%3A00.000Z" rel="prev"');
    expect(between).toContain('?at=2026-09-03T09%3A00%3A00.000Z" rel="next"');
    const first = renderAsOfControl({ action: '/audit/processes/p-1', all: history, at: '2026-09-01T09:00:00.000Z' }).value;
    expect(first).toContain('<option value="2026-09-01T09:00:00.000Z" selected>2026-09-01 09:00:00 UTC · revisions 0–1: Opened, Input</option>');
    expect(first).toContain('?at=2026-09-01T08%3A59%3A59.999Z" rel="prev">← Just before the first event');
    const refused = renderAsOfControl({ action: '/audit/processes/p-1', all: history, at: 'nonsense', error: 'at must be an ISO 8601 date' }).value;
    expect(refused).toContain('<p class="error" id="as-of-any-error">at must be an ISO 8601 date</p>');
    expect(refused).toContain('aria-invalid="true"');
  });
});
