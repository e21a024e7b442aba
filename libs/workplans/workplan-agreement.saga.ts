import { Inject, Injectable, Logger, Optional, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { CommandBus, Saga, type ICommand, type IEvent } from '@nestjs/cqrs';
import { filter, map, mergeMap, type Observable } from 'rxjs';
import { BallotDecided, ballotsDecided, sagaCommandContext } from '../ballots/ballot-decided.js';
import { ballotProcess, ballotStream } from '../ballots/ballot.process.js';
import { ProcessCommands } from '../engine/process-commands.service.js';
import { LeaderTasks } from '../engine/leader-tasks.js';
import { PollingLoop } from '../engine/polling-loop.js';
import type { BallotDecidedData } from '../../state-machines/ballot/ballot.events.js';
import { DomainError } from '../errors/index.js';
import { RecordWorkplanOutcomeCommand } from './workplans.commands.js';
import { cycleOfReference, workplanProcess, workplanStream } from './workplan.process.js';

/** The saga's name: command ids derive from it and the ballot's `BallotDecided` event, whoever issues the command. */
export const AGREEMENT_SAGA = 'workplan-agreement';

export interface AgreementCatchUpOptions {
  /** How often the catch-up looks for decided ballots not yet recorded (ms); default 5000. */
  pollMs?: number;
}
export const WORKPLAN_CATCH_UP_OPTIONS = Symbol('WORKPLAN_CATCH_UP_OPTIONS');

export interface CatchUpResult {
  cycle: string;
  ballotId: string;
  result: 'recorded' | 'already-recorded' | 'refused' | 'failed';
  detail?: string;
}

/** A cycle as its stream records it: voting on which ballot, if any. */
interface CycleFacts {
  cycle: string;
  votingOn: string | null;
}

/**
 * "Ballot decided → workplan agreed" (docs/architecture.md §3). In-process, the saga answers each `BallotDecided` about a
 * workplan whose cycle is voting on it. A crash between the ballot's decision and this answer would lose it, so a
 * leader task also looks, at start and then periodically, for cycles voting on a ballot that the ballot's own
 * stream records as decided. Both issue the same command with the same derived id (`sagaCommandContext`): it lands
 * once however many times, and from wherever, it is sent.
 */
@Injectable()
export class WorkplanAgreementSaga implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('WorkplanAgreementSaga');
  private loop: PollingLoop | null = null;

  constructor(
    private readonly processes: ProcessCommands,
    private readonly commands: CommandBus,
    private readonly tasks: LeaderTasks,
    @Optional() @Inject(WORKPLAN_CATCH_UP_OPTIONS) private readonly options: AgreementCatchUpOptions = {},
  ) {}

  @Saga()
  agreement = (events$: Observable<IEvent>): Observable<ICommand> =>
    events$.pipe(
      ballotsDecided('workplan'),
      mergeMap(async (decided) => {
        const cycle = cycleOfReference(decided.subject.reference);
        const facts = cycle ? await this.cycle(workplanStream(cycle)) : undefined;
        // A ballot no cycle is voting on is none of this saga's business.
        return facts?.votingOn === decided.ballotId ? decided : null;
      }),
      filter((decided): decided is BallotDecided => decided !== null),
      map((decided) => new RecordWorkplanOutcomeCommand({ ballotId: decided.ballotId }, sagaCommandContext(AGREEMENT_SAGA, decided))),
    );

  onModuleInit(): void {
    this.loop = new PollingLoop(() => this.runOnce(), this.options.pollMs ?? 5000, (error) =>
      this.logger.error(error instanceof Error ? error.stack : String(error)),
    );
    this.tasks.register(this.loop.asLeaderTask('workplan-agreement-catch-up'));
  }

  async onApplicationShutdown(): Promise<void> {
    await this.stop();
  }

  start(): void {
    this.loop?.start();
  }

  async stop(): Promise<void> {
    await this.loop?.stop();
  }

  /** The cycle's state from its own stream (the read model may trail the log). */
  private async cycle(stream: string): Promise<CycleFacts> {
    const { state } = await this.processes.load(workplanProcess, stream);
    const context = state.context as { cycle: string; ballotId: string | null };
    return { cycle: context.cycle, votingOn: state.value === 'voting' ? context.ballotId : null };
  }

  /**
   * One catch-up pass: every cycle (every `workplan-*` stream of the log) voting on a ballot its stream records as
   * decided gets the outcome recorded.
   */
  async runOnce(): Promise<CatchUpResult[]> {
    const results: CatchUpResult[] = [];
    for (const stream of await this.processes.streamNames(workplanStream(''))) {
      const view = await this.cycle(stream);
      const ballotId = view.votingOn;
      if (!ballotId) continue;
      const { events } = await this.processes.load(ballotProcess, ballotStream(ballotId));
      const stored = events.find((event) => event.type === 'BallotDecided');
      if (!stored) continue;
      const data = stored.data as BallotDecidedData;
      const decided = new BallotDecided(data.ballotId, data.subject, data.outcome, data.tally, stored);
      try {
        const outcome = await this.commands.execute(
          new RecordWorkplanOutcomeCommand({ ballotId }, sagaCommandContext(AGREEMENT_SAGA, decided)),
        );
        results.push({ cycle: view.cycle, ballotId, result: outcome.duplicate ? 'already-recorded' : 'recorded' });
      } catch (error) {
        if (error instanceof DomainError) {
          results.push({ cycle: view.cycle, ballotId, result: 'refused', detail: error.message });
          continue;
        }
        this.logger.error(`recording the decision of ballot ${ballotId} for workplan ${view.cycle} failed: ${error instanceof Error ? error.stack : String(error)}`);
        results.push({ cycle: view.cycle, ballotId, result: 'failed', detail: String(error) });
      }
    }
    return results;
  }
}
