import type { Provider } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import { IdempotencyInterceptor } from './idempotency.interceptor.js';

/**
 * Put these in the app module's providers: the Idempotency-Key interceptor as the global interceptor.
 * It injects READ_MODEL_STORE (required) and CLOCK (optional; the system clock otherwise).
 */
export function httpProviders(): Provider[] {
  return [{ provide: APP_INTERCEPTOR, useClass: IdempotencyInterceptor }];
}
