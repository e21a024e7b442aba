import { NestFactory } from '@nestjs/core';
import { Module, type INestApplicationContext } from '@nestjs/common';
import { deadlineBounds, loadConfig, type AppConfig } from '../../libs/config/index.js';
import { EngineModule, openStores, type Stores } from '../../libs/engine/index.js';
import { PartnersModule } from '../../libs/partners/index.js';
import { BallotsModule } from '../../libs/ballots/index.js';
import { OfficesModule } from '../../libs/offices/index.js';
import { WorkplansModule } from '../../libs/workplans/index.js';
import { PROJECTIONS } from '../api/app.module.js';

export interface OpenedEngine {
  config: AppConfig;
  stores: Stores;
  app: INestApplicationContext;
}

/**
 * The engine's modules without HTTP, on the store the configuration names: CLI commands go through the same
 * command bus and runner as the API. The projector runs on demand (after each command), not in the background.
 */
export async function openEngine(options: { create?: boolean } = {}): Promise<OpenedEngine> {
  const config = loadConfig();
  // Commands that only read pass create: false and are refused a missing store (libs/engine/existing-store.ts).
  const stores = await openStores(config, { create: options.create ?? true });
  @Module({
    imports: [EngineModule.forRoot({ stores, projections: PROJECTIONS, background: false, deadlines: deadlineBounds(config) }), PartnersModule, BallotsModule, WorkplansModule, OfficesModule],
  })
  class CliModule {}
  const app = await NestFactory.createApplicationContext(CliModule, { logger: ['error', 'warn'] });
  return { config, stores, app };
}
