import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { DeadlineBounds } from '../config/app-config.js';
import { ProcessCommands } from '../engine/process-commands.service.js';
import { DEADLINE_BOUNDS } from '../kernel/tokens.js';
import { partnerRegisterAt } from '../partners/partner-facts.js';
import { decidedAt, type CommandContext, type CommandOutcome } from '../process-runner/index.js';
import { decideClose, decideWithdraw, type CloseBallot, type WithdrawBallot } from './ballot.close.decide.js';
import { decideOpenBallot, type OpenBallot } from './ballot.open.decide.js';
import { ballotProcess, ballotStream, newBallotId } from './ballot.process.js';
import { decideVote, type CastVote } from './ballot.vote.decide.js';
import type { RuleTable } from './rule-table.js';

/** The rule table in force (BALLOT_RULE_TABLE by default); read only when a ballot opens. */
export const RULE_TABLE = Symbol('BALLOT_RULE_TABLE');

export class OpenBallotCommand extends Command<CommandOutcome> {
  constructor(readonly input: Omit<OpenBallot, 'ballotId'>, readonly context: CommandContext) {
    super();
  }
}

export class CastVoteCommand extends Command<CommandOutcome> {
  constructor(readonly input: CastVote, readonly context: CommandContext) {
    super();
  }
}

export class CloseBallotCommand extends Command<CommandOutcome> {
  constructor(readonly input: CloseBallot, readonly context: CommandContext) {
    super();
  }
}

export class WithdrawBallotCommand extends Command<CommandOutcome> {
  constructor(readonly input: WithdrawBallot, readonly context: CommandContext) {
    super();
  }
}

@CommandHandler(OpenBallotCommand)
export class OpenBallotHandler implements ICommandHandler<OpenBallotCommand> {
  constructor(
    private readonly processes: ProcessCommands,
    @Inject(RULE_TABLE) private readonly table: RuleTable,
    @Inject(DEADLINE_BOUNDS) private readonly bounds: DeadlineBounds,
  ) {}

  /**
   * The electorate is the Partner register as of the opening instant, read from the Partners' own streams (never
   * the register's read model, which may trail the log or have been edited), frozen into the event with each
   * member's registration cited as its ground. The register is read at the runner's instant, the one the events
   * carry, so that `electorateAsOf` is `opensAt`.
   */
  execute({ input, context }: OpenBallotCommand): Promise<CommandOutcome> {
    const ballotId = newBallotId(context.commandId);
    const decide = decidedAt(async (now) => {
      const members = await partnerRegisterAt(this.processes, now);
      const registrations = Object.fromEntries(members.map((member) => [member.partnerId, member.registered!]));
      const facts = { now, electorate: members.map((member) => member.partnerId), registrations, table: this.table, bounds: this.bounds };
      return decideOpenBallot({ ...input, ballotId }, context.actor, facts);
    });
    return this.processes.run(ballotProcess, ballotStream(ballotId), context, decide);
  }
}

@CommandHandler(CastVoteCommand)
export class CastVoteHandler implements ICommandHandler<CastVoteCommand> {
  constructor(private readonly processes: ProcessCommands) {}

  execute({ input, context }: CastVoteCommand): Promise<CommandOutcome> {
    const decide = decidedAt((now) => decideVote(input, context.actor, now));
    return this.processes.run(ballotProcess, ballotStream(input.ballotId), context, decide);
  }
}

@CommandHandler(CloseBallotCommand)
export class CloseBallotHandler implements ICommandHandler<CloseBallotCommand> {
  constructor(private readonly processes: ProcessCommands) {}

  execute({ input, context }: CloseBallotCommand): Promise<CommandOutcome> {
    const decide = decidedAt((now) => decideClose(input, context.actor, now));
    return this.processes.run(ballotProcess, ballotStream(input.ballotId), context, decide);
  }
}

@CommandHandler(WithdrawBallotCommand)
export class WithdrawBallotHandler implements ICommandHandler<WithdrawBallotCommand> {
  constructor(private readonly processes: ProcessCommands) {}

  execute({ input, context }: WithdrawBallotCommand): Promise<CommandOutcome> {
    const decide = decideWithdraw(input, context.actor);
    return this.processes.run(ballotProcess, ballotStream(input.ballotId), context, decide);
  }
}
