import { describe, expect, it } from '@jest/globals';
import { initialTransition, transition, type SnapshotFrom } from 'xstate';
import { ballotMachine, type BallotMachineEvent } from './ballot.machine.js';
import {
  BALLOT_ID, FLEXIBLE, STRICT, T_CLOSES, T_LATE, T_OPEN, T_VOTE,
  cast, changed, closed, decided, drafted, opened, withdrawn,
} from './ballot.test-events.js';

type Snapshot = SnapshotFrom<typeof ballotMachine>;

function run(...events: BallotMachineEvent[]): Snapshot {
  let [snapshot] = initialTransition(ballotMachine, { ballotId: BALLOT_ID });
  for (const event of events) {
    expect(snapshot.can(event)).toBe(true);
    [snapshot] = transition(ballotMachine, snapshot, event);
  }
  return snapshot;
}

describe('ballot machine (ToR ¶13(b), ¶19)', () => {
  it('drafts, opens with a frozen electorate and rules, counts the votes and records the recounted outcome', () => {
    const open = run(drafted(), opened(FLEXIBLE), cast('ITU', 'yes'), cast('FAO', 'no'), changed('FAO', 'no', 'yes'));
    expect(open.value).toBe('open');
    expect(open.context).toMatchObject({ electorate: ['FAO', 'ITU'], opensAt: T_OPEN, closesAt: T_CLOSES, current: { ITU: 'yes', FAO: 'yes' } });
    expect(open.context.votes).toHaveLength(3);
    const shut = run(drafted(), opened(FLEXIBLE), cast('ITU', 'yes'), cast('FAO', 'no'), changed('FAO', 'no', 'yes'), closed('deadline', T_CLOSES));
    const final = run(drafted(), opened(FLEXIBLE), cast('ITU', 'yes'), cast('FAO', 'no'), changed('FAO', 'no', 'yes'), closed('deadline', T_CLOSES), decided(shut.context));
    expect(final.value).toBe('approved');
    expect(final.status).toBe('done');
  });

  it('refuses an opening without electorate, with a deadline not after it, or with unusable rules', () => {
    const draft = run(drafted());
    expect(draft.can(opened(FLEXIBLE, []))).toBe(false);
    expect(draft.can(opened(FLEXIBLE, ['FAO'], T_OPEN))).toBe(false);
    expect(draft.can(opened({ ...FLEXIBLE, quorum: { numerator: 3, denominator: 2 } }))).toBe(false);
    expect(draft.can(opened(FLEXIBLE, ['FAO']))).toBe(true);
  });

  it('takes a vote only from the frozen electorate, once, before the deadline', () => {
    const open = run(drafted(), opened(STRICT), cast('ITU', 'yes'));
    expect(open.can(cast('UNDP', 'yes'))).toBe(false);
    expect(open.can(cast('ITU', 'no'))).toBe(false);
    expect(open.can(changed('ITU', 'yes', 'no'))).toBe(false); // STRICT: no change
    expect(open.can(cast('FAO', 'yes', T_CLOSES))).toBe(false); // the deadline itself is outside the window
    expect(open.can(cast('FAO', 'yes'))).toBe(true);
  });

  it('takes a change only where the rules allow it, from the vote on record, to another choice', () => {
    const open = run(drafted(), opened(FLEXIBLE), cast('ITU', 'yes'));
    expect(open.can(changed('ITU', 'no', 'abstain'))).toBe(false);
    expect(open.can(changed('ITU', 'yes', 'yes'))).toBe(false);
    expect(open.can(changed('FAO', 'yes', 'no'))).toBe(false);
    expect(open.can(changed('ITU', 'yes', 'no', T_LATE))).toBe(false);
    expect(open.can(changed('ITU', 'yes', 'no'))).toBe(true);
  });

  it('closes at the deadline, early when all voted (if the rules say so), or by the Secretariat with a reason', () => {
    const flexible = run(drafted(), opened(FLEXIBLE), cast('ITU', 'yes'), cast('FAO', 'yes'));
    expect(flexible.can(closed('deadline', T_VOTE))).toBe(false);
    expect(flexible.can(closed('deadline', T_CLOSES))).toBe(true);
    expect(flexible.can(closed('all-voted', T_VOTE))).toBe(false); // FLEXIBLE runs to its deadline
    expect(flexible.can(closed('secretariat', T_VOTE, ' '))).toBe(false);
    expect(flexible.can(closed('secretariat', T_VOTE, 'settled'))).toBe(true);
    const strict = run(drafted(), opened(STRICT), cast('ITU', 'yes'));
    expect(strict.can(closed('all-voted', T_VOTE))).toBe(false);
    expect(run(drafted(), opened(STRICT), cast('ITU', 'yes'), cast('FAO', 'no')).can(closed('all-voted', T_VOTE))).toBe(true);
  });

  it('records only the outcome the recount gives', () => {
    const shut = run(drafted(), opened(FLEXIBLE), cast('ITU', 'yes'), cast('FAO', 'no'), closed('deadline', T_CLOSES));
    expect(shut.can(decided(shut.context, true))).toBe(false);
    const right = decided(shut.context);
    expect(right.type === 'BallotDecided' && right.data.outcome).toBe('rejected'); // 1 yes, 1 no: no majority
    const wrongOutcome = { ...right, data: { ...(right.data as object), outcome: 'approved' } } as BallotMachineEvent;
    expect(shut.can(wrongOutcome)).toBe(false);
    expect(transition(ballotMachine, shut, right)[0].value).toBe('rejected');
  });

  it('withdraws before the close only', () => {
    expect(run(drafted()).can(withdrawn())).toBe(true);
    expect(run(drafted(), opened(FLEXIBLE), cast('ITU', 'yes')).can(withdrawn())).toBe(true);
    expect(run(drafted(), opened(FLEXIBLE), closed('deadline', T_CLOSES)).can(withdrawn())).toBe(false);
  });
});
