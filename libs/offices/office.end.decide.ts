import type { Actor } from '../envelope/index.js';
import { ForbiddenCommandError, InvalidCommandError } from '../errors/index.js';
import type { Decision, ProcessState } from '../process-runner/index.js';
import type { RenewalDueData, TermEndedData } from '../../state-machines/office/office.events.js';
import { notNow, requireHolder, requireSeat, runningTerm } from './office.decide-support.js';

export interface ResignOffice {
  seat: string;
  /** Recorded: why, or where the letter of resignation is on record. */
  reason: string;
}

export interface EndTerm {
  seat: string;
  /** Only `expired`: a term ends at its end unless renewed (¶28); other ends are a resignation or a replacement. */
  cause: 'expired';
  /** The term the caller means to end (the scheduler names it, so a stale due date never ends a later term). */
  termNumber?: number;
}

export interface MarkRenewalDue {
  seat: string;
  termNumber: number;
}

/** The rule applied by the engine (the scheduler) or the Secretariat doing what it would. */
function requireSchedulerOrSecretariat(actor: Actor, action: string): void {
  if (actor.role !== 'system' && actor.role !== 'secretariat') {
    throw new ForbiddenCommandError(`only the scheduler or the Secretariat may ${action}: it follows from the term's dates (ToR ¶28)`, {
      clauses: ['¶28'],
      requiredRoles: ['secretariat'],
    });
  }
}

/** The holder resigns (themselves, or the Secretariat recording their letter); a renewed term not yet begun lapses. */
export function decideResign(command: ResignOffice, actor: Actor, now: Date) {
  return (state: ProcessState, at: Date = now): Decision[] => {
    requireSeat(command.seat);
    const { holder } = requireHolder(state, 'resign from');
    if (actor.id !== holder.personId && actor.role !== 'secretariat') {
      throw new ForbiddenCommandError(`only ${holder.personId}, who holds the seat, or the Secretariat recording their resignation may end their term this way (ToR ¶28)`, {
        clauses: ['¶28'],
      });
    }
    if (!command.reason.trim()) throw new InvalidCommandError('a resignation needs a reason or the reference of the letter, which is recorded', { field: 'reason' });
    const running = runningTerm(state, at);
    if (!running) throw notNow(`the term of ${holder.personId} has already reached its end; the scheduler records its expiry`, state);
    const data: TermEndedData = {
      seat: command.seat,
      holderId: holder.personId,
      termNumber: running.number,
      cause: 'resigned',
      endedAt: at.toISOString(),
      reason: command.reason.trim(),
    };
    return [{ type: 'TermEnded', data }];
  };
}

/** Records that the latest term ended at its end, not renewed (¶28): what the scheduler does at the due date. */
export function decideExpire(command: EndTerm, actor: Actor, now: Date) {
  return (state: ProcessState, at: Date = now): Decision[] => {
    requireSeat(command.seat);
    requireSchedulerOrSecretariat(actor, 'record that a term expired');
    const { holder, current } = requireHolder(state, 'end');
    if (command.termNumber !== undefined && command.termNumber !== current.number) {
      throw notNow(`term ${command.termNumber} is not the seat's latest: term ${current.number} (to ${current.end}) follows it`, state);
    }
    if (at.getTime() < Date.parse(current.end)) throw notNow(`term ${current.number} runs until ${current.end}`, state);
    const data: TermEndedData = { seat: command.seat, holderId: holder.personId, termNumber: current.number, cause: 'expired', endedAt: current.end };
    return [{ type: 'TermEnded', data }];
  };
}

/** Marks the latest term's renewal due once its notice date has come (the scheduler). */
export function decideRenewalDue(command: MarkRenewalDue, actor: Actor, now: Date) {
  return (state: ProcessState, at: Date = now): Decision[] => {
    requireSeat(command.seat);
    requireSchedulerOrSecretariat(actor, 'mark a renewal due');
    const { holder, current } = requireHolder(state, 'mark due');
    if (command.termNumber !== current.number) throw notNow(`term ${command.termNumber} is not the seat's latest term (${current.number})`, state);
    if (state.value === 'renewalDue') throw notNow(`the renewal of term ${current.number} is already due`, state);
    if (at.getTime() < Date.parse(current.renewalDueAt)) throw notNow(`the renewal of term ${current.number} falls due at ${current.renewalDueAt}`, state);
    if (at.getTime() >= Date.parse(current.end)) throw notNow(`term ${current.number} has reached its end (${current.end})`, state);
    const data: RenewalDueData = { seat: command.seat, holderId: holder.personId, termNumber: current.number, renewalDueAt: current.renewalDueAt, termEnds: current.end };
    return [{ type: 'RenewalDue', data }];
  };
}
