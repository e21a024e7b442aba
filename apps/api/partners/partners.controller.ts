import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '../../../libs/auth/index.js';
import { NotFoundError } from '../../../libs/errors/index.js';
import { CommandId } from '../../../libs/http/index.js';
import {
  GetPartnerQuery,
  GetPartnerRecordQuery,
  ListPartnersQuery,
  RegisterPartnerCommand,
  WithdrawPartnerCommand,
  type PartnerAtView,
  type PartnerRecord,
  type PartnerView,
} from '../../../libs/partners/index.js';
import { actorOf } from '../actor.js';
import { commandAnswer, type CommandAnswer } from '../command-answer.js';
import { ListPartnersQueryDto, PARTNER_ID_PATTERN, RegisterPartnerDto, WithdrawPartnerDto } from './partners.dto.js';
import { parseInstant } from '../../../libs/kernel/instant.js';

/** What a register or withdraw command answers as `resource` (declared before the class: its decorators read it). */
const RESOURCE_IS_SUMMARY =
  '`resource` is the organisation\'s summary after the command: status, `latestPeriod` (the period just opened or closed) ' +
  'and `periodCount`; every period is at `GET /v1/partners/{partnerId}`.';

/**
 * The Partner register (ToR ¶12, Annex II): the Secretariat writes it, everyone signed in reads it. A command answers
 * the organisation's summary (status, latest period, `periodCount`), not its whole history, so that its cost does not
 * grow with the number of times the organisation left and came back; `GET /v1/partners/{id}` answers every period.
 */
@ApiTags('partners')
@ApiBearerAuth()
@Controller('v1/partners')
export class PartnersController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @Roles('secretariat')
  @ApiOperation({
    summary: 'Register a UN-system entity as a Partner upon its expressed intent (ToR ¶12)',
    description: RESOURCE_IS_SUMMARY,
  })
  async register(
    @Body() body: RegisterPartnerDto,
    @CurrentPrincipal() principal: Principal,
    @CommandId() commandId: string,
  ): Promise<CommandAnswer<PartnerView | undefined>> {
    const outcome = await this.commands.execute(
      new RegisterPartnerCommand(body, { commandId, actor: actorOf(principal, 'secretariat') }),
    );
    return commandAnswer(outcome, await this.queries.execute(new GetPartnerQuery(body.partnerId)));
  }

  @Post(':partnerId/withdraw')
  @HttpCode(200)
  @Roles('secretariat')
  @ApiOperation({ summary: 'Record that a Partner has withdrawn; its history stays (ToR ¶12)', description: RESOURCE_IS_SUMMARY })
  async withdraw(
    @Param('partnerId') partnerId: string,
    @Body() body: WithdrawPartnerDto,
    @CurrentPrincipal() principal: Principal,
    @CommandId() commandId: string,
  ): Promise<CommandAnswer<PartnerView | undefined>> {
    await this.requirePartner(partnerId);
    const outcome = await this.commands.execute(
      new WithdrawPartnerCommand({ partnerId, reason: body.reason }, { commandId, actor: actorOf(principal, 'secretariat') }),
    );
    return commandAnswer(outcome, await this.queries.execute(new GetPartnerQuery(partnerId)));
  }

  @Get()
  @ApiOperation({
    summary: 'The current Partners, or those who were Partners at `at`',
    description:
      'Each organisation\'s summary: status, `latestPeriod`, `periodCount`. With `at`, each also has `periodAt`, the membership ' +
      'period in force at that instant. Every period of one organisation: `GET /v1/partners/{partnerId}`.',
  })
  list(@Query() query: ListPartnersQueryDto): Promise<PartnerView[] | PartnerAtView[]> {
    return this.queries.execute(
      new ListPartnersQuery(query.at ? parseInstant(query.at) : undefined, query.includeWithdrawn ?? false),
    );
  }

  @Get(':partnerId')
  @ApiOperation({ summary: 'One organisation in the register, with every membership period (`periods`, oldest first)' })
  async get(@Param('partnerId') partnerId: string): Promise<PartnerRecord> {
    return found(partnerId, PARTNER_ID_PATTERN.test(partnerId) ? await this.queries.execute(new GetPartnerRecordQuery(partnerId)) : undefined);
  }

  private async requirePartner(partnerId: string): Promise<PartnerView> {
    return found(partnerId, PARTNER_ID_PATTERN.test(partnerId) ? await this.queries.execute(new GetPartnerQuery(partnerId)) : undefined);
  }
}

function found<T>(partnerId: string, view: T | undefined): T {
  if (!view) throw new NotFoundError(`no Partner "${partnerId}" is in the register (ToR Annex II lists the current Partners)`, { partnerId });
  return view;
}
