import {
  Global,
  Inject,
  Injectable,
  Module,
  type DynamicModule,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import type { Clock } from '../kernel/clock.js';
import { systemClock } from '../kernel/clock.js';
import { CLOCK, EVENT_STORE, READ_MODEL_STORE } from '../kernel/tokens.js';
import { Projector, type Projection } from '../projections/index.js';
import { closeStores, type Stores } from './open-stores.js';
import { ProcessCommands } from './process-commands.service.js';

export interface EngineOptions {
  stores: Stores;
  projections: readonly Projection[];
  clock?: Clock;
  /** Run the projector in the background (the API); the CLI projects on demand instead. Default true. */
  runProjector?: boolean;
  onProjectorError?: (error: unknown) => void;
}

const ENGINE_OPTIONS = Symbol('ENGINE_OPTIONS');

@Injectable()
class EngineLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  constructor(
    @Inject(ENGINE_OPTIONS) private readonly options: EngineOptions,
    private readonly projector: Projector,
  ) {}

  onApplicationBootstrap(): void {
    if (this.options.runProjector ?? true) this.projector.start();
  }

  async onApplicationShutdown(): Promise<void> {
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
        { provide: READ_MODEL_STORE, useValue: options.stores.readModels },
        { provide: CLOCK, useValue: options.clock ?? systemClock },
        {
          provide: Projector,
          useFactory: () =>
            new Projector(options.stores.events, options.stores.readModels, options.projections, {
              onError: options.onProjectorError,
            }),
        },
        ProcessCommands,
        EngineLifecycle,
      ],
      exports: [EVENT_STORE, READ_MODEL_STORE, CLOCK, Projector, ProcessCommands, CqrsModule],
    };
  }
}
