import type {
  BallotSubject,
  Channel,
  Choice,
  CloseCause,
  Outcome,
  RulesSource,
} from '../../state-machines/ballot/ballot.events.js';
import type { RuleSet } from '../../state-machines/ballot/ballot.rules.js';
import type { BallotTally } from '../../state-machines/ballot/ballot.tally.js';

export type BallotStatus = 'draft' | 'open' | 'closed' | Outcome | 'withdrawn';

export interface VoteRecordView {
  type: 'VoteCast' | 'VoteChanged';
  partnerId: string;
  choice: Choice;
  previousChoice?: Choice;
  at: string;
  /** The representative (person id) who cast it. */
  by: string;
}

/** The ballots read model (collection `ballots`): everything, unfiltered. What a person may see is decided on the way out. */
export interface BallotView {
  ballotId: string;
  stream: string;
  status: BallotStatus;
  subject: BallotSubject;
  question: string;
  channel: Channel;
  draftedAt: string;
  draftedBy: string;
  opensAt?: string;
  closesAt?: string;
  electorate: string[];
  electorateAsOf?: string;
  rules?: RuleSet;
  rulesSource?: RulesSource;
  torVersion?: string;
  openedBy?: string;
  /** Each voter's current choice. */
  current: Record<string, Choice>;
  /** Every vote and every change, in order: a change never erases the vote before it. */
  voteHistory: VoteRecordView[];
  closed?: { at: string; by: string; cause: CloseCause; reason?: string };
  decision?: { at: string; outcome: Outcome; tally: BallotTally };
  withdrawn?: { at: string; by: string; reason: string };
  revision: number;
  position: number;
}

export const BALLOTS_COLLECTION = 'ballots';

/** The due-date read model the scheduler polls (collection `ballot-deadlines`): one document per open ballot. */
export interface BallotDeadline {
  ballotId: string;
  stream: string;
  closesAt: string;
}

export const BALLOT_DEADLINES_COLLECTION = 'ballot-deadlines';
