import { assign, setup } from 'xstate';
import type { FoldedEvent } from '../tools/folded-event.js';
import type { Channel, Outcome } from '../ballot/ballot.events.js';
import type { WorkplanCompiledData, WorkplanEvent } from './workplan.events.js';

export interface CompilationRound {
  round: number;
  contentHash: string;
  review: 'endorse' | 'request-changes' | null;
}

export interface WorkplanContext {
  cycle: string;
  inputDeadline: string | null;
  /** Every input's id, in the order received. */
  inputs: string[];
  rounds: CompilationRound[];
  presentedRound: number | null;
  /** The agreement ballot currently linked. */
  ballotId: string | null;
  channel: Channel | null;
  outcome: Outcome | null;
}

export type WorkplanMachineEvent = FoldedEvent<WorkplanEvent>;

const SHA256 = /^[0-9a-f]{64}$/;
const at = (iso: string) => Date.parse(iso);
const blank = (text: string | undefined) => (text ?? '').trim() === '';

/** The round a compilation must carry: one more than the rounds so far. */
export function nextRound(context: WorkplanContext): number {
  return context.rounds.length + 1;
}

/** Every input taken or left out with a reason, none twice, none unknown (¶10(a): compiled based on the inputs). */
export function accountsForEveryInput(context: WorkplanContext, data: WorkplanCompiledData): boolean {
  const named = [...data.taken, ...data.leftOut.map((left) => left.inputId)];
  return (
    data.round === nextRound(context) &&
    SHA256.test(data.contentHash) &&
    new Set(named).size === named.length &&
    named.length === context.inputs.length &&
    named.every((inputId) => context.inputs.includes(inputId)) &&
    data.leftOut.every((left) => !blank(left.reason))
  );
}

const latest = (context: WorkplanContext) => context.rounds.at(-1);

/**
 * The yearly workplan cycle (ToR ¶10(a)-(d)): compiled by the Secretariat from the inputs of the Partners, the
 * Thematic Group Leaders (¶20(b)) and the IP Leader; reviewed by the Management Team (¶10(b), ¶17(b)); presented at
 * the Annual Meeting (¶10(c)); agreed to by the Partners (¶10(d)) through a Partners Board ballot. The guards read
 * only the event and the context; who may act and the ballot's recorded outcome are checked by the decide steps.
 */
export const workplanMachine = setup({
  types: {
    context: {} as WorkplanContext,
    events: {} as WorkplanMachineEvent,
    input: {} as { cycle: string },
  },
  guards: {
    deadlineAhead: ({ event }) =>
      (event.type === 'WorkplanOpened' || event.type === 'WorkplanInputsReopened') &&
      at(event.meta.occurredAt) < at(event.data.inputDeadline) &&
      (event.type === 'WorkplanOpened' || !blank(event.data.reason)),
    beforeDeadline: ({ context, event }) =>
      event.type === 'WorkplanInputSubmitted' &&
      context.inputDeadline !== null &&
      at(event.meta.occurredAt) < at(context.inputDeadline) &&
      !context.inputs.includes(event.data.inputId),
    deadlinePassedAndEveryInputAccounted: ({ context, event }) =>
      event.type === 'WorkplanCompiled' &&
      context.inputDeadline !== null &&
      at(event.meta.occurredAt) >= at(context.inputDeadline) &&
      accountsForEveryInput(context, event.data),
    everyInputAccounted: ({ context, event }) => event.type === 'WorkplanCompiled' && accountsForEveryInput(context, event.data),
    endorsesLatestRound: ({ context, event }) =>
      event.type === 'WorkplanReviewed' &&
      event.data.decision === 'endorse' &&
      event.data.round === latest(context)?.round &&
      event.data.contentHash === latest(context)?.contentHash,
    requestsChangesWithComments: ({ context, event }) =>
      event.type === 'WorkplanReviewed' &&
      event.data.decision === 'request-changes' &&
      event.data.comments.some((comment) => !blank(comment)) &&
      event.data.round === latest(context)?.round &&
      event.data.contentHash === latest(context)?.contentHash,
    presentsEndorsedRound: ({ context, event }) =>
      event.type === 'WorkplanPresented' &&
      latest(context)?.review === 'endorse' &&
      event.data.round === latest(context)?.round &&
      event.data.contentHash === latest(context)?.contentHash &&
      !blank(event.data.meeting),
    channelJustified: ({ event }) =>
      event.type === 'AgreementBallotLinked' &&
      event.data.replaces === undefined &&
      (event.data.channel === 'meeting' || !blank(event.data.channelReason)),
    replacesLinkedBallot: ({ context, event }) =>
      event.type === 'AgreementBallotLinked' &&
      event.data.replaces === context.ballotId &&
      event.data.ballotId !== context.ballotId &&
      (event.data.channel === 'meeting' || !blank(event.data.channelReason)),
    approvedByLinkedBallot: ({ context, event }) =>
      event.type === 'WorkplanAgreed' && event.data.ballotId === context.ballotId && event.data.outcome === 'approved',
    notApprovedByLinkedBallot: ({ context, event }) =>
      event.type === 'WorkplanNotAgreed' && event.data.ballotId === context.ballotId && event.data.outcome !== 'approved',
  },
  actions: {
    open: assign(({ event }) => (event.type === 'WorkplanOpened' ? { inputDeadline: event.data.inputDeadline } : {})),
    reopen: assign(({ event }) =>
      event.type === 'WorkplanInputsReopened' ? { inputDeadline: event.data.inputDeadline, presentedRound: null, ballotId: null, channel: null, outcome: null } : {},
    ),
    takeInput: assign(({ context, event }) =>
      event.type === 'WorkplanInputSubmitted' ? { inputs: [...context.inputs, event.data.inputId] } : {},
    ),
    compile: assign(({ context, event }) =>
      event.type === 'WorkplanCompiled'
        ? {
            rounds: [...context.rounds, { round: event.data.round, contentHash: event.data.contentHash, review: null }],
            presentedRound: null,
            ballotId: null,
            channel: null,
            outcome: null,
          }
        : {},
    ),
    review: assign(({ context, event }) =>
      event.type === 'WorkplanReviewed'
        ? { rounds: context.rounds.map((round) => (round.round === event.data.round ? { ...round, review: event.data.decision } : round)) }
        : {},
    ),
    present: assign(({ event }) => (event.type === 'WorkplanPresented' ? { presentedRound: event.data.round } : {})),
    link: assign(({ event }) => (event.type === 'AgreementBallotLinked' ? { ballotId: event.data.ballotId, channel: event.data.channel } : {})),
    decide: assign(({ event }) =>
      event.type === 'WorkplanAgreed' || event.type === 'WorkplanNotAgreed' ? { outcome: event.data.outcome } : {},
    ),
  },
}).createMachine({
  id: 'workplan',
  initial: 'none',
  // `input?.`: XState's pure transition() builds throwaway actors without input; throwing there costs every fold.
  context: ({ input }) => ({
    cycle: input?.cycle ?? '',
    inputDeadline: null,
    inputs: [],
    rounds: [],
    presentedRound: null,
    ballotId: null,
    channel: null,
    outcome: null,
  }),
  states: {
    none: {
      description: 'No workplan cycle on record',
      on: {
        WorkplanOpened: { target: 'collectingInputs', guard: 'deadlineAhead', actions: 'open', meta: { clauses: ['¶10(a)', '¶23(a)'] } },
      },
    },
    collectingInputs: {
      description: 'Partners, Thematic Group Leaders and the IP Leader submit inputs until the deadline',
      on: {
        WorkplanInputSubmitted: { guard: 'beforeDeadline', actions: 'takeInput', meta: { clauses: ['¶10(a)', '¶20(b)'] } },
        WorkplanInputsReopened: { guard: 'deadlineAhead', actions: 'reopen', meta: { clauses: ['¶10(a)', '¶23(a)'] } },
        WorkplanCompiled: { target: 'underReview', guard: 'deadlinePassedAndEveryInputAccounted', actions: 'compile', meta: { clauses: ['¶10(a)'] } },
      },
    },
    underReview: {
      description: 'A compiled version awaits the Management Team (a current Chair or Vice-Chair)',
      on: {
        WorkplanReviewed: [
          { target: 'endorsed', guard: 'endorsesLatestRound', actions: 'review', meta: { clauses: ['¶10(b)', '¶17(b)'] } },
          { target: 'changesRequested', guard: 'requestsChangesWithComments', actions: 'review', meta: { clauses: ['¶10(b)', '¶17(b)'] } },
        ],
      },
    },
    changesRequested: {
      description: 'The Management Team asked for changes: the Secretariat compiles a new version (or reopens inputs)',
      on: {
        WorkplanCompiled: { target: 'underReview', guard: 'everyInputAccounted', actions: 'compile', meta: { clauses: ['¶10(a)'] } },
        WorkplanInputsReopened: { target: 'collectingInputs', guard: 'deadlineAhead', actions: 'reopen', meta: { clauses: ['¶10(a)', '¶23(a)'] } },
      },
    },
    endorsed: {
      description: 'Endorsed by the Management Team; to be presented at the Annual Meeting',
      on: {
        WorkplanPresented: { target: 'presented', guard: 'presentsEndorsedRound', actions: 'present', meta: { clauses: ['¶10(b)', '¶10(c)'] } },
      },
    },
    presented: {
      description: 'Presented and discussed at the Annual Meeting; the Partners decide through a ballot',
      on: {
        AgreementBallotLinked: { target: 'voting', guard: 'channelJustified', actions: 'link', meta: { clauses: ['¶10(d)', '¶13(b)'] } },
      },
    },
    voting: {
      description: 'The agreement ballot runs; only its recorded outcome, through the saga, moves the cycle on',
      on: {
        AgreementBallotLinked: { guard: 'replacesLinkedBallot', actions: 'link', meta: { clauses: ['¶10(d)', '¶13(b)'] } },
        WorkplanAgreed: { target: 'agreed', guard: 'approvedByLinkedBallot', actions: 'decide', meta: { clauses: ['¶10(d)', '¶17(b)'] } },
        WorkplanNotAgreed: { target: 'notAgreed', guard: 'notApprovedByLinkedBallot', actions: 'decide', meta: { clauses: ['¶10(d)'] } },
      },
    },
    notAgreed: {
      description: 'Not agreed by the Partners: back to compilation (or inputs reopened)',
      on: {
        WorkplanCompiled: { target: 'underReview', guard: 'everyInputAccounted', actions: 'compile', meta: { clauses: ['¶10(a)'] } },
        WorkplanInputsReopened: { target: 'collectingInputs', guard: 'deadlineAhead', actions: 'reopen', meta: { clauses: ['¶10(a)', '¶23(a)'] } },
      },
    },
    agreed: { type: 'final', description: 'Agreed to by the Partners (¶10(d)): the workplan of the cycle' },
  },
});

export const WORKPLAN_MACHINE_VERSION = 1;
