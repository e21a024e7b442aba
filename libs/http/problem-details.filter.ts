import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { newId } from '../kernel/ids.js';
import { PROBLEM_CONTENT_TYPE, type ProblemDocument } from './problem.js';
import { problemFor } from './problem-for.js';

/** The web interface's paths, and how a problem looks there. */
export interface HtmlPages {
  isPage(path: string): boolean;
  renderProblem(problem: ProblemDocument): string;
}

type ExpressRequest = IncomingMessage & { originalUrl?: string; route?: unknown };

/**
 * Every error leaves as an RFC 9457 `application/problem+json` document: thrown by a handler, a guard, a pipe,
 * an interceptor, the body parser, or Nest's unknown-route handler. The server's own failures are logged with
 * a reference the client sees; their message and stack never reach the client.
 */
@Catch()
export class ProblemDetailsFilter implements ExceptionFilter {
  private readonly logger = new Logger('ProblemDetails');

  /** With `pages`, a problem on a web page's path is answered as an HTML page (same status, same detail). */
  constructor(private readonly pages?: HtmlPages) {}

  catch(exception: unknown, host: ArgumentsHost): void {
    if (host.getType() !== 'http') throw exception;
    const request = host.switchToHttp().getRequest<ExpressRequest>();
    const response = host.switchToHttp().getResponse<ServerResponse>();
    const path = (request.originalUrl ?? request.url ?? '/').split('?')[0]!;
    const { problem, headers, unexpected } = problemFor(exception, {
      method: request.method ?? 'GET',
      path,
      routeMatched: request.route !== undefined,
      hasIdempotencyKey: request.headers['idempotency-key'] !== undefined,
    });
    const document: ProblemDocument = { ...problem, instance: path };
    if (unexpected) {
      const reference = newId();
      document.reference = reference;
      const described = exception instanceof Error ? (exception.stack ?? exception.message) : String(exception);
      this.logger.error(`${request.method} ${path} failed (reference ${reference}): ${described}`);
    }

    if (response.headersSent) {
      // Part of an answer is out already; a second one cannot follow, so end the broken one.
      response.destroy();
      return;
    }
    response.statusCode = problem.status;
    for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
    if (problem.status === 401 && !response.hasHeader('WWW-Authenticate')) {
      response.setHeader('WWW-Authenticate', 'Bearer realm="u4ssc"');
    }
    if (this.pages?.isPage(path)) {
      // A person reads this in a browser: the bearer challenge would make it ask for a password it cannot give.
      response.removeHeader('WWW-Authenticate');
      response.setHeader('Content-Type', 'text/html; charset=utf-8');
      response.end(this.pages.renderProblem(document));
      return;
    }
    response.setHeader('Content-Type', PROBLEM_CONTENT_TYPE);
    response.end(JSON.stringify(document));
  }
}
