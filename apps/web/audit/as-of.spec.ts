import { describe, expect, it } from '@jest/globals';
import type { HistoryEntry } from '../../../libs/audit/replay.js';
import { recordedInstants, renderAsOfControl } from './as-of.js';

const entry = (revision: number, occurredAt: string, type = 'Step'): HistoryEntry =>
  ({ revision, occurredAt, type, position: revision + 1 }) as HistoryEntry;

describe('the "as of" control', () => {
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
    expect(between).toContain('<option value="2026-09-02T12:00:00.000Z" selected>2 Sep 2026, 12:00:00 UTC (the instant you gave)</option>');
    expect(between).toContain('?at=2026-09-01T09%3A00%3A00.000Z" rel="prev"');
    expect(between).toContain('?at=2026-09-03T09%3A00%3A00.000Z" rel="next"');
    const first = renderAsOfControl({ action: '/audit/processes/p-1', all: history, at: '2026-09-01T09:00:00.000Z' }).value;
    expect(first).toContain('<option value="2026-09-01T09:00:00.000Z" selected>1 Sep 2026, 09:00:00 UTC · revisions 0–1: Opened, Input</option>');
    expect(first).toContain('?at=2026-09-01T08%3A59%3A59.999Z" rel="prev">← Just before the first event');
    expect(between).toContain('<input type="datetime-local" step="1" id="as-of-any" name="at" value="2026-09-02T12:00:00">');
    // The auditor sees exact instants: the seconds always, the milliseconds when there are some.
    const exact = renderAsOfControl({ action: '/audit/processes/p-1', all: history, at: '2026-09-02T12:00:00.250Z' }).value;
    expect(exact).toContain('selected>2 Sep 2026, 12:00:00.250 UTC (the instant you gave)</option>');
    expect(exact).toContain('rel="next">One recorded instant later (3 Sep 2026, 09:00:00 UTC) →</a>');
    const refused = renderAsOfControl({ action: '/audit/processes/p-1', all: history, at: 'nonsense', error: 'at must be an ISO 8601 date' }).value;
    expect(refused).toContain('<p class="error" id="as-of-any-error">at must be an ISO 8601 date</p>');
    expect(refused).toContain('aria-invalid="true"');
  });
});
