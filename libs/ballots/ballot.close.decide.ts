import type { Actor } from '../envelope/index.js';
import { InvalidCommandError } from '../errors/index.js';
import type { Decision, ProcessState } from '../process-runner/index.js';
import { closingDecisions, notNow, requireBallot, requireSecretariat } from './ballot.decide-support.js';

export interface CloseBallot {
  ballotId: string;
  /** `deadline`: the scheduler, once the deadline has come; `secretariat`: before it, with a reason. */
  cause: 'deadline' | 'secretariat';
  reason?: string;
}

export interface WithdrawBallot {
  ballotId: string;
  reason: string;
}

/** Closes an open ballot and records its outcome, counted from the events alone, in the same command. */
export function decideClose(command: CloseBallot, actor: Actor, now: Date) {
  return (state: ProcessState): Decision[] => {
    const context = requireBallot(state);
    if (command.cause === 'secretariat') {
      requireSecretariat(actor, 'close a ballot before its deadline');
      if (!command.reason?.trim()) {
        throw new InvalidCommandError('closing a ballot before its deadline needs a reason, which is recorded', { field: 'reason' });
      }
    }
    if (state.value !== 'open') throw notNow('only an open ballot can be closed', state);
    if (command.cause === 'deadline' && now.getTime() < Date.parse(context.closesAt!)) {
      throw notNow(`its deadline ${context.closesAt} has not come`, state);
    }
    return closingDecisions(context, command.cause, command.cause === 'secretariat' ? command.reason!.trim() : undefined);
  };
}

/** The Secretariat withdraws a ballot before its close; the votes already cast stay in the history. */
export function decideWithdraw(command: WithdrawBallot, actor: Actor) {
  return (state: ProcessState): Decision[] => {
    const context = requireBallot(state);
    requireSecretariat(actor, 'withdraw a ballot');
    if (state.value !== 'draft' && state.value !== 'open') {
      throw notNow('a ballot can be withdrawn only before its close', state, ['¶13(b)', '¶23(a)']);
    }
    if (!command.reason.trim()) throw new InvalidCommandError('withdrawing a ballot needs a reason, which is recorded', { field: 'reason' });
    return [{ type: 'BallotWithdrawn', data: { ballotId: context.ballotId, reason: command.reason.trim() } }];
  };
}
