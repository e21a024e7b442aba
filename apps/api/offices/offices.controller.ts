import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '../../../libs/auth/index.js';
import { NotFoundError } from '../../../libs/errors/index.js';
import { CommandId } from '../../../libs/http/index.js';
import {
  AppointHolderCommand,
  EndTermCommand,
  GetOfficeQuery,
  ListOfficesQuery,
  NominateCandidateCommand,
  RenewTermCommand,
  requireSeatName,
  ResignOfficeCommand,
  seatOf,
  UpcomingExpiriesQuery,
  type ExpiriesAnswer,
  type RegisterAnswer,
  type SeatView,
} from '../../../libs/offices/index.js';
import type { CommandOutcome } from '../../../libs/process-runner/index.js';
import { actorOf } from '../actor.js';
import { commandAnswer, type CommandAnswer } from '../command-answer.js';
import { AppointDto, EndDto, ExpiriesQueryDto, NominateDto, RegisterQueryDto, RenewDto, ResignDto, SeatQueryDto } from './offices.dto.js';
import { parseInstant } from '../../../libs/kernel/instant.js';

type Answer = CommandAnswer<SeatView | undefined>;

/**
 * The office register and its seats (ToR ¶13(a), ¶15, ¶19, ¶28, Annex I): nominations, appointments on the decision
 * the ToR names, renewals, resignations and expiries. Who may act is checked in the decide steps, from the Partner
 * register, the ballots and the office register at the command's time; the roles below only keep auditors out.
 */
@ApiTags('offices')
@ApiBearerAuth()
@Controller('v1/offices')
export class OfficesController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Get()
  @ApiOperation({ summary: 'Who holds which office now, or at `at` (as recorded then, or as known now with basis=latest)' })
  list(@Query() query: RegisterQueryDto): Promise<RegisterAnswer> {
    return this.queries.execute(new ListOfficesQuery(query.at ? parseInstant(query.at) : undefined, query.basis));
  }

  @Get('expiries')
  @ApiOperation({ summary: 'Terms ending within the window (default 90 days), with whether a renewal is due or recorded (ToR ¶28)' })
  expiries(@Query() query: ExpiriesQueryDto): Promise<ExpiriesAnswer> {
    return this.queries.execute(new UpcomingExpiriesQuery(Number((query.within ?? '90d').slice(0, -1))));
  }

  @Get(':office')
  @ApiOperation({ summary: 'One seat: every term (start, end, grounding decision), renewal and nomination; `at`: as recorded then' })
  async get(@Param('office') office: string, @Query() query: SeatQueryDto): Promise<SeatView> {
    const seat = requireSeatName(office);
    const view = await this.queries.execute(new GetOfficeQuery(seat, query.at ? parseInstant(query.at) : undefined));
    if (!view) throw new NotFoundError(`no event is recorded for seat "${seat}"${query.at ? ` by ${query.at}` : ''}`, { seat });
    return view;
  }

  @Post(':office/nominations')
  @Roles('partner', 'secretariat')
  @ApiOperation({ summary: 'Nominate a candidate: a Partner for itself, or the Secretariat recording a Partner’s nomination (ToR ¶13(a), ¶15; IP Leader candidacies, Annex I)' })
  async nominate(@Param('office') office: string, @Body() body: NominateDto, @CurrentPrincipal() principal: Principal, @CommandId() commandId: string): Promise<Answer> {
    const seat = requireSeatName(office);
    const actor = actorOf(principal, body.partnerId && principal.roles.includes('secretariat') ? 'secretariat' : 'partner');
    return this.answer(await this.commands.execute(new NominateCandidateCommand({ ...body, seat }, { commandId, actor })));
  }

  @Post(':office/appointments')
  @Roles('secretariat', 'partner', 'participant')
  @ApiOperation({ summary: 'Appoint a holder for a two-year term on the decision the ToR names: Partners Board ballot (Chair, Vice-Chairs), the Chair (Leaders), an Annual Meeting election (IP Leader)' })
  async appoint(@Param('office') office: string, @Body() body: AppointDto, @CurrentPrincipal() principal: Principal, @CommandId() commandId: string): Promise<Answer> {
    const seat = requireSeatName(office);
    return this.answer(await this.commands.execute(new AppointHolderCommand({ ...body, seat }, { commandId, actor: actorOf(principal, 'secretariat') })));
  }

  @Post(':office/renewals')
  @Roles('secretariat', 'partner', 'participant')
  @ApiOperation({ summary: 'Renew the holder for a new two-year term from the current end, on a new decision of the same body (ToR ¶28; IP Leader with a justification, Annex I)' })
  async renew(@Param('office') office: string, @Body() body: RenewDto, @CurrentPrincipal() principal: Principal, @CommandId() commandId: string): Promise<Answer> {
    const seat = requireSeatName(office);
    return this.answer(await this.commands.execute(new RenewTermCommand({ ...body, seat }, { commandId, actor: actorOf(principal, 'secretariat') })));
  }

  @Post(':office/resignation')
  @Roles('secretariat', 'partner', 'participant')
  @ApiOperation({ summary: 'The holder resigns (themselves, or the Secretariat recording their letter); a renewed term not yet begun lapses' })
  async resign(@Param('office') office: string, @Body() body: ResignDto, @CurrentPrincipal() principal: Principal, @CommandId() commandId: string): Promise<Answer> {
    const seat = requireSeatName(office);
    return this.answer(await this.commands.execute(new ResignOfficeCommand({ seat, reason: body.reason }, { commandId, actor: actorOf(principal, 'secretariat') })));
  }

  @Post(':office/end')
  @HttpCode(200)
  @Roles('secretariat')
  @ApiOperation({ summary: 'Record that the term expired at its end, not renewed (ToR ¶28): what the scheduler does at the end date' })
  async end(@Param('office') office: string, @Body() body: EndDto, @CurrentPrincipal() principal: Principal, @CommandId() commandId: string): Promise<Answer> {
    const seat = requireSeatName(office);
    return this.answer(await this.commands.execute(new EndTermCommand({ seat, cause: body.cause }, { commandId, actor: actorOf(principal, 'secretariat') })));
  }

  private async answer(outcome: CommandOutcome): Promise<Answer> {
    return commandAnswer(outcome, await this.queries.execute(new GetOfficeQuery(seatOf(outcome.stream))));
  }
}
