import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Principal } from '../auth/principal.js';

/** The (Express) request as the idempotency interceptor and @CommandId() see it. */
export interface CommandRequest extends IncomingMessage {
  originalUrl: string;
  body?: unknown;
  principal?: Principal;
  /** Set by the IdempotencyInterceptor on every request; event ids derive from it. */
  commandId?: string;
}

export type CommandResponse = ServerResponse;
