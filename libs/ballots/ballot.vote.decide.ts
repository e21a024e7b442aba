import type { Actor } from '../envelope/index.js';
import { ForbiddenCommandError } from '../errors/index.js';
import type { Decision, ProcessState } from '../process-runner/index.js';
import type { Choice } from '../../state-machines/ballot/ballot.events.js';
import { closingDecisions, notNow, requireBallot } from './ballot.decide-support.js';

export interface CastVote {
  ballotId: string;
  /** The organisation voting: the representative's own (the token's `org`). */
  partnerId: string;
  choice: Choice;
}

/**
 * A Partner's representative votes for their own organisation (ToR ¶13: the Partners form the Partners Board),
 * while the ballot is open and before its deadline, once unless the frozen rules allow a change (a new event;
 * the first vote stays in the history). The vote that completes the turnout closes the ballot in the same
 * command when the rules say so, so the early close can never be lost between two requests.
 */
export function decideVote(command: CastVote, actor: Actor, now: Date) {
  return (state: ProcessState): Decision[] => {
    const context = requireBallot(state);
    if (actor.role !== 'partner') {
      throw new ForbiddenCommandError('only a Partner’s representative may vote: the Partners form the Partners Board (ToR ¶13)', {
        clauses: ['¶13'],
        requiredRole: 'partner',
      });
    }
    if (actor.org !== command.partnerId) {
      const who = actor.org ? `you represent ${actor.org}` : 'your token names no organisation (claim `org`)';
      throw new ForbiddenCommandError(`${who}: a representative votes only for their own organisation, not for ${command.partnerId} (ToR ¶13)`, {
        clauses: ['¶13'],
        partnerId: command.partnerId,
      });
    }
    if (state.value !== 'open') throw notNow('votes are taken only while a ballot is open', state);
    if (now.getTime() >= Date.parse(context.closesAt!)) {
      throw notNow(`voting ended at the deadline ${context.closesAt}; the ballot awaits its closing`, state);
    }
    if (!context.electorate.includes(command.partnerId)) {
      throw new ForbiddenCommandError(
        `${command.partnerId} is not in this ballot's electorate, frozen when it opened at ${context.opensAt}: ` +
          `the ${context.electorate.length} Partners registered then (ToR ¶13, ¶13(b)); ballot "${context.ballotId}" is open`,
        { clauses: ['¶13', '¶13(b)'], state: state.value, partnerId: command.partnerId },
      );
    }
    const previous = context.current[command.partnerId];
    // The same vote again (a resubmitted form, a retry without a key) asks for what is on record: nothing to record.
    if (previous === command.choice) return [];
    let vote: Decision;
    if (previous === undefined) {
      vote = { type: 'VoteCast', data: { ballotId: context.ballotId, partnerId: command.partnerId, choice: command.choice } };
    } else if (!context.rules!.allowVoteChange) {
      throw notNow(`${command.partnerId} has already voted (${previous}) and this ballot's rules allow one vote per Partner`, state);
    } else {
      vote = {
        type: 'VoteChanged',
        data: { ballotId: context.ballotId, partnerId: command.partnerId, choice: command.choice, previousChoice: previous },
      };
    }
    const allVoted = context.electorate.every((partnerId) => partnerId === command.partnerId || partnerId in context.current);
    if (!(allVoted && context.rules!.closeEarlyWhenAllVoted)) return [vote];
    return [vote, ...closingDecisions(context, 'all-voted', undefined, [{ partnerId: command.partnerId, choice: command.choice }])];
  };
}
