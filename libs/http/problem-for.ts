import { HttpException } from '@nestjs/common';
import { STATUS_CODES } from 'node:http';
import { DomainError, type DomainErrorKind } from '../errors/domain-errors.js';
import { ConcurrencyError, DuplicateEventIdError, StoreBusyError } from '../event-store/errors.js';
import { ProblemException, problemType, type ProblemDocument } from './problem.js';

/** What the filter writes: the document, extra headers, and whether the error is the server's own fault. */
export interface ProblemAnswer {
  problem: ProblemDocument;
  headers: Record<string, string>;
  unexpected: boolean;
}

/** The parts of the request that change how an error reads. */
export interface RequestFacts {
  method: string;
  path: string;
  /** Express sets `route` only when a route matched: its absence tells an unknown route from a handler's 404. */
  routeMatched: boolean;
  hasIdempotencyKey: boolean;
}

const DOMAIN_PROBLEMS: Record<DomainErrorKind, { status: number; slug: string; title: string }> = {
  // Well-formed input the domain will not take (e.g. not a UN-system entity): 422, not the 400 of bad syntax.
  invalid: { status: 422, slug: 'invalid-command', title: 'Command not acceptable' },
  forbidden: { status: 403, slug: 'forbidden', title: 'Forbidden' },
  'not-found': { status: 404, slug: 'not-found', title: 'Not found' },
  rejected: { status: 409, slug: 'command-rejected', title: 'Not allowed in the current state' },
  conflict: { status: 409, slug: 'conflict', title: 'Conflicting change' },
  // The server's own data failed its checks: a server fault (500), not a passing one (503) a client could wait out.
  integrity: { status: 500, slug: 'integrity-fault', title: 'The event log failed its integrity check' },
  // Nothing was written: the same request can simply be sent again.
  unavailable: { status: 503, slug: 'store-busy', title: 'Store busy' },
};

/** Seconds a client is asked to wait before retrying a request the busy store did not take. */
const BUSY_RETRY_AFTER = '1';

const RESERVED = new Set(['type', 'title', 'status', 'detail', 'instance']);

/** Maps anything a request can throw to its problem document (RFC 9457). Pure: logging is the filter's job. */
export function problemFor(error: unknown, request: RequestFacts): ProblemAnswer {
  if (error instanceof ProblemException) return answer(error.problem, error.headers);

  if (error instanceof DomainError) {
    const { status, slug, title } = DOMAIN_PROBLEMS[error.kind];
    const headers: Record<string, string> = error.kind === 'unavailable' ? { 'Retry-After': BUSY_RETRY_AFTER } : {};
    return answer({ type: problemType(slug), title, status, detail: sentence(error.message), ...extensions(error.details) }, headers);
  }

  if (error instanceof StoreBusyError) {
    return answer(
      {
        type: problemType('store-busy'),
        title: 'Store busy',
        status: 503,
        detail: 'The store is busy with other writers and took nothing from this request; retry.',
        stream: error.stream,
      },
      { 'Retry-After': BUSY_RETRY_AFTER },
    );
  }

  if (error instanceof ConcurrencyError) {
    return answer({
      type: problemType('concurrent-change'),
      title: 'Concurrent change',
      status: 409,
      detail: `Someone else changed ${error.stream} at the same time; read it again and retry if the command still applies.`,
      stream: error.stream,
    });
  }

  if (error instanceof DuplicateEventIdError) {
    // Event ids derive from the command id, which derives from the Idempotency-Key: the same key was used
    // for another request that raced this one past the idempotency check.
    return request.hasIdempotencyKey
      ? idempotencyKeyReused()
      : answer({
          type: problemType('conflict'),
          title: 'Conflicting change',
          status: 409,
          detail: 'This command was already applied with different content.',
          stream: error.stream,
        });
  }

  if (error instanceof HttpException) return fromHttpException(error, request);

  return unexpected();
}

export function idempotencyKeyReused(): ProblemAnswer {
  return answer({
    type: problemType('idempotency-key-reused'),
    title: 'Idempotency-Key reused',
    status: 422,
    detail: 'Idempotency-Key reused with a different request: this key was first used with another method, path or body. Use a new key for a new request.',
  });
}

function fromHttpException(error: HttpException, request: RequestFacts): ProblemAnswer {
  const status = error.getStatus();
  if (status >= 500) return unexpected(status);
  // A problem thrown inside Express middleware (the body parser's verify hook) arrives wrapped by Nest.
  if (error.cause instanceof ProblemException) return answer(error.cause.problem, error.cause.headers);
  const cause = error.cause as { type?: unknown; limit?: unknown; length?: unknown; message?: unknown } | undefined;
  // body-parser's errors, which Nest wraps with the original as `cause`.
  switch (cause?.type) {
    case 'entity.parse.failed':
      return answer({
        type: problemType('malformed-json'),
        title: 'Malformed JSON',
        status: 400,
        detail: `The request body is not valid JSON (${String(cause.message)}).`,
      });
    case 'entity.too.large':
      return answer({
        type: problemType('payload-too-large'),
        title: 'Request body too large',
        status: 413,
        detail: tooLarge(cause.length, cause.limit),
        limit: cause.limit,
      });
    case 'charset.unsupported':
    case 'encoding.unsupported':
      return answer({
        type: problemType('unsupported-media-type'),
        title: 'Unsupported media type',
        status: 415,
        detail: `${sentence(String(cause.message))} Send UTF-8 JSON.`,
      });
  }
  if (status === 404 && !request.routeMatched) {
    return answer({ type: 'about:blank', title: 'Not Found', status, detail: `No route matches ${request.method} ${request.path}.` });
  }
  return answer({ type: 'about:blank', title: STATUS_CODES[status] ?? 'Error', status, detail: sentence(messageOf(error)) });
}

/** A chunked body has no declared length: the parser stops at the limit, so only the limit can be named. */
function tooLarge(length: unknown, limit: unknown): string {
  const bytes = (value: unknown) => `${Number(value).toLocaleString('en')} bytes`;
  const limitInWords = `${bytes(limit)} (${Math.floor(Number(limit) / 1024)} kB)`;
  return typeof length === 'number' && Number.isFinite(length)
    ? `The request body is ${bytes(length)}; the limit is ${limitInWords}. Send a smaller body.`
    : `The request body is larger than the limit of ${limitInWords}. Send a smaller body.`;
}

/** Nest's built-in exceptions keep their text in `message`, a string or (from pipes) a list. */
function messageOf(error: HttpException): string {
  const response = error.getResponse();
  if (typeof response === 'string') return response;
  const message = (response as { message?: unknown }).message;
  if (Array.isArray(message)) return message.map(String).join('; ');
  return typeof message === 'string' ? message : error.message;
}

function unexpected(status = 500): ProblemAnswer {
  return {
    problem: {
      type: status === 500 ? problemType('internal-error') : 'about:blank',
      title: STATUS_CODES[status] ?? 'Internal Server Error',
      status,
      detail: 'The server failed to handle this request. The error has been logged; nothing about it is shown here.',
    },
    headers: {},
    unexpected: true,
  };
}

function answer(problem: ProblemDocument, headers: Readonly<Record<string, string>> = {}): ProblemAnswer {
  return { problem, headers: { ...headers }, unexpected: false };
}

/** Domain details become extension members, except those that would overwrite the standard ones. */
function extensions(details: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(details).filter(([key]) => !RESERVED.has(key)));
}

function sentence(text: string): string {
  const trimmed = text.trim();
  if (trimmed === '') return trimmed;
  const capital = trimmed[0]!.toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}
