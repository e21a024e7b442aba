import type { Actor } from '../envelope/index.js';
import { CommandRejectedError, ForbiddenCommandError, NotFoundError } from '../errors/index.js';
import type { ProcessState } from '../process-runner/index.js';
import { lastTerm, termAt, type OfficeContext, type TermRecord } from '../../state-machines/office/office.machine.js';
import { parseSeat, seatTitle, type Seat } from '../../state-machines/office/office.seat.js';

export function contextOf(state: ProcessState): OfficeContext {
  return state.context as OfficeContext;
}

/** A name that is no seat is a 404 before any stream is read. */
export function requireSeat(seat: string): Seat {
  const parsed = parseSeat(seat);
  if (!parsed) {
    throw new NotFoundError(
      `no office seat "${seat}": the seats are chair, vice-chair-<n>, leader-<thematic-group> and ip-leader (ToR ¶15, ¶19, Annex I)`,
      { seat },
    );
  }
  return parsed;
}

export function titleOf(state: ProcessState): string {
  return seatTitle(requireSeat(contextOf(state).seat));
}

/** The Secretariat records the appointing bodies' decisions and the seats' history (ToR ¶23(a), ¶23(e)). */
export function requireSecretariat(actor: Actor, action: string, clauses: string[]): void {
  if (actor.role !== 'secretariat') {
    throw new ForbiddenCommandError(`only the Secretariat may ${action} (ToR ${clauses.join(', ')})`, { clauses, requiredRole: 'secretariat' });
  }
}

/** A 409 naming the seat's state and the clause that limits the step. */
export function notNow(message: string, state: ProcessState, clauses: string[] = ['¶28']): CommandRejectedError {
  const seat = contextOf(state).seat;
  return new CommandRejectedError(`${message}; seat "${seat}" is ${state.value} (ToR ${clauses.join(', ')})`, state.value, clauses, { seat });
}

/** The holder and the term the seat's tenure is in, or a 409 when nobody holds the seat. */
export function requireHolder(state: ProcessState, action: string): { holder: { personId: string; name: string }; current: TermRecord } {
  const context = contextOf(state);
  const current = lastTerm(context);
  if (!context.holder || !current) throw notNow(`nobody holds the seat: there is no term to ${action}`, state);
  return { holder: context.holder, current };
}

/** The term in force at `now` (the current one, not a renewal yet to begin). */
export function runningTerm(state: ProcessState, now: Date): TermRecord | undefined {
  return termAt(contextOf(state), now.toISOString());
}

/** The seat id a path names, or a 404 (for controllers and CLI commands, before anything is read). */
export function requireSeatName(seat: string): string {
  return requireSeat(seat).id;
}
