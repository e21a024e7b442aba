import type { Actor } from '../envelope/index.js';
import { CommandRejectedError, ForbiddenCommandError, NotFoundError } from '../errors/index.js';
import type { Decision, ProcessState } from '../process-runner/index.js';
import type { CloseCause } from '../../state-machines/ballot/ballot.events.js';
import type { BallotContext } from '../../state-machines/ballot/ballot.machine.js';
import { tally, type FinalVote } from '../../state-machines/ballot/ballot.tally.js';

export function contextOf(state: ProcessState): BallotContext {
  return state.context as BallotContext;
}

/** A ballot that was never opened is unknown, whatever the command: 404, not a state refusal. */
export function requireBallot(state: ProcessState): BallotContext {
  const context = contextOf(state);
  if (state.value === 'none') throw new NotFoundError(`no ballot "${context.ballotId}" is on record`, { ballotId: context.ballotId });
  return context;
}

/** The Secretariat coordinates the U4SSC's activities (ToR ¶23(a)), among them the Partners Board's ballots. */
export function requireSecretariat(actor: Actor, action: string): void {
  if (actor.role !== 'secretariat') {
    throw new ForbiddenCommandError(`only the Secretariat may ${action}: it coordinates the U4SSC's activities (ToR ¶23(a))`, {
      clauses: ['¶23(a)'],
      requiredRole: 'secretariat',
    });
  }
}

/** A 409 naming the state the ballot is in and the clause that limits the step. */
export function notNow(message: string, state: ProcessState, clauses: string[] = ['¶13(b)']): CommandRejectedError {
  const cited = ` (ToR ${clauses.join(', ')})`;
  return new CommandRejectedError(`${message}; ballot "${contextOf(state).ballotId}" is ${state.value}${cited}`, state.value, clauses, {
    ballotId: contextOf(state).ballotId,
  });
}

/**
 * The close and the decision, appended together: the outcome is the recount of the frozen electorate and rules
 * and the votes so far (plus `pending`, the votes decided in the same command), from the events alone.
 */
export function closingDecisions(context: BallotContext, cause: CloseCause, reason?: string, pending: FinalVote[] = []): Decision[] {
  const counted = tally({ electorate: context.electorate, rules: context.rules!, votes: [...context.votes, ...pending] });
  return [
    { type: 'BallotClosed', data: { ballotId: context.ballotId, cause, ...(reason ? { reason } : {}) } },
    { type: 'BallotDecided', data: { ballotId: context.ballotId, subject: context.subject, outcome: counted.outcome, tally: counted } },
  ];
}
