import { describe, expect, it } from '@jest/globals';
import type { BallotResponse } from '../../../libs/ballots/index.js';
import type { SeatView, TermView } from '../../../libs/offices/index.js';
import { asOf } from './format.js';
import { resultFigures, resultsChart, resultsTable, yesNeeded } from './results-chart.js';
import { tenureChart, tenureTable } from './tenure-chart.js';

const term = (number: number, start: string, end: string, extra: Partial<TermView> = {}): TermView => ({
  number,
  holderId: 'p-x',
  holderName: '<script>alert(1)</script>',
  start,
  end,
  renewalDueAt: new Date(Date.parse(end) - 90 * 86_400_000).toISOString(),
  grounds: { kind: 'imported', authority: 'partners-board', reference: 'Minutes <b>2023</b>' },
  kind: 'appointment',
  imported: true,
  recordedAt: start,
  recordedBy: 'sec',
  flags: [],
  ...extra,
});

const seat = (terms: TermView[]): SeatView => ({
  seat: 'chair',
  office: 'chair',
  title: 'Chair',
  stream: 'office-chair',
  status: 'serving',
  holder: null,
  nominations: [],
  terms,
  revision: 0,
  position: 0,
});

describe('the tenure timeline', () => {
  it('draws a bar per term, marks renewals, expiries, cancelled terms and now, and escapes every name', () => {
    const view = seat([
      term(1, '2022-01-10T00:00:00.000Z', '2024-01-10T00:00:00.000Z', { ended: { at: '2024-01-10T00:00:00.000Z', cause: 'expired', recordedAt: '2024-01-10T00:00:00.000Z', recordedBy: 'u4ssc-scheduler' } }),
      term(2, '2024-02-01T00:00:00.000Z', '2026-02-01T00:00:00.000Z'),
      term(3, '2026-02-01T00:00:00.000Z', '2028-02-01T00:00:00.000Z', { kind: 'renewal' }),
      term(4, '2028-02-01T00:00:00.000Z', '2030-02-01T00:00:00.000Z', { kind: 'renewal', cancelled: { at: '2027-01-01T00:00:00.000Z' } }),
    ]);
    const svg = tenureChart([view], '2026-06-30T00:00:00.000Z', { nowLabel: 'Today' }).value;
    expect(svg).toContain('role="img"');
    expect(svg).toContain('aria-label="Tenure timeline of 1 seat and 4 terms, with a line at today (30 Jun 2026)');
    expect(svg.match(/class="term (appointment|renewal)"/g)).toHaveLength(2 + 1 + 2); // 3 bars + 2 legend swatches
    expect(svg.match(/class="term cancelled"/g)).toHaveLength(1);
    expect(svg.match(/class="mark expired"/g)).toHaveLength(2); // the bar's and the legend's
    expect(svg).toContain('class="now"');
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('&lt;script&gt;');
    const table = tenureTable([view], '2026-06-30T00:00:00.000Z').value;
    expect(table).toContain('expired on 10 Jan 2024');
    expect(table).toContain('cancelled before it began');
    expect(table).toContain('Minutes &lt;b&gt;2023&lt;/b&gt;');
  });

  it('says there is nothing to draw when no term is recorded', () => {
    expect(tenureChart([seat([])], '2026-06-30T00:00:00.000Z', { nowLabel: 'Today' }).value).toContain('No term of office is recorded yet');
  });
});

describe('the results chart', () => {
  const rules = { quorum: { numerator: 2, denominator: 3 }, threshold: 'two-thirds', abstentionsCountTowardQuorum: false, allowVoteChange: true, closeEarlyWhenAllVoted: true, revealTallyWhileOpen: false } as const;
  const ballot = (extra: Partial<BallotResponse>): BallotResponse => ({
    ballotId: 'b-1',
    stream: 'ballot-b-1',
    status: 'open',
    subject: { kind: 'tor-revision', title: 'ToR <v2>' },
    question: 'Q?',
    channel: 'electronic',
    draftedAt: '2026-01-01T00:00:00.000Z',
    draftedBy: 'sec',
    electorate: ['A', 'B', 'C', 'D', 'E', 'F'],
    rules,
    revision: 1,
    position: 1,
    visibility: { level: 'turnout', counts: false, note: 'n' },
    turnout: { voted: 4, eligible: 6 },
    ...extra,
  });

  it('needs the yes votes the threshold asks for, given the no votes', () => {
    expect(yesNeeded('simple-majority', 2)).toBe(3);
    expect(yesNeeded('two-thirds', 0)).toBe(1);
    expect(yesNeeded('two-thirds', 2)).toBe(4);
    expect(yesNeeded('unanimity', 0)).toBe(1);
    expect(yesNeeded('unanimity', 1)).toBeUndefined();
    expect(yesNeeded('no-objection', 0)).toBeUndefined();
  });

  it('has no figures while the counts are secret to the caller', () => {
    expect(resultFigures(ballot({}))).toBeUndefined();
  });

  it('counts from the running counts when shown, abstentions outside the quorum when the rules say so', () => {
    const open = ballot({ counts: { yes: 2, no: 1, abstain: 1 } });
    const figures = resultFigures(open)!;
    expect(figures).toMatchObject({ eligible: 6, notVoted: 2, participating: 3, quorumRequired: 4, quorumMet: false, thresholdMet: true });
    const svg = resultsChart(open, figures).value;
    expect(svg).toContain('aria-label="Results of the ballot out of 6 eligible Partners: 2 yes, 1 no, 1 abstain, 2 not voted; 3 taking part against a quorum of 4; 2 yes needed under two thirds."');
    expect(svg.match(/class="bar /g)).toHaveLength(5);
    const table = resultsTable(open, figures).value;
    expect(table).toContain('Quorum required (2/3 of 6)</th><td>4</td><td><span class="badge bad">not met</span>');
    expect(table).toContain('(abstentions do not count)');
  });
});

describe('the "as of" day', () => {
  it('reads a day as its end in UTC, takes a full instant as it is, and refuses anything else', () => {
    expect(asOf('2026-06-30')).toEqual({ at: '2026-06-30T23:59:59.999Z', day: '2026-06-30' });
    expect(asOf('2026-06-30T12:00:00Z')).toEqual({ at: '2026-06-30T12:00:00.000Z', day: '2026-06-30' });
    expect(asOf('')).toEqual({});
    expect(asOf(undefined)).toEqual({});
    expect(asOf('2026-02-30').error).toContain('is not a date');
    expect(asOf(['2026-01-01']).at).toBeUndefined();
  });

  it('reads an instant as the API does: the forms Date would misread or the API refuses are refused here', () => {
    expect(asOf('2026-06-30T21:00:00+09:00')).toEqual({ at: '2026-06-30T12:00:00.000Z', day: '2026-06-30' });
    expect(asOf('2026-02-30').error).toContain('has no such day');
    for (const text of ['2027-W27-4', '2027-182', '20270701T120000Z', '2027-07-01T12Z', '2027-07-01T12:00:00,5Z', '2027-07-01T12:00:00', '9999-12-31']) {
      expect(asOf(text)).toEqual({ error: expect.stringContaining('is not a date') });
    }
  });
});
