import type { Actor } from '../envelope/index.js';
import { InvalidCommandError } from '../errors/index.js';
import { commandDay, commandInstant, type Decision, type ProcessState } from '../process-runner/index.js';
import type { HolderAppointedData, ImportedGrounds, TermDates, TermEndedData, TermRenewedData } from '../../state-machines/office/office.events.js';
import { lastTerm } from '../../state-machines/office/office.machine.js';
import { appointedByPartnersBoard, type Office } from '../../state-machines/office/office.seat.js';
import { renewalDueFor, termEndFor } from '../../state-machines/office/office.term.js';
import { contextOf, notNow, requireHolder, requireSecretariat, requireSeat, runningTerm } from './office.decide-support.js';
import { ballotCitations, BOARD_CLAUSES, groundsFor, IP_CLAUSES, LEADER_CLAUSES, type AuthorityFacts, type AuthorityInput } from './office-grounds.js';

export interface AppointHolder extends AuthorityInput {
  seat: string;
  holderId: string;
  holderName: string;
  /** Appoint another holder while the seat is held: the current term ends, `replaced`. */
  replace?: boolean;
}

export interface RenewTerm extends AuthorityInput {
  seat: string;
  /** IP Leader: why the same person again (Annex I); recorded and flagged. */
  justification?: string;
}

/** A holder already serving when the system goes live, with the decision that appointed them (bootstrap). */
export interface ImportHolder {
  seat: string;
  holderId: string;
  holderName: string;
  /** When the current term began (an RFC 3339 date-time, libs/kernel/instant.ts); it ends two years later (¶28) and must not have ended yet. */
  termStart: string;
  /** Where the appointing decision is on record: minutes, letter, decision number. */
  reference: string;
  decidedOn?: string;
}

export interface TermFacts extends AuthorityFacts {
  /** The renewal notice period in force (days), frozen into the new term. */
  noticeDays: number;
}

const CLAUSES: Record<Office, string[]> = { chair: BOARD_CLAUSES, 'vice-chair': BOARD_CLAUSES, leader: LEADER_CLAUSES, 'ip-leader': IP_CLAUSES };

function termFrom(number: number, start: string, noticeDays: number): TermDates {
  const end = termEndFor(start);
  return { number, start, end, renewalDueAt: renewalDueFor(end, noticeDays) };
}

/**
 * Appoints a holder on the decision the ToR names for the office; the term starts now and lasts two years (¶28).
 * A seat whose holder's term has reached its end (the scheduler not having recorded it yet) is first recorded as
 * expired; a seat held mid-term needs `replace: true`, and its term ends `replaced` in the same command.
 */
export function decideAppoint(command: AppointHolder, actor: Actor, facts: TermFacts) {
  // `at`: the instant the runner records the events (their occurredAt), which the term's start must equal.
  return (state: ProcessState, at: Date = facts.now): Decision[] => {
    const seat = requireSeat(command.seat);
    const context = contextOf(state);
    const grounds = groundsFor(seat, command.holderId, command, actor, facts, 'appointment');
    const now = at.toISOString();
    const decisions: Decision[] = [];
    if (context.holder) {
      const running = runningTerm(state, at);
      const current = lastTerm(context)!;
      const holderId = context.holder.personId;
      if (!running) {
        const ended: TermEndedData = { seat: seat.id, holderId, termNumber: current.number, cause: 'expired', endedAt: current.end };
        decisions.push({ type: 'TermEnded', data: ended });
      } else if (holderId === command.holderId) {
        throw notNow(`${holderId} already holds this seat (term ${running.number} until ${running.end}): renew the term instead`, state);
      } else if (!command.replace) {
        throw notNow(
          `${holderId} holds this seat (term ${running.number}, until ${running.end}); to appoint another holder now, send replace: true and the current term ends, replaced`,
          state,
          ['¶28', ...CLAUSES[seat.office]],
        );
      } else {
        const ended: TermEndedData = { seat: seat.id, holderId, termNumber: running.number, cause: 'replaced', endedAt: now, reason: `replaced by ${command.holderId}` };
        decisions.push({ type: 'TermEnded', data: ended });
      }
    }
    if (appointedByPartnersBoard(seat.office) && !context.nominations.some((nomination) => nomination.nomineeId === command.holderId)) {
      throw notNow(`${command.holderId} has not been nominated by a Partner for this seat: the Partners Board appoints from the Partners' candidates`, state, BOARD_CLAUSES);
    }
    const data: HolderAppointedData = {
      seat: seat.id,
      holderId: command.holderId,
      holderName: command.holderName.trim(),
      term: termFrom(context.terms.length + 1, now, facts.noticeDays),
      grounds,
    };
    const cited = ballotCitations(seat, command.holderId, facts);
    return [...decisions, { type: 'HolderAppointed', data, ...(cited.length ? { grounds: cited } : {}) }];
  };
}

/** Renews the holder for a new term, beginning when the current one ends, on a new decision of the same body (¶28). */
export function decideRenew(command: RenewTerm, actor: Actor, facts: TermFacts) {
  return (state: ProcessState, at: Date = facts.now): Decision[] => {
    const seat = requireSeat(command.seat);
    const { holder, current } = requireHolder(state, 'renew');
    const grounds = groundsFor(seat, holder.personId, command, actor, facts, 'renewal');
    const now = at.getTime();
    if (now >= Date.parse(current.end)) {
      throw notNow(`term ${current.number} ended at ${current.end}: a term is renewed before its end; appoint anew instead`, state);
    }
    if (now < Date.parse(current.start)) {
      throw notNow(`a renewal is already recorded: term ${current.number} begins at ${current.start}`, state);
    }
    const justification = command.justification?.trim();
    if (seat.office === 'ip-leader' && !justification) {
      throw new InvalidCommandError(
        'renewing the IP Leader needs a recorded justification: the IP Leader is expected to change on a regular basis, at least biennially (ToR Annex I)',
        { clauses: IP_CLAUSES, field: 'justification' },
      );
    }
    const data: TermRenewedData = {
      seat: seat.id,
      holderId: holder.personId,
      term: termFrom(contextOf(state).terms.length + 1, current.end, facts.noticeDays),
      grounds,
      ...(justification ? { justification } : {}),
    };
    const cited = ballotCitations(seat, holder.personId, facts);
    return [{ type: 'TermRenewed', data, ...(cited.length ? { grounds: cited } : {}) }];
  };
}

const IMPORT_AUTHORITY: Record<Office, ImportedGrounds['authority']> = {
  chair: 'partners-board',
  'vice-chair': 'partners-board',
  leader: 'chair',
  'ip-leader': 'annual-meeting',
};

/**
 * Records a holder serving at go-live from the decision that appointed them (taken before the system existed): the
 * command runs with `imported: true`, so its events say so in their envelope. Only terms still running are imported.
 */
export function decideImport(command: ImportHolder, actor: Actor, facts: { now: Date; noticeDays: number }) {
  return (state: ProcessState, at: Date = facts.now): Decision[] => {
    requireSecretariat(actor, 'record the office holders serving at go-live', ['¶28']);
    const seat = requireSeat(command.seat);
    const context = contextOf(state);
    const start = commandInstant(command.termStart, 'termStart');
    const term = termFrom(context.terms.length + 1, start.toISOString(), facts.noticeDays);
    if (start.getTime() > at.getTime()) {
      throw new InvalidCommandError(`termStart ${term.start} is in the future: only terms already begun are imported; record a new appointment instead`, { field: 'termStart' });
    }
    if (Date.parse(term.end) <= at.getTime()) {
      throw new InvalidCommandError(`a term begun on ${term.start} ended on ${term.end} (two years, ToR ¶28): only holders still serving at go-live are imported`, {
        clauses: ['¶28'],
        field: 'termStart',
      });
    }
    if (!command.reference.trim()) throw new InvalidCommandError('name the decision that appointed the holder (reference): minutes, letter or decision number', { field: 'reference' });
    if (command.decidedOn !== undefined) commandDay(command.decidedOn, 'decidedOn');
    if (context.holder) throw notNow(`${context.holder.personId} already holds this seat: an import records the holder of a seat with nobody on record`, state);
    const grounds: ImportedGrounds = {
      kind: 'imported',
      authority: IMPORT_AUTHORITY[seat.office],
      reference: command.reference.trim(),
      ...(command.decidedOn ? { decidedOn: command.decidedOn } : {}),
    };
    const data: HolderAppointedData = { seat: seat.id, holderId: command.holderId, holderName: command.holderName.trim(), term, grounds };
    return [{ type: 'HolderAppointed', data }];
  };
}
