import { createHash } from 'node:crypto';
import type { Actor } from '../envelope/index.js';
import { CommandRejectedError, ForbiddenCommandError, NotFoundError } from '../errors/index.js';
import type { ProcessState } from '../process-runner/index.js';
import type { WorkplanContext } from '../../state-machines/workplan/workplan.machine.js';

export function contextOf(state: ProcessState): WorkplanContext {
  return state.context as WorkplanContext;
}

/** A cycle never opened is unknown, whatever the command: 404, not a state refusal. */
export function requireCycle(state: ProcessState): WorkplanContext {
  const context = contextOf(state);
  if (state.value === 'none') throw new NotFoundError(`no workplan cycle "${context.cycle}" is on record`, { cycle: context.cycle });
  return context;
}

/** The Secretariat compiles the workplan (¶10(a)) and coordinates the U4SSC's activities (¶23(a)). */
export function requireSecretariat(actor: Actor, action: string, clauses: string[] = ['¶10(a)', '¶23(a)']): void {
  if (actor.role !== 'secretariat') {
    throw new ForbiddenCommandError(`only the Secretariat may ${action} (ToR ${clauses.join(', ')})`, { clauses, requiredRole: 'secretariat' });
  }
}

/** A 409 naming the state the cycle is in and the clauses that limit the step. */
export function notNow(message: string, state: ProcessState, clauses: string[]): CommandRejectedError {
  const cycle = contextOf(state).cycle;
  return new CommandRejectedError(`${message}; workplan "${cycle}" is ${state.value} (ToR ${clauses.join(', ')})`, state.value, clauses, { cycle });
}

/** SHA-256 of a document's text as submitted (UTF-8), hex. */
export function contentHash(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}
