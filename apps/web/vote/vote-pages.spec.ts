import { describe, expect, it } from '@jest/globals';
import type { BallotResponse } from '../../../libs/ballots/index.js';
import { recordedNotice, voteState } from './vote-pages.js';
import { formatInstant, relativeTime } from './when.js';

const now = new Date('2026-05-04T08:00:00.000Z');
const later = (ms: number) => new Date(now.getTime() + ms).toISOString();

describe('voting page helpers', () => {
  it('writes instants in UTC and distances in the largest unit that reads well', () => {
    expect(formatInstant('2026-05-18T08:00:00.000Z')).toBe('Mon, 18 May 2026, 08:00 UTC');
    expect(relativeTime(later(14 * 86_400_000), now)).toBe('in 14 days');
    expect(relativeTime(later(2 * 86_400_000), now)).toBe('in 2 days');
    expect(relativeTime(later(36 * 3_600_000), now)).toBe('in 36 hours');
    expect(relativeTime(later(-3 * 3_600_000), now)).toBe('3 hours ago');
    expect(relativeTime(later(5 * 60_000), now)).toBe('in 5 minutes');
    expect(relativeTime(later(20_000), now)).toBe('in less than a minute');
    expect(relativeTime(later(0), now)).toBe('just now');
  });

  it('says what the API answered: a new vote, a change, a repeat, a vote that closed the ballot', () => {
    const resource = { turnout: { voted: 3, eligible: 5 } } as BallotResponse;
    const event = (type: string) => ({ type, position: 42, hash: 'ab'.repeat(32) });
    expect(recordedNotice({ duplicate: false, state: 'open', events: [event('VoteCast')], resource }, 'FAO', 'yes')).toBe(
      'Your vote was recorded: FAO votes Yes (event VoteCast at position 42, hash abababababab…). Turnout: 3 of 5 Partners have voted.',
    );
    expect(recordedNotice({ duplicate: false, state: 'open', events: [event('VoteChanged')], resource }, 'FAO', 'no')).toContain(
      'Your vote was recorded as a change: FAO now votes No',
    );
    expect(recordedNotice({ duplicate: true, state: 'open', events: [], resource }, 'FAO', 'no')).toBe(
      'Your vote was already recorded: FAO votes No. Turnout: 3 of 5 Partners have voted.',
    );
    expect(recordedNotice({ duplicate: false, state: 'open', events: [], resource }, 'FAO', 'no')).toBe(
      'Your vote stands as it was: FAO votes No; nothing new was recorded. Turnout: 3 of 5 Partners have voted.',
    );
    const closing = recordedNotice({ duplicate: false, state: 'decided', events: [event('VoteCast'), event('BallotClosed'), event('BallotDecided')], resource }, 'FAO', 'abstain');
    expect(closing).toContain('It was the last vote of the electorate, so the ballot closed and was counted');
  });

  it('offers controls only where the API would take the vote, and otherwise names the clause', () => {
    const open = {
      ballotId: 'b1',
      status: 'open',
      closesAt: later(86_400_000),
      electorate: ['FAO', 'ITU'],
      electorateAsOf: now.toISOString(),
      rules: { allowVoteChange: false },
      rulesSource: { clauses: ['¶13(a)', '¶15'] },
      yourOrganisation: { partnerId: 'FAO', eligible: true, voted: false },
    } as unknown as BallotResponse;
    expect(voteState(open, 'FAO', now)).toEqual({ open: true, changing: false });
    expect(voteState(open, undefined, now)).toMatchObject({ open: false, status: 403, clauses: ['¶13'] });
    expect(voteState({ ...open, yourOrganisation: { partnerId: 'FAO', eligible: true, voted: true, choice: 'no' } }, 'FAO', now)).toMatchObject({
      open: false,
      status: 409,
      final: true,
      clauses: ['¶13(a)', '¶15'],
    });
    expect(voteState({ ...open, yourOrganisation: { partnerId: 'UNICEF', eligible: false, voted: false } }, 'UNICEF', now)).toMatchObject({
      open: false,
      status: 403,
      clauses: ['¶13', '¶13(b)'],
    });
    expect(voteState(open, 'FAO', new Date(Date.parse(open.closesAt!)))).toMatchObject({ open: false, status: 409, clauses: ['¶13(b)'] });
    expect(voteState({ ...open, status: 'approved' }, 'FAO', now)).toMatchObject({ open: false, status: 409, clauses: ['¶13(b)'] });
    expect(voteState({ ...open, status: 'withdrawn' }, 'FAO', now)).toMatchObject({ open: false, clauses: ['¶23(a)'] });
  });
});
