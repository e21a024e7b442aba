import { Body, Controller, Get, HttpCode, Param, Post, Query, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { CurrentPrincipal, Roles, type Principal } from '../../../libs/auth/index.js';
import {
  ballotIdOf,
  CastVoteCommand,
  CloseBallotCommand,
  GetBallotQuery,
  ListBallotsQuery,
  OpenBallotCommand,
  presentBallot,
  WithdrawBallotCommand,
  type BallotResponse,
} from '../../../libs/ballots/index.js';
import { NotFoundError } from '../../../libs/errors/index.js';
import { CommandId } from '../../../libs/http/index.js';
import type { CommandOutcome } from '../../../libs/process-runner/index.js';
import { actorOf } from '../actor.js';
import { commandAnswer, unchanged, type CommandAnswer } from '../command-answer.js';
import { CastVoteDto, ListBallotsQueryDto, OpenBallotDto, ReasonDto } from './ballots.dto.js';

const BALLOT_ID = /^[A-Za-z0-9-]{1,64}$/;
type Answer = CommandAnswer<BallotResponse | undefined>;

/**
 * Partners Board ballots (ToR ¶13(b), ¶19). One step opens a ballot (drafted and opened in one command, so the
 * electorate is frozen when the question is put). What a person sees of the votes depends on the role and on
 * whether the ballot is closed (`presentBallot`).
 */
@ApiTags('ballots')
@ApiBearerAuth()
@Controller('v1/ballots')
export class BallotsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
  ) {}

  @Post()
  @Roles('secretariat')
  @ApiOperation({ summary: 'Open a ballot: electorate (the Partners registered now), rules and ToR version frozen (ToR ¶13(b))' })
  async open(@Body() body: OpenBallotDto, @CurrentPrincipal() principal: Principal, @CommandId() commandId: string): Promise<Answer> {
    const input = { ...body, channel: body.channel ?? 'electronic', subject: { ...body.subject } };
    const outcome = await this.commands.execute(new OpenBallotCommand(input, { commandId, actor: actorOf(principal, 'secretariat') }));
    return this.answer(outcome, principal);
  }

  @Get()
  @ApiOperation({ summary: 'Ballots, newest first; votes shown as the caller may see them' })
  async list(@Query() query: ListBallotsQueryDto, @CurrentPrincipal() principal: Principal): Promise<BallotResponse[]> {
    const ballots = await this.queries.execute(new ListBallotsQuery(query.status));
    return ballots.map((ballot) => presentBallot(ballot, principal));
  }

  @Get(':ballotId')
  @ApiOperation({ summary: 'State, rules, electorate, turnout; the tally when the caller may see it' })
  async get(@Param('ballotId') ballotId: string, @CurrentPrincipal() principal: Principal): Promise<BallotResponse> {
    const view = BALLOT_ID.test(ballotId) ? await this.queries.execute(new GetBallotQuery(ballotId)) : undefined;
    if (!view) throw new NotFoundError(`no ballot "${ballotId}" is on record`, { ballotId });
    return presentBallot(view, principal);
  }

  @Post(':ballotId/votes')
  @Roles('partner')
  @ApiOperation({ summary: 'Vote yes, no or abstain for one’s own organisation while the ballot is open (ToR ¶13, ¶13(b))' })
  @ApiResponse({ status: 201, description: 'The vote, or its change, is recorded' })
  @ApiResponse({ status: 200, description: 'The same vote was already on record: `unchanged: true`, nothing appended' })
  async vote(
    @Param('ballotId') ballotId: string,
    @Body() body: CastVoteDto,
    @CurrentPrincipal() principal: Principal,
    @CommandId() commandId: string,
    @Res({ passthrough: true }) response: Response,
  ): Promise<Answer> {
    const partnerId = body.partnerId ?? principal.org ?? '';
    const input = { ballotId: this.known(ballotId), partnerId, choice: body.choice };
    const outcome = await this.commands.execute(new CastVoteCommand(input, { commandId, actor: actorOf(principal, 'partner') }));
    // The same vote again created nothing: 200 with `unchanged`, the vote on record in `resource.yourOrganisation`.
    if (unchanged(outcome)) response.status(200);
    return this.answer(outcome, principal);
  }

  @Post(':ballotId/close')
  @HttpCode(200)
  @Roles('secretariat')
  @ApiOperation({ summary: 'Close before the deadline, with a reason; the outcome is counted and recorded (ToR ¶13(b), ¶23(a))' })
  async close(
    @Param('ballotId') ballotId: string,
    @Body() body: ReasonDto,
    @CurrentPrincipal() principal: Principal,
    @CommandId() commandId: string,
  ): Promise<Answer> {
    const input = { ballotId: this.known(ballotId), cause: 'secretariat' as const, reason: body.reason };
    const outcome = await this.commands.execute(new CloseBallotCommand(input, { commandId, actor: actorOf(principal, 'secretariat') }));
    return this.answer(outcome, principal);
  }

  @Post(':ballotId/withdraw')
  @HttpCode(200)
  @Roles('secretariat')
  @ApiOperation({ summary: 'Withdraw before the close, with a reason; votes already cast stay in the history' })
  async withdraw(
    @Param('ballotId') ballotId: string,
    @Body() body: ReasonDto,
    @CurrentPrincipal() principal: Principal,
    @CommandId() commandId: string,
  ): Promise<Answer> {
    const input = { ballotId: this.known(ballotId), reason: body.reason };
    const outcome = await this.commands.execute(new WithdrawBallotCommand(input, { commandId, actor: actorOf(principal, 'secretariat') }));
    return this.answer(outcome, principal);
  }

  /** An id that cannot name a ballot is a 404 before any stream is read. */
  private known(ballotId: string): string {
    if (!BALLOT_ID.test(ballotId)) throw new NotFoundError(`no ballot "${ballotId}" is on record`, { ballotId });
    return ballotId;
  }

  private async answer(outcome: CommandOutcome, principal: Principal): Promise<Answer> {
    const view = await this.queries.execute(new GetBallotQuery(ballotIdOf(outcome.stream)));
    return commandAnswer(outcome, view ? presentBallot(view, principal) : undefined);
  }
}
