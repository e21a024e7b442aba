import { Inject } from '@nestjs/common';
import { Command, CommandBus, CommandHandler, type ICommandHandler } from '@nestjs/cqrs';
import { ballotFacts, type BallotFacts } from '../ballots/ballot-facts.js';
import { OpenBallotCommand } from '../ballots/ballots.commands.js';
import { ballotProcess, ballotStream, newBallotId } from '../ballots/ballot.process.js';
import type { DeadlineBounds } from '../config/app-config.js';
import { ProcessCommands } from '../engine/process-commands.service.js';
import type { Actor } from '../envelope/index.js';
import { NotFoundError } from '../errors/index.js';
import { derivedId } from '../kernel/ids.js';
import { DEADLINE_BOUNDS } from '../kernel/tokens.js';
import { OfficeAuthority } from '../offices/office-authority.js';
import { partnerFactAt } from '../partners/partner-facts.js';
import { decidedAt, type CommandContext, type CommandOutcome, type StreamFacts } from '../process-runner/index.js';
import type { Channel } from '../../state-machines/ballot/ballot.events.js';
import type { Reviewer } from '../../state-machines/workplan/workplan.events.js';
import { decideLinkBallot, decideOutcome, type LinkAgreementBallot } from './workplan.ballot.decide.js';
import {
  decideCompile,
  decideOpen,
  decidePresent,
  decideReopen,
  decideReview,
  decideSubmitInput,
  type CompileWorkplan,
  type ContributorFacts,
  type OpenCycle,
  type PresentWorkplan,
  type ReopenInputs,
  type ReviewWorkplan,
  type SubmitInput,
} from './workplan.decide.js';
import { cycleOfReference, workplanProcess, workplanStream } from './workplan.process.js';

abstract class WorkplanCommand<I> extends Command<CommandOutcome> {
  constructor(
    readonly input: I,
    readonly context: CommandContext,
  ) {
    super();
  }
}

export class OpenWorkplanCommand extends WorkplanCommand<OpenCycle> {}
export class SubmitWorkplanInputCommand extends WorkplanCommand<Omit<SubmitInput, 'inputId'>> {}
export class ReopenWorkplanInputsCommand extends WorkplanCommand<ReopenInputs> {}
export class CompileWorkplanCommand extends WorkplanCommand<CompileWorkplan> {}
export class ReviewWorkplanCommand extends WorkplanCommand<ReviewWorkplan> {}
export class PresentWorkplanCommand extends WorkplanCommand<PresentWorkplan> {}

export interface AgreementBallotInput {
  cycle: string;
  /** Default `meeting` (¶10(d): agreed at the Annual Meeting). */
  channel: Channel;
  channelReason?: string;
  /** Link this existing ballot about the cycle instead of opening one. */
  ballotId?: string;
  /** For a ballot opened here: its deadline and question. */
  closesAt?: string;
  question?: string;
}
export class AgreementBallotCommand extends WorkplanCommand<AgreementBallotInput> {}

/** The saga's command: record the Partners' decision from this ballot's recorded outcome. No HTTP route issues it. */
export class RecordWorkplanOutcomeCommand extends WorkplanCommand<{ ballotId: string }> {}

/** An input's id derives from the command that submits it: a retried submission lands once. */
export function inputIdFor(cycle: string, commandId: string): string {
  return derivedId('workplan-input', cycle, commandId).slice(0, 13);
}

const DOC_ID = /^[A-Za-z0-9-]{1,64}$/;

@CommandHandler(OpenWorkplanCommand)
export class OpenWorkplanHandler implements ICommandHandler<OpenWorkplanCommand> {
  constructor(
    private readonly processes: ProcessCommands,
    @Inject(DEADLINE_BOUNDS) private readonly bounds: DeadlineBounds,
  ) {}
  execute({ input, context }: OpenWorkplanCommand): Promise<CommandOutcome> {
    return this.processes.run(workplanProcess, workplanStream(input.cycle), context, decidedAt((now) => decideOpen(input, context.actor, now, this.bounds)));
  }
}

@CommandHandler(SubmitWorkplanInputCommand)
export class SubmitWorkplanInputHandler implements ICommandHandler<SubmitWorkplanInputCommand> {
  constructor(
    private readonly processes: ProcessCommands,
    private readonly authority: OfficeAuthority,
  ) {}

  /** The submitter's capacity at this instant: their Partner from its stream, their offices from the seats' streams. */
  async execute({ input, context }: SubmitWorkplanInputCommand): Promise<CommandOutcome> {
    const decide = decidedAt(async (now) =>
      decideSubmitInput({ ...input, inputId: inputIdFor(input.cycle, context.commandId) }, context.actor, await contributorFacts(this.processes, this.authority, context.actor, now)),
    );
    return this.processes.run(workplanProcess, workplanStream(input.cycle), context, decide);
  }
}

export async function contributorFacts(facts: StreamFacts, authority: OfficeAuthority, actor: Pick<Actor, 'id' | 'org'>, now: Date): Promise<ContributorFacts> {
  const fact = actor.org && DOC_ID.test(actor.org) ? await partnerFactAt(facts, actor.org, now) : undefined;
  const partner = fact && { partner: { partnerId: fact.partnerId }, partnerNow: fact.partnerNow, ...(fact.registered ? { registered: fact.registered } : {}) };
  const [leader, ipLeader] = await Promise.all([authority.holding(actor.id, ['leader'], now), authority.holding(actor.id, ['ip-leader'], now)]);
  return { now, ...partner, leader, ipLeader };
}

@CommandHandler(ReopenWorkplanInputsCommand)
export class ReopenWorkplanInputsHandler implements ICommandHandler<ReopenWorkplanInputsCommand> {
  constructor(
    private readonly processes: ProcessCommands,
    @Inject(DEADLINE_BOUNDS) private readonly bounds: DeadlineBounds,
  ) {}
  execute({ input, context }: ReopenWorkplanInputsCommand): Promise<CommandOutcome> {
    return this.processes.run(workplanProcess, workplanStream(input.cycle), context, decidedAt((now) => decideReopen(input, context.actor, now, this.bounds)));
  }
}

@CommandHandler(CompileWorkplanCommand)
export class CompileWorkplanHandler implements ICommandHandler<CompileWorkplanCommand> {
  constructor(private readonly processes: ProcessCommands) {}
  execute({ input, context }: CompileWorkplanCommand): Promise<CommandOutcome> {
    return this.processes.run(workplanProcess, workplanStream(input.cycle), context, decidedAt((now) => decideCompile(input, context.actor, now)));
  }
}

@CommandHandler(ReviewWorkplanCommand)
export class ReviewWorkplanHandler implements ICommandHandler<ReviewWorkplanCommand> {
  constructor(
    private readonly processes: ProcessCommands,
    private readonly authority: OfficeAuthority,
  ) {}

  /** The Management Team is the Chair and the Vice-Chairs (¶15) holding office at this instant, per the register. */
  async execute({ input, context }: ReviewWorkplanCommand): Promise<CommandOutcome> {
    const decide = decidedAt(async (now) => {
      const term = await this.authority.requireOfficeHolder(context.actor.id, ['chair', 'vice-chair'], now);
      const reviewer: Reviewer = {
        personId: context.actor.id,
        office: term.office as Reviewer['office'],
        seat: term.seat,
        title: term.title,
        termNumber: term.termNumber,
        termEnds: term.end,
      };
      return decideReview(input, context.actor, reviewer);
    });
    return this.processes.run(workplanProcess, workplanStream(input.cycle), context, decide);
  }
}

@CommandHandler(PresentWorkplanCommand)
export class PresentWorkplanHandler implements ICommandHandler<PresentWorkplanCommand> {
  constructor(private readonly processes: ProcessCommands) {}
  execute({ input, context }: PresentWorkplanCommand): Promise<CommandOutcome> {
    return this.processes.run(workplanProcess, workplanStream(input.cycle), context, decidePresent(input, context.actor));
  }
}

/**
 * Puts the workplan to the Partners: opens a ballot through the ballot machinery (subject kind `workplan`, reference
 * `workplan-<cycle>`) and links it, or links an existing ballot about the cycle. The link is checked against the
 * cycle before any ballot opens; a retry with the same command id opens and links nothing twice.
 */
@CommandHandler(AgreementBallotCommand)
export class AgreementBallotHandler implements ICommandHandler<AgreementBallotCommand> {
  constructor(
    private readonly processes: ProcessCommands,
    private readonly commands: CommandBus,
  ) {}

  async execute({ input, context }: AgreementBallotCommand): Promise<CommandOutcome> {
    const stream = workplanStream(input.cycle);
    const { state, events } = await this.processes.load(workplanProcess, stream);
    const current = (state.context as { ballotId: string | null }).ballotId;
    const currentView = current ? await this.ballot(current) : undefined;
    const already = events.some((event) => event.metadata.commandId === context.commandId);

    if (input.ballotId) {
      const ballot = DOC_ID.test(input.ballotId) ? await this.ballot(input.ballotId) : undefined;
      const link: LinkAgreementBallot = { cycle: input.cycle, ballotId: input.ballotId, channel: ballot?.channel ?? input.channel, channelReason: input.channelReason, how: 'linked' };
      return this.processes.run(workplanProcess, stream, context, decideLinkBallot(link, context.actor, { ...(ballot ? { ballot } : {}), ...(currentView ? { current: currentView } : {}) }));
    }

    const openId = derivedId('workplan-ballot', input.cycle, context.commandId);
    const link: LinkAgreementBallot = { cycle: input.cycle, ballotId: newBallotId(openId), channel: input.channel, channelReason: input.channelReason, how: 'opened' };
    const decide = decideLinkBallot(link, context.actor, currentView ? { current: currentView } : {});
    if (!already) decide(state); // refuses (and opens no ballot) when the cycle cannot take it
    const round = (state.context as { rounds: { round: number; contentHash: string }[] }).rounds.at(-1);
    await this.commands.execute(
      new OpenBallotCommand(
        {
          subject: { kind: 'workplan', reference: stream, title: `U4SSC workplan ${input.cycle}` },
          question:
            input.question ??
            `Do the Partners agree to the U4SSC workplan ${input.cycle}${round ? ` (version v${round.round}, SHA-256 ${round.contentHash})` : ''}? (ToR ¶10(d))`,
          channel: input.channel,
          closesAt: input.closesAt ?? '',
        },
        { ...context, commandId: openId },
      ),
    );
    // The link cites the ballot as its stream now records it (drafted about this cycle).
    const opened = await this.ballot(link.ballotId);
    const facts = { ...(opened ? { ballot: opened } : {}), ...(currentView ? { current: currentView } : {}) };
    return this.processes.run(workplanProcess, stream, context, decideLinkBallot(link, context.actor, facts));
  }

  /** A ballot as its own stream records it, never the ballots read model. */
  private ballot(ballotId: string): Promise<BallotFacts | undefined> {
    return ballotFacts(this.processes, ballotId);
  }
}

/**
 * Records the Partners' decision from the deciding ballot's own stream (its `BallotDecided` event), never from a
 * read model or the caller: the saga and its catch-up are the only callers (see `WorkplanAgreementSaga`).
 */
@CommandHandler(RecordWorkplanOutcomeCommand)
export class RecordWorkplanOutcomeHandler implements ICommandHandler<RecordWorkplanOutcomeCommand> {
  constructor(private readonly processes: ProcessCommands) {}

  async execute({ input, context }: RecordWorkplanOutcomeCommand): Promise<CommandOutcome> {
    if (!DOC_ID.test(input.ballotId)) throw new NotFoundError(`no ballot "${input.ballotId}" is on record`, { ballotId: input.ballotId });
    const ballot = await this.processes.load(ballotProcess, ballotStream(input.ballotId));
    if (ballot.state.value === 'none') throw new NotFoundError(`no ballot "${input.ballotId}" is on record`, { ballotId: input.ballotId });
    const subject = (ballot.state.context as { subject: { kind: string; reference?: string } | null }).subject;
    const cycle = subject?.kind === 'workplan' ? cycleOfReference(subject.reference) : undefined;
    if (!cycle) throw new NotFoundError(`ballot ${input.ballotId} is not about a workplan cycle`, { ballotId: input.ballotId });
    const decided = ballot.events.find((event) => event.type === 'BallotDecided');
    const decide = decideOutcome(context.actor, { state: ballot.state, ...(decided ? { decided } : {}) });
    return this.processes.run(workplanProcess, workplanStream(cycle), context, decide);
  }
}
