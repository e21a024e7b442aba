/**
 * Workplan cycle events (ToR ¶10(a)-(d), ¶17(b), ¶20(b)). Stored domain events and folded machine events are the
 * same: who contributed what, in which capacity, what the Secretariat compiled, what the Management Team said and
 * how the Partners decided are all answerable from these alone.
 */
import type { Channel, Outcome } from '../ballot/ballot.events.js';

export interface WorkplanOpenedData {
  cycle: string;
  title: string;
  /** Inputs are accepted strictly before this instant (¶10(a)). */
  inputDeadline: string;
}

/**
 * In which capacity an input was given, as established when it was submitted: a Partner's representative (the
 * token's `org`, a registered Partner at that instant), or an office holder per the office register at that instant.
 */
export type InputCapacity =
  | { kind: 'partner'; partnerId: string }
  | { kind: 'leader' | 'ip-leader'; seat: string; title: string; termNumber: number; termEnds: string };

export const CAPACITY_KINDS = ['partner', 'leader', 'ip-leader'] as const;
export type CapacityKind = (typeof CAPACITY_KINDS)[number];

export interface WorkplanInputSubmittedData {
  cycle: string;
  inputId: string;
  /** The person who submitted it. */
  submittedBy: string;
  capacity: InputCapacity;
  title: string;
  text: string;
  /** SHA-256 of `text`. */
  contentHash: string;
}

export interface WorkplanInputsReopenedData {
  cycle: string;
  inputDeadline: string;
  reason: string;
}

export interface LeftOutInput {
  inputId: string;
  reason: string;
}

/** One compilation round: a document version, its content hash, and what it took and left out (¶10(a)). */
export interface WorkplanCompiledData {
  cycle: string;
  round: number;
  version: string;
  /** SHA-256 (hex) of `text`, the document as the Secretariat submitted it. */
  contentHash: string;
  text: string;
  taken: string[];
  leftOut: LeftOutInput[];
}

export const REVIEW_DECISIONS = ['endorse', 'request-changes'] as const;
export type ReviewDecision = (typeof REVIEW_DECISIONS)[number];

/** The Management Team member who reviewed, and the term by which they held the office at that instant. */
export interface Reviewer {
  personId: string;
  office: 'chair' | 'vice-chair';
  seat: string;
  title: string;
  termNumber: number;
  termEnds: string;
}

export interface WorkplanReviewedData {
  cycle: string;
  round: number;
  contentHash: string;
  decision: ReviewDecision;
  comments: string[];
  reviewer: Reviewer;
}

export interface WorkplanPresentedData {
  cycle: string;
  round: number;
  contentHash: string;
  /** The Annual Meeting where it was presented and discussed (¶10(c)): its name or minutes reference. */
  meeting: string;
}

export interface AgreementBallotLinkedData {
  cycle: string;
  ballotId: string;
  channel: Channel;
  /** Why the Partners decide electronically rather than at the Annual Meeting (required for `electronic`). */
  channelReason?: string;
  /** `opened`: the ballot was opened for this cycle; `linked`: an existing ballot about it was named. */
  how: 'opened' | 'linked';
  /** A withdrawn ballot this one replaces. */
  replaces?: string;
}

/** Recorded only by the saga fed by the deciding ballot, from the ballot's recorded outcome. */
export interface WorkplanDecidedData {
  cycle: string;
  ballotId: string;
  outcome: Outcome;
  /** The stored `BallotDecided` event the outcome was read from, and when it was recorded. */
  ballotEventId: string;
  decidedAt: string;
  round: number;
  contentHash: string;
}

export type WorkplanEvent =
  | { type: 'WorkplanOpened'; data: WorkplanOpenedData }
  | { type: 'WorkplanInputSubmitted'; data: WorkplanInputSubmittedData }
  | { type: 'WorkplanInputsReopened'; data: WorkplanInputsReopenedData }
  | { type: 'WorkplanCompiled'; data: WorkplanCompiledData }
  | { type: 'WorkplanReviewed'; data: WorkplanReviewedData }
  | { type: 'WorkplanPresented'; data: WorkplanPresentedData }
  | { type: 'AgreementBallotLinked'; data: AgreementBallotLinkedData }
  | { type: 'WorkplanAgreed'; data: WorkplanDecidedData }
  | { type: 'WorkplanNotAgreed'; data: WorkplanDecidedData };
