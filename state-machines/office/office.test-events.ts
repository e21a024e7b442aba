/** Event builders for the office machine's specs and model-based path tests (not used by the engine). */
import type { OfficeGrounds, TermDates, EndCause } from './office.events.js';
import { appointmentReference } from './office.events.js';
import type { OfficeMachineEvent } from './office.machine.js';
import { renewalDueFor, termEndFor } from './office.term.js';

export const T0 = '2026-01-05T09:00:00.000Z';
export const NOTICE_DAYS = 90;
const secretariat = { id: 'sec-1', role: 'secretariat' };
const scheduler = { id: 'u4ssc-scheduler', role: 'system' };

export const at = (base: string, days: number, extraMs = 0) => new Date(Date.parse(base) + days * 86_400_000 + extraMs).toISOString();

export function termFrom(number: number, start: string, noticeDays = NOTICE_DAYS): TermDates {
  const end = termEndFor(start);
  return { number, start, end, renewalDueAt: renewalDueFor(end, noticeDays) };
}

/** `partnerId` null: no Partner named (an IP Leader candidacy). */
export function nominated(seat: string, nomineeId: string, when: string, partnerId: string | null = 'ITU'): OfficeMachineEvent {
  return {
    type: 'OfficeNominated',
    data: { seat, nomineeId, nomineeName: `Name of ${nomineeId}`, ...(partnerId ? { partnerId } : {}) },
    meta: { occurredAt: when, actor: secretariat },
  };
}

/** The grounds the ToR requires for the seat's office, about this person (`ballotId` distinguishes decisions). */
export function groundsFor(seat: string, holderId: string, ballotId: string, when: string): OfficeGrounds {
  if (seat.startsWith('leader-')) return { kind: 'chair-appointment', chairId: 'p-chair', chairTerm: 1, chairTermEnds: at(when, 300), consultation: 'sec-1' };
  return {
    kind: seat === 'ip-leader' ? 'annual-meeting-election' : 'partners-board-ballot',
    ballotId,
    decidedAt: when,
    subjectReference: appointmentReference(seat, holderId),
    channel: 'meeting',
  };
}

export function appointed(seat: string, holderId: string, number: number, when: string, grounds?: OfficeGrounds): OfficeMachineEvent {
  return {
    type: 'HolderAppointed',
    data: { seat, holderId, holderName: `Name of ${holderId}`, term: termFrom(number, when), grounds: grounds ?? groundsFor(seat, holderId, `ballot-${number}`, when) },
    meta: { occurredAt: when, actor: secretariat },
  };
}

export function imported(seat: string, holderId: string, number: number, start: string, when: string): OfficeMachineEvent {
  return {
    type: 'HolderAppointed',
    data: {
      seat,
      holderId,
      holderName: `Name of ${holderId}`,
      term: termFrom(number, start),
      grounds: { kind: 'imported', authority: 'partners-board', reference: 'Annual Meeting 2025, minutes item 4', decidedOn: start.slice(0, 10) },
    },
    meta: { occurredAt: when, actor: secretariat },
  };
}

export function renewed(seat: string, holderId: string, number: number, start: string, when: string, justification?: string, grounds?: OfficeGrounds): OfficeMachineEvent {
  return {
    type: 'TermRenewed',
    data: {
      seat,
      holderId,
      term: termFrom(number, start),
      grounds: grounds ?? groundsFor(seat, holderId, `ballot-${number}`, when),
      ...(justification !== undefined ? { justification } : {}),
    },
    meta: { occurredAt: when, actor: secretariat },
  };
}

export function renewalDue(seat: string, holderId: string, term: TermDates, when: string): OfficeMachineEvent {
  return {
    type: 'RenewalDue',
    data: { seat, holderId, termNumber: term.number, renewalDueAt: term.renewalDueAt, termEnds: term.end },
    meta: { occurredAt: when, actor: scheduler },
  };
}

export function ended(seat: string, holderId: string, termNumber: number, cause: EndCause, endedAt: string, when: string, reason?: string): OfficeMachineEvent {
  return {
    type: 'TermEnded',
    data: { seat, holderId, termNumber, cause, endedAt, ...(reason !== undefined ? { reason } : {}) },
    meta: { occurredAt: when, actor: cause === 'expired' ? scheduler : secretariat },
  };
}
