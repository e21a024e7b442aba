import type { BallotFacts } from '../ballots/ballot-facts.js';
import type { Actor, StoredEvent } from '../envelope/index.js';
import { CommandRejectedError, ForbiddenCommandError, InvalidCommandError, NotFoundError } from '../errors/index.js';
import { cite, type Decision, type ProcessState } from '../process-runner/index.js';
import type { BallotContext } from '../../state-machines/ballot/ballot.machine.js';
import type { BallotDecidedData, Channel } from '../../state-machines/ballot/ballot.events.js';
import type { AgreementBallotLinkedData, WorkplanDecidedData } from '../../state-machines/workplan/workplan.events.js';
import { notNow, requireCycle, requireSecretariat } from './workplan.decide-support.js';
import { cycleOfReference } from './workplan.process.js';

export interface LinkAgreementBallot {
  cycle: string;
  ballotId: string;
  channel: Channel;
  channelReason?: string;
  how: 'opened' | 'linked';
}

export interface LinkFacts {
  /** The ballot named (for `linked`) or just opened (for `opened`), as its stream records it. */
  ballot?: BallotFacts;
  /** The ballot currently linked, when the cycle is already voting. */
  current?: BallotFacts;
}

const AGREEMENT = ['¶10(d)', '¶13(b)'];

/**
 * Links the ballot through which the Partners agree (¶10(d)): at the Annual Meeting (`meeting`), or electronically
 * between meetings (¶13(b)) when the Secretariat chooses so and records why. A running cycle's ballot is replaced
 * only once it was withdrawn.
 */
export function decideLinkBallot(command: LinkAgreementBallot, actor: Actor, facts: LinkFacts) {
  return (state: ProcessState): Decision[] => {
    requireSecretariat(actor, 'put the workplan to the Partners', ['¶10(d)', '¶23(e)']);
    const context = requireCycle(state);
    let replaces: string | undefined;
    if (state.value === 'voting') {
      if (facts.current?.status !== 'withdrawn') {
        throw notNow(`ballot ${context.ballotId} is the agreement ballot of this cycle; another is linked only once it was withdrawn`, state, AGREEMENT);
      }
      replaces = context.ballotId!;
    } else if (state.value !== 'presented') {
      throw notNow('the Partners decide on the workplan once it has been presented at the Annual Meeting', state, ['¶10(c)', '¶10(d)']);
    }
    const channelReason = command.channelReason?.trim();
    if (command.channel === 'electronic' && !channelReason) {
      throw new InvalidCommandError(
        'the workplan is agreed to at the Annual Meeting (ToR ¶10(d)); an electronic ballot needs the Secretariat’s recorded reason (channelReason, ToR ¶13(b))',
        { clauses: AGREEMENT, field: 'channelReason' },
      );
    }
    if (command.how === 'linked') {
      const ballot = facts.ballot;
      if (!ballot) throw new NotFoundError(`no ballot "${command.ballotId}" is on record`, { ballotId: command.ballotId });
      if (ballot.subject.kind !== 'workplan' || cycleOfReference(ballot.subject.reference) !== context.cycle) {
        throw new InvalidCommandError(
          `ballot ${ballot.ballotId} is about ${ballot.subject.kind} "${ballot.subject.reference ?? ballot.subject.title}", not the workplan ${context.cycle} (subject kind workplan, reference workplan-${context.cycle})`,
          { clauses: ['¶10(d)'], ballotId: ballot.ballotId },
        );
      }
      if (ballot.status === 'withdrawn') {
        throw new CommandRejectedError(`ballot ${ballot.ballotId} was withdrawn; it cannot decide the workplan (ToR ¶10(d))`, 'withdrawn', ['¶10(d)'], { ballotId: ballot.ballotId });
      }
      if (ballot.channel !== command.channel) {
        throw new InvalidCommandError(`ballot ${ballot.ballotId} runs on channel ${ballot.channel}, not ${command.channel}`, { field: 'channel' });
      }
    }
    const data: AgreementBallotLinkedData = {
      cycle: context.cycle,
      ballotId: command.ballotId,
      channel: command.channel,
      ...(command.channel === 'electronic' ? { channelReason } : {}),
      how: command.how,
      ...(replaces ? { replaces } : {}),
    };
    const drafted = facts.ballot?.ballotId === command.ballotId ? facts.ballot.drafted : undefined;
    const reference = facts.ballot?.subject.reference;
    const subject = { kind: 'workplan', ...(reference !== undefined ? { reference } : {}) };
    const grounds = drafted ? [cite(drafted, { ballotId: command.ballotId, subject, channel: command.channel })] : [];
    return [{ type: 'AgreementBallotLinked', data, ...(grounds.length ? { grounds } : {}) }];
  };
}

/** The deciding ballot as its own stream records it (not a read model, not a caller's claim). */
export interface DecidingBallot {
  state: ProcessState;
  /** The stored `BallotDecided` event, when the ballot has been decided. */
  decided?: StoredEvent;
}

/** Who records the Partners' decision: the engine's saga, answering the ballot's `BallotDecided` (never a person). */
export function isAgreementSaga(actor: Actor): boolean {
  return actor.role === 'system' && actor.id.startsWith('saga:');
}

/**
 * Records the Partners' decision on the workplan (¶10(d)) — only as the deciding ballot's stream records it. The
 * outcome is read from the ballot's events, never taken from the command, and only the saga may ask: there is no
 * way to write "agreed" by hand.
 */
export function decideOutcome(actor: Actor, ballot: DecidingBallot) {
  return (state: ProcessState): Decision[] => {
    if (!isAgreementSaga(actor)) {
      throw new ForbiddenCommandError(
        `the Partners' agreement is recorded only from the deciding ballot's outcome, by the engine; ${actor.id} cannot record it (ToR ¶10(d))`,
        { clauses: ['¶10(d)'] },
      );
    }
    const context = requireCycle(state);
    const ballotContext = ballot.state.context as BallotContext;
    if (state.value !== 'voting') throw notNow('no agreement ballot is running for this cycle', state, ['¶10(d)']);
    if (ballotContext.ballotId !== context.ballotId) {
      throw notNow(`ballot ${ballotContext.ballotId} is not this cycle's agreement ballot (${context.ballotId})`, state, ['¶10(d)']);
    }
    if (cycleOfReference(ballotContext.subject?.reference) !== context.cycle || ballotContext.subject?.kind !== 'workplan') {
      throw notNow(`ballot ${ballotContext.ballotId} is not about the workplan ${context.cycle}`, state, ['¶10(d)']);
    }
    const decided = ballot.decided;
    if (!decided || !['approved', 'rejected', 'failedQuorum'].includes(ballot.state.value)) {
      throw notNow(`ballot ${ballotContext.ballotId} has not been decided (it is ${ballot.state.value})`, state, ['¶10(d)', '¶13(b)']);
    }
    const outcome = (decided.data as BallotDecidedData).outcome;
    const round = context.rounds.at(-1)!;
    const data: WorkplanDecidedData = {
      cycle: context.cycle,
      ballotId: ballotContext.ballotId,
      outcome,
      ballotEventId: decided.id,
      decidedAt: decided.metadata.occurredAt,
      round: round.round,
      contentHash: round.contentHash,
    };
    const grounds = [cite(decided, { ballotId: ballotContext.ballotId, outcome, subject: { kind: 'workplan', reference: ballotContext.subject.reference } })];
    return [{ type: outcome === 'approved' ? 'WorkplanAgreed' : 'WorkplanNotAgreed', data, grounds }];
  };
}
