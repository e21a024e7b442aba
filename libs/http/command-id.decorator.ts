import { createParamDecorator, type ExecutionContext } from '@nestjs/common';
import type { CommandRequest } from './command-request.js';

/**
 * The id of the command this request issues: derived from the Idempotency-Key when one is sent (so a retry
 * appends nothing twice), else fresh. Throws (a 500) when the IdempotencyInterceptor is not installed, since
 * a silently fresh id would quietly break retries.
 */
export const CommandId = createParamDecorator((_data: unknown, context: ExecutionContext): string => {
  const commandId = context.switchToHttp().getRequest<CommandRequest>().commandId;
  if (commandId === undefined) throw new Error('@CommandId() needs the IdempotencyInterceptor: register it as APP_INTERCEPTOR');
  return commandId;
});
