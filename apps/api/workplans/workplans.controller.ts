import { Body, Controller, Get, HttpCode, Param, Post, Query } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import { ApiBearerAuth, ApiOperation, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, Roles, type Principal, type Role } from '../../../libs/auth/index.js';
import { ProcessCommands } from '../../../libs/engine/index.js';
import { NotFoundError } from '../../../libs/errors/index.js';
import { CommandId } from '../../../libs/http/index.js';
import type { CommandOutcome } from '../../../libs/process-runner/index.js';
import {
  AgreementBallotCommand,
  CompileWorkplanCommand,
  CYCLE_PATTERN,
  cycleOf,
  ListWorkplansQuery,
  OpenWorkplanCommand,
  PresentWorkplanCommand,
  ReopenWorkplanInputsCommand,
  ReviewWorkplanCommand,
  SubmitWorkplanInputCommand,
  WorkplanCallers,
  type WorkplanResponse,
} from '../../../libs/workplans/index.js';
import { actorOf } from '../actor.js';
import { commandAnswer, type CommandAnswer } from '../command-answer.js';
import { AgreementBallotDto, CompileDto, OpenWorkplanDto, PresentDto, ReopenInputsDto, ReviewDto, SubmitInputDto, WorkplanAtDto } from './workplans.dto.js';
import { parseInstant } from '../../../libs/kernel/instant.js';

type Answer = CommandAnswer<WorkplanResponse | undefined>;

/** Everyone who takes part may contribute or review; what they may do is decided from the registers (auditors change nothing). */
const CONTRIBUTORS: Role[] = ['partner', 'participant', 'secretariat'];

/**
 * The yearly workplan cycle (ToR ¶10(a)-(d), ¶17(b), ¶20(b)). The Secretariat opens, compiles, presents and puts
 * the workplan to the Partners; Partners' representatives, Thematic Group Leaders and the IP Leader submit inputs;
 * a current Chair or Vice-Chair reviews. There is no route that records the agreement: the decided ballot does, through
 * the saga.
 */
@ApiTags('workplans')
@ApiBearerAuth()
@Controller('v1/workplans')
export class WorkplansController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly callers: WorkplanCallers,
    private readonly processes: ProcessCommands,
  ) {}

  @Post()
  @Roles('secretariat')
  @ApiOperation({ summary: 'Open a yearly workplan cycle with its input deadline (ToR ¶10(a))' })
  async open(@Body() body: OpenWorkplanDto, @CurrentPrincipal() principal: Principal, @CommandId() commandId: string): Promise<Answer> {
    const outcome = await this.commands.execute(new OpenWorkplanCommand(body, { commandId, actor: actorOf(principal, 'secretariat') }));
    return this.answer(outcome, principal);
  }

  @Get()
  @ApiOperation({ summary: 'Every cycle with its state, inputs, rounds, reviews and ballots, now or as recorded `at`; the commands allowed to the caller' })
  async list(@Query() query: WorkplanAtDto, @CurrentPrincipal() principal: Principal): Promise<WorkplanResponse[]> {
    const at = query.at ? parseInstant(query.at) : undefined;
    const views = await this.queries.execute(new ListWorkplansQuery(at));
    return Promise.all(views.map((view) => this.callers.present(view, principal, at ?? this.processes.now())));
  }

  @Get(':cycle')
  @ApiOperation({ summary: 'One cycle, now or as recorded `at` an instant; `allowed`: what the caller may do next' })
  async get(@Param('cycle') cycle: string, @Query() query: WorkplanAtDto, @CurrentPrincipal() principal: Principal): Promise<WorkplanResponse> {
    const at = query.at ? parseInstant(query.at) : undefined;
    const found = CYCLE_PATTERN.test(cycle) ? await this.callers.get(cycle, principal, this.processes.now(), at) : undefined;
    if (!found) throw new NotFoundError(`no workplan cycle "${cycle}" is on record${at ? ` at ${at.toISOString()}` : ''}`, { cycle });
    return found;
  }

  @Post(':cycle/inputs')
  @Roles(...CONTRIBUTORS)
  @ApiOperation({ summary: 'Submit an input before the deadline: Partners, Thematic Group Leaders, the IP Leader (ToR ¶10(a), ¶20(b))' })
  async input(@Param('cycle') cycle: string, @Body() body: SubmitInputDto, @CurrentPrincipal() principal: Principal, @CommandId() commandId: string): Promise<Answer> {
    const acting: Role = principal.roles.includes('partner') && body.capacity !== 'leader' && body.capacity !== 'ip-leader' ? 'partner' : 'participant';
    const outcome = await this.commands.execute(new SubmitWorkplanInputCommand({ cycle: this.known(cycle), ...body }, { commandId, actor: actorOf(principal, acting) }));
    return this.answer(outcome, principal);
  }

  @Post(':cycle/reopen-inputs')
  @HttpCode(200)
  @Roles('secretariat')
  @ApiOperation({ summary: 'Reopen inputs with a new deadline and a recorded reason (ToR ¶10(a))' })
  async reopen(@Param('cycle') cycle: string, @Body() body: ReopenInputsDto, @CurrentPrincipal() principal: Principal, @CommandId() commandId: string): Promise<Answer> {
    const outcome = await this.commands.execute(new ReopenWorkplanInputsCommand({ cycle: this.known(cycle), ...body }, { commandId, actor: actorOf(principal, 'secretariat') }));
    return this.answer(outcome, principal);
  }

  @Post(':cycle/compile')
  @HttpCode(200)
  @Roles('secretariat')
  @ApiOperation({ summary: 'Compile a version: its text’s SHA-256, the inputs taken and those left out with a reason (ToR ¶10(a))' })
  async compile(@Param('cycle') cycle: string, @Body() body: CompileDto, @CurrentPrincipal() principal: Principal, @CommandId() commandId: string): Promise<Answer> {
    const outcome = await this.commands.execute(new CompileWorkplanCommand({ cycle: this.known(cycle), ...body }, { commandId, actor: actorOf(principal, 'secretariat') }));
    return this.answer(outcome, principal);
  }

  @Post(':cycle/review')
  @HttpCode(200)
  @Roles(...CONTRIBUTORS)
  @ApiOperation({ summary: 'Management Team review: endorse, or request changes with comments; a current Chair or Vice-Chair per the office register (ToR ¶10(b), ¶15)' })
  async review(@Param('cycle') cycle: string, @Body() body: ReviewDto, @CurrentPrincipal() principal: Principal, @CommandId() commandId: string): Promise<Answer> {
    const outcome = await this.commands.execute(new ReviewWorkplanCommand({ cycle: this.known(cycle), ...body }, { commandId, actor: actorOf(principal, 'participant') }));
    return this.answer(outcome, principal);
  }

  @Post(':cycle/present')
  @HttpCode(200)
  @Roles('secretariat')
  @ApiOperation({ summary: 'Record the presentation at the Annual Meeting, once endorsed (ToR ¶10(b)-(c))' })
  async present(@Param('cycle') cycle: string, @Body() body: PresentDto, @CurrentPrincipal() principal: Principal, @CommandId() commandId: string): Promise<Answer> {
    const outcome = await this.commands.execute(new PresentWorkplanCommand({ cycle: this.known(cycle), ...body }, { commandId, actor: actorOf(principal, 'secretariat') }));
    return this.answer(outcome, principal);
  }

  @Post(':cycle/ballot')
  @Roles('secretariat')
  @ApiOperation({ summary: 'Put the presented workplan to the Partners: open its ballot (channel meeting, or electronic with a reason) or link one (ToR ¶10(d), ¶13(b))' })
  async ballot(@Param('cycle') cycle: string, @Body() body: AgreementBallotDto, @CurrentPrincipal() principal: Principal, @CommandId() commandId: string): Promise<Answer> {
    const input = { cycle: this.known(cycle), ...body, channel: body.channel ?? 'meeting' };
    const outcome = await this.commands.execute(new AgreementBallotCommand(input, { commandId, actor: actorOf(principal, 'secretariat') }));
    return this.answer(outcome, principal);
  }

  /** A name that cannot be a cycle is a 404 before any stream is read. */
  private known(cycle: string): string {
    if (!CYCLE_PATTERN.test(cycle)) throw new NotFoundError(`no workplan cycle "${cycle}" is on record`, { cycle });
    return cycle;
  }

  private async answer(outcome: CommandOutcome, principal: Principal): Promise<Answer> {
    return commandAnswer(outcome, await this.callers.get(cycleOf(outcome.stream), principal, this.processes.now()));
  }
}
