import { Inject, Injectable, Logger, Optional, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { from, mergeMap, of, type Observable } from 'rxjs';
import { canonicalJson } from '../envelope/canonical-json.js';
import { systemClock, type Clock } from '../kernel/clock.js';
import { derivedId, newId } from '../kernel/ids.js';
import { CLOCK, READ_MODEL_STORE } from '../kernel/tokens.js';
import type { ReadModelStore } from '../read-models/port.js';
import type { CommandRequest, CommandResponse } from './command-request.js';
import { ProblemException, problemType } from './problem.js';
import { idempotencyKeyReused } from './problem-for.js';

export const IDEMPOTENCY_KEY_HEADER = 'idempotency-key';
export const IDEMPOTENCY_REPLAYED_HEADER = 'Idempotency-Replayed';

/**
 * Idempotency-Key for POSTs (docs/architecture.md §4). The first 2xx answer to a key is stored; a retry with the same
 * request gets that answer again (with `Idempotency-Replayed: true`) without the handler running, and the
 * same key with another request gets 422.
 *
 * It also gives every request its command id. With a key, the id derives from the principal and the key, so
 * a retry racing the first request (both past the lookup before either stored its answer) issues the same
 * command, whose event ids derive from it: the store appends once.
 *
 * Keys are scoped by the principal: two people's keys never meet. A request without a principal (a @Public()
 * route) has no scope to keep its answers apart from other callers', so its key is ignored.
 */
@Injectable()
export class IdempotencyInterceptor implements NestInterceptor {
  private readonly logger = new Logger(IdempotencyInterceptor.name);

  constructor(
    @Inject(READ_MODEL_STORE) private readonly store: ReadModelStore,
    @Optional() @Inject(CLOCK) private readonly clock: Clock = systemClock,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    if (context.getType() !== 'http') return next.handle();
    const request = context.switchToHttp().getRequest<CommandRequest>();
    const response = context.switchToHttp().getResponse<CommandResponse>();
    const key = request.method === 'POST' ? idempotencyKeyOf(request) : undefined;
    const principalId = request.principal?.id;
    if (key === undefined || principalId === undefined) {
      request.commandId = newId();
      return next.handle();
    }

    request.commandId = derivedId('idempotency', principalId, key);
    // The principal id is encoded so that no (id, key) pair can spell another's scoped key.
    const scopedKey = `${encodeURIComponent(principalId)}:${key}`;
    const requestHash = hashRequest(request);
    const stored = await this.store.getIdempotency(scopedKey);
    if (stored) {
      if (stored.requestHash !== requestHash) throw new ProblemException(idempotencyKeyReused().problem);
      response.statusCode = stored.status;
      response.setHeader(IDEMPOTENCY_REPLAYED_HEADER, 'true');
      return of(stored.body);
    }

    return next.handle().pipe(
      mergeMap((body) => from(this.remember(scopedKey, requestHash, response.statusCode, body).then(() => body))),
    );
  }

  private async remember(key: string, requestHash: string, status: number, body: unknown): Promise<void> {
    // Only successes: a refused command may well succeed when retried later (state moved on), so it must run again.
    if (status < 200 || status > 299) return;
    try {
      // The wire form, so a replay sends what the first answer sent even if the handler returned a class instance.
      const wire: unknown = body === undefined ? null : JSON.parse(JSON.stringify(body));
      // false means a racing twin stored first; both ran the same command id, so either answer will do.
      await this.store.putIdempotency({ key, requestHash, status, body: wire, createdAt: this.clock.now().toISOString() });
    } catch (error) {
      // The command has been applied; failing the answer now would only make the client retry it.
      this.logger.warn(`could not store the answer for Idempotency-Key ${JSON.stringify(key)}: ${String(error)}`);
    }
  }
}

/** The header's value, checked; undefined when absent. */
function idempotencyKeyOf(request: CommandRequest): string | undefined {
  const value = request.headers[IDEMPOTENCY_KEY_HEADER];
  if (value === undefined) return undefined;
  const key = Array.isArray(value) ? value.join(', ') : value;
  if (!/^[\x20-\x7e]{1,200}$/.test(key)) {
    throw new ProblemException({
      type: problemType('invalid-idempotency-key'),
      title: 'Invalid Idempotency-Key',
      status: 400,
      detail: 'The Idempotency-Key header must hold 1 to 200 printable ASCII characters (a UUID is a good key).',
    });
  }
  return key;
}

/** Method, path (with its query, which is part of what was asked) and canonical body: key order does not matter. */
function hashRequest(request: CommandRequest): string {
  return createHash('sha256')
    .update(`${request.method}\u0000${request.originalUrl}\u0000${canonicalJson(request.body)}`)
    .digest('hex');
}
