import { Inject, Injectable, Logger, Optional } from '@nestjs/common';
import { EventBus } from '@nestjs/cqrs';
import { IntegrityError } from '../errors/index.js';
import type { EventStore } from '../event-store/index.js';
import { CLOCK, EVENT_STORE } from '../kernel/tokens.js';
import type { Clock } from '../kernel/clock.js';
import {
  LogIntegrity,
  loadProcess,
  runCommand,
  type CommandContext,
  type CommandOutcome,
  type Decide,
  type LoadOptions,
  type LoadedProcess,
  type ProcessDefinition,
  type RunnerSnapshots,
  type StreamFacts,
} from '../process-runner/index.js';
import { Projector } from '../projections/index.js';
import { EventAppended } from './event-appended.js';
import { KeyedLock } from './keyed-lock.js';

/** The runner's snapshot settings (EngineModule provides them from the stores); absent: every command folds in full. */
export const RUNNER_SNAPSHOTS = Symbol('RUNNER_SNAPSHOTS');

/** The checker of every event a command reads (EngineModule builds it with the engine's key pinned). */
export const LOG_INTEGRITY = Symbol('LOG_INTEGRITY');

/** How long a command's answer waits for the read models to include its events (read-your-writes). */
const READ_YOUR_WRITES_MS = 2000;

/** The process runner as a Nest service: every command handler goes through `run`, and reads its facts here. */
@Injectable()
export class ProcessCommands implements StreamFacts {
  private readonly streams = new KeyedLock();
  private readonly integrity: LogIntegrity;
  private readonly logger = new Logger('Integrity');

  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly projector: Projector,
    private readonly eventBus: EventBus,
    @Optional() @Inject(RUNNER_SNAPSHOTS) private readonly snapshots?: RunnerSnapshots | null,
    @Optional() @Inject(LOG_INTEGRITY) integrity?: LogIntegrity | null,
  ) {
    this.integrity = integrity ?? LogIntegrity.of(store);
  }

  async run(
    definition: ProcessDefinition,
    stream: string,
    command: CommandContext,
    decide: Decide,
  ): Promise<CommandOutcome> {
    const deps = { store: this.store, clock: this.clock, snapshots: this.snapshots ?? undefined, integrity: this.integrity };
    const outcome = await this.streams.run(stream, () => runCommand(deps, definition, stream, command, decide)).catch((error: unknown) => this.told(error));
    const last = outcome.events.at(-1);
    if (last) await this.projector.waitFor(last.position, READ_YOUR_WRITES_MS);
    if (!outcome.duplicate) this.eventBus.publishAll(outcome.events.map((event) => new EventAppended(event)));
    return outcome;
  }

  /** Another process's stream read as a fact for a decision: checked like the command's own stream. */
  load(definition: ProcessDefinition, stream: string, options?: LoadOptions): Promise<LoadedProcess> {
    return loadProcess(this.store, definition, stream, options, this.integrity).catch((error: unknown) => this.told(error));
  }

  /** An integrity fault is the operator's business whoever caught the refusal (a scheduler, the API): logged here. */
  private told(error: unknown): never {
    if (error instanceof IntegrityError) this.logger.error(error.message);
    throw error;
  }

  /** Every stream with this prefix, from the log (the Partners, the seats): what handlers enumerate facts by. */
  streamNames(prefix: string): Promise<string[]> {
    return this.store.streamNames(prefix);
  }

  now(): Date {
    return this.clock.now();
  }
}
