import type { Provider } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import type { AppConfig } from '../config/app-config.js';
import { APP_CONFIG } from '../kernel/tokens.js';
import { AuthGuard, TOKEN_VERIFIER } from './auth.guard.js';
import { createTokenVerifier } from './token-verifier.js';

/**
 * Put these in the app module's providers: the token verifier (built from APP_CONFIG, which the module must
 * provide) and the AuthGuard as the global guard.
 */
export function authProviders(): Provider[] {
  return [
    { provide: TOKEN_VERIFIER, useFactory: (config: AppConfig) => createTokenVerifier(config), inject: [APP_CONFIG] },
    { provide: APP_GUARD, useClass: AuthGuard },
  ];
}
