import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { LeaderTasks } from '../engine/leader-tasks.js';
import { PollingLoop } from '../engine/polling-loop.js';
import type { Actor } from '../envelope/index.js';
import { DomainError } from '../errors/index.js';
import type { Clock } from '../kernel/clock.js';
import { derivedId } from '../kernel/ids.js';
import { CLOCK, READ_MODEL_STORE } from '../kernel/tokens.js';
import type { ReadModelStore } from '../read-models/port.js';
import { OFFICE_SETTINGS_RESOLVED } from './office-settings.provider.js';
import type { OfficeSettings } from './office-settings.js';
import { EndTermCommand, MarkRenewalDueCommand } from './offices.commands.js';
import { OFFICE_DUE_DATES_COLLECTION, type OfficeDueDate } from './office.view.js';

/** Who records a renewal falling due or a term expiring: the rule (¶28), applied by the engine. */
export const OFFICE_SCHEDULER_ACTOR: Actor = { id: 'u4ssc-scheduler', role: 'system' };

export type DueKind = 'renewal-due' | 'expiry';

/** One command per (seat, term, kind), whichever instance, pass or restart issues it. */
export function officeDueCommandId(seat: string, termNumber: number, kind: DueKind): string {
  return derivedId('office-term', seat, termNumber, kind);
}

export interface OfficeDueResult {
  seat: string;
  termNumber: number;
  kind: DueKind;
  result: 'recorded' | 'already-recorded' | 'refused' | 'failed';
  detail?: string;
}

/**
 * Marks renewals due and expires terms at their dates (docs/architecture.md §3: "deadlines are events"), polling the due-date
 * read model with the injected clock, as the ballot deadline scheduler does. A term whose end has come is expired
 * (its renewal-due mark, if missed while the engine was down, no longer matters). A leader task: one process runs it.
 */
@Injectable()
export class OfficeScheduler implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger('OfficeScheduler');
  private loop: PollingLoop | null = null;

  constructor(
    @Inject(CLOCK) private readonly clock: Clock,
    @Inject(READ_MODEL_STORE) private readonly readModels: ReadModelStore,
    private readonly commands: CommandBus,
    private readonly tasks: LeaderTasks,
    @Inject(OFFICE_SETTINGS_RESOLVED) private readonly settings: OfficeSettings,
  ) {}

  onModuleInit(): void {
    this.loop = new PollingLoop(() => this.runOnce(), this.settings.pollMs, (error) =>
      this.logger.error(error instanceof Error ? error.stack : String(error)),
    );
    this.tasks.register(this.loop.asLeaderTask('office-terms'));
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

  /** One pass now: every expiry and renewal-due whose date has come by the clock. Public for tests and tools. */
  async runOnce(): Promise<OfficeDueResult[]> {
    const now = this.clock.now().getTime();
    const results: OfficeDueResult[] = [];
    for (const due of await this.readModels.list<OfficeDueDate>(OFFICE_DUE_DATES_COLLECTION)) {
      if (Date.parse(due.endsAt) <= now) results.push(await this.issue(due, 'expiry'));
      else if (!due.renewalDueMarked && Date.parse(due.renewalDueAt) <= now) results.push(await this.issue(due, 'renewal-due'));
    }
    return results;
  }

  private async issue(due: OfficeDueDate, kind: DueKind): Promise<OfficeDueResult> {
    const { seat, termNumber } = due;
    const context = { commandId: officeDueCommandId(seat, termNumber, kind), actor: OFFICE_SCHEDULER_ACTOR };
    const command =
      kind === 'expiry'
        ? new EndTermCommand({ seat, cause: 'expired', termNumber }, context)
        : new MarkRenewalDueCommand({ seat, termNumber }, context);
    try {
      const outcome = await this.commands.execute(command);
      return { seat, termNumber, kind, result: outcome.duplicate ? 'already-recorded' : 'recorded' };
    } catch (error) {
      // Renewed, resigned or replaced meanwhile (the read model had not caught up): nothing to do.
      if (error instanceof DomainError) return { seat, termNumber, kind, result: 'refused', detail: error.message };
      this.logger.error(`${kind} of ${seat} term ${termNumber} failed: ${error instanceof Error ? error.stack : String(error)}`);
      return { seat, termNumber, kind, result: 'failed', detail: String(error) };
    }
  }
}
