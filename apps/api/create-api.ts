import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { configureHttpApp } from '../../libs/http/index.js';
import { isPagePath, problemPage } from '../web/index.js';
import { AppModule, type ApiOptions } from './app.module.js';

/**
 * Builds the HTTP application (not yet listening): `u4ssc serve` and the e2e tests both start it from here.
 * The API lives under `/v1` (and `/health`, `/docs`); the web interface (apps/web) has every other path.
 */
export async function createApi(options: ApiOptions & { quiet?: boolean }): Promise<NestExpressApplication> {
  const quiet = options.quiet ?? process.env.U4SSC_LOG === 'silent';
  const app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(options), {
    bodyParser: false,
    logger: quiet ? ['error'] : ['error', 'warn', 'log'],
  });
  configureHttpApp(app, { pages: { isPage: isPagePath, renderProblem: (problem) => problemPage(problem) } });
  app.enableShutdownHooks();
  return app;
}
