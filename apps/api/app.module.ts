import { Logger, Module, type DynamicModule } from '@nestjs/common';
import { authProviders } from '../../libs/auth/index.js';
import { deadlineBounds, type AppConfig } from '../../libs/config/index.js';
import { EngineModule, type Stores } from '../../libs/engine/index.js';
import { httpProviders } from '../../libs/http/index.js';
import type { Clock } from '../../libs/kernel/clock.js';
import { APP_CONFIG } from '../../libs/kernel/tokens.js';
import { PartnersModule, partnersProjection } from '../../libs/partners/index.js';
import { BallotsModule, ballotDeadlinesProjection, ballotsProjection } from '../../libs/ballots/index.js';
import { OfficesModule, officeDueDatesProjection, officesProjection, type OfficeSettings } from '../../libs/offices/index.js';
import { BallotsController } from './ballots/ballots.controller.js';
import { WorkplansModule, workplansProjection } from '../../libs/workplans/index.js';
import { WorkplansController } from './workplans/workplans.controller.js';
import { AuditApiModule } from './audit/audit-api.module.js';
import { HealthController } from './health.controller.js';
import { PartnersController } from './partners/partners.controller.js';
import { OfficesController } from './offices/offices.controller.js';
import { WebModule } from '../web/index.js';

export interface ApiOptions {
  config: AppConfig;
  stores: Stores;
  clock?: Clock;
  /** How often the ballot scheduler reads the due dates (ms); default 1000. */
  ballotPollMs?: number;
  /** The office process: renewal notice (days) and how often its scheduler polls (ms); default from the environment. */
  offices?: Partial<OfficeSettings>;
}

/** Every read model the engine keeps, in one list: the projector runs them, `u4ssc rebuild` rebuilds them. */
export const PROJECTIONS = [partnersProjection, ballotsProjection, ballotDeadlinesProjection, workplansProjection, officesProjection, officeDueDatesProjection];

@Module({})
export class AppModule {
  static forRoot(options: ApiOptions): DynamicModule {
    const logger = new Logger('Projector');
    return {
      module: AppModule,
      imports: [
        EngineModule.forRoot({
          stores: options.stores,
          projections: PROJECTIONS,
          clock: options.clock,
          deadlines: deadlineBounds(options.config),
          ...(options.config.fullVerifyEveryMs !== undefined && { fullVerifyEveryMs: options.config.fullVerifyEveryMs }),
          onProjectorError: (error) => logger.error(error instanceof Error ? error.stack : String(error)),
        }),
        PartnersModule,
        AuditApiModule,
        BallotsModule.forRoot({ pollMs: options.ballotPollMs }),
        OfficesModule.forRoot(options.offices),
        WorkplansModule.forRoot(),
        WebModule.forRoot(options.config),
      ],
      controllers: [HealthController, PartnersController, BallotsController, WorkplansController, OfficesController],
      providers: [{ provide: APP_CONFIG, useValue: options.config }, ...authProviders(), ...httpProviders()],
    };
  }
}
