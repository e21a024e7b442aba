import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { decidedAt, type CommandContext, type CommandOutcome } from '../process-runner/index.js';
import { ProcessCommands } from '../engine/process-commands.service.js';
import { decideRegister, decideWithdraw, type RegisterPartner, type WithdrawPartner } from './partner.decide.js';
import { decideImportPartner, type ImportPartner } from './partner-import.decide.js';
import { partnerProcess, partnerStream } from './partner.process.js';

export class RegisterPartnerCommand extends Command<CommandOutcome> {
  constructor(
    readonly input: RegisterPartner,
    readonly context: CommandContext,
  ) {
    super();
  }
}

/** Runs with `imported: true` whatever the context says: the registration records a membership from before go-live. */
export class ImportPartnerCommand extends Command<CommandOutcome> {
  constructor(
    readonly input: ImportPartner,
    readonly context: CommandContext,
  ) {
    super();
  }
}

export class WithdrawPartnerCommand extends Command<CommandOutcome> {
  constructor(
    readonly input: WithdrawPartner,
    readonly context: CommandContext,
  ) {
    super();
  }
}

@CommandHandler(RegisterPartnerCommand)
export class RegisterPartnerHandler implements ICommandHandler<RegisterPartnerCommand> {
  constructor(private readonly processes: ProcessCommands) {}

  execute({ input, context }: RegisterPartnerCommand): Promise<CommandOutcome> {
    return this.processes.run(
      partnerProcess,
      partnerStream(input.partnerId),
      context,
      decidedAt((now) => decideRegister(input, context.actor, now)),
    );
  }
}

@CommandHandler(ImportPartnerCommand)
export class ImportPartnerHandler implements ICommandHandler<ImportPartnerCommand> {
  constructor(private readonly processes: ProcessCommands) {}

  execute({ input, context }: ImportPartnerCommand): Promise<CommandOutcome> {
    return this.processes.run(
      partnerProcess,
      partnerStream(input.partnerId),
      { ...context, imported: true },
      decideImportPartner(input, context.actor, this.processes.now()),
    );
  }
}

@CommandHandler(WithdrawPartnerCommand)
export class WithdrawPartnerHandler implements ICommandHandler<WithdrawPartnerCommand> {
  constructor(private readonly processes: ProcessCommands) {}

  execute({ input, context }: WithdrawPartnerCommand): Promise<CommandOutcome> {
    return this.processes.run(partnerProcess, partnerStream(input.partnerId), context, decideWithdraw(input, context.actor));
  }
}
