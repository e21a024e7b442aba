/**
 * Office and tenure events (ToR ¶13(a), ¶15, ¶19, ¶28, Annex I). Stored domain events and folded machine events are
 * the same: who held which office when, and on which decision, is answerable from these alone.
 */
import type { Channel } from '../ballot/ballot.events.js';

/** A term's dates, fixed when it begins: start, end (exactly two years later, ¶28) and when its renewal falls due. */
export interface TermDates {
  /** 1 for the seat's first term, then one more for each term, whoever holds it. */
  number: number;
  start: string;
  end: string;
  /** `end` minus the notice period in force when the term was recorded (default 90 days). */
  renewalDueAt: string;
}

/** A decided Partners Board ballot (¶13(a), ¶15) or an Annual Meeting election (Annex I): a ballot in the ballot log. */
export interface BallotGrounds {
  kind: 'partners-board-ballot' | 'annual-meeting-election';
  ballotId: string;
  /** When the ballot's outcome was recorded. */
  decidedAt: string;
  /** The ballot's subject reference, `office:<seat>:<person>`. */
  subjectReference: string;
  channel: Channel;
}

/** A Thematic Group Leader appointed by the Chair in consultation with the Secretariat (¶19). */
export interface ChairAppointmentGrounds {
  kind: 'chair-appointment';
  /** The Chair who appointed, and the term (per the office register) in which they did. */
  chairId: string;
  chairTerm: number;
  chairTermEnds: string;
  /** How the Secretariat was consulted: its member recording the appointment, or the reference the Chair gives. */
  consultation: string;
}

/** Which body's decision an imported term rests on. */
export const IMPORT_AUTHORITIES = ['partners-board', 'chair', 'annual-meeting'] as const;
export type ImportAuthority = (typeof IMPORT_AUTHORITIES)[number];

/** A decision taken before the system went live, recorded from its minutes or letter (the envelope says `imported`). */
export interface ImportedGrounds {
  kind: 'imported';
  authority: ImportAuthority;
  /** Where the decision is on record (minutes, letter, decision number). */
  reference: string;
  /** The day it was taken, when known (ISO date). */
  decidedOn?: string;
}

export type OfficeGrounds = BallotGrounds | ChairAppointmentGrounds | ImportedGrounds;

export interface OfficeNominatedData {
  seat: string;
  nomineeId: string;
  nomineeName: string;
  /** The Partner proposing the candidate (¶13(a), ¶15); optional for an IP Leader candidacy (Annex I). */
  partnerId?: string;
  statement?: string;
}

export interface HolderAppointedData {
  seat: string;
  holderId: string;
  holderName: string;
  term: TermDates;
  grounds: OfficeGrounds;
}

export interface TermRenewedData {
  seat: string;
  holderId: string;
  /** The new term: it begins when the current one ends. */
  term: TermDates;
  grounds: OfficeGrounds;
  /** Annex I: the IP Leader "is expected to change on a regular basis, at least biennial": why not this time. */
  justification?: string;
}

export interface RenewalDueData {
  seat: string;
  holderId: string;
  termNumber: number;
  renewalDueAt: string;
  termEnds: string;
}

export const END_CAUSES = ['expired', 'resigned', 'replaced'] as const;
export type EndCause = (typeof END_CAUSES)[number];

export interface TermEndedData {
  seat: string;
  holderId: string;
  /** The term that ends; a later term already recorded (a renewal) is cancelled with it. */
  termNumber: number;
  cause: EndCause;
  /** The term's end for `expired`; the instant it is recorded for `resigned` and `replaced`. */
  endedAt: string;
  reason?: string;
}

export type OfficeEvent =
  | { type: 'OfficeNominated'; data: OfficeNominatedData }
  | { type: 'HolderAppointed'; data: HolderAppointedData }
  | { type: 'TermRenewed'; data: TermRenewedData }
  | { type: 'RenewalDue'; data: RenewalDueData }
  | { type: 'TermEnded'; data: TermEndedData };

/**
 * What a ballot's subject reference must say for it to ground an appointment or renewal to this seat of this
 * person: `office:<seat>:<person id>` (e.g. `office:chair:p-okafor`).
 */
export function appointmentReference(seat: string, personId: string): string {
  return `office:${seat}:${personId}`;
}
