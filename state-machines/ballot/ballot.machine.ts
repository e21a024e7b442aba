import { assign, setup } from 'xstate';
import type { FoldedEvent } from '../tools/folded-event.js';
import type { BallotEvent, BallotSubject, Channel, Choice, CloseCause, Outcome } from './ballot.events.js';
import { ruleSetProblems, type RuleSet } from './ballot.rules.js';
import { sameTally, tally, type BallotTally, type FinalVote } from './ballot.tally.js';

export interface BallotContext {
  ballotId: string;
  subject: BallotSubject | null;
  question: string | null;
  channel: Channel | null;
  opensAt: string | null;
  closesAt: string | null;
  /** Frozen at opening. */
  electorate: string[];
  rules: RuleSet | null;
  /** Every vote and change in order; the tally counts each Partner's last. */
  votes: FinalVote[];
  /** Each voter's current choice. */
  current: Record<string, Choice>;
  closedBy: CloseCause | null;
  outcome: Outcome | null;
}

export type BallotMachineEvent = FoldedEvent<BallotEvent>;

const before = (occurredAt: string, closesAt: string | null) => closesAt !== null && Date.parse(occurredAt) < Date.parse(closesAt);
const isMember = (context: BallotContext, partnerId: string) => context.electorate.includes(partnerId);

/** The recount of the votes so far under the frozen rules: what a `BallotDecided` must record. */
export function recount(context: BallotContext): BallotTally {
  return tally({ electorate: context.electorate, rules: context.rules!, votes: context.votes });
}

function recorded(context: BallotContext, event: BallotMachineEvent, outcome: Outcome): boolean {
  if (event.type !== 'BallotDecided' || event.data.outcome !== outcome || context.rules === null) return false;
  try {
    const counted = recount(context);
    return counted.outcome === outcome && sameTally(event.data.tally, counted);
  } catch {
    return false; // a malformed tally is not this recount
  }
}

/**
 * A Partners Board ballot (ToR ¶13(b): approval given electronically between Annual Meetings; ¶19: deliverables
 * approved electronically). The electorate and the rules are frozen in the opening event; the guards read only
 * the event and the context, so the machine stays pure and the whole decision is recountable from the stream.
 */
export const ballotMachine = setup({
  types: {
    context: {} as BallotContext,
    events: {} as BallotMachineEvent,
    input: {} as { ballotId: string },
  },
  guards: {
    openingIsValid: ({ event }) =>
      event.type === 'BallotOpened' &&
      event.data.electorate.length > 0 &&
      before(event.meta.occurredAt, event.data.closesAt) &&
      ruleSetProblems(event.data.rules).length === 0,
    mayCast: ({ context, event }) =>
      event.type === 'VoteCast' &&
      isMember(context, event.data.partnerId) &&
      !(event.data.partnerId in context.current) &&
      before(event.meta.occurredAt, context.closesAt),
    mayChange: ({ context, event }) =>
      event.type === 'VoteChanged' &&
      context.rules?.allowVoteChange === true &&
      isMember(context, event.data.partnerId) &&
      context.current[event.data.partnerId] === event.data.previousChoice &&
      event.data.choice !== event.data.previousChoice &&
      before(event.meta.occurredAt, context.closesAt),
    deadlineReached: ({ context, event }) =>
      event.type === 'BallotClosed' && event.data.cause === 'deadline' && !before(event.meta.occurredAt, context.closesAt),
    everyoneVoted: ({ context, event }) =>
      event.type === 'BallotClosed' &&
      event.data.cause === 'all-voted' &&
      context.rules?.closeEarlyWhenAllVoted === true &&
      context.electorate.every((partnerId) => partnerId in context.current),
    secretariatGaveReason: ({ event }) =>
      event.type === 'BallotClosed' && event.data.cause === 'secretariat' && (event.data.reason ?? '').trim() !== '',
    recountApproves: ({ context, event }) => recorded(context, event, 'approved'),
    recountRejects: ({ context, event }) => recorded(context, event, 'rejected'),
    recountFailsQuorum: ({ context, event }) => recorded(context, event, 'failedQuorum'),
  },
  actions: {
    draft: assign(({ event }) =>
      event.type === 'BallotDrafted'
        ? { subject: event.data.subject, question: event.data.question, channel: event.data.channel }
        : {},
    ),
    freeze: assign(({ event }) =>
      event.type === 'BallotOpened'
        ? { opensAt: event.meta.occurredAt, closesAt: event.data.closesAt, electorate: [...event.data.electorate], rules: event.data.rules }
        : {},
    ),
    recordVote: assign(({ context, event }) =>
      event.type === 'VoteCast' || event.type === 'VoteChanged'
        ? {
            votes: [...context.votes, { partnerId: event.data.partnerId, choice: event.data.choice }],
            current: { ...context.current, [event.data.partnerId]: event.data.choice },
          }
        : {},
    ),
    close: assign(({ event }) => (event.type === 'BallotClosed' ? { closedBy: event.data.cause } : {})),
    decide: assign(({ event }) => (event.type === 'BallotDecided' ? { outcome: event.data.outcome } : {})),
  },
}).createMachine({
  id: 'ballot',
  initial: 'none',
  // `input?.`: XState's pure transition() builds throwaway actors without input; throwing there costs every fold.
  context: ({ input }) => ({
    ballotId: input?.ballotId ?? '',
    subject: null,
    question: null,
    channel: null,
    opensAt: null,
    closesAt: null,
    electorate: [],
    rules: null,
    votes: [],
    current: {},
    closedBy: null,
    outcome: null,
  }),
  states: {
    none: {
      description: 'No ballot on record',
      on: { BallotDrafted: { target: 'draft', actions: 'draft', meta: { clauses: ['¶13(b)'] } } },
    },
    draft: {
      description: 'Subject and question set by the Secretariat; not yet open for votes',
      on: {
        BallotOpened: { target: 'open', guard: 'openingIsValid', actions: 'freeze', meta: { clauses: ['¶13', '¶13(b)'] } },
        BallotWithdrawn: { target: 'withdrawn', meta: { clauses: ['¶13(b)', '¶23(a)'] } },
      },
    },
    open: {
      description: 'The Partners of the frozen electorate vote, each for its own organisation',
      on: {
        VoteCast: { guard: 'mayCast', actions: 'recordVote', meta: { clauses: ['¶13', '¶13(b)'] } },
        VoteChanged: { guard: 'mayChange', actions: 'recordVote', meta: { clauses: ['¶13', '¶13(b)'] } },
        BallotClosed: [
          { target: 'closed', guard: 'deadlineReached', actions: 'close', meta: { clauses: ['¶13(b)'] } },
          { target: 'closed', guard: 'everyoneVoted', actions: 'close', meta: { clauses: ['¶13(b)'] } },
          { target: 'closed', guard: 'secretariatGaveReason', actions: 'close', meta: { clauses: ['¶13(b)'] } },
        ],
        BallotWithdrawn: { target: 'withdrawn', meta: { clauses: ['¶13(b)', '¶23(a)'] } },
      },
    },
    closed: {
      description: 'No more votes; the outcome is counted from the events',
      on: {
        BallotDecided: [
          { target: 'approved', guard: 'recountApproves', actions: 'decide', meta: { clauses: ['¶13(b)', '¶19'] } },
          { target: 'rejected', guard: 'recountRejects', actions: 'decide', meta: { clauses: ['¶13(b)', '¶19'] } },
          { target: 'failedQuorum', guard: 'recountFailsQuorum', actions: 'decide', meta: { clauses: ['¶13(b)', '¶19'] } },
        ],
      },
    },
    approved: { type: 'final', description: 'Quorum met and the threshold reached: the Partners Board approved' },
    rejected: { type: 'final', description: 'Quorum met, threshold not reached' },
    failedQuorum: { type: 'final', description: 'Too few Partners took part: no decision' },
    withdrawn: { type: 'final', description: 'Withdrawn by the Secretariat before the close; its history stays' },
  },
});

export const BALLOT_MACHINE_VERSION = 1;
