import type { StoredEvent } from '../envelope/index.js';
import type { Channel, Outcome } from '../../state-machines/ballot/ballot.events.js';
import type { InputCapacity, LeftOutInput, Reviewer, ReviewDecision, WorkplanEvent } from '../../state-machines/workplan/workplan.events.js';

export type WorkplanState = 'collectingInputs' | 'underReview' | 'changesRequested' | 'endorsed' | 'presented' | 'voting' | 'agreed' | 'notAgreed';

export interface InputView {
  inputId: string;
  submittedBy: string;
  capacity: InputCapacity;
  title: string;
  text: string;
  contentHash: string;
  at: string;
}

export interface ReviewView {
  decision: ReviewDecision;
  comments: string[];
  reviewer: Reviewer;
  at: string;
}

/** One compilation round, with its review: every round is kept. */
export interface RoundView {
  round: number;
  version: string;
  contentHash: string;
  text: string;
  taken: string[];
  leftOut: LeftOutInput[];
  compiledAt: string;
  compiledBy: string;
  review?: ReviewView;
  presented?: { at: string; by: string; meeting: string };
}

export interface BallotLinkView {
  ballotId: string;
  channel: Channel;
  channelReason?: string;
  how: 'opened' | 'linked';
  replaces?: string;
  linkedAt: string;
  linkedBy: string;
  round: number;
  outcome?: Outcome;
  decidedAt?: string;
  recordedAt?: string;
}

/** The workplans read model (collection `workplans`): one document per cycle. */
export interface WorkplanView {
  cycle: string;
  stream: string;
  title: string;
  state: WorkplanState;
  openedAt: string;
  openedBy: string;
  inputDeadline: string;
  /** Every reopening of the inputs, with its reason. */
  reopenings: { at: string; by: string; inputDeadline: string; reason: string }[];
  inputs: InputView[];
  rounds: RoundView[];
  /** Every agreement ballot linked, in order; the last is the current one. */
  ballots: BallotLinkView[];
  /** The ballot whose recorded outcome decided the cycle last (agreed or not). */
  decidingBallot?: BallotLinkView;
  revision: number;
  position: number;
}

export const WORKPLANS_COLLECTION = 'workplans';

type Stored = StoredEvent & WorkplanEvent;

/**
 * The read model as a pure fold of a cycle's events: the projection keeps it, and `?at=` answers fold the same
 * function over the events recorded up to an instant, so both speak alike.
 */
export function applyWorkplanEvent(view: WorkplanView | undefined, stored: StoredEvent): WorkplanView | undefined {
  if (stored.metadata.machine.id !== 'workplan') return view;
  const event = stored as Stored;
  const at = stored.metadata.occurredAt;
  const by = stored.metadata.actor.id;
  const placed = { revision: stored.revision, position: stored.position };
  if (event.type === 'WorkplanOpened') {
    const { cycle, title, inputDeadline } = event.data;
    return {
      cycle,
      stream: stored.stream,
      title,
      state: 'collectingInputs',
      openedAt: at,
      openedBy: by,
      inputDeadline,
      reopenings: [],
      inputs: [],
      rounds: [],
      ballots: [],
      ...placed,
    };
  }
  if (!view) return view;
  const lastRound = (change: (round: RoundView) => RoundView) => view.rounds.map((round, index) => (index === view.rounds.length - 1 ? change(round) : round));
  const lastBallot = (change: (ballot: BallotLinkView) => BallotLinkView) =>
    view.ballots.map((ballot, index) => (index === view.ballots.length - 1 ? change(ballot) : ballot));
  switch (event.type) {
    case 'WorkplanInputSubmitted': {
      const { inputId, submittedBy, capacity, title, text, contentHash } = event.data;
      return { ...view, inputs: [...view.inputs, { inputId, submittedBy, capacity, title, text, contentHash, at }], ...placed };
    }
    case 'WorkplanInputsReopened': {
      const { inputDeadline, reason } = event.data;
      return { ...view, state: 'collectingInputs', inputDeadline, reopenings: [...view.reopenings, { at, by, inputDeadline, reason }], ...placed };
    }
    case 'WorkplanCompiled': {
      const { round, version, contentHash, text, taken, leftOut } = event.data;
      return { ...view, state: 'underReview', rounds: [...view.rounds, { round, version, contentHash, text, taken, leftOut, compiledAt: at, compiledBy: by }], ...placed };
    }
    case 'WorkplanReviewed': {
      const { decision, comments, reviewer } = event.data;
      return {
        ...view,
        state: decision === 'endorse' ? 'endorsed' : 'changesRequested',
        rounds: lastRound((round) => ({ ...round, review: { decision, comments, reviewer, at } })),
        ...placed,
      };
    }
    case 'WorkplanPresented':
      return { ...view, state: 'presented', rounds: lastRound((round) => ({ ...round, presented: { at, by, meeting: event.data.meeting } })), ...placed };
    case 'AgreementBallotLinked': {
      const { ballotId, channel, channelReason, how, replaces } = event.data;
      const link: BallotLinkView = {
        ballotId,
        channel,
        ...(channelReason ? { channelReason } : {}),
        how,
        ...(replaces ? { replaces } : {}),
        linkedAt: at,
        linkedBy: by,
        round: view.rounds.at(-1)?.round ?? 0,
      };
      return { ...view, state: 'voting', ballots: [...view.ballots, link], ...placed };
    }
    case 'WorkplanAgreed':
    case 'WorkplanNotAgreed': {
      const { outcome, decidedAt } = event.data;
      const ballots = lastBallot((ballot) => ({ ...ballot, outcome, decidedAt, recordedAt: at }));
      return { ...view, state: event.type === 'WorkplanAgreed' ? 'agreed' : 'notAgreed', ballots, decidingBallot: ballots.at(-1), ...placed };
    }
    default:
      return view;
  }
}
