import { describe, expect, it } from '@jest/globals';
import type { BallotResponse } from '../../../libs/ballots/index.js';
import { ballotLead, recordedNotice, voteState } from './vote-pages.js';

const now = new Date('2026-05-04T08:00:00.000Z');
const later = (ms: number) => new Date(now.getTime() + ms).toISOString();

describe('voting page helpers', () => {
  it('writes the deadline in UTC with how far it is, and names it when voting has ended', () => {
    const ballot = { ballotId: 'b1', question: 'Agreed?', status: 'open', closesAt: later(14 * 86_400_000), electorate: [] } as unknown as BallotResponse;
    expect(ballotLead(ballot, now).value).toContain(
      '<p>Closes <time datetime="2026-05-18T08:00:00.000Z">18 May 2026, 08:00 UTC</time> <span class="muted">(in 14 days)</span></p>',
    );
    const past = new Date(Date.parse(ballot.closesAt!) + 3 * 3_600_000);
    expect(ballotLead(ballot, past).value).toContain('<p>Voting ended <time datetime="2026-05-18T08:00:00.000Z">18 May 2026, 08:00 UTC</time> <span class="muted">(3 hours ago)</span></p>');
    expect(voteState(ballot, 'FAO', past)).toMatchObject({ reason: 'voting ended at the deadline, 18 May 2026, 08:00 UTC; the ballot is being closed and counted' });
    const closed = { ...ballot, status: 'approved', closed: { at: later(36 * 3_600_000 + 30_000) } } as unknown as BallotResponse;
    expect(ballotLead(closed, past).value).toContain('<p>Voting closed <time datetime="2026-05-05T20:00:30.000Z">5 May 2026, 20:00:30 UTC</time> <span class="muted">(13 days ago)</span></p>');
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
