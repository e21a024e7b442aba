import { Inject, Injectable, Logger, Optional, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { LeaderTasks } from '../engine/leader-tasks.js';
import { PollingLoop } from '../engine/polling-loop.js';
import type { Actor } from '../envelope/index.js';
import { DomainError } from '../errors/index.js';
import type { Clock } from '../kernel/clock.js';
import { derivedId } from '../kernel/ids.js';
import { CLOCK, READ_MODEL_STORE } from '../kernel/tokens.js';
import type { ReadModelStore } from '../read-models/port.js';
import { CloseBallotCommand } from './ballots.commands.js';
import { BALLOT_DEADLINES_COLLECTION, type BallotDeadline } from './ballot.view.js';

export interface BallotSchedulerOptions {
  /** How often the due dates are read; default 1000 ms. */
  pollMs?: number;
}

export const BALLOT_SCHEDULER_OPTIONS = Symbol('BALLOT_SCHEDULER_OPTIONS');

/** Who closes a ballot at its deadline: the rule, applied by the engine, not a person. */
export const SCHEDULER_ACTOR: Actor = { id: 'u4ssc-scheduler', role: 'system' };

/** The close command for a ballot's deadline: one id per (ballot, deadline), whichever instance or restart issues it. */
export function deadlineCommandId(deadline: Pick<BallotDeadline, 'ballotId' | 'closesAt'>): string {
  return derivedId('ballot-deadline', deadline.ballotId, deadline.closesAt);
}

export interface DeadlineResult {
  ballotId: string;
  result: 'closed' | 'already-closed' | 'refused' | 'failed';
  detail?: string;
}

/**
 * Closes ballots at their deadline (docs/architecture.md §3: "deadlines are events"; XState timers would be lost on
 * rehydration). It polls the due-date read model with the injected clock and issues the close command with an id
 * derived from the ballot and its deadline, so a restart, a second pass or a second instance appends nothing
 * twice. It runs as a leader task: the engine starts it in the one process that runs the background work.
 */
@Injectable()
export class BallotDeadlineScheduler implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('BallotDeadlineScheduler');
  private loop: PollingLoop | null = null;

  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore,
    private readonly commands: CommandBus,
    private readonly tasks: LeaderTasks,
    @Optional() @Inject(BALLOT_SCHEDULER_OPTIONS) private readonly options: BallotSchedulerOptions = {},
  ) {}

  onModuleInit(): void {
    this.loop = new PollingLoop(() => this.runOnce(), this.options.pollMs ?? 1000, (error) =>
      this.logger.error(error instanceof Error ? error.stack : String(error)),
    );
    this.tasks.register(this.loop.asLeaderTask('ballot-deadlines'));
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

  /** One pass now: closes every open ballot whose deadline has come by the clock. Public for tests and tools. */
  async runOnce(): Promise<DeadlineResult[]> {
    const now = this.clock.now().getTime();
    const due = (await this.readModels.list<BallotDeadline>(BALLOT_DEADLINES_COLLECTION)).filter(
      (deadline) => Date.parse(deadline.closesAt) <= now,
    );
    const results: DeadlineResult[] = [];
    for (const deadline of due) results.push(await this.close(deadline));
    return results;
  }

  private async close(deadline: BallotDeadline): Promise<DeadlineResult> {
    const { ballotId } = deadline;
    try {
      const outcome = await this.commands.execute(
        new CloseBallotCommand({ ballotId, cause: 'deadline' }, { commandId: deadlineCommandId(deadline), actor: SCHEDULER_ACTOR }),
      );
      return { ballotId, result: outcome.duplicate ? 'already-closed' : 'closed' };
    } catch (error) {
      // Closed or withdrawn meanwhile (the read model had not caught up): nothing to do.
      if (error instanceof DomainError) return { ballotId, result: 'refused', detail: error.message };
      this.logger.error(`closing ballot ${ballotId} at its deadline failed: ${error instanceof Error ? error.stack : String(error)}`);
      return { ballotId, result: 'failed', detail: String(error) };
    }
  }
}
