import { Inject } from '@nestjs/common';
import { Command, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import type { Actor } from '../envelope/index.js';
import { ballotFacts } from '../ballots/ballot-facts.js';
import { ProcessCommands } from '../engine/process-commands.service.js';
import { partnerFactAt } from '../partners/partner-facts.js';
import { decidedAt, type CommandContext, type CommandOutcome } from '../process-runner/index.js';
import type { Seat } from '../../state-machines/office/office.seat.js';
import { OfficeAuthority } from './office-authority.js';
import { appointingChair, type AuthorityInput } from './office-grounds.js';
import { OFFICE_SETTINGS_RESOLVED } from './office-settings.provider.js';
import type { OfficeSettings } from './office-settings.js';
import { decideAppoint, decideImport, decideRenew, type AppointHolder, type ImportHolder, type RenewTerm, type TermFacts } from './office.appoint.decide.js';
import { requireSeat } from './office.decide-support.js';
import { decideExpire, decideRenewalDue, decideResign, type EndTerm, type MarkRenewalDue, type ResignOffice } from './office.end.decide.js';
import { decideNominate, type NominateCandidate } from './office.nominate.decide.js';
import { officeProcess, officeStream } from './office.process.js';

abstract class OfficeCommand<I> extends Command<CommandOutcome> {
  constructor(
    readonly input: I,
    readonly context: CommandContext,
  ) {
    super();
  }
}

export class NominateCandidateCommand extends OfficeCommand<NominateCandidate> {}
export class AppointHolderCommand extends OfficeCommand<AppointHolder> {}
export class RenewTermCommand extends OfficeCommand<RenewTerm> {}
export class ResignOfficeCommand extends OfficeCommand<ResignOffice> {}
export class EndTermCommand extends OfficeCommand<EndTerm> {}
export class MarkRenewalDueCommand extends OfficeCommand<MarkRenewalDue> {}
/** Runs with `imported: true` whatever the context says: the events record a decision from before go-live. */
export class ImportHolderCommand extends OfficeCommand<ImportHolder> {}

const DOC_ID = /^[A-Za-z0-9-]{1,64}$/;

/**
 * What appointments and renewals are decided on: the named ballot as its own stream records it (never the ballots
 * read model), the appointing Chair's holding per the seats' streams.
 */
abstract class TermHandler {
  constructor(
    protected readonly processes: ProcessCommands,
    protected readonly authority: OfficeAuthority,
    @Inject(OFFICE_SETTINGS_RESOLVED) protected readonly settings: OfficeSettings,
  ) {}

  protected async facts(seat: Seat, input: AuthorityInput, actor: Actor, now: Date): Promise<TermFacts> {
    const ballot = input.ballotId && DOC_ID.test(input.ballotId) ? await ballotFacts(this.processes, input.ballotId) : undefined;
    const chairId = appointingChair(seat, input, actor);
    const chair = chairId ? await this.authority.holding(chairId, ['chair'], now) : undefined;
    return { now, noticeDays: this.settings.renewalNoticeDays, ...(ballot ? { ballot } : {}), ...(chair ? { chair } : {}) };
  }
}

@CommandHandler(NominateCandidateCommand)
export class NominateCandidateHandler implements ICommandHandler<NominateCandidateCommand> {
  constructor(private readonly processes: ProcessCommands) {}

  /** The nominating Partner's membership, from its own stream. */
  async execute({ input, context }: NominateCandidateCommand): Promise<CommandOutcome> {
    const seat = requireSeat(input.seat);
    const partnerId = input.partnerId ?? (context.actor.role === 'partner' ? context.actor.org : undefined);
    const decide = decidedAt(async (now) => {
      const fact = partnerId && DOC_ID.test(partnerId) ? await partnerFactAt(this.processes, partnerId, now) : undefined;
      const partner = fact && { partner: { partnerId: fact.partnerId }, partnerNow: fact.partnerNow, ...(fact.registered ? { registered: fact.registered } : {}) };
      return decideNominate(input, context.actor, { now, ...partner });
    });
    return this.processes.run(officeProcess, officeStream(seat.id), context, decide);
  }
}

@CommandHandler(AppointHolderCommand)
export class AppointHolderHandler extends TermHandler implements ICommandHandler<AppointHolderCommand> {
  async execute({ input, context }: AppointHolderCommand): Promise<CommandOutcome> {
    const seat = requireSeat(input.seat);
    const decide = decidedAt(async (now) => decideAppoint(input, context.actor, await this.facts(seat, input, context.actor, now)));
    return this.processes.run(officeProcess, officeStream(seat.id), context, decide);
  }
}

@CommandHandler(RenewTermCommand)
export class RenewTermHandler extends TermHandler implements ICommandHandler<RenewTermCommand> {
  async execute({ input, context }: RenewTermCommand): Promise<CommandOutcome> {
    const seat = requireSeat(input.seat);
    const decide = decidedAt(async (now) => decideRenew(input, context.actor, await this.facts(seat, input, context.actor, now)));
    return this.processes.run(officeProcess, officeStream(seat.id), context, decide);
  }
}

@CommandHandler(ImportHolderCommand)
export class ImportHolderHandler implements ICommandHandler<ImportHolderCommand> {
  constructor(
    private readonly processes: ProcessCommands,
    @Inject(OFFICE_SETTINGS_RESOLVED) private readonly settings: OfficeSettings,
  ) {}

  execute({ input, context }: ImportHolderCommand): Promise<CommandOutcome> {
    const seat = requireSeat(input.seat);
    const decide = decidedAt((now) => decideImport(input, context.actor, { now, noticeDays: this.settings.renewalNoticeDays }));
    return this.processes.run(officeProcess, officeStream(seat.id), { ...context, imported: true }, decide);
  }
}

@CommandHandler(ResignOfficeCommand)
export class ResignOfficeHandler implements ICommandHandler<ResignOfficeCommand> {
  constructor(private readonly processes: ProcessCommands) {}

  execute({ input, context }: ResignOfficeCommand): Promise<CommandOutcome> {
    const seat = requireSeat(input.seat);
    return this.processes.run(officeProcess, officeStream(seat.id), context, decidedAt((now) => decideResign(input, context.actor, now)));
  }
}

@CommandHandler(EndTermCommand)
export class EndTermHandler implements ICommandHandler<EndTermCommand> {
  constructor(private readonly processes: ProcessCommands) {}

  execute({ input, context }: EndTermCommand): Promise<CommandOutcome> {
    const seat = requireSeat(input.seat);
    return this.processes.run(officeProcess, officeStream(seat.id), context, decidedAt((now) => decideExpire(input, context.actor, now)));
  }
}

@CommandHandler(MarkRenewalDueCommand)
export class MarkRenewalDueHandler implements ICommandHandler<MarkRenewalDueCommand> {
  constructor(private readonly processes: ProcessCommands) {}

  execute({ input, context }: MarkRenewalDueCommand): Promise<CommandOutcome> {
    const seat = requireSeat(input.seat);
    return this.processes.run(officeProcess, officeStream(seat.id), context, decidedAt((now) => decideRenewalDue(input, context.actor, now)));
  }
}
