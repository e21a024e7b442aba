import {
  Global,
  Inject,
  Injectable,
  Logger,
  Module,
  type DynamicModule,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import type { Clock } from '../kernel/clock.js';
import { systemClock } from '../kernel/clock.js';
import { CLOCK, DEADLINE_BOUNDS, EVENT_STORE, READ_MODEL_STORE, SIGNING_KEY } from '../kernel/tokens.js';
import { Projector, type Projection } from '../projections/index.js';
import { closeStores, type Stores } from './open-stores.js';
import { LOG_INTEGRITY, ProcessCommands, RUNNER_SNAPSHOTS } from './process-commands.service.js';
import { LogIntegrity, StateCache, type RunnerSnapshots } from '../process-runner/index.js';
import { SigningKey } from '../signing/index.js';
import { LeaderTasks } from './leader-tasks.js';
import { DEFAULT_DEADLINE_BOUNDS, type DeadlineBounds } from '../config/app-config.js';
import { DEFAULT_FULL_VERIFY_EVERY_MS, FullVerifyTask } from './full-verify-task.js';

export interface EngineOptions {
  stores: Stores;
  projections: readonly Projection[];
  clock?: Clock;
  /**
   * Run the background work (the projector and the registered leader tasks) while this process is the leader
   * (the API). Without it (the CLI), the projector catches up on demand after each command. Default true.
   */
  background?: boolean;
  onProjectorError?: (error: unknown) => void;
  /**
   * The key snapshots are signed with and the log integrity checker pins; default the stores' signing key (the one
   * the events are signed with and the log publishes). Without either (a read-only opening), a key is made for this
   * process alone: its snapshots serve only it, and after a restart they are folded past and written again.
   */
  signingKey?: SigningKey;
  /** How near and how far deadlines may fall; default DEFAULT_DEADLINE_BOUNDS. */
  deadlines?: DeadlineBounds;
  /** How often the leader verifies the whole log (full-verify-task.ts); 0: never. Default 24 hours. */
  fullVerifyEveryMs?: number;
}

const ENGINE_OPTIONS = Symbol('ENGINE_OPTIONS');
const ENGINE_KEY = Symbol('ENGINE_KEY');

@Injectable()
class EngineLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('FullVerify');

  constructor(
    @Inject(ENGINE_OPTIONS) private readonly options: EngineOptions,
    private readonly projector: Projector,
    private readonly tasks: LeaderTasks,
  ) {}

  onApplicationBootstrap(): void {
    if (!(this.options.background ?? true)) return;
    const { stores } = this.options;
    const fullVerify = new FullVerifyTask({
      events: stores.events,
      readModels: stores.readModels,
      ...(stores.signingKey && { signingKey: stores.signingKey }),
      clock: this.options.clock ?? systemClock,
      everyMs: this.options.fullVerifyEveryMs ?? DEFAULT_FULL_VERIFY_EVERY_MS,
    }).leaderTask((error) => this.logger.error(error instanceof Error ? error.stack : String(error)));
    if (fullVerify) this.tasks.register(fullVerify);
    this.options.stores.leadership.start({
      elected: async () => {
        this.projector.start();
        await this.tasks.startAll();
      },
      deposed: async () => {
        await this.tasks.stopAll();
        await this.projector.stop();
      },
    });
  }

  async onApplicationShutdown(): Promise<void> {
    await this.options.stores.leadership.stop();
    await this.tasks.stopAll();
    await this.projector.stop();
    await closeStores(this.options.stores);
  }
}

/**
 * The engine's ports for every process module: the event store, the read-model store, the clock, the projector
 * and the command runner. The caller opens the stores (so tests choose them) and the engine closes them.
 */
@Global()
@Module({})
export class EngineModule {
  static forRoot(options: EngineOptions): DynamicModule {
    return {
      module: EngineModule,
      imports: [CqrsModule.forRoot()],
      providers: [
        { provide: ENGINE_OPTIONS, useValue: options },
        { provide: EVENT_STORE, useValue: options.stores.events },
        { provide: SIGNING_KEY, useValue: options.stores.signingKey ?? null },
        { provide: READ_MODEL_STORE, useValue: options.stores.readModels },
        { provide: CLOCK, useValue: options.clock ?? systemClock },
        { provide: DEADLINE_BOUNDS, useValue: options.deadlines ?? DEFAULT_DEADLINE_BOUNDS },
        {
          provide: Projector,
          useFactory: () =>
            new Projector(options.stores.events, options.stores.readModels, options.projections, {
              onError: options.onProjectorError,
              onDemand: !(options.background ?? true),
            }),
        },
        { provide: ENGINE_KEY, useFactory: () => options.signingKey ?? options.stores.signingKey ?? SigningKey.generate() },
        {
          provide: LOG_INTEGRITY,
          useFactory: (key: SigningKey) => new LogIntegrity(options.stores.events, { trusted: [key.info.fingerprint] }),
          inject: [ENGINE_KEY],
        },
        { provide: RUNNER_SNAPSHOTS, useFactory: (key: SigningKey) => runnerSnapshots(options.stores, key), inject: [ENGINE_KEY] },
        ProcessCommands,
        LeaderTasks,
        EngineLifecycle,
      ],
      exports: [EVENT_STORE, SIGNING_KEY, READ_MODEL_STORE, CLOCK, DEADLINE_BOUNDS, Projector, ProcessCommands, LeaderTasks, CqrsModule],
    };
  }
}

/**
 * Snapshots on the stores' snapshot store, signed with the engine's key, and this process's last folded state per
 * stream in memory (both checked against the log before use); a snapshot that cannot be used or written is logged,
 * never fatal.
 */
function runnerSnapshots(stores: Stores, key: SigningKey): RunnerSnapshots | null {
  if (stores.snapshotEvery <= 0) return null;
  const logger = new Logger('Snapshots');
  return {
    store: stores.snapshots,
    key,
    every: stores.snapshotEvery,
    cache: new StateCache(),
    onProblem: (message) => logger.warn(message),
  };
}
