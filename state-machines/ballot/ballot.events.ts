/**
 * Partners Board ballot events (ToR ¶13(b), ¶19). Stored domain events and the events the machine folds are the
 * same: an outcome is recountable from these alone, forever.
 */
import type { BallotTally } from './ballot.tally.js';
import type { RuleSet } from './ballot.rules.js';

/** What a ballot decides (docs/architecture.md §2): each kind has its default rule set in the versioned rule table. */
export const SUBJECT_KINDS = ['workplan', 'tor-revision', 'appointment', 'deliverable', 'hub', 'other'] as const;
export type SubjectKind = (typeof SUBJECT_KINDS)[number];

/** `meeting`: the same machinery records a vote taken at an Annual Meeting (ToR ¶10(d), ¶23(e)). */
export const CHANNELS = ['electronic', 'meeting'] as const;
export type Channel = (typeof CHANNELS)[number];

export const CHOICES = ['yes', 'no', 'abstain'] as const;
export type Choice = (typeof CHOICES)[number];

export const OUTCOMES = ['approved', 'rejected', 'failedQuorum'] as const;
export type Outcome = (typeof OUTCOMES)[number];

export const CLOSE_CAUSES = ['deadline', 'all-voted', 'secretariat'] as const;
export type CloseCause = (typeof CLOSE_CAUSES)[number];

export interface BallotSubject {
  kind: SubjectKind;
  /** What the decision is about, in the subject's own process (e.g. `workplan-2026`); absent for free text. */
  reference?: string;
  title: string;
}

export interface BallotDraftedData {
  ballotId: string;
  subject: BallotSubject;
  question: string;
  channel: Channel;
}

/** Where the frozen rule set came from: the table's default for the kind, or the Secretariat's choice. */
export interface RulesSource {
  table: string;
  tableVersion: number;
  subjectKind: SubjectKind;
  /** The ToR paragraphs under which this kind of subject is decided (e.g. ¶13(a) for an appointment). */
  clauses: string[];
  chosenBy: 'rule-table' | 'secretariat';
  /** Why the Secretariat chose other rules than the table's default (required then). */
  reason?: string;
}

/** Everything a decision depends on, frozen when voting opens (docs/architecture.md §1, item 3). */
export interface BallotOpenedData {
  ballotId: string;
  closesAt: string;
  /** The Partners registered at `electorateAsOf` (the Partner register), sorted. */
  electorate: string[];
  electorateAsOf: string;
  rules: RuleSet;
  rulesSource: RulesSource;
  torVersion: string;
}

export interface VoteCastData {
  ballotId: string;
  partnerId: string;
  choice: Choice;
}

/** A change is a new event; the earlier vote stays in history (cf. Loomio #7643). */
export interface VoteChangedData extends VoteCastData {
  previousChoice: Choice;
}

export interface BallotClosedData {
  ballotId: string;
  cause: CloseCause;
  /** Required when the Secretariat closes before the deadline. */
  reason?: string;
}

export interface BallotDecidedData {
  ballotId: string;
  subject: BallotSubject;
  outcome: Outcome;
  tally: BallotTally;
}

export interface BallotWithdrawnData {
  ballotId: string;
  reason: string;
}

export type BallotEvent =
  | { type: 'BallotDrafted'; data: BallotDraftedData }
  | { type: 'BallotOpened'; data: BallotOpenedData }
  | { type: 'VoteCast'; data: VoteCastData }
  | { type: 'VoteChanged'; data: VoteChangedData }
  | { type: 'BallotClosed'; data: BallotClosedData }
  | { type: 'BallotDecided'; data: BallotDecidedData }
  | { type: 'BallotWithdrawn'; data: BallotWithdrawnData };
