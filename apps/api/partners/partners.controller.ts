import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal } from '../../../libs/auth/index.js';
import { NotFoundError } from '../../../libs/errors/index.js';
import { CommandId } from '../../../libs/http/index.js';
import {
  GetPartnerQuery,
  ListPartnersQuery,
  RegisterPartnerCommand,
  WithdrawPartnerCommand,
  type PartnerView,
} from '../../../libs/partners/index.js';
import { actorOf } from '../actor.js';
import { commandAnswer, type CommandAnswer } from '../command-answer.js';
import { ListPartnersQueryDto, PARTNER_ID_PATTERN, RegisterPartnerDto, WithdrawPartnerDto } from './partners.dto.js';

/** The Partner register (ToR ¶12, Annex II): the Secretariat writes it, everyone signed in reads it. */
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
  @ApiOperation({ summary: 'Register a UN-system entity as a Partner upon its expressed intent (ToR ¶12)' })
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
  @ApiOperation({ summary: 'Record that a Partner has withdrawn; its history stays (ToR ¶12)' })
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
  @ApiOperation({ summary: 'The current Partners, or those who were Partners at `at`' })
  list(@Query() query: ListPartnersQueryDto): Promise<PartnerView[]> {
    return this.queries.execute(
      new ListPartnersQuery(query.at ? new Date(query.at) : undefined, query.includeWithdrawn ?? false),
    );
  }

  @Get(':partnerId')
  @ApiOperation({ summary: 'One organisation in the register, with every membership period' })
  get(@Param('partnerId') partnerId: string): Promise<PartnerView> {
    return this.requirePartner(partnerId);
  }

  private async requirePartner(partnerId: string): Promise<PartnerView> {
    const view = PARTNER_ID_PATTERN.test(partnerId)
      ? await this.queries.execute(new GetPartnerQuery(partnerId))
      : undefined;
    if (!view) throw new NotFoundError(`no Partner "${partnerId}" is in the register (ToR Annex II lists the current Partners)`, { partnerId });
    return view;
  }
}
