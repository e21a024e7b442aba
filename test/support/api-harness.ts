import type { NestExpressApplication } from '@nestjs/platform-express';
import { join } from 'node:path';
import { issueLocalToken, type Role } from '../../libs/auth/index.js';
import { loadConfig, type AppConfig } from '../../libs/config/index.js';
import { openStores, type Stores } from '../../libs/engine/index.js';
import type { Clock } from '../../libs/kernel/clock.js';
import type { OfficeSettings } from '../../libs/offices/index.js';
import { createApi } from '../../apps/api/create-api.js';
import { SigningKey } from '../../libs/signing/index.js';

export const TEST_SECRET = 'test-secret-of-at-least-thirty-two-characters';

export interface ApiHarness {
  app: NestExpressApplication;
  /** The app's HTTP server (supertest opens a real connection to it). */
  server: ReturnType<NestExpressApplication['getHttpServer']>;
  config: AppConfig;
  stores: Stores;
  token(sub: string, roles: Role[], extra?: { org?: string; name?: string; expiresIn?: string }): Promise<string>;
  /** Listens on 127.0.0.1 (a free port) for clients that need a real address, a browser; gives the base URL. */
  listen(): Promise<string>;
  close(): Promise<void>;
}

export interface StartApiOptions {
  dir?: string;
  /**
   * `postgres`: the test server (U4SSC_TEST_DATABASE_URL) as the serving role, in a fresh schema (prepared by its owner,
   * dropped on close) unless one is given (prepared the same way: freshSchema).
   */
  store?: 'sqlite' | 'memory' | 'postgres';
  databaseSchema?: string;
  clock?: Clock;
  ballotPollMs?: number;
  /** The office process's settings (renewal notice, scheduler poll interval). */
  offices?: Partial<OfficeSettings>;
  /** U4SSC_DEV_SIGN_IN=on: the web interface's development sign-in. */
  devSignIn?: boolean;
  /** More environment for loadConfig (U4SSC_OIDC_*, ...). */
  env?: Record<string, string>;
}

/** The real API on a real SQLite file in `dir` (or in memory, or on PostgreSQL), as `u4ssc serve` builds it. */
export async function startApi(options: StartApiOptions): Promise<ApiHarness> {
  // Imported here so that suites without PostgreSQL never probe for it.
  const fresh = options.store === 'postgres' && !options.databaseSchema
    ? await (await import('../../libs/event-store/postgres/test-database.js')).freshSchema('api')
    : undefined;
  // The engine connects as the serving role, which owns nothing (freshSchema prepared the schema as the owner).
  const postgresUrl = options.store === 'postgres'
    ? fresh?.url ?? (await import('../../libs/event-store/postgres/test-database.js')).servingUrl()
    : undefined;
  const config = loadConfig({
    U4SSC_STORE: options.store ?? 'sqlite',
    U4SSC_SQLITE_FILE: join(options.dir ?? '.', 'u4ssc.sqlite'),
    U4SSC_TOKEN_SECRET: TEST_SECRET,
    ...(options.devSignIn ? { U4SSC_DEV_SIGN_IN: 'on' } : {}),
    ...options.env,
    ...(postgresUrl ? { U4SSC_DATABASE_URL: postgresUrl, U4SSC_DATABASE_SCHEMA: fresh?.schema ?? options.databaseSchema } : {}),
    // PostgreSQL needs a configured signing key: a fresh one per API unless the test gives its own.
    ...(postgresUrl && !options.env?.U4SSC_SIGNING_KEY_FILE && !options.env?.U4SSC_SIGNING_KEY ? { U4SSC_SIGNING_KEY: SigningKey.generate().toPem() } : {}),
  });
  const stores = await openStores(config, { clock: options.clock, notice: () => undefined });
  const app = await createApi({ config, stores, clock: options.clock, quiet: true, ballotPollMs: options.ballotPollMs, offices: options.offices });
  await app.init();
  return {
    app,
    server: app.getHttpServer(),
    config,
    stores,
    token: (sub, roles, extra = {}) =>
      issueLocalToken(TEST_SECRET, { sub, roles, org: extra.org, name: extra.name }, { expiresIn: extra.expiresIn ?? '1h' }),
    listen: async () => {
      await app.listen(0, '127.0.0.1');
      const address = app.getHttpServer().address();
      if (typeof address !== 'object' || address === null) throw new Error('the API is not listening on a TCP port');
      return `http://127.0.0.1:${address.port}`;
    },
    close: async () => {
      await app.close();
      await fresh?.drop();
    },
  };
}
