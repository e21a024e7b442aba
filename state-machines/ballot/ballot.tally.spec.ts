import { describe, expect, it } from '@jest/globals';
import type { Choice } from './ballot.events.js';
import type { RuleSet } from './ballot.rules.js';
import { tally } from './ballot.tally.js';

const rules = (overrides: Partial<RuleSet> = {}): RuleSet => ({
  quorum: { numerator: 1, denominator: 2 },
  threshold: 'simple-majority',
  abstentionsCountTowardQuorum: true,
  allowVoteChange: true,
  closeEarlyWhenAllVoted: true,
  revealTallyWhileOpen: false,
  ...overrides,
});
const ids = (n: number) => Array.from({ length: n }, (_, i) => `P${String(i).padStart(2, '0')}`);
const votes = (choices: Choice[]) => choices.map((choice, i) => ({ partnerId: `P${String(i).padStart(2, '0')}`, choice }));

describe('tally (docs/architecture.md §2 rule sets)', () => {
  it('counts each Partner’s last vote, and lists who did not vote', () => {
    const result = tally({ electorate: ['B', 'A', 'C'], rules: rules(), votes: [{ partnerId: 'A', choice: 'no' }, { partnerId: 'A', choice: 'yes' }, { partnerId: 'X', choice: 'no' }] });
    expect(result).toMatchObject({ eligible: ['A', 'B', 'C'], votes: [{ partnerId: 'A', choice: 'yes' }], notVoted: ['B', 'C'], yes: 1, no: 0 });
  });

  it('two thirds of 17 is 12 for the quorum; 11 taking part fails it', () => {
    const twoThirds = rules({ quorum: { numerator: 2, denominator: 3 } });
    expect(tally({ electorate: ids(17), rules: twoThirds, votes: votes(Array(11).fill('yes')) })).toMatchObject({ quorumRequired: 12, outcome: 'failedQuorum' });
    expect(tally({ electorate: ids(17), rules: twoThirds, votes: votes(Array(12).fill('yes')) })).toMatchObject({ quorumMet: true, outcome: 'approved' });
  });

  it('abstentions count toward the quorum only when the rules say so, and never as yes or no', () => {
    const choices: Choice[] = ['yes', 'abstain', 'abstain'];
    expect(tally({ electorate: ids(4), rules: rules(), votes: votes(choices) }).outcome).toBe('approved');
    expect(tally({ electorate: ids(4), rules: rules({ abstentionsCountTowardQuorum: false }), votes: votes(choices) }).outcome).toBe('failedQuorum');
  });

  it.each([
    ['simple-majority', ['yes', 'no'], 'rejected'],
    ['simple-majority', ['yes', 'yes', 'no'], 'approved'],
    ['two-thirds', ['yes', 'yes', 'no'], 'approved'],
    ['two-thirds', ['yes', 'yes', 'no', 'no'], 'rejected'],
    ['unanimity', ['yes', 'yes', 'abstain'], 'approved'],
    ['unanimity', ['yes', 'yes', 'no'], 'rejected'],
    ['no-objection', ['abstain'], 'approved'],
    ['no-objection', ['yes', 'no'], 'rejected'],
  ] as const)('%s with %j → %s', (threshold, choices, outcome) => {
    const result = tally({ electorate: ids(4), rules: rules({ threshold, quorum: { numerator: 0, denominator: 1 } }), votes: votes([...choices]) });
    expect(result.outcome).toBe(outcome);
  });

  it('the silence procedure adopts a ballot nobody voted on, when it has no quorum', () => {
    expect(tally({ electorate: ids(17), rules: rules({ threshold: 'no-objection', quorum: { numerator: 0, denominator: 1 } }), votes: [] }).outcome).toBe('approved');
  });
});
