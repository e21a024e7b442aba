import type { EndCause, OfficeGrounds } from '../../state-machines/office/office.events.js';
import type { Office } from '../../state-machines/office/office.seat.js';

export interface NominationView {
  nomineeId: string;
  nomineeName: string;
  partnerId?: string;
  statement?: string;
  at: string;
  /** Who recorded it: the Partner's representative, or the Secretariat on the Partner's behalf. */
  by: string;
  byRole: string;
  /** Set once an appointment to the seat consumed the nominations: whether this candidate was the one appointed. */
  outcome?: { at: string; appointed: boolean };
}

/** Annex I: the IP Leader is expected to change at least every two years; a consecutive term is flagged. */
export type TermFlag = 'annex-i-renewal' | 'annex-i-consecutive-term';

export interface TermView {
  number: number;
  holderId: string;
  holderName: string;
  start: string;
  end: string;
  renewalDueAt: string;
  /** The decision that grounds the term: a ballot, the Chair's appointment, or an imported decision. */
  grounds: OfficeGrounds;
  kind: 'appointment' | 'renewal';
  /** Recorded from a decision taken before the system went live (the events carry `imported: true`). */
  imported: boolean;
  recordedAt: string;
  recordedBy: string;
  justification?: string;
  flags: TermFlag[];
  renewalDueMarkedAt?: string;
  ended?: { at: string; cause: EndCause; reason?: string; recordedAt: string; recordedBy: string };
  /** A renewed term that never began: its holder left before. */
  cancelled?: { at: string };
}

/** The office register's document for one seat (collection `offices`): every term and nomination, kept. */
export interface SeatView {
  seat: string;
  office: Office;
  title: string;
  thematicGroup?: string;
  index?: number;
  stream: string;
  /** The machine's state after the last event (the register's answers use the term dates, not this). */
  status: 'vacant' | 'nominated' | 'serving' | 'renewalDue';
  holder: { personId: string; name: string } | null;
  nominations: NominationView[];
  terms: TermView[];
  revision: number;
  position: number;
}

export const OFFICES_COLLECTION = 'offices';

/** The due dates the scheduler polls (collection `office-due-dates`): one document per seat with a holder. */
export interface OfficeDueDate {
  seat: string;
  stream: string;
  holderId: string;
  /** The seat's latest term: the one that expires unless renewed. */
  termNumber: number;
  renewalDueAt: string;
  renewalDueMarked: boolean;
  endsAt: string;
}

export const OFFICE_DUE_DATES_COLLECTION = 'office-due-dates';
