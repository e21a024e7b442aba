/** Folded ballot events for the machine's and the runner's tests: a small electorate, fixed instants. */
import type { Choice, CloseCause } from './ballot.events.js';
import type { BallotContext, BallotMachineEvent } from './ballot.machine.js';
import { recount } from './ballot.machine.js';
import type { RuleSet } from './ballot.rules.js';

export const BALLOT_ID = 'b-1';
export const T_OPEN = '2026-03-01T09:00:00.000Z';
export const T_VOTE = '2026-03-02T09:00:00.000Z';
export const T_CLOSES = '2026-03-08T09:00:00.000Z';
export const T_LATE = '2026-03-09T09:00:00.000Z';

export const secretariat = { id: 'sec-1', role: 'secretariat' };
export const scheduler = { id: 'u4ssc-scheduler', role: 'system' };
export const representative = (org: string) => ({ id: `rep-${org}`, role: 'partner', org });

export const FLEXIBLE: RuleSet = {
  quorum: { numerator: 1, denominator: 2 },
  threshold: 'simple-majority',
  abstentionsCountTowardQuorum: true,
  allowVoteChange: true,
  closeEarlyWhenAllVoted: false,
  revealTallyWhileOpen: false,
};
export const STRICT: RuleSet = { ...FLEXIBLE, allowVoteChange: false, closeEarlyWhenAllVoted: true };

const at = (occurredAt: string, actor: { id: string; role: string; org?: string } = secretariat) => ({ occurredAt, actor });

export const drafted = (): BallotMachineEvent => ({
  type: 'BallotDrafted',
  data: { ballotId: BALLOT_ID, subject: { kind: 'workplan', reference: 'workplan-2026', title: 'Workplan 2026' }, question: 'Agree?', channel: 'electronic' },
  meta: at(T_OPEN),
});

export const opened = (rules: RuleSet, electorate = ['FAO', 'ITU'], closesAt = T_CLOSES): BallotMachineEvent => ({
  type: 'BallotOpened',
  data: {
    ballotId: BALLOT_ID,
    closesAt,
    electorate,
    electorateAsOf: T_OPEN,
    rules,
    rulesSource: { table: 'test', tableVersion: 1, subjectKind: 'workplan', clauses: ['¶10(d)'], chosenBy: 'secretariat', reason: 'test' },
    torVersion: 'U4SSC-ToR-2023',
  },
  meta: at(T_OPEN),
});

export const cast = (partnerId: string, choice: Choice, when = T_VOTE): BallotMachineEvent => ({
  type: 'VoteCast',
  data: { ballotId: BALLOT_ID, partnerId, choice },
  meta: at(when, representative(partnerId)),
});

export const changed = (partnerId: string, previousChoice: Choice, choice: Choice, when = T_VOTE): BallotMachineEvent => ({
  type: 'VoteChanged',
  data: { ballotId: BALLOT_ID, partnerId, choice, previousChoice },
  meta: at(when, representative(partnerId)),
});

export const closed = (cause: CloseCause, when: string, reason?: string): BallotMachineEvent => ({
  type: 'BallotClosed',
  data: { ballotId: BALLOT_ID, cause, ...(reason !== undefined ? { reason } : {}) },
  meta: at(when, cause === 'deadline' ? scheduler : secretariat),
});

/** The decision a closed ballot must record: the recount of its context (or a forged one when `forge` is set). */
export const decided = (context: BallotContext, forge = false): BallotMachineEvent => {
  const tally = recount(context);
  const recorded = forge ? { ...tally, yes: tally.yes + 1 } : tally;
  return {
    type: 'BallotDecided',
    data: { ballotId: BALLOT_ID, subject: context.subject!, outcome: tally.outcome, tally: recorded },
    meta: at(T_LATE, scheduler),
  };
};

export const withdrawn = (when = T_VOTE): BallotMachineEvent => ({
  type: 'BallotWithdrawn',
  data: { ballotId: BALLOT_ID, reason: 'settled at the Annual Meeting' },
  meta: at(when),
});
